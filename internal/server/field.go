package server

import (
	"net/http"
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
}

type topicOption struct {
	Code, Label string
	Checked     bool
}

func (s *Server) fieldStop(c *gin.Context) (*fieldStopPage, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, lofte.NotFound("tillfället finns inte")
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

// handleFieldSave stores the officer's log of a stop from the phone form.
func (s *Server) handleFieldSave(c *gin.Context) error {
	p, err := s.fieldStop(c)
	if err != nil {
		return err
	}
	st := p.Stop
	num := func(name string) (*int, error) {
		v := strings.TrimSpace(c.PostForm(name))
		if v == "" {
			v = "0"
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, lofte.Invalid(name, "skriv ett heltal")
		}
		return &n, nil
	}
	var upd lofte.StopUpdate
	var errs []error
	var contacts lofte.Contacts
	fields := []struct {
		name string
		dst  *int
	}{{"crime_report", &contacts.CrimeReport}, {"tip", &contacts.Tip}, {"advice", &contacts.Advice}, {"other", &contacts.Other}}
	for _, f := range fields {
		n, err := num("contacts." + f.name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		*f.dst = *n
	}
	upd.Contacts = &contacts
	if upd.Staff, err = num("staff"); err != nil {
		errs = append(errs, err)
	}
	if upd.Visitors, err = num("visitors"); err != nil {
		errs = append(errs, err)
	}
	topics := c.PostFormArray("topics")
	upd.Topics = &topics
	notes := strings.TrimSpace(c.PostForm("notes"))
	upd.Notes = &notes
	day := lofte.LocalDate(st.StartsAt).In(lofte.Zone)
	clockAt := func(name string) (*time.Time, error) {
		v := c.PostForm(name)
		if v == "" {
			return nil, nil
		}
		t, err := time.Parse("15:04", v)
		if err != nil {
			return nil, lofte.Invalid(name, "tid skrivs TT:MM")
		}
		at := time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, lofte.Zone)
		return &at, nil
	}
	if upd.ActualStart, err = clockAt("actual_start"); err != nil {
		errs = append(errs, err)
	}
	if upd.ActualEnd, err = clockAt("actual_end"); err != nil {
		errs = append(errs, err)
	}
	switch v := lofte.StopStatus(c.PostForm("status")); v {
	case lofte.StatusHeld, lofte.StatusCancelled:
		upd.Status = &v
		reason := strings.TrimSpace(c.PostForm("cancel_reason"))
		upd.CancelReason = &reason
	case "", st.Status:
	default:
		errs = append(errs, lofte.Invalid("status", "välj genomfört eller inställt"))
	}
	if len(errs) == 0 {
		if err := s.catalogue.CheckTopics(topics); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 {
		if _, err := s.store.UpdateStop(c.Request.Context(), st.ID, upd); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		e := lofte.AsError(errs[0])
		if e == nil || e.Code != lofte.EINVALID {
			return errs[0]
		}
		p.Error = e.Message
		s.render(c, http.StatusBadRequest, "fieldstop", p)
		return nil
	}
	c.Redirect(http.StatusSeeOther, "/field/"+strconv.FormatInt(st.ID, 10)+"?sparat=1")
	return nil
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
