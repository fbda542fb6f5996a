package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

func (s *Server) registerFeedbackRoutes() {
	s.route(http.MethodGet, "/api/v1/feedback", s.handleFeedbackList)
	s.route(http.MethodPost, "/api/v1/feedback", s.handleFeedbackCreate)
	s.route(http.MethodPatch, "/api/v1/feedback/:id", s.handleFeedbackUpdate)
	s.route(http.MethodGet, "/feedback", s.handleFeedbackPage)
	s.route(http.MethodPost, "/feedback/:id", s.handleFeedbackForm)
}

// handleFeedbackList lists feedback items: the public sees closed ones only, what was done.
func (s *Server) handleFeedbackList(c *gin.Context) error {
	ctx := c.Request.Context()
	p, err := s.promise(c)
	if err != nil {
		return err
	}
	f := lofte.FeedbackFilter{PromiseID: p.ID, Limit: 200}
	if f.Basorter, err = s.basortParams(c, p.ID); err != nil {
		return err
	}
	for _, st := range c.QueryArray("status") {
		fs := lofte.FeedbackStatus(st)
		if !fs.Valid() {
			return lofte.Invalid("status", "status måste vara open, in_progress eller closed")
		}
		f.Statuses = append(f.Statuses, fs)
	}
	if !canSeeOpenFeedback(lofte.IdentityFrom(ctx)) {
		f.Statuses = []lofte.FeedbackStatus{lofte.FeedbackClosed}
	}
	items, err := s.store.FindFeedback(ctx, f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []*lofte.FeedbackItem{}
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
	return nil
}

type feedbackInput struct {
	Basort string `json:"basort"`
	StopID *int64 `json:"stop_id"`
	Topic  string `json:"topic"`
	Said   string `json:"said"`
}

func (s *Server) handleFeedbackCreate(c *gin.Context) error {
	p, err := s.promise(c)
	if err != nil {
		return err
	}
	var in feedbackInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.catalogue.CheckTopic(in.Topic); err != nil {
		return err
	}
	f := &lofte.FeedbackItem{PromiseID: p.ID, Basort: in.Basort, StopID: in.StopID, Topic: in.Topic, Said: strings.TrimSpace(in.Said)}
	if err := s.store.CreateFeedback(c.Request.Context(), f); err != nil {
		return err
	}
	s.audit(c, "feedback.create", auditID("feedback", f.ID), "Nytt ärende i "+f.Basort+": "+s.topicLabel(f.Topic))
	c.JSON(http.StatusCreated, f)
	return nil
}

func (s *Server) handleFeedbackUpdate(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var upd lofte.FeedbackUpdate
	if err := decodeJSON(c, &upd); err != nil {
		return err
	}
	f, err := s.store.UpdateFeedback(c.Request.Context(), id, upd)
	if err != nil {
		return err
	}
	s.auditFeedback(c, f)
	c.JSON(http.StatusOK, f)
	return nil
}

type feedbackPage struct {
	Base
	Items []*lofte.FeedbackItem
	// Filter is the basort and status the list shows (empty: all), Basorter the choices, and
	// Query the filter as a query string that forms and links keep.
	Filter   feedbackFilter
	Basorter []string
	Query    string
	Error    string
	ErrorID  int64
	Topics   map[string]string
	Statuses []lofte.FeedbackStatus
	Channels map[string]string
	// Confirm is an item about to be published, as it will be stored, and Preview shows it
	// as the public will see it.
	Confirm *lofte.FeedbackItem
	Preview *feedbackPreview
}

// feedbackPreview is what the public "feedbacklist" partial shows, in Swedish.
type feedbackPreview struct {
	Base
	Feedback []publicFeedback
}

// feedbackFilter narrows the staff's list of items to a basort and a status.
type feedbackFilter struct {
	Basort string
	Status lofte.FeedbackStatus
}

func (s *Server) feedbackPage(c *gin.Context) (*feedbackPage, error) {
	b := s.base(c, "Ni sa – vi gjorde")
	if _, err := b.promised(); err != nil {
		return nil, err
	}
	ls, err := s.store.FindLocalities(c.Request.Context(), b.Promise.ID)
	if err != nil {
		return nil, err
	}
	p := &feedbackPage{Base: b, Topics: s.topicLabels(), Statuses: lofte.FeedbackStatuses, Channels: lofte.FeedbackChannels}
	for _, l := range ls {
		p.Basorter = append(p.Basorter, l.Name)
	}
	// An unknown basort or status in the address shows everything rather than a dead end.
	flt := lofte.FeedbackFilter{PromiseID: b.Promise.ID}
	q := url.Values{}
	if v := c.Query("basort"); slices.Contains(p.Basorter, v) {
		p.Filter.Basort, flt.Basorter = v, []string{v}
		q.Set("basort", v)
	}
	if v := lofte.FeedbackStatus(c.Query("status")); v.Valid() {
		p.Filter.Status, flt.Statuses = v, []lofte.FeedbackStatus{v}
		q.Set("status", string(v))
	}
	if v := c.Query(promiseParam); v != "" {
		q.Set(promiseParam, v)
	}
	if len(q) > 0 {
		p.Query = "?" + q.Encode()
	}
	if p.Items, err = s.store.FindFeedback(c.Request.Context(), flt); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Server) handleFeedbackPage(c *gin.Context) error {
	p, err := s.feedbackPage(c)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "feedback", p)
	return nil
}

// handleFeedbackForm saves an item from the staff page; a refusal shows the page again with
// the reason beside the item. Closing an item publishes it (on the start page, its basort's
// page and the kiosk), so a save that would publish new text first shows that text exactly
// as the public will see it, redacted, and publishes only when confirmed.
func (s *Server) handleFeedbackForm(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	action := strings.TrimSpace(c.PostForm("action"))
	status := lofte.FeedbackStatus(c.PostForm("status"))
	channel := c.PostForm("channel")
	upd := lofte.FeedbackUpdate{Action: &action, Status: &status, Channel: &channel}
	var dateErr error
	if v := c.PostForm("feedback_on"); v != "" {
		if d, err := lofte.ParseDate(v); err != nil {
			dateErr = lofte.Invalid("feedback_on", "Återkopplat den: datum skrivs ÅÅÅÅ-MM-DD")
		} else {
			upd.FeedbackOn = &d
		}
	}
	p, err := s.feedbackPage(c)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(p.Items, func(f *lofte.FeedbackItem) bool { return f.ID == id })
	if i < 0 {
		// Saved from a filtered list it no longer fits (closed under "open"): shown all the same.
		all, err := s.store.FindFeedback(c.Request.Context(), lofte.FeedbackFilter{PromiseID: p.Promise.ID})
		if err != nil {
			return err
		}
		j := slices.IndexFunc(all, func(f *lofte.FeedbackItem) bool { return f.ID == id })
		if j < 0 {
			return lofte.NotFound("återkopplingsärende %d finns inte", id)
		}
		p.Items, i = append(p.Items, all[j]), len(p.Items)
	}
	was, next := p.Items[i], *p.Items[i]
	next.Apply(upd)
	err = dateErr
	if err == nil {
		err = next.Validate() // redacts, as the store will
	}
	if err == nil && publishes(was, &next) && !confirmed(c, &next) {
		p.Items[i], p.Confirm = &next, &next
		p.Preview = &feedbackPreview{Base: p.Base, Feedback: s.feedbackViews([]*lofte.FeedbackItem{&next}, nil)}
		s.render(c, http.StatusOK, "feedback", p)
		return nil
	}
	if err == nil {
		var f *lofte.FeedbackItem
		if f, err = s.store.UpdateFeedback(c.Request.Context(), id, upd); err == nil {
			s.auditFeedback(c, f)
		}
	}
	if err != nil {
		e := lofte.AsError(err)
		if e == nil || e.Code != lofte.EINVALID {
			return err
		}
		// The form shows what was chosen, not what is stored, beside the reason.
		p.Error, p.ErrorID, p.Items[i] = e.Message, id, &next
		s.render(c, http.StatusBadRequest, "feedback", p)
		return nil
	}
	c.Redirect(http.StatusSeeOther, "/feedback"+p.Query+"#f-"+strconv.FormatInt(id, 10))
	return nil
}

// auditFeedback records a change of item f: its closing, which publishes it, or an edit.
func (s *Server) auditFeedback(c *gin.Context, f *lofte.FeedbackItem) {
	action := "feedback.update"
	if f.Status == lofte.FeedbackClosed {
		action = "feedback.close"
	}
	s.audit(c, action, auditID("feedback", f.ID), "Status: "+f.Status.Label()+" ("+f.Basort+")")
}

// publishes reports whether saving next over was puts new text before the public: the item
// is closed and was not, or its text changes.
func publishes(was, next *lofte.FeedbackItem) bool {
	return next.Status == lofte.FeedbackClosed &&
		(was.Status != lofte.FeedbackClosed || was.Said != next.Said || was.Action != next.Action)
}

// confirmed reports whether the form is the confirmation of exactly the text next shows: the
// item's said may have changed since the preview, and then it is shown again.
func confirmed(c *gin.Context, next *lofte.FeedbackItem) bool {
	return c.PostForm("confirm") == "publish" && c.PostForm("said_seen") == next.Said
}

// topicLabels maps problem codes to their Swedish texts.
func (s *Server) topicLabels() map[string]string {
	m := map[string]string{}
	for code := range s.topicCodes {
		m[code] = s.topicLabel(code)
	}
	return m
}

// topicLabel is the Swedish text of the problem code.
func (s *Server) topicLabel(code string) string {
	return s.catalogue.OptionText("sv", "problems", code)
}
