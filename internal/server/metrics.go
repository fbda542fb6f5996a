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

// scope reads the scope of figures from the query: from, to, basort and kind, checked
// against the active promise.
func (s *Server) scope(c *gin.Context) (*lofte.Promise, metrics.Scope, error) {
	ctx := c.Request.Context()
	p, sel, err := s.selection(c, 0)
	if err != nil {
		return nil, metrics.Scope{}, err
	}
	basort, err := oneBasort(sel.Basorter)
	if err != nil {
		return nil, metrics.Scope{}, err
	}
	if basort != "" {
		ls, err := s.store.FindLocalities(ctx, p.ID)
		if err != nil {
			return nil, metrics.Scope{}, err
		}
		// A locality that is no basort has no survey cell of its own (package metrics, "Fixed cells").
		if l := lofte.LocalityNamed(ls, basort); l == nil || !l.Basort {
			return nil, metrics.Scope{}, lofte.Invalid("basort", "%s är ingen basort", basort)
		}
	}
	return p, metrics.Scope{From: sel.From, To: sel.To, Basort: basort, Kind: c.Query("kind")}, nil
}

// oneBasort is the basort of a figures scope: figures exist for one basort or the whole
// area, never for another set of basorter; the same basort named twice is that basort.
func oneBasort(names []string) (string, error) {
	if len(names) == 0 {
		return "", nil
	}
	for _, n := range names[1:] {
		if n != names[0] {
			return "", lofte.Invalid("basort", "välj en basort eller hela området, inte flera")
		}
	}
	return names[0], nil
}

// metricsInput reads what the figures are computed from: stops and their per-stop counts,
// never the responses themselves.
func (s *Server) metricsInput(c *gin.Context) (metrics.Input, metrics.Scope, error) {
	p, sc, err := s.scope(c)
	if err != nil {
		return metrics.Input{}, sc, err
	}
	sc.Group = c.DefaultQuery("group", metrics.GroupNone)
	if err := sc.Validate(); err != nil {
		return metrics.Input{}, sc, err
	}
	in, err := metrics.Load(c.Request.Context(), s.store, p, sc, s.now())
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
	cmp, err := s.comparison(c, in, sc)
	if err != nil {
		return err
	}
	if cmp == nil {
		c.JSON(http.StatusOK, res)
		return nil
	}
	// With compare=ID the answer gains "compare": the scope per basort and for the whole area
	// beside the same months of that earlier promise; without it the shape is unchanged.
	c.JSON(http.StatusOK, struct {
		*metrics.Result
		Compare *metrics.Comparison `json:"compare"`
	}{res, cmp})
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
