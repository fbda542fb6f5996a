package server

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/redact"
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
	p, err := s.store.ActivePromise(ctx)
	if err != nil {
		return err
	}
	sel, err := s.selection(c, p.ID, 0)
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
	cs, err := s.store.FindComments(ctx, f)
	if err != nil {
		return err
	}
	if staff {
		c.JSON(http.StatusOK, gin.H{"comments": cs})
		return nil
	}
	shown, err := s.commentableBasorter(ctx, p, sel)
	if err != nil {
		return err
	}
	out := []publicComment{}
	for _, cm := range cs {
		if shown[cm.Basort] {
			out = append(out, publicComment{Basort: cm.Basort, Text: cm.Text})
		}
	}
	sortAlphabetically(out)
	c.JSON(http.StatusOK, gin.H{"comments": out})
	return nil
}

// commentableBasorter returns the basorter whose comments may be shown outside moderation:
// those whose perturbed responses in the scope, widened to whole months as every survey
// figure is, reach metrics.CommentsMinResponses, so that a comment points at nobody. The
// count is the one the figures show (regular stops, suspect answers left out), never the
// true one, which subtraction could otherwise recover.
func (s *Server) commentableBasorter(ctx context.Context, p *lofte.Promise, sel selection) (map[string]bool, error) {
	sc := metrics.Scope{From: sel.From, To: sel.To, Group: metrics.GroupBasort}
	in, err := metrics.Load(ctx, s.store, p, sc, s.now())
	if err != nil {
		return nil, err
	}
	res, err := metrics.Compute(in, sc)
	if err != nil {
		return nil, err
	}
	isBasort := map[string]bool{}
	for _, l := range in.Localities {
		isBasort[l.Name] = l.Basort
	}
	shown := map[string]bool{}
	for _, g := range res.Groups {
		if isBasort[g.Key] && metrics.CommentsShown(int(g.Metrics.CountValue("responses"))) {
			shown[g.Key] = true
		}
	}
	return shown, nil
}

// sortAlphabetically orders comments by their text as a Swedish reader expects (å, ä, ö
// last), so the order says nothing about when or where they were written.
func sortAlphabetically(cs []publicComment) {
	col := collate.New(language.Swedish)
	slices.SortStableFunc(cs, func(a, b publicComment) int {
		if n := col.CompareString(a.Text, b.Text); n != 0 {
			return n
		}
		return col.CompareString(a.Basort, b.Basort)
	})
}

// reviewInput is the body of PATCH /api/v1/comments/{response_id}.
type reviewInput struct {
	Status lofte.CommentStatus `json:"status"`
	Text   *string             `json:"text"`
}

// review makes a moderator's decision: who and when from the request, an edited text
// redacted as the kiosk's comments are.
func (s *Server) review(ctx context.Context, status lofte.CommentStatus, text *string) lofte.CommentReview {
	r := lofte.CommentReview{Status: status, By: lofte.IdentityFrom(ctx).Name, At: s.now()}
	if text != nil {
		t := strings.TrimSpace(redact.Text(*text))
		r.Text = &t
	}
	return r
}

func (s *Server) handleCommentReview(c *gin.Context) error {
	b, err := readBody(c)
	if err != nil {
		return err
	}
	var in reviewInput
	if err := decodeStrict(b, &in); err != nil {
		return err
	}
	ctx := c.Request.Context()
	cm, err := s.store.ReviewComment(ctx, c.Param("id"), s.review(ctx, in.Status, in.Text))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, cm)
	return nil
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
	if b.Promise == nil {
		return nil, lofte.NotFound("inget medborgarlöfte")
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
	if _, err := s.store.ReviewComment(ctx, id, s.review(ctx, d.status, text)); err != nil {
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
	c.Redirect(http.StatusSeeOther, "/comments")
	return nil
}
