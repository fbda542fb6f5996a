package sqlite_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// TestEachCommentOrder: the database reads comments in the order metrics.SortComments puts
// them in (Swedish: å, ä, ö after z; ties by basort, then by date and id as FindComments
// lists them), an edited text standing for the visitor's, and stops when fn fails.
func TestEachCommentOrder(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	ahus := MustCreateStop(t, db, "Åhus", day("2018-03-14"), lofte.StatusHeld)
	tollarp := MustCreateStop(t, db, "Tollarp", day("2018-03-15"), lofte.StatusHeld)
	var rs []*lofte.Response
	for _, text := range []string{"ödsligt", "Zebra", "ärligt", "apa", "Åtgärda", "zebra", "Éclair", "eko", "Bra", "bra", "aa", "å"} {
		for _, s := range []*lofte.Stop{tollarp, ahus, tollarp} {
			rs = append(rs, response(len(rs)+1, s, lofte.Answers{"comment": lofte.FreeText(text)}))
		}
	}
	if _, err := db.CreateResponses(ctx, rs); err != nil {
		t.Fatal(err)
	}
	edited := "Önskar fler besök"
	if _, err := db.ReviewComment(ctx, rs[0].ID, lofte.CommentReview{Status: lofte.CommentApproved, Text: &edited,
		By: "admin", At: time.Date(2018, 3, 20, 9, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	f := lofte.CommentFilter{PromiseID: p.ID}
	want, err := db.FindComments(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	metrics.SortComments(want)
	var got []*lofte.Comment
	if err := db.EachComment(ctx, f, func(c *lofte.Comment) error { got = append(got, c); return nil }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order (-metrics +database)\n%s", diff)
	}
	if i := slices.IndexFunc(got, func(c *lofte.Comment) bool { return c.Text == edited }); i != len(got)-1 {
		t.Errorf("the edited text %q is read at %d of %d, want last", edited, i, len(got))
	}

	approved := lofte.CommentFilter{PromiseID: p.ID, Status: lofte.CommentApproved}
	got = nil
	if err := db.EachComment(ctx, approved, func(c *lofte.Comment) error { got = append(got, c); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Text != edited {
		t.Errorf("approved only: %v", got)
	}

	stop := errors.New("enough")
	n := 0
	if err := db.EachComment(ctx, f, func(*lofte.Comment) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("an error from fn: %v after %d calls", err, n)
	}
}
