package server

import (
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
	if b.Promise == nil {
		return lofte.NotFound("inget medborgarlöfte")
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
		Outcomes: lofte.LoggedStatuses}
	for _, code := range s.catalogue.Options("problems") {
		p.Topics = append(p.Topics, topicOption{Code: code, Label: s.catalogue.OptionText("sv", "problems", code),
			Checked: strings.Contains(","+strings.Join(st.Topics, ",")+",", ","+code+",")})
	}
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

// handleFieldSave stores the officer's log of a stop from the phone form; a mistake shows
// the form again with the reason.
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
	if err == nil {
		_, err = s.store.UpdateStop(c.Request.Context(), st.ID, upd)
	}
	if err != nil {
		e := lofte.AsError(err)
		if e == nil || e.Code != lofte.EINVALID {
			return err
		}
		p.Error = e.Message
		s.render(c, http.StatusBadRequest, "fieldstop", p)
		return nil
	}
	c.Redirect(http.StatusSeeOther, "/field/"+strconv.FormatInt(st.ID, 10)+"?sparat=1")
	return nil
}

// fieldLogForm is the phone form of a stop's field log as typed, before it is parsed.
type fieldLogForm struct {
	CrimeReport, Tip, Advice, Other string
	Staff, Visitors                 string
	ActualStart, ActualEnd          string
	Status                          lofte.StopStatus
	CancelReason                    string
	Topics                          []string
	Notes                           string
}

func newFieldLogForm(c *gin.Context) *fieldLogForm {
	return &fieldLogForm{
		CrimeReport: c.PostForm("contacts.crime_report"), Tip: c.PostForm("contacts.tip"),
		Advice: c.PostForm("contacts.advice"), Other: c.PostForm("contacts.other"),
		Staff: c.PostForm("staff"), Visitors: c.PostForm("visitors"),
		ActualStart: c.PostForm("actual_start"), ActualEnd: c.PostForm("actual_end"),
		Status: lofte.StopStatus(c.PostForm("status")), CancelReason: c.PostForm("cancel_reason"),
		Topics: c.PostFormArray("topics"), Notes: c.PostForm("notes"),
	}
}

// update parses the form into an update of st, or names the first field typed wrong. An
// empty count is 0; an empty time leaves it unset; the status may only become held or
// cancelled, or stay as it is.
func (f *fieldLogForm) update(st *lofte.Stop) (lofte.StopUpdate, error) {
	var p formParser
	contacts := lofte.Contacts{CrimeReport: p.count("contacts.crime_report", f.CrimeReport),
		Tip: p.count("contacts.tip", f.Tip), Advice: p.count("contacts.advice", f.Advice),
		Other: p.count("contacts.other", f.Other)}
	staff, visitors := p.count("staff", f.Staff), p.count("visitors", f.Visitors)
	day := lofte.LocalDate(st.StartsAt)
	topics, notes := f.Topics, strings.TrimSpace(f.Notes)
	upd := lofte.StopUpdate{Contacts: &contacts, Staff: &staff, Visitors: &visitors, Topics: &topics, Notes: &notes,
		ActualStart: p.clock("actual_start", f.ActualStart, day), ActualEnd: p.clock("actual_end", f.ActualEnd, day)}
	switch {
	case slices.Contains(lofte.LoggedStatuses, f.Status):
		reason := strings.TrimSpace(f.CancelReason)
		upd.Status, upd.CancelReason = &f.Status, &reason
	case f.Status == "" || f.Status == st.Status:
	default:
		p.fail(lofte.Invalid("status", "välj genomfört eller inställt"))
	}
	return upd, p.err
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

// clockOn is the time typed as TT:MM on day, in Swedish time.
func clockOn(day lofte.Date, field, v string) (*time.Time, error) {
	t, err := time.Parse("15:04", v)
	if err != nil {
		return nil, lofte.Invalid(field, "tid skrivs TT:MM")
	}
	at := time.Date(day.Year, day.Month, day.Day, t.Hour(), t.Minute(), 0, 0, lofte.Zone)
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
