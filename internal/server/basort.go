package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

func (s *Server) registerBasortRoutes() {
	s.route(http.MethodGet, "/api/v1/basorter", s.handleBasorter)
}

type promiseJSON struct {
	Slug         string         `json:"slug"`
	Title        string         `json:"title"`
	Municipality string         `json:"municipality"`
	PoliceArea   string         `json:"police_area"`
	Period       lofte.Period   `json:"period"`
	Excluded     []lofte.Period `json:"excluded"`
	MinN         int            `json:"min_n"`
}

// handleBasorter lists the active promise's localities, basorter first.
func (s *Server) handleBasorter(c *gin.Context) error {
	ctx := c.Request.Context()
	p, err := s.store.ActivePromise(ctx)
	if err != nil {
		return err
	}
	ls, err := s.store.FindLocalities(ctx, p.ID)
	if err != nil {
		return err
	}
	if ls == nil {
		ls = []*lofte.Locality{}
	}
	c.JSON(http.StatusOK, gin.H{
		"promise": promiseJSON{Slug: p.Slug, Title: p.Title, Municipality: p.Municipality, PoliceArea: p.PoliceArea,
			Period: p.Period, Excluded: p.Excluded, MinN: p.MinN},
		"basorter": ls,
	})
	return nil
}
