package lofte

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"medborgarlofte/internal/redact"
)

// CommentStatus is where a visitor's comment is in moderation.
type CommentStatus string

// Comment statuses: a comment is pending until a person approved or rejected it.
const (
	CommentPending  CommentStatus = "pending"
	CommentApproved CommentStatus = "approved"
	CommentRejected CommentStatus = "rejected"
)

// Valid reports whether s is one of the statuses.
func (s CommentStatus) Valid() bool {
	return s == CommentPending || s == CommentApproved || s == CommentRejected
}

// CommentItem is the survey item whose free text is moderated, and CommentMaxLen its most
// characters; the question catalogue defines the same item.
const (
	CommentItem   = "comment"
	CommentMaxLen = 500
)

// Comment is a visitor's free-text comment with its moderation. Text is the moderator's edited
// text when there is one, else the visitor's (redacted when it was stored).
type Comment struct {
	ResponseID string        `json:"response_id"`
	StopID     int64         `json:"stop_id"`
	Basort     string        `json:"basort"`
	Date       Date          `json:"date"`
	Text       string        `json:"text"`
	Status     CommentStatus `json:"status"`
	// ReviewedBy and ReviewedAt say who approved or rejected it, and when; empty while pending.
	ReviewedBy string     `json:"reviewed_by"`
	ReviewedAt *time.Time `json:"reviewed_at"`
}

// CommentFilter selects comments by the stop's local date, basort and status ("" for all).
type CommentFilter struct {
	PromiseID int64
	From, To  *Date
	Basorter  []string
	Status    CommentStatus
}

// CommentReview is a moderator's decision on a comment. Text, when set, replaces the
// visitor's text wherever the comment is shown; Validate passes it through the same
// redaction as the kiosk's comments.
type CommentReview struct {
	Status CommentStatus
	Text   *string
	By     string
	At     time.Time
}

// Validate redacts an edited text (redact.Text) and checks the decision: approve or reject,
// an edited text only to approve it, within the kiosk's limit, and who and when.
func (r *CommentReview) Validate() error {
	if r.Text != nil && tooLongToRedact(*r.Text, CommentMaxLen) {
		return Invalid("text", "högst %d tecken", CommentMaxLen)
	}
	if r.Text != nil {
		t := redact.Text(*r.Text)
		r.Text = &t
	}
	switch {
	case r.Status != CommentApproved && r.Status != CommentRejected:
		return Invalid("status", "status måste vara approved eller rejected")
	case r.Text != nil && r.Status != CommentApproved:
		return Invalid("text", "en ändrad text kan bara godkännas")
	case r.Text != nil && strings.TrimSpace(*r.Text) == "":
		return Invalid("text", "den ändrade texten är tom; avvisa synpunkten i stället")
	case r.Text != nil && !utf8.ValidString(*r.Text):
		return Invalid("text", "texten är inte giltig UTF-8")
	case r.Text != nil && utf8.RuneCountInString(*r.Text) > CommentMaxLen:
		return Invalid("text", "högst %d tecken", CommentMaxLen)
	case strings.TrimSpace(r.By) == "":
		return Invalid("reviewed_by", "vem som granskade saknas")
	case r.At.IsZero():
		return Invalid("reviewed_at", "när granskningen gjordes saknas")
	}
	return nil
}

// CommentStore keeps the moderation of visitors' comments.
type CommentStore interface {
	// FindComments returns the comments of non-suspect responses matching f, by date.
	FindComments(ctx context.Context, f CommentFilter) ([]*Comment, error)
	// EachComment calls fn with the comments FindComments returns, one at a time, by text in
	// Swedish alphabetical order (å, ä, ö last), then basort, then date: so that a list of
	// them in that order costs no memory however many there are. An error from fn stops it.
	EachComment(ctx context.Context, f CommentFilter, fn func(*Comment) error) error
	// ReviewComment records a decision on the comment of a response; a response that does
	// not exist or has no comment is not found.
	ReviewComment(ctx context.Context, responseID string, r CommentReview) (*Comment, error)
}
