package server

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

var (
	weekdaysSV = [...]string{"sön", "mån", "tis", "ons", "tors", "fre", "lör"}
	monthsSV   = [...]string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
		"september", "oktober", "november", "december"}
)

// formatWhen writes a stop's time the Swedish way: "ons 14 mars 2018 kl. 10.00–13.00".
func formatWhen(start, end time.Time) string {
	s, e := start.In(lofte.Zone), end.In(lofte.Zone)
	out := fmt.Sprintf("%s %d %s %d kl. %02d.%02d–", weekdaysSV[s.Weekday()], s.Day(), monthsSV[s.Month()-1],
		s.Year(), s.Hour(), s.Minute())
	if lofte.DateOf(s) != lofte.DateOf(e) {
		out += fmt.Sprintf("%d %s ", e.Day(), monthsSV[e.Month()-1])
	}
	return out + fmt.Sprintf("%02d.%02d", e.Hour(), e.Minute())
}

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

func (s *Server) registerPageRoutes() {
	s.route(http.MethodGet, "/", s.handleIndex)
	s.route(http.MethodGet, "/basort/:name", s.handleBasortPage)
}

// handleIndex shows the public schedule per basort: coming stops first; for a promise whose
// period is over, all its announced stops.
func (s *Server) handleIndex(c *gin.Context) error {
	ctx := c.Request.Context()
	b := s.base(c, "Mobila poliskontorets schema")
	if b.Promise == nil {
		return lofte.NotFound("inget medborgarlöfte är inlagt")
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
		if !l.Basort && len(ss) == 0 {
			continue
		}
		g := basortGroup{ID: l.ID, Name: l.Name}
		for _, st := range ss {
			if !page.Ended && st.EndsAt.After(now) {
				g.Upcoming = append(g.Upcoming, st)
			} else {
				g.Past = append(g.Past, st)
			}
		}
		if !page.Ended {
			slices.Reverse(g.Past) // the latest past visit first
		}
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

type basortPage struct {
	Base
	Locality *lofte.Locality
	Upcoming []*lofte.Stop
	Past     []*lofte.Stop
	Ended    bool
	Feedback []*lofte.FeedbackItem
	Topics   map[string]string
	Channels map[string]string
}

// handleBasortPage is a basort's public page: its coming stops, where the office stands, and
// what came of what people raised there.
func (s *Server) handleBasortPage(c *gin.Context) error {
	ctx := c.Request.Context()
	b := s.base(c, c.Param("name"))
	if b.Promise == nil {
		return lofte.NotFound("inget medborgarlöfte")
	}
	var loc *lofte.Locality
	ls, err := s.store.FindLocalities(ctx, b.Promise.ID)
	if err != nil {
		return err
	}
	for _, l := range ls {
		if l.Name == c.Param("name") {
			loc = l
		}
	}
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
		Topics: s.topicLabels(), Channels: channelLabels}
	for _, st := range stops {
		if !p.Ended && st.EndsAt.After(now) {
			p.Upcoming = append(p.Upcoming, st)
		} else {
			p.Past = append(p.Past, st)
		}
	}
	if !p.Ended {
		slices.Reverse(p.Past)
	}
	s.render(c, http.StatusOK, "basort", p)
	return nil
}
