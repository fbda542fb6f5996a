package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

type basortGroup struct {
	ID       int64
	Name     string
	Upcoming []*lofte.Stop
	Past     []*lofte.Stop
}

type indexPage struct {
	Base
	Ended    bool
	Groups   []basortGroup
	Feedback []*lofte.FeedbackItem
	Topics   map[string]string
}

func (s *Server) registerIndexRoutes() {
	s.route(http.MethodGet, "/", s.handleIndex)
}

// handleIndex shows the public schedule per basort: coming stops first; for a promise whose
// period is over, all its announced stops.
func (s *Server) handleIndex(c *gin.Context) error {
	ctx := c.Request.Context()
	b := s.base(c, "Mobila poliskontorets schema")
	if _, err := b.promised(); err != nil {
		return err
	}
	p := b.Promise
	ls, err := s.store.FindLocalities(ctx, p.ID)
	if err != nil {
		return err
	}
	stops, _, err := s.store.FindStops(ctx, lofte.StopFilter{PromiseID: p.ID, PublicOnly: true})
	if err != nil {
		return err
	}
	now := s.now()
	page := &indexPage{Base: b, Ended: lofte.LocalDate(now).After(p.Period.To)}
	byLoc := map[int64][]*lofte.Stop{}
	for _, st := range stops {
		byLoc[st.LocalityID] = append(byLoc[st.LocalityID], st)
	}
	for _, l := range ls {
		ss := byLoc[l.ID]
		if (!l.Basort || l.Retired()) && len(ss) == 0 { // a retired place shows only its past
			continue
		}
		g := basortGroup{ID: l.ID, Name: l.Name}
		g.Upcoming, g.Past = splitStops(ss, page.Ended, now)
		page.Groups = append(page.Groups, g)
	}
	if page.Feedback, err = s.store.FindFeedback(ctx, lofte.FeedbackFilter{PromiseID: p.ID,
		Statuses: []lofte.FeedbackStatus{lofte.FeedbackClosed}, Limit: 5}); err != nil {
		return err
	}
	page.Topics = s.topicLabels()
	s.render(c, http.StatusOK, "index", page)
	return nil
}
