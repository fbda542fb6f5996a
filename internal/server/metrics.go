package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/metrics"
)

func (s *Server) registerMetricsRoutes() {
	s.route(http.MethodGet, "/api/v1/metrics", s.handleMetrics)
	s.route(http.MethodGet, "/api/v1/outcomes", s.handleOutcomes)
}

// metricsInput reads what the figures are computed from: stops and their per-stop counts,
// never the responses themselves.
func (s *Server) metricsInput(c *gin.Context) (metrics.Input, metrics.Scope, error) {
	ctx := c.Request.Context()
	p, err := s.store.ActivePromise(ctx)
	if err != nil {
		return metrics.Input{}, metrics.Scope{}, err
	}
	sc := metrics.Scope{Group: c.DefaultQuery("group", metrics.GroupNone), MinN: p.MinN}
	sel, err := s.selection(c, p.ID, 0)
	if err != nil {
		return metrics.Input{}, sc, err
	}
	sc.From, sc.To, sc.Basorter = sel.From, sel.To, sel.Basorter
	if err := sc.Validate(); err != nil {
		return metrics.Input{}, sc, err
	}
	in, err := metrics.Load(ctx, s.store, p, sc, s.now())
	return in, sc, err
}

func (s *Server) handleMetrics(c *gin.Context) error {
	in, sc, err := s.metricsInput(c)
	if err != nil {
		return err
	}
	res, err := metrics.Compute(in, sc)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, res)
	return nil
}

func (s *Server) handleOutcomes(c *gin.Context) error {
	in, sc, err := s.metricsInput(c)
	if err != nil {
		return err
	}
	res, err := metrics.Outcomes(in, sc)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, res)
	return nil
}
