package server

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

// shownUpcoming is how many coming stops of a basort the start page lists open; the rest
// fold away, so the page stays short on a phone.
const shownUpcoming = 3

// shownFeedback is how many closed feedback items the start page shows; the archive
// (/vi-gjorde) has all of them.
const shownFeedback = 3

type basortGroup struct {
	ID       int64
	Name     string
	Href     string
	Next     *publicStop
	Upcoming []publicStop // the first coming ones
	More     []publicStop // the coming ones after those
	Past     []publicStop
}

// HasStops reports whether the group lists any stop: one without gets no section of its own.
func (g basortGroup) HasStops() bool { return len(g.Upcoming)+len(g.Past) > 0 }

// Count is how many stops the group lists.
func (g basortGroup) Count() string {
	return strconv.Itoa(len(g.Upcoming) + len(g.More) + len(g.Past))
}

type indexPage struct {
	Public
	Ended         bool
	Period        template.HTML
	Groups        []basortGroup
	Feedback      []publicFeedback
	FeedbackTotal string
}

func (s *Server) registerIndexRoutes() {
	s.route(http.MethodGet, "/", s.handleIndex)
}

// handleIndex shows the public schedule: first the next visit to each basort (each a link
// to its part of the page), then the calendar, the latest of "ni sa – vi gjorde", and each
// basort's stops; for a promise whose period is over, all its announced stops.
func (s *Server) handleIndex(c *gin.Context) error {
	ctx := c.Request.Context()
	pub := s.publicBase(c, "index.title")
	if _, err := pub.promised(); err != nil {
		return err
	}
	p := pub.Promise
	ls, err := s.store.FindLocalities(ctx, p.ID)
	if err != nil {
		return err
	}
	stops, _, err := s.store.FindStops(ctx, lofte.StopFilter{PromiseID: p.ID, PublicOnly: true})
	if err != nil {
		return err
	}
	now := s.now()
	page := &indexPage{Public: pub, Ended: p.Ended(now), Period: pub.period(p)}
	page.setCalendar()
	byLoc := map[int64][]*lofte.Stop{}
	for _, st := range stops {
		byLoc[st.LocalityID] = append(byLoc[st.LocalityID], st)
	}
	for _, l := range ls {
		ss := byLoc[l.ID]
		if (!l.Basort || l.Retired()) && len(ss) == 0 { // a retired place shows only its past
			continue
		}
		upcoming, past := splitStops(ss, page.Ended, now)
		g := basortGroup{ID: l.ID, Name: l.Name, Href: pub.Link(basortPath(l.Name)), Past: pub.stops(past)}
		up := pub.stops(upcoming)
		if len(up) > 0 {
			g.Next = &up[0]
		}
		g.Upcoming, g.More = up[:min(len(up), shownUpcoming)], up[min(len(up), shownUpcoming):]
		page.Groups = append(page.Groups, g)
	}
	closed, err := s.store.FindFeedback(ctx, lofte.FeedbackFilter{PromiseID: p.ID,
		Statuses: []lofte.FeedbackStatus{lofte.FeedbackClosed}})
	if err != nil {
		return err
	}
	page.Feedback = s.feedbackViews(closed[:min(len(closed), shownFeedback)], pub.Lang)
	page.FeedbackTotal = strconv.Itoa(len(closed))
	s.render(c, http.StatusOK, "index", page)
	return nil
}

// period says when the promise runs, with its excluded periods, in the page's language.
func (p Public) period(pr *lofte.Promise) template.HTML {
	out := p.TSV("index.period", "from", pr.Period.From.String(), "to", pr.Period.To.String())
	for _, x := range pr.Excluded {
		out += p.TSV("index.except", "from", x.From.String(), "to", x.To.String(), "label", x.Label)
	}
	return out + "."
}
