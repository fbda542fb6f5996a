package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/schedule"
)

func (s *Server) registerPlanRoutes() {
	s.route(http.MethodGet, "/plan", s.handlePlanPage)
	s.route(http.MethodPost, "/plan", s.handlePlanForm)
	s.route(http.MethodPost, "/plan/publish", s.handlePublishForm)
	s.route(http.MethodPost, "/plan/:id/cancel", s.handleCancelForm)
	s.route(http.MethodPost, "/plan/:id/move", s.handleMoveForm)
	s.route(http.MethodPost, "/plan/:id/delete", s.handleDeleteDraftForm)
}

type planPage struct {
	Base
	Basorter []*lofte.Locality
	Drafts   []*lofte.Stop
	Coming   []*lofte.Stop
	Rule     schedule.Rule
	Error    string
	Notice   string
}

func (s *Server) planPage(c *gin.Context) (*planPage, error) {
	ctx := c.Request.Context()
	b := s.base(c, "Planera besök")
	if b.Promise == nil {
		return nil, lofte.NotFound("inget medborgarlöfte")
	}
	ls, err := s.store.FindLocalities(ctx, b.Promise.ID)
	if err != nil {
		return nil, err
	}
	stops, _, err := s.store.FindStops(ctx, lofte.StopFilter{PromiseID: b.Promise.ID,
		Statuses: []lofte.StopStatus{lofte.StatusDraft, lofte.StatusPublished}})
	if err != nil {
		return nil, err
	}
	p := &planPage{Base: b, Basorter: ls, Rule: schedule.Rule{Weekday: 2, EveryWeeks: 2, Start: "10:00", End: "13:00"}}
	now := s.now()
	for _, st := range stops {
		switch {
		case st.Status == lofte.StatusDraft:
			p.Drafts = append(p.Drafts, st)
		case st.EndsAt.After(now):
			p.Coming = append(p.Coming, st)
		}
	}
	return p, nil
}

func (s *Server) handlePlanPage(c *gin.Context) error {
	p, err := s.planPage(c)
	if err != nil {
		return err
	}
	p.Notice = c.Query("klart")
	s.render(c, http.StatusOK, "plan", p)
	return nil
}

// handlePlanForm makes drafts from the series form; they are published after review.
func (s *Server) handlePlanForm(c *gin.Context) error {
	p, err := s.planPage(c)
	if err != nil {
		return err
	}
	weekday, _ := strconv.Atoi(c.PostForm("weekday"))
	every, _ := strconv.Atoi(c.PostForm("every_weeks"))
	r := schedule.Rule{Basort: c.PostForm("basort"), Place: strings.TrimSpace(c.PostForm("place")), Weekday: weekday,
		EveryWeeks: every, Start: c.PostForm("start"), End: c.PostForm("end"), From: c.PostForm("from"), Until: c.PostForm("until")}
	p.Rule = r
	stops, err := schedule.Expand(p.Promise, r)
	if err == nil {
		_, err = s.basortNamed(c, p.Promise.ID, r.Basort)
	}
	if err == nil {
		err = s.store.CreateStops(c.Request.Context(), stops)
	}
	if e := lofte.AsError(err); e != nil && e.Code == lofte.EINVALID {
		p.Error = e.Message
		s.render(c, http.StatusBadRequest, "plan", p)
		return nil
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/plan?klart="+strconv.Itoa(len(stops))+"+utkast+skapade#utkast")
	return nil
}

func (s *Server) handlePublishForm(c *gin.Context) error {
	var ids []int64
	for _, v := range c.PostFormArray("id") {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return lofte.Invalid("id", "ogiltigt id")
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		c.Redirect(http.StatusSeeOther, "/plan#utkast")
		return nil
	}
	pub := lofte.StatusPublished
	if _, err := s.store.UpdateStops(c.Request.Context(), ids, lofte.StopUpdate{Status: &pub}); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/plan?klart="+strconv.Itoa(len(ids))+"+publicerade")
	return nil
}

func (s *Server) handleCancelForm(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(c.PostForm("reason"))
	st := lofte.StatusCancelled
	if _, err := s.store.UpdateStop(c.Request.Context(), id, lofte.StopUpdate{Status: &st, CancelReason: &reason}); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/plan?klart=inställt")
	return nil
}

// handleMoveForm moves a stop to another day, time or place; a published stop's SEQUENCE
// rises so subscribed calendars follow.
func (s *Server) handleMoveForm(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	day, err := lofte.ParseDate(c.PostForm("date"))
	if err != nil {
		return lofte.Invalid("date", "datum skrivs ÅÅÅÅ-MM-DD")
	}
	start, err := clockOn(day, "start", c.PostForm("start"))
	if err != nil {
		return err
	}
	end, err := clockOn(day, "end", c.PostForm("end"))
	if err != nil {
		return err
	}
	place := strings.TrimSpace(c.PostForm("place"))
	if _, err := s.store.UpdateStop(c.Request.Context(), id, lofte.StopUpdate{StartsAt: start, EndsAt: end, Place: &place}); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/plan?klart=flyttat")
	return nil
}

// handleDeleteDraftForm withdraws a draft from the review list: it was never promised.
func (s *Server) handleDeleteDraftForm(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := s.store.DeleteStop(c.Request.Context(), id); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/plan?klart=utkastet+borttaget#utkast")
	return nil
}
