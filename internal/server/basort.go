package server

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

func (s *Server) registerBasortRoutes() {
	s.route(http.MethodGet, "/api/v1/basorter", s.handleBasorter)
	s.route(http.MethodGet, "/basort/:name", s.handleBasortPage)
	s.route(http.MethodGet, "/basort/:name/affisch", s.handlePoster)
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
	return lofte.KnownLocality(ls, name)
}

type basortPage struct {
	Public
	Locality *lofte.Locality
	Upcoming []publicStop
	Past     []publicStop
	Ended    bool
	Feedback []publicFeedback
	Poster   string // the poster's link
	Back     string // the start page's link
}

// publicLocality is the promise's locality named in the path, or how to get to it: the name
// matched without regard to case ("/basort/tollarp") is redirected to its own spelling, so
// that a hand-typed address works and every page has one address.
func (s *Server) publicLocality(c *gin.Context, b Base, suffix string) (*lofte.Locality, bool, error) {
	ls, err := s.store.FindLocalities(c.Request.Context(), b.Promise.ID)
	if err != nil {
		return nil, false, err
	}
	name := c.Param("name")
	if l := lofte.LocalityNamed(ls, name); l != nil {
		return l, false, nil
	}
	for _, l := range ls {
		if strings.EqualFold(l.Name, name) {
			u := *c.Request.URL
			u.Path, u.RawPath = "/basort/"+l.Name+suffix, ""
			c.Redirect(http.StatusMovedPermanently, u.String())
			return l, true, nil
		}
	}
	return nil, false, lofte.NotFound("orten finns inte")
}

// handleBasortPage is a basort's public page: its coming stops, where the office stands, and
// what came of what people raised there.
func (s *Server) handleBasortPage(c *gin.Context) error {
	ctx := c.Request.Context()
	pub := s.publicBase(c, "basort.title", "basort", c.Param("name"))
	if _, err := pub.promised(); err != nil {
		return err
	}
	loc, moved, err := s.publicLocality(c, pub.Base, "")
	if err != nil || moved {
		return err
	}
	pub.Title = pub.TF("basort.title", "basort", loc.Name)
	pub.setCalendar("basort", loc.Name)
	stops, _, err := s.store.FindStops(ctx, lofte.StopFilter{PromiseID: pub.Promise.ID, Basorter: []string{loc.Name}, PublicOnly: true})
	if err != nil {
		return err
	}
	items, err := s.store.FindFeedback(ctx, lofte.FeedbackFilter{PromiseID: pub.Promise.ID, Basorter: []string{loc.Name},
		Statuses: []lofte.FeedbackStatus{lofte.FeedbackClosed}, Limit: 50})
	if err != nil {
		return err
	}
	now := s.now()
	p := &basortPage{Public: pub, Locality: loc, Ended: pub.Promise.Ended(now),
		Feedback: s.feedbackViews(items, pub.Lang), Poster: pub.Link(basortPath(loc.Name) + "/affisch"), Back: pub.Link("/")}
	upcoming, past := splitStops(stops, p.Ended, now)
	p.Upcoming, p.Past = pub.stops(upcoming), pub.stops(past)
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
