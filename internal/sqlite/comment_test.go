package sqlite_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite"
)

// commentTexts lists the texts of comments matching f, in the store's order.
func commentTexts(t *testing.T, db *sqlite.DB, f lofte.CommentFilter) []string {
	t.Helper()
	cs, err := db.FindComments(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, c := range cs {
		out = append(out, c.Text)
	}
	return out
}

func TestFindComments(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	tollarp := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	ahus := MustCreateStop(t, db, "Åhus", day("2018-04-11"), lofte.StatusHeld)
	suspect := response(3, tollarp, lofte.Answers{"comment": lofte.FreeText("Snabbt ifyllt")})
	suspect.Suspect = true
	if _, err := db.CreateResponses(ctx, []*lofte.Response{
		response(1, tollarp, lofte.Answers{"comment": lofte.FreeText("Bra att ni kommer"), "trust": "neither"}),
		response(2, tollarp, lofte.Answers{"trust": "neither"}),
		suspect,
		response(4, ahus, lofte.Answers{"comment": lofte.FreeText("Mer patrullering")}),
	}); err != nil {
		t.Fatal(err)
	}
	all := lofte.CommentFilter{PromiseID: p.ID}
	if diff := cmp.Diff([]string{"Bra att ni kommer", "Mer patrullering"}, commentTexts(t, db, all)); diff != "" {
		t.Errorf("all (-want +got)\n%s", diff)
	}
	cs, err := db.FindComments(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	want := &lofte.Comment{ResponseID: uuid(1), StopID: tollarp.ID, Basort: "Tollarp", Date: day("2018-03-14"),
		Text: "Bra att ni kommer", Status: lofte.CommentPending}
	if diff := cmp.Diff(want, cs[0]); diff != "" {
		t.Errorf("pending comment (-want +got)\n%s", diff)
	}
	april := day("2018-04-01")
	tests := []struct {
		name string
		f    lofte.CommentFilter
		want []string
	}{
		{"basort", lofte.CommentFilter{PromiseID: p.ID, Basorter: []string{"Åhus"}}, []string{"Mer patrullering"}},
		{"from", lofte.CommentFilter{PromiseID: p.ID, From: &april}, []string{"Mer patrullering"}},
		{"to", lofte.CommentFilter{PromiseID: p.ID, To: &april}, []string{"Bra att ni kommer"}},
		{"pending", lofte.CommentFilter{PromiseID: p.ID, Status: lofte.CommentPending}, []string{"Bra att ni kommer", "Mer patrullering"}},
		{"approved", lofte.CommentFilter{PromiseID: p.ID, Status: lofte.CommentApproved}, []string{}},
		{"other promise", lofte.CommentFilter{PromiseID: p.ID + 1}, []string{}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, commentTexts(t, db, tt.f)); diff != "" {
			t.Errorf("%s (-want +got)\n%s", tt.name, diff)
		}
	}
}

func TestReviewComment(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	if _, err := db.CreateResponses(ctx, []*lofte.Response{
		response(1, s, lofte.Answers{"comment": lofte.FreeText("Ring mig på [borttaget], Anna Svensson")}),
		response(2, s, lofte.Answers{"comment": lofte.FreeText("Tack")}),
		response(3, s, lofte.Answers{"trust": "neither"}),
	}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2018, 3, 20, 8, 30, 0, 0, time.UTC)
	edited := "Ring mig på [borttaget]"
	got, err := db.ReviewComment(ctx, strings.ToUpper(uuid(1)), lofte.CommentReview{Status: lofte.CommentApproved, Text: &edited, By: "polis-per", At: at})
	if err != nil {
		t.Fatal(err)
	}
	want := &lofte.Comment{ResponseID: uuid(1), StopID: s.ID, Basort: "Tollarp", Date: day("2018-03-14"), Text: edited,
		Status: lofte.CommentApproved, ReviewedBy: "polis-per", ReviewedAt: &at}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("approved (-want +got)\n%s", diff)
	}
	if _, err := db.ReviewComment(ctx, uuid(2), lofte.CommentReview{Status: lofte.CommentRejected, By: "polis-per", At: at}); err != nil {
		t.Fatal(err)
	}
	for status, texts := range map[lofte.CommentStatus][]string{
		lofte.CommentApproved: {edited}, lofte.CommentRejected: {"Tack"}, lofte.CommentPending: {},
	} {
		if diff := cmp.Diff(texts, commentTexts(t, db, lofte.CommentFilter{PromiseID: p.ID, Status: status})); diff != "" {
			t.Errorf("%s (-want +got)\n%s", status, diff)
		}
	}
	// A later decision replaces the earlier one; without an edit the visitor's text shows again.
	again, err := db.ReviewComment(ctx, uuid(1), lofte.CommentReview{Status: lofte.CommentRejected, By: "admin-anna", At: at.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if again.Status != lofte.CommentRejected || again.ReviewedBy != "admin-anna" || again.Text != "Ring mig på [borttaget], Anna Svensson" {
		t.Errorf("second review: %+v", again)
	}

	before, err := db.FindComments(ctx, lofte.CommentFilter{PromiseID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 501)
	refusals := []struct {
		name string
		id   string
		r    lofte.CommentReview
		code lofte.ErrorCode
	}{
		{"unknown id", uuid(99), lofte.CommentReview{Status: lofte.CommentApproved, By: "per", At: at}, lofte.ENOTFOUND},
		{"no comment", uuid(3), lofte.CommentReview{Status: lofte.CommentApproved, By: "per", At: at}, lofte.ENOTFOUND},
		{"back to pending", uuid(2), lofte.CommentReview{Status: lofte.CommentPending, By: "per", At: at}, lofte.EINVALID},
		{"too long", uuid(2), lofte.CommentReview{Status: lofte.CommentApproved, Text: &long, By: "per", At: at}, lofte.EINVALID},
	}
	for _, tt := range refusals {
		if _, err := db.ReviewComment(ctx, tt.id, tt.r); lofte.ErrorCodeOf(err) != tt.code {
			t.Errorf("%s: err = %v, want %s", tt.name, err, tt.code)
		}
	}
	after, err := db.FindComments(ctx, lofte.CommentFilter{PromiseID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("a refused review changed comments (-before +after)\n%s", diff)
	}
}

// TestCommentsReadByTheirIndex: the comment queries read the responses that carry a comment
// through the partial index of migration 00013, not every response's answers; the index's
// condition and the queries' must stay the same text for that.
func TestCommentsReadByTheirIndex(t *testing.T) {
	db, p := MustSeed(t)
	plan, err := db.CommentQueryPlan(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "responses_comment") {
		t.Errorf("the comment query does not use the index responses_comment:\n%s", plan)
	}
}
