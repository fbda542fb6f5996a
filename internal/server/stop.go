package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/schedule"
)

func (s *Server) registerStopRoutes() {
	s.route(http.MethodGet, "/api/v1/stops", s.handleStops)
	s.route(http.MethodPost, "/api/v1/stops", s.handleStopCreate)
	s.route(http.MethodPatch, "/api/v1/stops/:id", s.handleStopUpdate)
	s.route(http.MethodDelete, "/api/v1/stops/:id", s.handleStopDelete)
	s.route(http.MethodPost, "/api/v1/stops/plan", s.handlePlan)
	s.route(http.MethodPost, "/api/v1/stops/publish", s.handlePublish)
	s.route(http.MethodPost, "/api/v1/stops/:id/visitors", s.handleAddVisitors)
}

// stopInput is the body of POST /api/v1/stops: the fields of a stop; id is ignored.
type stopInput struct {
	ID *int64 `json:"id"`
	stopFields
	logFields
	Notes string `json:"notes"`
}

// stopFields are a stop's planned fields as the API and the promise file carry them.
type stopFields struct {
	Basort       string           `json:"basort"`
	Place        string           `json:"place"`
	StartsAt     time.Time        `json:"starts_at"`
	EndsAt       time.Time        `json:"ends_at"`
	Kind         lofte.StopKind   `json:"kind"`
	Status       lofte.StopStatus `json:"status"`
	PublishedAt  *time.Time       `json:"published_at"`
	CancelReason string           `json:"cancel_reason"`
}

// logFields are a stop's field log as the API and the promise file carry it, but for the
// notes, which the file leaves out.
type logFields struct {
	ActualStart *time.Time     `json:"actual_start"`
	ActualEnd   *time.Time     `json:"actual_end"`
	Staff       int            `json:"staff"`
	Visitors    int            `json:"visitors"`
	Contacts    lofte.Contacts `json:"contacts"`
	Topics      []string       `json:"topics"`
}

func toStopFields(st *lofte.Stop) stopFields {
	return stopFields{Basort: st.Basort, Place: st.Place, StartsAt: st.StartsAt, EndsAt: st.EndsAt, Kind: st.Kind,
		Status: st.Status, PublishedAt: st.PublishedAt, CancelReason: st.CancelReason}
}

func toLogFields(st *lofte.Stop) logFields {
	return logFields{ActualStart: st.ActualStart, ActualEnd: st.ActualEnd, Staff: st.Staff, Visitors: st.Visitors,
		Contacts: st.Contacts, Topics: st.Topics}
}

// newStop is the stop that f and l describe (notes not set).
func newStop(f stopFields, l logFields) *lofte.Stop {
	return &lofte.Stop{Basort: f.Basort, Place: f.Place, StartsAt: f.StartsAt, EndsAt: f.EndsAt, Kind: f.Kind,
		Status: f.Status, PublishedAt: f.PublishedAt, CancelReason: f.CancelReason,
		FieldLog: lofte.FieldLog{ActualStart: l.ActualStart, ActualEnd: l.ActualEnd, Staff: l.Staff,
			Visitors: l.Visitors, Contacts: l.Contacts, Topics: l.Topics}}
}

// handleStopCreate plans one stop (admin). Kind defaults by the promise's excluded period,
// status to draft; a stop that has begun is history, entered with its published_at.
func (s *Server) handleStopCreate(c *gin.Context) error {
	var in stopInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := s.promise(c)
	if err != nil {
		return err
	}
	st := newStop(in.stopFields, in.logFields)
	st.PromiseID, st.Notes = p.ID, in.Notes
	if err := s.planStop(c, p, st); err != nil {
		return err
	}
	c.JSON(http.StatusCreated, toStopJSON(st))
	return nil
}

// planStop stores st, a new stop of p, from the API or the plan page, and audits it: it
// must fit the promise (lofte.Stop.CheckNew: a past stop only as history, with the time it
// was published), not be held before it begins, and find the mobile office free (PlanStops).
func (s *Server) planStop(c *gin.Context, p *lofte.Promise, st *lofte.Stop) error {
	now := s.now()
	if err := st.CheckNew(p, now); err != nil {
		return err
	}
	st.SetDefaults(p, now)
	if err := st.HeldByNow(now); err != nil {
		return err
	}
	if err := s.catalogue.CheckTopics(st.Topics); err != nil {
		return err
	}
	if err := s.store.PlanStops(c.Request.Context(), []*lofte.Stop{st}); err != nil {
		return err
	}
	detail := "Planerade besöket " + st.Describe() + " som " + strings.ToLower(st.Status.Label()) + "."
	if st.Status != lofte.StatusDraft {
		detail = "Registrerade besöket " + st.Describe() + " som " + strings.ToLower(st.Status.Label()) +
			", publicerat " + lofte.LocalDate(*st.PublishedAt).String() + "."
	}
	s.audit(c, "stop.create", stopObject(st), detail)
	return nil
}

// handleStopUpdate changes a stop: an admin anything, an officer only the field log and
// whether the stop was held or cancelled. A status nobody may set is refused as unknown
// (400) before the access check, which would call it a planner's (403). The optional
// version is the one the client read (409 when the stop changed since); the optional
// visitors_from is the count a new visitors replaces (409 when taps changed it since).
func (s *Server) handleStopUpdate(c *gin.Context) error {
	ctx := c.Request.Context()
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var upd lofte.StopUpdate
	if err := decodeJSON(c, &upd); err != nil {
		return err
	}
	if upd.Status != nil {
		if err := upd.Status.Validate(); err != nil {
			return err
		}
	}
	if f := forbiddenStopField(lofte.IdentityFrom(ctx), upd); f != "" {
		return &lofte.Error{Code: lofte.EFORBIDDEN, Message: "bara en administratör får ändra planeringen", Field: f}
	}
	if upd.Topics != nil {
		if err := s.catalogue.CheckTopics(*upd.Topics); err != nil {
			return err
		}
	}
	before, err := s.store.FindStopByID(ctx, id)
	if err != nil {
		return err
	}
	st, err := s.store.UpdateStop(ctx, id, upd)
	if err != nil {
		return err
	}
	s.auditStopChange(c, before, st)
	c.JSON(http.StatusOK, toStopJSON(st))
	return nil
}

// handleStopDelete withdraws a draft (admin): it was never promised, so it leaves no trace;
// a published stop is cancelled instead (409).
func (s *Server) handleStopDelete(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := s.deleteDraft(c, id); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// deleteDraft deletes a draft and audits it; it returns the draft as it was.
func (s *Server) deleteDraft(c *gin.Context, id int64) (*lofte.Stop, error) {
	st, err := s.store.FindStopByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteStop(c.Request.Context(), id); err != nil {
		return nil, err
	}
	s.audit(c, "stop.delete", stopObject(st), "Tog bort utkastet "+st.Describe()+".")
	return st, nil
}

// stopJSON is a stop as the API shows it: times in Swedish local time with their offset
// ("2018-03-14T10:00:00+01:00"), the clock the schedule was published in. The field log is
// absent (nil) for those who may not see it (canSeeFieldLog).
type stopJSON struct {
	ID int64 `json:"id"`
	stopFields
	*fieldLogJSON
}

// fieldLogJSON is the officers' log of a stop: the police's internal record. Version goes with
// it, since those who see it are those who may change the stop: sent back in a PATCH, it
// refuses the change when someone saved the stop since.
type fieldLogJSON struct {
	Version int `json:"version"`
	logFields
	Notes string `json:"notes"`
}

func local(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	l := t.In(lofte.Zone)
	return &l
}

func toStopJSON(st *lofte.Stop) stopJSON {
	f, l := toStopFields(st), toLogFields(st)
	f.StartsAt, f.EndsAt, f.PublishedAt = st.StartsAt.In(lofte.Zone), st.EndsAt.In(lofte.Zone), local(st.PublishedAt)
	l.ActualStart, l.ActualEnd = local(st.ActualStart), local(st.ActualEnd)
	if l.Topics == nil {
		l.Topics = []string{}
	}
	return stopJSON{ID: st.ID, stopFields: f, fieldLogJSON: &fieldLogJSON{Version: st.Version, logFields: l, Notes: st.Notes}}
}

// handleStops lists stops; who sees drafts and the field log is decided in access.go.
func (s *Server) handleStops(c *gin.Context) error {
	ctx := c.Request.Context()
	p, sel, err := s.selection(c, 0)
	if err != nil {
		return err
	}
	id := lofte.IdentityFrom(ctx)
	f := lofte.StopFilter{PromiseID: p.ID, PublicOnly: !canSeeDrafts(id), From: sel.From, To: sel.To,
		Basorter: sel.Basorter, Limit: sel.Limit}
	if v := c.Query("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return lofte.Invalid("offset", "offset måste vara ett heltal ≥ 0")
		}
		f.Offset = n
	}
	stops, total, err := s.store.FindStops(ctx, f)
	if err != nil {
		return err
	}
	out := make([]stopJSON, len(stops))
	for i, st := range stops {
		out[i] = toStopJSON(st)
		if !canSeeFieldLog(id) {
			out[i].fieldLogJSON = nil
		}
	}
	c.JSON(http.StatusOK, gin.H{"stops": out, "total": total})
	return nil
}

// selection is the from, to, basort and limit query parameters most lists share.
type selection struct {
	From, To *lofte.Date
	Basorter []string
	Limit    int
}

// selection reads the promise a list is of (s.promise) and the shared query parameters,
// checked against it; limit defaults to defLimit.
func (s *Server) selection(c *gin.Context, defLimit int) (*lofte.Promise, selection, error) {
	sel := selection{Limit: defLimit}
	p, err := s.promise(c)
	if err != nil {
		return nil, sel, err
	}
	if sel.From, err = dateParam(c, "from"); err != nil {
		return nil, sel, err
	}
	if sel.To, err = dateParam(c, "to"); err != nil {
		return nil, sel, err
	}
	if sel.From != nil && sel.To != nil && sel.To.Before(*sel.From) {
		return nil, sel, lofte.Invalid("to", "to ligger före from")
	}
	if sel.Basorter, err = s.basortParams(c, p.ID); err != nil {
		return nil, sel, err
	}
	if sel.Limit, err = limitParam(c, defLimit); err != nil {
		return nil, sel, err
	}
	return p, sel, nil
}

// limitParam reads the optional limit query parameter of a paged list, 1–1000; without it,
// def.
func limitParam(c *gin.Context, def int) (int, error) {
	v := c.Query("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1000 {
		return def, lofte.Invalid("limit", "limit måste vara ett heltal 1–1000")
	}
	return n, nil
}

// dateParam reads an optional YYYY-MM-DD query parameter.
func dateParam(c *gin.Context, name string) (*lofte.Date, error) {
	v, ok := c.GetQuery(name)
	if !ok {
		return nil, nil
	}
	d, err := lofte.ParseDate(v)
	if err != nil {
		return nil, lofte.Invalid(name, "datum måste skrivas ÅÅÅÅ-MM-DD")
	}
	if err := lofte.CheckDate(name, d); err != nil {
		return nil, err
	}
	return &d, nil
}

// basortParams reads repeated basort parameters and refuses unknown names.
func (s *Server) basortParams(c *gin.Context, promiseID int64) ([]string, error) {
	names := c.QueryArray("basort")
	if len(names) == 0 {
		return nil, nil
	}
	ls, err := s.store.FindLocalities(c.Request.Context(), promiseID)
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if _, err := lofte.KnownLocality(ls, n); err != nil {
			return nil, err
		}
	}
	return names, nil
}

// handlePlan expands a rule into draft stops for review (admin).
func (s *Server) handlePlan(c *gin.Context) error {
	var r schedule.Rule
	if err := decodeJSON(c, &r); err != nil {
		return err
	}
	p, err := s.promise(c)
	if err != nil {
		return err
	}
	if _, err := s.basortNamed(c, p.ID, r.Basort); err != nil {
		return err
	}
	stops, skipped, err := s.planSeries(c, p, r)
	if err != nil {
		return err
	}
	out := make([]stopJSON, len(stops))
	for i, st := range stops {
		out[i] = toStopJSON(st)
	}
	c.JSON(http.StatusCreated, gin.H{"stops": out, "rule": r.String(), "skipped": skipped})
	return nil
}

// planSeries stores the drafts of a series of p (schedule.Plan), each on a date the mobile
// office is free (PlanStops names the first clash), and audits each. skipped says which dates
// the promise's rules left out.
func (s *Server) planSeries(c *gin.Context, p *lofte.Promise, r schedule.Rule) (stops []*lofte.Stop, skipped string, err error) {
	stops, skipped, err = schedule.Plan(p, r, s.now())
	if err != nil {
		return nil, "", err
	}
	if err := s.store.PlanStops(c.Request.Context(), stops); err != nil {
		return nil, "", err
	}
	for _, st := range stops {
		s.audit(c, "stop.create", stopObject(st), "Planerade besöket "+st.Describe()+" som utkast i serien "+r.String()+".")
	}
	return stops, skipped, nil
}

// handlePublish publishes several drafts in one go (admin).
func (s *Server) handlePublish(c *gin.Context) error {
	var in struct {
		IDs []int64 `json:"ids"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if len(in.IDs) == 0 || len(in.IDs) > 1000 {
		return lofte.Invalid("ids", "ange 1–1000 tillfällen att publicera")
	}
	stops, err := s.publish(c, in.IDs)
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

// publish publishes the drafts ids, all or none, and audits each.
func (s *Server) publish(c *gin.Context, ids []int64) ([]*lofte.Stop, error) {
	pub := lofte.StatusPublished
	stops, err := s.store.UpdateStops(c.Request.Context(), ids, lofte.StopUpdate{Status: &pub})
	if err != nil {
		return nil, err
	}
	for _, st := range stops {
		s.audit(c, "stop.publish", stopObject(st), "Publicerade besöket "+st.Describe()+".")
	}
	return stops, nil
}

// handleAddVisitors is the officer's "+1 besökare" (or −1 to undo a slip).
func (s *Server) handleAddVisitors(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var in struct {
		Add *int `json:"add"`
	}
	if err := decodeJSON(c, &in); err != nil {
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
