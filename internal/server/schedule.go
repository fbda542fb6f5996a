package server

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/schedule"
)

func (s *Server) registerScheduleRoutes() {
	s.route(http.MethodGet, "/schedule.ics", s.handleICS)
}

// handleICS serves the published schedule (all of it, or one basort's) as iCalendar.
func (s *Server) handleICS(c *gin.Context) error {
	ctx := c.Request.Context()
	p, err := s.promise(c)
	if err != nil {
		return err
	}
	names, err := s.basortParams(c, p.ID)
	if err != nil {
		return err
	}
	stops, _, err := s.store.FindStops(ctx, lofte.StopFilter{PromiseID: p.ID, Basorter: names, PublicOnly: true})
	if err != nil {
		return err
	}
	feed := schedule.Feed{Name: "Mobila poliskontoret – " + p.Municipality}
	file := "mobila-poliskontoret.ics"
	if len(names) == 1 {
		feed.Name = "Mobila poliskontoret – " + names[0]
		file = "mobila-poliskontoret-" + url.PathEscape(names[0]) + ".ics"
	}
	b, err := schedule.ICS(p, stops, feed, s.now())
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", "inline; filename*=UTF-8''"+file)
	c.Header("Cache-Control", "public, max-age=900")
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", b)
	return nil
}
