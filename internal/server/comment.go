package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

func (s *Server) registerCommentRoutes() {
	s.route(http.MethodGet, "/api/v1/comments", s.handleCommentList)
	s.route(http.MethodPatch, "/api/v1/comments/:id", s.handleCommentReview)
	s.route(http.MethodGet, "/comments", s.handleCommentsPage)
	s.route(http.MethodPost, "/comments/:id", s.handleCommentForm)
}

// publicComment is an approved comment as the council reads it: without date, hour or stop
// (docs/access.md, "What leaves the app").
type publicComment struct {
	Basort string `json:"basort"`
	Text   string `json:"text"`
}

// handleCommentList lists visitors' comments. Staff see any status (pending unless asked);
// the council sees approved comments only, of basorter with enough responses in the scope,
// alphabetically and without anything that places them in time.
func (s *Server) handleCommentList(c *gin.Context) error {
	ctx := c.Request.Context()
	p, sel, err := s.selection(c, 0)
	if err != nil {
		return err
	}
	staff := canModerateComments(lofte.IdentityFrom(ctx))
	f := lofte.CommentFilter{PromiseID: p.ID, From: sel.From, To: sel.To, Basorter: sel.Basorter,
		Status: lofte.CommentStatus(c.Query("status"))}
	switch {
	case f.Status == "" && staff:
		f.Status = lofte.CommentPending
	case f.Status == "":
		f.Status = lofte.CommentApproved
	case !f.Status.Valid():
		return lofte.Invalid("status", "status måste vara pending, approved eller rejected")
	case !staff && f.Status != lofte.CommentApproved:
		return &lofte.Error{Code: lofte.EFORBIDDEN, Field: "status", Message: "rådet ser bara godkända synpunkter"}
	}
	if staff {
		cs, err := s.store.FindComments(ctx, f)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, gin.H{"comments": cs})
		return nil
	}
	shown, err := s.publicComments(ctx, p, sel)
	if err != nil {
		return err
	}
	out := make([]publicComment, len(shown))
	for i, cm := range shown {
		out[i] = publicComment{Basort: cm.Basort, Text: cm.Text}
	}
	c.JSON(http.StatusOK, gin.H{"comments": out})
	return nil
}

// publicComments returns the approved comments the council may read for the selection:
// those of the survey cells (each basort over the scope's whole months, per kind of stop)
// whose perturbed responses are enough, by the one rule in metrics.PublicComments.
func (s *Server) publicComments(ctx context.Context, p *lofte.Promise, sel selection) ([]*lofte.Comment, error) {
	sc := metrics.Scope{From: sel.From, To: sel.To, Group: metrics.GroupBasort}
	in, err := metrics.Load(ctx, s.store, p, sc, s.now())
	if err != nil {
		return nil, err
	}
	byKind := map[string]*metrics.Result{}
	for _, kind := range []string{metrics.KindRegular, metrics.KindEvent} {
		sc.Kind = kind
		if byKind[kind], err = metrics.Compute(in, sc); err != nil {
			return nil, err
		}
	}
	from, to := byKind[metrics.KindRegular].Scope.From, byKind[metrics.KindRegular].Scope.To
	f := lofte.CommentFilter{PromiseID: p.ID, Basorter: sel.Basorter, Status: lofte.CommentApproved}
	for _, d := range []struct {
		s   string
		dst **lofte.Date
	}{{from, &f.From}, {to, &f.To}} {
		day, err := lofte.ParseDate(d.s)
		if err != nil {
			return nil, fmt.Errorf("public comments: %w", err)
		}
		*d.dst = &day
	}
	cs, err := s.store.FindComments(ctx, f)
	if err != nil {
		return nil, err
	}
	return metrics.PublicComments(cs, in.Stops, byKind[metrics.KindRegular], byKind[metrics.KindEvent]), nil
}

// reviewInput is the body of PATCH /api/v1/comments/{response_id}.
type reviewInput struct {
	Status lofte.CommentStatus `json:"status"`
	Text   *string             `json:"text"`
}

// review makes a moderator's decision: who and when from the request, an edited text
// trimmed (CommentReview.Validate redacts it as the kiosk's comments are).
func (s *Server) review(ctx context.Context, status lofte.CommentStatus, text *string) lofte.CommentReview {
	r := lofte.CommentReview{Status: status, By: lofte.IdentityFrom(ctx).Name, At: s.now()}
	if text != nil {
		t := strings.TrimSpace(*text)
		r.Text = &t
	}
	return r
}

func (s *Server) handleCommentReview(c *gin.Context) error {
	var in reviewInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ctx := c.Request.Context()
	r := s.review(ctx, in.Status, in.Text)
	cm, err := s.store.ReviewComment(ctx, c.Param("id"), r)
	if err != nil {
		return err
	}
	s.auditReview(c, cm, r)
	c.JSON(http.StatusOK, cm)
	return nil
}

// auditReview records a moderator's decision on cm; never the comment's text, which a visitor
// wrote.
func (s *Server) auditReview(c *gin.Context, cm *lofte.Comment, r lofte.CommentReview) {
	action := "comment.reject"
	switch {
	case r.Status == lofte.CommentApproved && r.Text != nil:
		action = "comment.edit"
	case r.Status == lofte.CommentApproved:
		action = "comment.approve"
	}
	s.audit(c, action, "comment:"+strings.ToLower(cm.ResponseID), "Synpunkt från besöket i "+cm.Basort+" "+cm.Date.String())
}

// commentsPage is the moderation queue: pending comments, oldest first.
type commentsPage struct {
	Base
	Comments []*lofte.Comment
	// Error is the reason a decision on the comment ErrorID was refused; Text what was typed.
	Error, ErrorID, Text string
}

func (s *Server) commentsPage(c *gin.Context) (*commentsPage, error) {
	b := s.base(c, "Synpunkter att granska")
	if _, err := b.promised(); err != nil {
		return nil, err
	}
	cs, err := s.store.FindComments(c.Request.Context(), lofte.CommentFilter{PromiseID: b.Promise.ID, Status: lofte.CommentPending})
	if err != nil {
		return nil, err
	}
	return &commentsPage{Base: b, Comments: cs}, nil
}

func (s *Server) handleCommentsPage(c *gin.Context) error {
	p, err := s.commentsPage(c)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "comments", p)
	return nil
}

// commentDecisions maps the page's three buttons to a status and whether the typed text counts.
var commentDecisions = map[string]struct {
	status lofte.CommentStatus
	edited bool
}{
	"approve": {lofte.CommentApproved, false},
	"edit":    {lofte.CommentApproved, true},
	"reject":  {lofte.CommentRejected, false},
}

// handleCommentForm records a decision from the moderation page; a refused one shows the page
// again with the reason beside the comment and the text as typed.
func (s *Server) handleCommentForm(c *gin.Context) error {
	d, ok := commentDecisions[c.PostForm("decision")]
	if !ok {
		return lofte.Invalid("decision", "välj godkänn, ändra och godkänn eller avvisa")
	}
	var text *string
	if d.edited {
		t := c.PostForm("text")
		text = &t
	}
	ctx := c.Request.Context()
	id := c.Param("id")
	r := s.review(ctx, d.status, text)
	cm, err := s.store.ReviewComment(ctx, id, r)
	if err != nil {
		e := lofte.AsError(err)
		if e == nil || e.Code != lofte.EINVALID {
			return err
		}
		p, perr := s.commentsPage(c)
		if perr != nil {
			return perr
		}
		p.Error, p.ErrorID, p.Text = e.Message, id, c.PostForm("text")
		s.render(c, http.StatusBadRequest, "comments", p)
		return nil
	}
	s.auditReview(c, cm, r)
	c.Redirect(http.StatusSeeOther, "/comments")
	return nil
}
