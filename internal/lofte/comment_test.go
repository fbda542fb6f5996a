package lofte_test

import (
	"strings"
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
)

func TestCommentReviewValidate(t *testing.T) {
	at := time.Date(2018, 3, 20, 9, 0, 0, 0, time.UTC)
	text := func(s string) *string { return &s }
	tests := []struct {
		name  string
		r     lofte.CommentReview
		field string // "" when valid
	}{
		{"approve", lofte.CommentReview{Status: lofte.CommentApproved, By: "per", At: at}, ""},
		{"reject", lofte.CommentReview{Status: lofte.CommentRejected, By: "per", At: at}, ""},
		{"approve edited", lofte.CommentReview{Status: lofte.CommentApproved, Text: text("Bra besök"), By: "per", At: at}, ""},
		{"longest edit", lofte.CommentReview{Status: lofte.CommentApproved, Text: text(strings.Repeat("å", 500)), By: "per", At: at}, ""},
		{"back to pending", lofte.CommentReview{Status: lofte.CommentPending, By: "per", At: at}, "status"},
		{"no status", lofte.CommentReview{By: "per", At: at}, "status"},
		{"unknown status", lofte.CommentReview{Status: "maybe", By: "per", At: at}, "status"},
		{"edit and reject", lofte.CommentReview{Status: lofte.CommentRejected, Text: text("x"), By: "per", At: at}, "text"},
		{"empty edit", lofte.CommentReview{Status: lofte.CommentApproved, Text: text("  "), By: "per", At: at}, "text"},
		{"edit too long", lofte.CommentReview{Status: lofte.CommentApproved, Text: text(strings.Repeat("å", 501)), By: "per", At: at}, "text"},
		{"edit not UTF-8", lofte.CommentReview{Status: lofte.CommentApproved, Text: text("\xff"), By: "per", At: at}, "text"},
		{"nobody", lofte.CommentReview{Status: lofte.CommentApproved, At: at}, "reviewed_by"},
		{"no time", lofte.CommentReview{Status: lofte.CommentApproved, By: "per"}, "reviewed_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.r.Validate()
			switch {
			case tt.field == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.field != "" && (lofte.AsError(err) == nil || lofte.AsError(err).Field != tt.field || lofte.ErrorCodeOf(err) != lofte.EINVALID):
				t.Errorf("err = %v, want invalid %s", err, tt.field)
			}
		})
	}
}

func TestCommentStatusValid(t *testing.T) {
	for _, s := range []lofte.CommentStatus{lofte.CommentPending, lofte.CommentApproved, lofte.CommentRejected} {
		if !s.Valid() {
			t.Errorf("%s is not valid", s)
		}
	}
	if lofte.CommentStatus("all").Valid() || lofte.CommentStatus("").Valid() {
		t.Error("an unknown status is valid")
	}
}
