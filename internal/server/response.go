package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

// MaxBatch is the most responses one request may carry.
const MaxBatch = 500

// responseInput is one submitted response as the kiosk sends it.
type responseInput struct {
	ID         string          `json:"id"`
	StopID     int64           `json:"stop_id"`
	Lang       string          `json:"lang"`
	AnsweredAt *time.Time      `json:"answered_at"`
	Answers    json.RawMessage `json:"answers"`
}

func (s *Server) registerResponseRoutes() {
	s.route(http.MethodPost, "/api/v1/responses", s.handleResponsesCreate)
	s.route(http.MethodGet, "/api/v1/responses", s.handleResponsesExport)
}

// responseJSON is a response as exported: anonymised, dated to the hour.
type responseJSON struct {
	ID      string        `json:"id"`
	StopID  int64         `json:"stop_id"`
	Basort  string        `json:"basort"`
	Date    lofte.Date    `json:"date"`
	Hour    int           `json:"hour"`
	Lang    string        `json:"lang"`
	Answers lofte.Answers `json:"answers"`
	Suspect bool          `json:"suspect"`
	// SuspectReasons say why an answer was set aside, kept after a release.
	SuspectReasons []lofte.SuspectReason `json:"suspect_reasons,omitempty"`

	// RecordKey is the cell key method's key, which only the data controller's own copy
	// carries (docs/access.md, "What leaves the app").
	RecordKey uint32 `json:"record_key"`
}

// handleResponsesExport pages through stored responses in id order, never in order of arrival,
// suspect ones included and marked.
func (s *Server) handleResponsesExport(c *gin.Context) error {
	ctx := c.Request.Context()
	p, sel, err := s.selection(c, 100)
	if err != nil {
		return err
	}
	f := lofte.ResponseFilter{PromiseID: p.ID, After: c.Query("after"), From: sel.From, To: sel.To, Basorter: sel.Basorter,
		Limit: sel.Limit}
	rs, next, err := s.store.FindResponses(ctx, f)
	if err != nil {
		return err
	}
	out := make([]responseJSON, len(rs))
	for i, r := range rs {
		out[i] = responseJSON{ID: r.ID, RecordKey: r.RecordKey, StopID: r.StopID, Basort: r.Basort, Date: r.Date, Hour: r.Hour, Lang: r.Lang,
			Answers: r.Answers, Suspect: r.Suspect, SuspectReasons: r.SuspectReasons}
	}
	c.JSON(http.StatusOK, gin.H{"responses": out, "next_after": next})
	return nil
}

// handleResponsesCreate stores one response or a batch, whole or not at all. Each id is
// answered as created or duplicate, so a kiosk may retry freely.
func (s *Server) handleResponsesCreate(c *gin.Context) error {
	ctx := c.Request.Context()
	id := lofte.IdentityFrom(ctx)
	if s.kioskLimit != nil && id.Token != nil {
		if ok, wait := s.kioskLimit.allow("kiosk:"+strconv.FormatInt(id.Token.ID, 10), s.now()); !ok {
			c.Header("Retry-After", retryAfter(wait))
			return &lofte.Error{Code: lofte.ERATELIMITED, Message: "för många förfrågningar från den här kiosken, försök igen strax"}
		}
	}
	b, err := readBody(c)
	if err != nil {
		return err
	}
	inputs, batch, err := decodeResponses(b)
	if err != nil {
		return err
	}
	rs := make([]*lofte.Response, len(inputs))
	for i, in := range inputs {
		r, err := s.toResponse(in)
		if err != nil {
			if batch {
				return prefixField(err, "responses["+strconv.Itoa(i)+"]")
			}
			return err
		}
		rs[i] = r
	}
	var flags []lofte.SuspectFlag
	stored := false
	if id.Token != nil {
		var done func(stored bool)
		flags, done = s.judgeSuspect(id.Token.ID, inputs, rs)
		defer func() { done(stored) }()
	}
	results, err := s.store.CreateResponses(ctx, rs, flags...)
	if err != nil {
		var ie *lofte.ItemError
		if batch && errors.As(err, &ie) {
			return prefixField(ie.Err, "responses["+strconv.Itoa(ie.Index)+"]")
		}
		return err
	}
	stored = true
	s.mon.ingestedUpload(rs, results, flags)
	status := http.StatusOK
	for _, r := range results {
		if r.Result == lofte.ResultCreated {
			status = http.StatusCreated
		}
	}
	c.JSON(status, gin.H{"results": results})
	return nil
}

// decodeResponses accepts {"responses":[...]} or a single response object. The usual shapes
// decode in one pass; anything else is taken apart by decodeCarefully, which names the field
// at fault. Both accept exactly the same bodies.
func decodeResponses(b []byte) ([]responseInput, bool, error) {
	if in, ok := decodeBatchQuickly(b); ok {
		return in, true, nil
	}
	// A body with a "responses" key, in any case, is no single response: it fails here.
	var one responseInput
	if decodeStrict(b, &one) == nil {
		return []responseInput{one}, false, nil
	}
	return decodeCarefully(b)
}

// decodeBatchQuickly decodes {"responses":[...]} with 1 to MaxBatch valid responses and
// nothing else; ok is false for any other body.
func decodeBatchQuickly(b []byte) (in []responseInput, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	if t, err := dec.Token(); err != nil || t != "responses" {
		return nil, false
	}
	if err := dec.Decode(&in); err != nil || len(in) == 0 || len(in) > MaxBatch {
		return nil, false
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	return in, true
}

// decodeCarefully is decodeResponses for any body, naming the field at fault.
func decodeCarefully(b []byte) ([]responseInput, bool, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, false, jsonError(err)
	}
	if raw, ok := probe["responses"]; ok {
		var wrapper struct {
			Responses []json.RawMessage `json:"responses"`
		}
		if err := decodeStrict(b, &wrapper); err != nil {
			return nil, true, err
		}
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) || len(wrapper.Responses) == 0 {
			return nil, true, lofte.Invalid("responses", "listan med svar är tom")
		}
		if len(wrapper.Responses) > MaxBatch {
			return nil, true, &lofte.Error{Code: lofte.ETOOLARGE, Field: "responses",
				Message: "högst " + strconv.Itoa(MaxBatch) + " svar per begäran"}
		}
		out := make([]responseInput, len(wrapper.Responses))
		for i, r := range wrapper.Responses {
			if err := decodeStrict(r, &out[i]); err != nil {
				return nil, true, prefixField(err, "responses["+strconv.Itoa(i)+"]")
			}
		}
		return out, true, nil
	}
	var one responseInput
	if err := decodeStrict(b, &one); err != nil {
		return nil, false, err
	}
	return []responseInput{one}, false, nil
}

// toResponse checks one input against the catalogue and keeps only what may be stored: the
// date and hour of answering, no finer. The store checks the rest (lofte.Response.Validate).
func (s *Server) toResponse(in responseInput) (*lofte.Response, error) {
	switch {
	case !s.catalogue.HasLang(in.Lang):
		return nil, lofte.Invalid("lang", "okänt språk %q", in.Lang)
	case in.AnsweredAt == nil:
		return nil, lofte.Invalid("answered_at", "answered_at saknas")
	}
	if err := lofte.CheckTime("answered_at", *in.AnsweredAt); err != nil {
		return nil, err
	}
	answers, err := s.catalogue.Decode(in.Answers)
	if err != nil {
		return nil, err
	}
	at := in.AnsweredAt.In(lofte.Zone)
	return &lofte.Response{ID: in.ID, StopID: in.StopID, Lang: in.Lang, Date: lofte.DateOf(at), Hour: at.Hour(),
		Answers: answers}, nil
}

// prefixField puts a batch position in front of an error's field.
func prefixField(err error, prefix string) error {
	e := lofte.AsError(err)
	if e == nil {
		return err
	}
	c := *e
	if c.Field != "" {
		c.Field = prefix + "." + c.Field
	} else {
		c.Field = prefix
	}
	return &c
}
