package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
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
	stops, _, err := s.store.FindStops(ctx, lofte.StopFilter{PromiseID: p.ID, From: sc.From, To: sc.To, Basorter: sc.Basorter})
	if err != nil {
		return metrics.Input{}, sc, err
	}
	ids := make([]int64, len(stops))
	for i, st := range stops {
		ids[i] = st.ID
	}
	tallies, err := s.store.FindTallies(ctx, ids)
	if err != nil {
		return metrics.Input{}, sc, err
	}
	items, err := s.store.FindFeedback(ctx, lofte.FeedbackFilter{PromiseID: p.ID, Basorter: sc.Basorter})
	if err != nil {
		return metrics.Input{}, sc, err
	}
	bs, err := s.store.FindBaselines(ctx, p.ID)
	if err != nil {
		return metrics.Input{}, sc, err
	}
	return metrics.Input{Promise: p, Stops: stops, Tallies: tallies, Feedback: items, Baselines: bs, Now: s.now()}, sc, nil
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
