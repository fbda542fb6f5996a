package server

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

func (s *Server) registerFieldRoutes() {
	s.route(http.MethodGet, "/field", s.handleFieldList)
	s.route(http.MethodGet, "/field/:id", s.handleFieldStop)
	s.route(http.MethodPost, "/field/:id", s.handleFieldSave)
	s.route(http.MethodPost, "/field/:id/feedback", s.handleFieldFeedback)
}

type fieldListPage struct {
	Base
	Stops []*lofte.Stop
}

// handleFieldList lists the stops around today for the officer's phone.
func (s *Server) handleFieldList(c *gin.Context) error {
	b := s.base(c, "Fältlogg")
	if _, err := b.promised(); err != nil {
		return err
	}
	today := lofte.LocalDate(s.now())
	from, to := today.AddDays(-14), today.AddDays(7)
	stops, _, err := s.store.FindStops(c.Request.Context(), lofte.StopFilter{PromiseID: b.Promise.ID, From: &from, To: &to,
		PublicOnly: true})
	if err != nil {
		return err
	}
	if len(stops) == 0 { // a promise that is over: its latest stops
		all, n, err := s.store.FindStops(c.Request.Context(), lofte.StopFilter{PromiseID: b.Promise.ID, PublicOnly: true})
		if err != nil {
			return err
		}
		stops = all[max(0, n-10):]
	}
	s.render(c, http.StatusOK, "field", &fieldListPage{Base: b, Stops: stops})
	return nil
}

type fieldStopPage struct {
	Base
	Stop     *lofte.Stop
	Topics   []topicOption
	Error    string
	Saved    bool
	Feedback []*lofte.FeedbackItem
	Outcomes []lofte.StopStatus // the statuses an officer logs a stop as
	Suspect  []*lofte.SuspectAnswer
	// Doubts question figures of the stored log that look mistyped; TopicNames names the
	// topics of the feedback items.
	Doubts     []string
	TopicNames map[string]string

	// Form is what the log form shows: the stop as stored, or as the officer typed it when
	// it was not saved; Topics are ticked from it. Changed lists, when a colleague saved the
	// log while this officer typed, the fields they saved differently.
	Form    *fieldLogForm
	Changed []fieldChange
}

type topicOption struct {
	Code, Label string
	Checked     bool
}

func (s *Server) fieldStop(c *gin.Context) (*fieldStopPage, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, err
	}
	st, err := s.store.FindStopByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	p := &fieldStopPage{Base: s.base(c, "Fältlogg: "+st.Basort), Stop: st,
		Outcomes: lofte.LoggedStatuses, Doubts: st.Doubts(), TopicNames: s.topicLabels()}
	s.showFieldForm(p, fieldLogFormOf(st))
	items, err := s.store.FindFeedback(c.Request.Context(), lofte.FeedbackFilter{PromiseID: st.PromiseID, Basorter: []string{st.Basort}, Limit: 20})
	if err != nil {
		return nil, err
	}
	for _, f := range items {
		if f.StopID != nil && *f.StopID == st.ID {
			p.Feedback = append(p.Feedback, f)
		}
	}
	if p.Suspect, err = s.store.FindSuspectAnswers(c.Request.Context(), st.ID); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Server) handleFieldStop(c *gin.Context) error {
	p, err := s.fieldStop(c)
	if err != nil {
		return err
	}
	p.Saved = c.Query("sparat") != ""
	s.render(c, http.StatusOK, "fieldstop", p)
	return nil
}

// handleFieldSave stores the officer's log of a stop from the phone form. A mistake shows
// the form again as typed with the reason (400); so does a conflict (409): the stop saved by
// a colleague since the form was loaded (its version), whose values are shown beside this
// officer's, or a visitor count corrected from a count that taps have changed since.
func (s *Server) handleFieldSave(c *gin.Context) error {
	p, err := s.fieldStop(c)
	if err != nil {
		return err
	}
	st := p.Stop
	form := newFieldLogForm(c)
	upd, err := form.update(st)
	if err == nil {
		err = s.catalogue.CheckTopics(form.Topics)
	}
	var saved *lofte.Stop
	if err == nil {
		saved, err = s.store.UpdateStop(c.Request.Context(), st.ID, upd)
	}
	if err == nil {
		s.auditStopChange(c, st, saved)
		c.Redirect(http.StatusSeeOther, "/field/"+strconv.FormatInt(st.ID, 10)+"?sparat=1")
		return nil
	}
	e := lofte.AsError(err)
	switch {
	case e != nil && e.Code == lofte.EINVALID:
		p.Error = e.Message
		s.showFieldForm(p, form)
		s.render(c, http.StatusBadRequest, "fieldstop", p)
		return nil
	case e != nil && e.Code == lofte.ECONFLICT:
		return s.fieldConflict(c, p, form, e)
	}
	return err
}

// fieldConflict shows the form again after a conflict, as the officer typed it, beside the
// stop as it now is. After a colleague's save the form takes the current version, so saving
// again replaces what the colleague saved, knowingly. A correction of the visitor count
// takes the current count as the one it replaces once the page has shown it.
func (s *Server) fieldConflict(c *gin.Context, p *fieldStopPage, form *fieldLogForm, e *lofte.Error) error {
	cur, err := s.store.FindStopByID(c.Request.Context(), p.Stop.ID)
	if err != nil {
		return err
	}
	now := fieldLogFormOf(cur)
	p.Stop, p.Error = cur, e.Message
	switch e.Field {
	case "version":
		p.Changed = form.changesFrom(now, func(code string) string { return s.catalogue.OptionText("sv", "problems", code) })
		p.Error = "En kollega sparade fältloggen medan du skrev. Formuläret visar det du skrev och tabellen " +
			"det kollegan sparade annorlunda. Det du sparar ersätter kollegans: för över det som ska stå kvar och spara igen."
		form.Version, form.VisitorsFrom = now.Version, now.VisitorsFrom
	case "visitors_from":
		p.Error = e.Message + ". Stämmer rättelsen ändå, spara igen."
		form.VisitorsFrom = now.VisitorsFrom
	}
	s.showFieldForm(p, form)
	s.render(c, http.StatusConflict, "fieldstop", p)
	return nil
}

// showFieldForm makes form the one page p shows, with the problem topics it names ticked.
func (s *Server) showFieldForm(p *fieldStopPage, form *fieldLogForm) {
	p.Form, p.Topics = form, nil
	for _, code := range s.catalogue.Options("problems") {
		p.Topics = append(p.Topics, topicOption{Code: code, Label: s.catalogue.OptionText("sv", "problems", code),
			Checked: slices.Contains(form.Topics, code)})
	}
}

// fieldLogForm is the phone form of a stop's field log as typed, before it is parsed. The
// visitor count is not a field of it: +1 taps change it on the server. Visitors is a
// correction of the count, empty for none, and VisitorsFrom the count it replaces, as the
// page showed it. Version is the stop's version the form was loaded from.
type fieldLogForm struct {
	Version                         string
	CrimeReport, Tip, Advice, Other string
	Staff                           string
	Visitors, VisitorsFrom          string
	ActualStart, ActualEnd          string
	Status                          lofte.StopStatus
	CancelReason                    string
	Topics                          []string
	Notes                           string
}

func newFieldLogForm(c *gin.Context) *fieldLogForm {
	return &fieldLogForm{
		Version:     c.PostForm("version"),
		CrimeReport: c.PostForm("contacts.crime_report"), Tip: c.PostForm("contacts.tip"),
		Advice: c.PostForm("contacts.advice"), Other: c.PostForm("contacts.other"),
		Staff: c.PostForm("staff"), Visitors: c.PostForm("visitors"), VisitorsFrom: c.PostForm("visitors_from"),
		ActualStart: c.PostForm("actual_start"), ActualEnd: c.PostForm("actual_end"),
		Status: lofte.StopStatus(c.PostForm("status")), CancelReason: c.PostForm("cancel_reason"),
		Topics: c.PostFormArray("topics"), Notes: c.PostForm("notes"),
	}
}

// fieldLogFormOf is the form filled in from st as stored, with no correction of the count.
func fieldLogFormOf(st *lofte.Stop) *fieldLogForm {
	n := strconv.Itoa
	return &fieldLogForm{Version: n(st.Version),
		CrimeReport: n(st.Contacts.CrimeReport), Tip: n(st.Contacts.Tip), Advice: n(st.Contacts.Advice),
		Other: n(st.Contacts.Other), Staff: n(st.Staff), VisitorsFrom: n(st.Visitors),
		ActualStart: formClock(st.ActualStart), ActualEnd: formClock(st.ActualEnd),
		Status: st.Status, CancelReason: st.CancelReason, Topics: st.Topics, Notes: st.Notes}
}

// formClock is t as TT:MM in Swedish time, "" for none.
func formClock(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(lofte.Zone).Format("15:04")
}

// update parses the form into an update of st, or names the first field typed wrong. An
// empty count is 0; an empty time leaves it unset; the status may only become held or
// cancelled, or stay as it is; a correction of the visitor count must say which count it
// replaces; an empty version checks none.
func (f *fieldLogForm) update(st *lofte.Stop) (lofte.StopUpdate, error) {
	var p formParser
	contacts := lofte.Contacts{CrimeReport: p.count("contacts.crime_report", f.CrimeReport),
		Tip: p.count("contacts.tip", f.Tip), Advice: p.count("contacts.advice", f.Advice),
		Other: p.count("contacts.other", f.Other)}
	staff := p.count("staff", f.Staff)
	day := lofte.LocalDate(st.StartsAt)
	topics, notes := f.Topics, strings.TrimSpace(f.Notes)
	upd := lofte.StopUpdate{Contacts: &contacts, Staff: &staff, Topics: &topics, Notes: &notes}
	if strings.TrimSpace(f.Visitors) != "" {
		visitors := p.count("visitors", f.Visitors)
		if strings.TrimSpace(f.VisitorsFrom) == "" {
			p.fail(lofte.Invalid("visitors_from", "ladda om sidan: rättelsen av antalet besökare måste ange vilket antal den ersätter"))
		}
		from := p.count("visitors_from", f.VisitorsFrom)
		upd.Visitors, upd.VisitorsFrom = &visitors, &from
	}
	upd.ActualStart, upd.ActualEnd = p.clock("actual_start", f.ActualStart, day), p.clock("actual_end", f.ActualEnd, day)
	switch {
	case slices.Contains(lofte.LoggedStatuses, f.Status):
		reason := strings.TrimSpace(f.CancelReason)
		upd.Status, upd.CancelReason = &f.Status, &reason
	case f.Status == "" || f.Status == st.Status:
	default:
		p.fail(lofte.Invalid("status", "välj genomfört eller inställt"))
	}
	if strings.TrimSpace(f.Version) != "" {
		v := p.count("version", f.Version)
		upd.Version = &v
	}
	return upd, p.err
}

// fieldChange is a field of the log that a colleague saved differently from what this
// officer typed.
type fieldChange struct{ Label, Theirs, Yours string }

// changesFrom lists the fields where cur, the log as a colleague saved it, differs from f,
// what this officer typed; a field f leaves as it is (an empty time or status) differs from
// nothing, and the visitor count only when f corrects it from a count taps have changed
// since. topic names a topic code.
func (f *fieldLogForm) changesFrom(cur *fieldLogForm, topic func(code string) string) []fieldChange {
	count := func(v string) string {
		if v = strings.TrimSpace(v); v == "" {
			return "0"
		}
		return v
	}
	topics := func(codes []string) string {
		names := make([]string, len(codes))
		for i, c := range codes {
			names[i] = topic(c)
		}
		slices.Sort(names)
		return strings.Join(names, ", ")
	}
	status := cur.Status
	if f.Status != "" {
		status = f.Status
	}
	rows := []fieldChange{
		{"Blev besöket av?", cur.Status.Label(), status.Label()},
		{"Skäl om inställt", cur.CancelReason, strings.TrimSpace(f.CancelReason)},
		{"Öppnade kl.", cur.ActualStart, cmp.Or(f.ActualStart, cur.ActualStart)},
		{"Stängde kl.", cur.ActualEnd, cmp.Or(f.ActualEnd, cur.ActualEnd)},
		{"Antal poliser", cur.Staff, count(f.Staff)},
		{"Anmälningar", cur.CrimeReport, count(f.CrimeReport)},
		{"Tips", cur.Tip, count(f.Tip)},
		{"Råd", cur.Advice, count(f.Advice)},
		{"Annat", cur.Other, count(f.Other)},
		{"Ämnen", topics(cur.Topics), topics(f.Topics)},
		{"Anteckningar", cur.Notes, strings.TrimSpace(f.Notes)},
	}
	if v := strings.TrimSpace(f.Visitors); v != "" && f.VisitorsFrom != cur.VisitorsFrom { // taps came in since
		rows = append(rows, fieldChange{"Besökare", cur.VisitorsFrom, "rättat från " + f.VisitorsFrom + " till " + v})
	}
	var out []fieldChange
	for _, r := range rows {
		if r.Theirs != r.Yours {
			out = append(out, r)
		}
	}
	return out
}

// formParser reads typed form values, keeping the first mistake so a form is parsed whole
// and its first wrong field reported.
type formParser struct{ err error }

func (p *formParser) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// count parses a whole number; empty is 0.
func (p *formParser) count(field, v string) int {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		p.fail(lofte.Invalid(field, "skriv ett heltal"))
	}
	return n
}

// clock parses an optional TT:MM on day; empty is nil.
func (p *formParser) clock(field, v string, day lofte.Date) *time.Time {
	if v == "" {
		return nil
	}
	at, err := clockOn(day, field, v)
	p.fail(err)
	return at
}

// clockOn is the time typed as TT:MM on day, in Swedish time; one the clocks skip is refused.
func clockOn(day lofte.Date, field, v string) (*time.Time, error) {
	t, err := time.Parse("15:04", v)
	if err != nil {
		return nil, lofte.Invalid(field, "tid skrivs TT:MM")
	}
	at, err := lofte.LocalTime(field, day, t.Hour(), t.Minute())
	if err != nil {
		return nil, err
	}
	return &at, nil
}

// handleFieldFeedback turns a topic raised at the stop into a feedback item.
func (s *Server) handleFieldFeedback(c *gin.Context) error {
	p, err := s.fieldStop(c)
	if err != nil {
		return err
	}
	topic := c.PostForm("topic")
	f := &lofte.FeedbackItem{PromiseID: p.Stop.PromiseID, Basort: p.Stop.Basort, StopID: &p.Stop.ID, Topic: topic,
		Said: strings.TrimSpace(c.PostForm("said"))}
	if err = s.catalogue.CheckTopic(topic); err == nil {
		err = s.store.CreateFeedback(c.Request.Context(), f)
	}
	if e := lofte.AsError(err); e != nil && e.Code == lofte.EINVALID {
		p.Error = e.Message
		s.render(c, http.StatusBadRequest, "fieldstop", p)
		return nil
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/field/"+strconv.FormatInt(p.Stop.ID, 10)+"?sparat=1#aterkoppling")
	return nil
}
