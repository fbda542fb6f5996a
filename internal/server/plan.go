package server

import (
	"net/http"
	"net/url"
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
	// Move is the move form as typed, shown again (open) beside its stop when refused.
	Move moveForm
}

// moveForm is the plan page's form that moves a published stop.
type moveForm struct {
	StopID                  int64
	Date, Start, End, Place string
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
	c.Redirect(http.StatusSeeOther, "/plan?klart="+url.QueryEscape(numbered(len(stops), "utkast skapat", "utkast skapade"))+"#utkast")
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
	c.Redirect(http.StatusSeeOther, "/plan?klart="+url.QueryEscape(numbered(len(ids), "besök publicerat", "besök publicerade")))
	return nil
}

func (s *Server) handleCancelForm(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(c.PostForm("reason"))
	st := lofte.StatusCancelled
	stop, err := s.store.UpdateStop(c.Request.Context(), id, lofte.StopUpdate{Status: &st, CancelReason: &reason})
	if err != nil {
		return s.planRefused(c, err, moveForm{})
	}
	s.planDone(c, "Besöket i "+stop.Basort+" "+formatWhen(stop.StartsAt, stop.EndsAt)+" är inställt")
	return nil
}

// handleMoveForm moves a stop to another day, time or place; a published stop's SEQUENCE
// rises so subscribed calendars follow.
func (s *Server) handleMoveForm(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	f := moveForm{StopID: id, Date: c.PostForm("date"), Start: c.PostForm("start"), End: c.PostForm("end"),
		Place: strings.TrimSpace(c.PostForm("place"))}
	upd, err := f.update()
	if err != nil {
		return s.planRefused(c, err, f)
	}
	stop, err := s.store.UpdateStop(c.Request.Context(), id, upd)
	if err != nil {
		return s.planRefused(c, err, f)
	}
	s.planDone(c, "Besöket i "+stop.Basort+" är flyttat till "+formatWhen(stop.StartsAt, stop.EndsAt)+", "+stop.Place)
	return nil
}

// update reads the move form: a day, its start and end times and the place.
func (f moveForm) update() (lofte.StopUpdate, error) {
	day, err := lofte.ParseDate(f.Date)
	if err != nil {
		return lofte.StopUpdate{}, lofte.Invalid("date", "datum skrivs ÅÅÅÅ-MM-DD")
	}
	start, err := clockOn(day, "start", f.Start)
	if err != nil {
		return lofte.StopUpdate{}, err
	}
	end, err := clockOn(day, "end", f.End)
	if err != nil {
		return lofte.StopUpdate{}, err
	}
	return lofte.StopUpdate{StartsAt: start, EndsAt: end, Place: &f.Place}, nil
}

// planRefused shows the plan page again with the reason a change was refused (a mistake in
// the form, or a change the stop's status does not allow) and the move form as typed, so the
// planner can correct it there instead of landing on a page of its own.
func (s *Server) planRefused(c *gin.Context, err error, f moveForm) error {
	e := lofte.AsError(err)
	if e == nil || (e.Code != lofte.EINVALID && e.Code != lofte.ECONFLICT) {
		return err
	}
	p, perr := s.planPage(c)
	if perr != nil {
		return perr
	}
	p.Error, p.Move = e.Message, f
	status := http.StatusBadRequest
	if e.Code == lofte.ECONFLICT {
		status = http.StatusConflict
	}
	s.render(c, status, "plan", p)
	return nil
}

// planDone goes back to the plan page saying what happened to what.
func (s *Server) planDone(c *gin.Context, notice string) {
	c.Redirect(http.StatusSeeOther, "/plan?klart="+url.QueryEscape(notice))
}

// numbered writes n with the singular or plural phrase: "1 besök publicerat", "3 besök publicerade".
func numbered(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// handleDeleteDraftForm withdraws a draft from the review list: it was never promised.
func (s *Server) handleDeleteDraftForm(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	stop, err := s.store.FindStopByID(c.Request.Context(), id)
	if err != nil {
		return err
	}
	if err := s.store.DeleteStop(c.Request.Context(), id); err != nil {
		return s.planRefused(c, err, moveForm{})
	}
	c.Redirect(http.StatusSeeOther, "/plan?klart="+url.QueryEscape("Utkastet i "+stop.Basort+" "+
		formatWhen(stop.StartsAt, stop.EndsAt)+" är borttaget")+"#utkast")
	return nil
}
