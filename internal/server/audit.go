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

// audit records that the caller did action to object, after the change is stored. The
// change stands even if the entry cannot be written (the failure is logged as an error): a
// planner's saved work is not undone because the log failed. Actions are "thing.verb",
// objects "kind:id" (lofte.AuditEntry).
func (s *Server) audit(c *gin.Context, action, object, detail string) {
	id := lofte.IdentityFrom(c.Request.Context())
	actor := id.Name
	switch {
	case id.Token != nil:
		actor = "token:" + id.Name // a script's or device's token, told apart from a person
	case actor == "":
		actor = "okänd"
	}
	s.auditAs(c, actor, action, object, detail)
}

// auditAs records an entry for an actor the request's identity does not name: the name tried
// at a login, a tablet that has just paired.
func (s *Server) auditAs(c *gin.Context, actor, action, object, detail string) {
	ctx := c.Request.Context()
	e := &lofte.AuditEntry{At: s.now(), Actor: actor, Action: action, Object: object, Detail: detail}
	if err := s.store.Audit(ctx, e); err != nil {
		s.log.ErrorContext(ctx, "audit entry not written", "action", action, "object", object, "err", err)
	}
}

// auditID names an object of a kind by its numeric id: auditID("stop", 42) is "stop:42".
func auditID(kind string, id int64) string { return lofte.AuditObjectID(kind, id) }

func (s *Server) registerAuditRoutes() {
	s.route(http.MethodGet, "/api/v1/audit", s.handleAuditList)
	s.route(http.MethodGet, "/audit", s.handleAuditPage)
}

// auditQuery reads the audit log's query parameters: after (the cursor a page's next_after
// gave), limit, and the filters action, kind (every object of a kind), object and actor.
func auditQuery(c *gin.Context) (lofte.AuditFilter, error) {
	f := lofte.AuditFilter{Action: strings.TrimSpace(c.Query("action")), Object: strings.TrimSpace(c.Query("object")),
		ObjectKind: strings.TrimSpace(c.Query("kind")), Actor: strings.TrimSpace(c.Query("actor"))}
	var err error
	if f.Limit, err = limitParam(c, 100); err != nil {
		return f, err
	}
	if v := c.Query("after"); v != "" {
		if f.Before, err = strconv.ParseInt(v, 10, 64); err != nil || f.Before <= 0 {
			return f, lofte.Invalid("after", "ogiltig fortsättningsmarkör; använd next_after från förra sidan")
		}
	}
	if _, ok := lofte.AuditObjectKinds[f.ObjectKind]; f.ObjectKind != "" && !ok {
		return f, lofte.Invalid("kind", "okänd sorts objekt %q", f.ObjectKind)
	}
	return f, nil
}

// findAudit returns a page of entries, newest first, and the cursor of the next older page
// ("" when this is the last). One entry more than asked tells whether there is one.
func (s *Server) findAudit(c *gin.Context, f lofte.AuditFilter) ([]*lofte.AuditEntry, string, error) {
	limit := f.Limit
	f.Limit++
	es, err := s.store.FindAudit(c.Request.Context(), f)
	if err != nil || len(es) <= limit {
		return es, "", err
	}
	es = es[:limit]
	return es, strconv.FormatInt(es[limit-1].ID, 10), nil
}

// auditJSON is an entry as GET /api/v1/audit gives it.
type auditJSON struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Object string    `json:"object"`
	Detail string    `json:"detail"`
}

// handleAuditList pages through the audit log, newest first.
func (s *Server) handleAuditList(c *gin.Context) error {
	f, err := auditQuery(c)
	if err != nil {
		return err
	}
	es, next, err := s.findAudit(c, f)
	if err != nil {
		return err
	}
	out := make([]auditJSON, len(es))
	for i, e := range es {
		out[i] = auditJSON{At: e.At.In(lofte.Zone), Actor: e.Actor, Action: e.Action, Object: e.Object, Detail: e.Detail}
	}
	c.JSON(http.StatusOK, gin.H{"entries": out, "next_after": next})
	return nil
}

// auditLinks gives, per kind of object, the page where an object of it is seen; kinds
// without a page (a comment, a basort, whose page needs its promise) are shown unlinked.
var auditLinks = map[string]func(id string) string{
	"stop":     func(id string) string { return "/field/" + id },
	"feedback": func(id string) string { return "/feedback#f-" + id },
	"baseline": func(string) string { return "/baselines" },
	"pairing":  func(string) string { return "/kiosk/devices" },
	"promise":  func(id string) string { return "/promises/" + id },
	"user":     func(string) string { return "/users" },
	"token":    func(string) string { return "/tokens" },
}

// auditLink is the page of an object with a numeric id, or "".
func auditLink(object string) string {
	kind, id := lofte.AuditObject(object)
	link, ok := auditLinks[kind]
	if _, err := strconv.ParseInt(id, 10, 64); !ok || err != nil {
		return ""
	}
	return link(id)
}

// auditRow is an entry as the audit page shows it.
type auditRow struct {
	*lofte.AuditEntry
	ActionLabel, ObjectLabel, Link string
}

// codeLabel is an option of a select list: a code and its Swedish name.
type codeLabel struct{ Code, Label string }

type auditPage struct {
	Base
	Rows []auditRow
	// Actions and Kinds are the filter's choices, by their Swedish names.
	Actions, Kinds []codeLabel
	Filter         lofte.AuditFilter
	// ObjectID is the id typed beside the kind.
	ObjectID string
	// Older links the next older page; "" on the last.
	Older string
	Error string
}

// sortedLabels lists a code → label table by label, for a select list.
func sortedLabels(m map[string]string) []codeLabel {
	out := make([]codeLabel, 0, len(m))
	for code, l := range m {
		out = append(out, codeLabel{code, l})
	}
	slices.SortFunc(out, func(a, b codeLabel) int { return cmp.Compare(a.Label, b.Label) })
	return out
}

// handleAuditPage shows the audit log to admins, newest first, filtered by action, kind of
// object (with an id, one object) and actor, a page at a time.
func (s *Server) handleAuditPage(c *gin.Context) error {
	p := &auditPage{Base: s.base(c, "Händelselogg"), Actions: sortedLabels(lofte.AuditActions),
		Kinds: sortedLabels(lofte.AuditObjectKinds)}
	f, err := auditQuery(c)
	p.Filter, p.ObjectID = f, strings.TrimSpace(c.Query("id"))
	if err == nil && p.ObjectID != "" {
		if f.ObjectKind == "" {
			err = lofte.Invalid("kind", "välj vad numret gäller")
		}
		f.Object, f.ObjectKind = f.ObjectKind+":"+p.ObjectID, ""
	}
	if e := lofte.AsError(err); e != nil && e.Code == lofte.EINVALID {
		p.Error = e.Message
		s.render(c, http.StatusBadRequest, "audit", p)
		return nil
	}
	if err != nil {
		return err
	}
	es, next, err := s.findAudit(c, f)
	if err != nil {
		return err
	}
	for _, e := range es {
		p.Rows = append(p.Rows, auditRow{AuditEntry: e, ActionLabel: lofte.AuditActionLabel(e.Action),
			ObjectLabel: lofte.AuditObjectLabel(e.Object), Link: auditLink(e.Object)})
	}
	if next != "" {
		q := c.Request.URL.Query()
		q.Set("after", next)
		p.Older = "/audit?" + q.Encode()
	}
	s.render(c, http.StatusOK, "audit", p)
	return nil
}
