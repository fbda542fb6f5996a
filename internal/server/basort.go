package server

import (
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

func (s *Server) registerBasortRoutes() {
	s.route(http.MethodGet, "/api/v1/basorter", s.handleBasorter)
	s.route(http.MethodGet, "/basort/:name", s.handleBasortPage)
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
	p, err := s.promise(c)
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

// basortNamed returns the promise's locality with this name, or a 400 naming basort.
func (s *Server) basortNamed(c *gin.Context, promiseID int64, name string) (*lofte.Locality, error) {
	ls, err := s.store.FindLocalities(c.Request.Context(), promiseID)
	if err != nil {
		return nil, err
	}
	if l := lofte.LocalityNamed(ls, name); l != nil {
		return l, nil
	}
	return nil, lofte.Invalid("basort", "okänd ort %q", name)
}

type basortPage struct {
	Base
	Locality *lofte.Locality
	Upcoming []*lofte.Stop
	Past     []*lofte.Stop
	Ended    bool
	Feedback []*lofte.FeedbackItem
	Topics   map[string]string
}

// handleBasortPage is a basort's public page: its coming stops, where the office stands, and
// what came of what people raised there.
func (s *Server) handleBasortPage(c *gin.Context) error {
	ctx := c.Request.Context()
	b := s.base(c, c.Param("name"))
	if _, err := b.promised(); err != nil {
		return err
	}
	ls, err := s.store.FindLocalities(ctx, b.Promise.ID)
	if err != nil {
		return err
	}
	loc := lofte.LocalityNamed(ls, c.Param("name"))
	if loc == nil {
		return lofte.NotFound("orten finns inte")
	}
	stops, _, err := s.store.FindStops(ctx, lofte.StopFilter{PromiseID: b.Promise.ID, Basorter: []string{loc.Name}, PublicOnly: true})
	if err != nil {
		return err
	}
	items, err := s.store.FindFeedback(ctx, lofte.FeedbackFilter{PromiseID: b.Promise.ID, Basorter: []string{loc.Name},
		Statuses: []lofte.FeedbackStatus{lofte.FeedbackClosed}, Limit: 50})
	if err != nil {
		return err
	}
	now := s.now()
	p := &basortPage{Base: b, Locality: loc, Ended: lofte.LocalDate(now).After(b.Promise.Period.To), Feedback: items,
		Topics: s.topicLabels()}
	p.Upcoming, p.Past = splitStops(stops, p.Ended, now)
	s.render(c, http.StatusOK, "basort", p)
	return nil
}

// splitStops parts a place's stops, in time order, into those to come and those past, the
// latest past visit first; once the promise has ended, every stop is past, in time order.
func splitStops(stops []*lofte.Stop, ended bool, now time.Time) (upcoming, past []*lofte.Stop) {
	for _, st := range stops {
		if !ended && st.EndsAt.After(now) {
			upcoming = append(upcoming, st)
		} else {
			past = append(past, st)
		}
	}
	if !ended {
		slices.Reverse(past)
	}
	return upcoming, past
}
