package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/schedule"
)

func (s *Server) registerScheduleRoutes() {
	s.route(http.MethodGet, "/schedule.ics", s.handleICS)
	s.route(http.MethodPost, "/api/v1/stops/plan", s.handlePlan)
	s.route(http.MethodPost, "/api/v1/stops/publish", s.handlePublish)
	s.route(http.MethodPost, "/api/v1/stops/:id/visitors", s.handleAddVisitors)
}

// handleICS serves the published schedule (all of it, or one basort's) as iCalendar.
func (s *Server) handleICS(c *gin.Context) error {
	ctx := c.Request.Context()
	p, err := s.store.ActivePromise(ctx)
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

// handlePlan expands a rule into draft stops for review (admin).
func (s *Server) handlePlan(c *gin.Context) error {
	ctx := c.Request.Context()
	b, err := readBody(c)
	if err != nil {
		return err
	}
	var r schedule.Rule
	if err := decodeStrict(b, &r); err != nil {
		return err
	}
	p, err := s.store.ActivePromise(ctx)
	if err != nil {
		return err
	}
	if _, err := s.basortNamed(c, p.ID, r.Basort); err != nil {
		return err
	}
	stops, err := schedule.Expand(p, r)
	if err != nil {
		return err
	}
	if err := s.store.CreateStops(ctx, stops); err != nil {
		return err
	}
	out := make([]stopJSON, len(stops))
	for i, st := range stops {
		out[i] = toStopJSON(st)
	}
	c.JSON(http.StatusCreated, gin.H{"stops": out, "rule": r.String()})
	return nil
}

// handlePublish publishes several drafts in one go (admin).
func (s *Server) handlePublish(c *gin.Context) error {
	b, err := readBody(c)
	if err != nil {
		return err
	}
	var in struct {
		IDs []int64 `json:"ids"`
	}
	if err := decodeStrict(b, &in); err != nil {
		return err
	}
	if len(in.IDs) == 0 || len(in.IDs) > 1000 {
		return lofte.Invalid("ids", "ange 1–1000 tillfällen att publicera")
	}
	pub := lofte.StatusPublished
	stops, err := s.store.UpdateStops(c.Request.Context(), in.IDs, lofte.StopUpdate{Status: &pub})
	if err != nil {
		return err
	}
	out := make([]stopJSON, len(stops))
	for i, st := range stops {
		out[i] = toStopJSON(st)
	}
	c.JSON(http.StatusOK, gin.H{"stops": out})
	return nil
}

// handleAddVisitors is the officer's "+1 besökare" (or −1 to undo a slip).
func (s *Server) handleAddVisitors(c *gin.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return lofte.Invalid("id", "ogiltigt id för tillfälle")
	}
	b, err := readBody(c)
	if err != nil {
		return err
	}
	var in struct {
		Add *int `json:"add"`
	}
	if err := decodeStrict(b, &in); err != nil {
		return err
	}
	if in.Add == nil || *in.Add < -10 || *in.Add > 100 || *in.Add == 0 {
		return lofte.Invalid("add", "add måste vara ett heltal −10…100, inte 0")
	}
	st, err := s.store.AddVisitors(c.Request.Context(), id, *in.Add)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toStopJSON(st))
	return nil
}

// basortNamed returns the promise's locality with this name, or a 400 naming basort.
func (s *Server) basortNamed(c *gin.Context, promiseID int64, name string) (*lofte.Locality, error) {
	ls, err := s.store.FindLocalities(c.Request.Context(), promiseID)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		if l.Name == name {
			return l, nil
		}
	}
	return nil, lofte.Invalid("basort", "okänd ort %q", name)
}
