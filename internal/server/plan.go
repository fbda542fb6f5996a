package server

import (
	"cmp"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/schedule"
)

func (s *Server) registerPlanRoutes() {
	s.route(http.MethodGet, "/plan", s.handlePlanPage)
	s.route(http.MethodPost, "/plan", s.handlePlanForm)
	s.route(http.MethodPost, "/plan/stop", s.handleStopForm)
	s.route(http.MethodPost, "/plan/publish", s.handlePublishForm)
	s.route(http.MethodPost, "/plan/:id/edit", s.handleEditDraftForm)
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
	// Single is the form of one stop, as typed when it was refused.
	Single stopForm
	// Error is why a form was refused, ErrorField the label of the field it names.
	Error, ErrorField string
	Notice            string
	// Scope is "?promise=ID" when the page plans another promise than the active one, so
	// its forms and links stay with it; "" for the active one.
	Scope string
	// Move is the move form as typed, shown again (open) beside its stop when refused;
	// Cancel the same for a cancellation.
	Move   moveForm
	Cancel cancelForm
	// EditForms are the drafts' edit forms by stop id, filled from the draft or, for the
	// one refused (EditOpen), as typed.
	EditForms map[int64]stopForm
	EditOpen  int64
}

// moveForm is the plan page's form that moves a published stop; Confirm is its required
// check box, since subscribers' calendars follow the move.
type moveForm struct {
	StopID                  int64
	Date, Start, End, Place string
	Confirm                 bool
}

// cancelForm is the plan page's form that cancels a published stop, with its reason and
// the check box that confirms it.
type cancelForm struct {
	StopID  int64
	Reason  string
	Confirm bool
}

// stopForm is the plan page's form of one stop: a new one (a draft, or history with the
// time it was published), or a draft edited (StopID).
type stopForm struct {
	StopID                  int64
	Basort, Place           string
	Date, Start, End        string
	Kind                    lofte.StopKind
	History                 bool
	PublishedDate, PublishT string
}

// fieldLabels names the fields of the plan page's forms, and of the stop they make, as the
// page labels them, so a refusal says which field it is about.
var fieldLabels = map[string]string{
	"basort": "Ort", "place": "Plats", "weekday": "Veckodag", "every_weeks": "Hur ofta",
	"start": "Från kl.", "end": "Till kl.", "from": "Första datum", "until": "Sista datum", "kind": "Typ",
	"date": "Datum", "starts_at": "Datum och tid", "ends_at": "Till kl.", "published_date": "Publicerades",
	"published_time": "Publicerades kl.", "published_at": "Publicerades", "reason": "Skäl",
	"cancel_reason": "Skäl", "confirm": "Bekräftelse", "status": "Status",
}

func (s *Server) planPage(c *gin.Context) (*planPage, error) {
	ctx := c.Request.Context()
	b := s.base(c, "Planera besök")
	if _, err := b.promised(); err != nil {
		return nil, err
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
	p := &planPage{Base: b, Basorter: plannable(ls), Rule: schedule.Rule{Weekday: 2, EveryWeeks: 2, Start: "10:00", End: "13:00"},
		Single: stopForm{Start: "10:00", End: "13:00"}, Scope: planScope(b.Promise), EditForms: map[int64]stopForm{}}
	now := s.now()
	for _, st := range stops {
		switch {
		case st.Status == lofte.StatusDraft:
			p.Drafts = append(p.Drafts, st)
			p.EditForms[st.ID] = stopForm{StopID: st.ID, Basort: st.Basort, Place: st.Place,
				Date: lofte.LocalDate(st.StartsAt).String(), Start: st.StartsAt.In(lofte.Zone).Format("15:04"),
				End: st.EndsAt.In(lofte.Zone).Format("15:04"), Kind: st.Kind}
		case st.EndsAt.After(now):
			p.Coming = append(p.Coming, st)
		}
	}
	return p, nil
}

// plannable are the places a stop can be planned at: the promise's basorter still in use. A
// retired basort gets no new stops, and a locality that is no basort (the central town) is no
// place for the mobile office.
func plannable(ls []*lofte.Locality) []*lofte.Locality {
	var out []*lofte.Locality
	for _, l := range ls {
		if l.Basort && !l.Retired() {
			out = append(out, l)
		}
	}
	return out
}

// planScope is the query that keeps the plan page's forms and links on promise p: none for
// the active promise.
func planScope(p *lofte.Promise) string {
	if p.Active {
		return ""
	}
	return "?" + promiseParam + "=" + strconv.FormatInt(p.ID, 10)
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
		EveryWeeks: every, Start: c.PostForm("start"), End: c.PostForm("end"), From: c.PostForm("from"),
		Until: c.PostForm("until"), Kind: lofte.StopKind(c.PostForm("kind"))}
	var stops []*lofte.Stop
	var skipped string
	_, err = s.basortNamed(c, p.Promise.ID, r.Basort)
	if err == nil {
		stops, skipped, err = s.planSeries(c, p.Promise, r)
	}
	if err != nil {
		return s.planRefused(c, err, func(p *planPage) { p.Rule = r })
	}
	notice := numbered(len(stops), "utkast skapat", "utkast skapade")
	if skipped != "" {
		notice += " (utelämnade datum: " + skipped + ")"
	}
	s.planDone(c, notice, "utkast")
	return nil
}

func newStopForm(c *gin.Context) stopForm {
	return stopForm{Basort: c.PostForm("basort"), Place: strings.TrimSpace(c.PostForm("place")),
		Date: c.PostForm("date"), Start: c.PostForm("start"), End: c.PostForm("end"),
		Kind: lofte.StopKind(c.PostForm("kind")), History: c.PostForm("history") != "",
		PublishedDate: c.PostForm("published_date"), PublishT: c.PostForm("published_time")}
}

// times reads the form's day and its start and end times, naming the field typed wrong.
func (f stopForm) times() (start, end *time.Time, err error) {
	day, err := lofte.ParseDate(f.Date)
	if err != nil {
		return nil, nil, lofte.Invalid("date", "datum skrivs ÅÅÅÅ-MM-DD")
	}
	if start, err = clockOn(day, "start", f.Start); err != nil {
		return nil, nil, err
	}
	if end, err = clockOn(day, "end", f.End); err != nil {
		return nil, nil, err
	}
	return start, end, nil
}

// kind reads the form's kind: nil for "by the date" (lofte.DefaultKind).
func (f stopForm) kind() (*lofte.StopKind, error) {
	switch {
	case f.Kind == "":
		return nil, nil
	case !f.Kind.Valid():
		return nil, lofte.Invalid("kind", "välj ordinarie besök eller evenemang")
	}
	k := f.Kind
	return &k, nil
}

// stop reads the form as a new stop of promise p: a draft, or with History a past stop
// entered as published at the time it was (the day, at 00:00 unless a time is given), for
// the officers to log.
func (f stopForm) stop(p *lofte.Promise) (*lofte.Stop, error) {
	start, end, err := f.times()
	if err != nil {
		return nil, err
	}
	kind, err := f.kind()
	if err != nil {
		return nil, err
	}
	st := &lofte.Stop{PromiseID: p.ID, Basort: f.Basort, Place: f.Place, StartsAt: *start, EndsAt: *end}
	if kind != nil {
		st.Kind = *kind
	}
	if f.History {
		day, err := lofte.ParseDate(f.PublishedDate)
		if err != nil {
			return nil, lofte.Invalid("published_date", "ange dagen då besöket publicerades, ÅÅÅÅ-MM-DD")
		}
		at, err := clockOn(day, "published_time", cmp.Or(f.PublishT, "00:00"))
		if err != nil {
			return nil, err
		}
		st.Status, st.PublishedAt = lofte.StatusPublished, at
	}
	return st, nil
}

// handleStopForm plans one stop from the plan page: a draft for review, or history (a stop
// that has taken place, with the time it was published) entered as published for the
// officers to log. A summer event is a stop of kind event.
func (s *Server) handleStopForm(c *gin.Context) error {
	p, err := s.promise(c)
	if err != nil {
		return err
	}
	f := newStopForm(c)
	st, err := f.stop(p)
	if err == nil {
		err = s.planStop(c, p, st)
	}
	if err != nil {
		return s.planRefused(c, err, func(p *planPage) { p.Single = f })
	}
	if st.Status == lofte.StatusDraft {
		s.planDone(c, "Utkast skapat: "+st.Describe(), "utkast")
		return nil
	}
	s.planDone(c, "Besöket "+st.Describe()+" är registrerat som publicerat; utfallet loggas i fältloggen", "")
	return nil
}

// handleEditDraftForm changes a draft's basort, place, time and kind. A published stop is
// moved or cancelled instead, with confirmation, since it has been announced.
func (s *Server) handleEditDraftForm(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	f := newStopForm(c)
	f.StopID = id
	before, err := s.store.FindStopByID(c.Request.Context(), id)
	if err != nil {
		return err
	}
	refused := func(err error) error {
		return s.planRefused(c, err, func(p *planPage) { p.EditForms[id], p.EditOpen = f, id })
	}
	if before.Status != lofte.StatusDraft {
		return refused(&lofte.Error{Code: lofte.ECONFLICT, Field: "status",
			Message: "bara ett utkast ändras här; ett publicerat besök flyttas eller ställs in"})
	}
	start, end, err := f.times()
	if err != nil {
		return refused(err)
	}
	kind, err := f.kind()
	if err != nil {
		return refused(err)
	}
	st, err := s.store.UpdateStop(c.Request.Context(), id, lofte.StopUpdate{Basort: &f.Basort, Place: &f.Place,
		StartsAt: start, EndsAt: end, Kind: kind})
	if err != nil {
		return refused(err)
	}
	s.auditStopChange(c, before, st)
	s.planDone(c, "Utkastet är ändrat: "+st.Describe(), "utkast")
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
		s.planDone(c, "", "utkast")
		return nil
	}
	if _, err := s.publish(c, ids); err != nil {
		return err
	}
	s.planDone(c, numbered(len(ids), "besök publicerat", "besök publicerade"), "")
	return nil
}

// handleCancelForm cancels a published stop once the planner has confirmed it: subscribers
// and the public page show it cancelled, with the reason. A held stop is not cancelled (409).
func (s *Server) handleCancelForm(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	f := cancelForm{StopID: id, Reason: strings.TrimSpace(c.PostForm("reason")), Confirm: c.PostForm("confirm") != ""}
	refused := func(err error) error { return s.planRefused(c, err, func(p *planPage) { p.Cancel = f }) }
	before, err := s.store.FindStopByID(c.Request.Context(), id)
	if err != nil {
		return err
	}
	st := lofte.StatusCancelled
	// What the stop cannot become is said before asking to confirm it.
	if err := before.Status.Transition(st); err != nil {
		return refused(err)
	}
	if !f.Confirm {
		return refused(lofte.Invalid("confirm", "kryssa i att besöket ska ställas in; alla som följer schemat ser det"))
	}
	stop, err := s.store.UpdateStop(c.Request.Context(), id, lofte.StopUpdate{Status: &st, CancelReason: &f.Reason})
	if err != nil {
		return refused(err)
	}
	s.auditStopChange(c, before, stop)
	s.planDone(c, "Besöket i "+stop.Basort+" "+lofte.When(stop.StartsAt, stop.EndsAt)+" är inställt", "")
	return nil
}

// handleMoveForm moves a stop to another day, time or place once the planner has confirmed
// it; a published stop's SEQUENCE rises so subscribed calendars follow.
func (s *Server) handleMoveForm(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	f := moveForm{StopID: id, Date: c.PostForm("date"), Start: c.PostForm("start"), End: c.PostForm("end"),
		Place: strings.TrimSpace(c.PostForm("place")), Confirm: c.PostForm("confirm") != ""}
	refused := func(err error) error { return s.planRefused(c, err, func(p *planPage) { p.Move = f }) }
	upd, err := f.update()
	if err != nil {
		return refused(err)
	}
	if !f.Confirm {
		return refused(lofte.Invalid("confirm", "kryssa i att besöket ska flyttas; alla som följer schemat får den nya tiden"))
	}
	before, err := s.store.FindStopByID(c.Request.Context(), id)
	if err != nil {
		return err
	}
	stop, err := s.store.UpdateStop(c.Request.Context(), id, upd)
	if err != nil {
		return refused(err)
	}
	s.auditStopChange(c, before, stop)
	s.planDone(c, "Besöket i "+stop.Basort+" är flyttat till "+lofte.When(stop.StartsAt, stop.EndsAt)+", "+stop.Place, "")
	return nil
}

// update reads the move form: a day, its start and end times and the place.
func (f moveForm) update() (lofte.StopUpdate, error) {
	start, end, err := stopForm{Date: f.Date, Start: f.Start, End: f.End}.times()
	if err != nil {
		return lofte.StopUpdate{}, err
	}
	return lofte.StopUpdate{StartsAt: start, EndsAt: end, Place: &f.Place}, nil
}

// planRefused shows the plan page again with the reason a change was refused (a mistake in
// the form, or a change the stop's status or the office's calendar does not allow) and, by
// keep, the form as typed, so the planner can correct it there instead of landing on a page
// of its own.
func (s *Server) planRefused(c *gin.Context, err error, keep func(*planPage)) error {
	e, status := refusal(err)
	if e == nil {
		return err
	}
	p, perr := s.planPage(c)
	if perr != nil {
		return perr
	}
	p.Error, p.ErrorField = e.Message, fieldLabels[e.Field]
	keep(p)
	s.render(c, status, "plan", p)
	return nil
}

// planDone goes back to the plan page, of the promise planned, saying what happened to what
// (notice, none when empty), at the section anchor names (none when empty).
func (s *Server) planDone(c *gin.Context, notice, anchor string) {
	q := url.Values{}
	if v := c.Query(promiseParam); v != "" {
		q.Set(promiseParam, v)
	}
	if notice != "" {
		q.Set("klart", notice)
	}
	to := "/plan"
	if len(q) > 0 {
		to += "?" + q.Encode()
	}
	if anchor != "" {
		to += "#" + anchor
	}
	c.Redirect(http.StatusSeeOther, to)
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
	stop, err := s.deleteDraft(c, id)
	if err != nil {
		return s.planRefused(c, err, func(*planPage) {})
	}
	s.planDone(c, "Utkastet i "+stop.Basort+" "+lofte.When(stop.StartsAt, stop.EndsAt)+" är borttaget", "utkast")
	return nil
}
