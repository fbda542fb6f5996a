package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite"
)

// retentionFixture stores, at a held stop of the built-in promise (2018, 12 months), a
// comment a moderator edited, a plain answer, a comment alone, and a field note.
func retentionFixture(t *testing.T) (*sqlite.DB, *lofte.Promise, *lofte.Stop, []*lofte.Response) {
	t.Helper()
	db, p := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	note := "Pratade med grannen om mopederna"
	if _, err := db.UpdateStop(ctx, s.ID, lofte.StopUpdate{Notes: &note}); err != nil {
		t.Fatal(err)
	}
	rs := []*lofte.Response{
		response(1, s, lofte.Answers{"trust": "fairly_high", "problems": []string{"traffic"}, "comment": lofte.FreeText("Bra att ni kommer")}),
		response(2, s, lofte.Answers{"trust": "very_low"}),
		response(3, s, lofte.Answers{"comment": lofte.FreeText("Mer patrullering")}),
	}
	if _, err := db.CreateResponses(ctx, rs); err != nil {
		t.Fatal(err)
	}
	edited := "Bra att polisen kommer"
	if _, err := db.ReviewComment(ctx, uuid(1), lofte.CommentReview{Status: lofte.CommentApproved, Text: &edited,
		By: "polis-per", At: time.Date(2018, 3, 20, 9, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	return db, p, s, rs
}

// retry uploads the batch again, as a kiosk that never heard back would.
func retry(t *testing.T, db *sqlite.DB, rs []*lofte.Response) []lofte.IngestResult {
	t.Helper()
	again := make([]*lofte.Response, len(rs))
	for i, r := range rs {
		c := *r
		again[i] = &c
	}
	res, err := db.CreateResponses(context.Background(), again)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestApplyRetention(t *testing.T) {
	db, p, s, rs := retentionFixture(t)
	ctx := context.Background()
	if p.RetentionMonths != lofte.DefaultRetentionMonths {
		t.Fatalf("built-in promise keeps free text %d months, want the default %d", p.RetentionMonths, lofte.DefaultRetentionMonths)
	}
	counts, err := db.CountRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	apply := func(asOf string) lofte.Retention {
		t.Helper()
		got, err := db.ApplyRetention(ctx, day(asOf))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Slug != p.Slug {
			t.Fatalf("retention of %v, want the one promise", got)
		}
		return got[0]
	}
	figuresKept := func(when string) {
		t.Helper()
		after, err := db.CountRows(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(counts, after); diff != "" {
			t.Errorf("%s: the per-stop counts changed (-before +after)\n%s", when, diff)
		}
	}
	allDuplicates := func(when string) {
		t.Helper()
		for _, r := range retry(t, db, rs) {
			if r.Result != lofte.ResultDuplicate {
				t.Errorf("%s: retried %s is %s, want duplicate", when, r.ID, r.Result)
			}
		}
		figuresKept(when + ", after the retry")
	}

	// The promise ended 2018-12-31: free text is kept through 2019-12-31.
	if got := apply("2019-12-31"); got.Removed() {
		t.Errorf("on the last day free text is kept: removed %+v", got)
	}
	got := apply("2020-01-31")
	if want := (lofte.Retention{PromiseID: p.ID, Slug: p.Slug, Comments: 2, Notes: 1}); got != want {
		t.Errorf("13 months after the end removed %+v, want %+v", got, want)
	}
	if cs, err := db.FindComments(ctx, lofte.CommentFilter{PromiseID: p.ID}); err != nil || len(cs) != 0 {
		t.Errorf("comments left: %v (%v)", cs, err)
	}
	if n, err := db.CountOf(ctx, "SELECT 1 FROM comment_reviews"); err != nil || n != 0 {
		t.Errorf("%d moderation rows left (%v)", n, err)
	}
	if st, err := db.FindStopByID(ctx, s.ID); err != nil || st.Notes != "" {
		t.Errorf("field note left: %q (%v)", st.Notes, err)
	}
	stored, _, err := db.FindResponses(ctx, lofte.ResponseFilter{PromiseID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	wantAnswers := []lofte.Answers{{"trust": "fairly_high", "problems": []string{"traffic"}}, {"trust": "very_low"}, {}}
	var gotAnswers []lofte.Answers
	for _, r := range stored {
		gotAnswers = append(gotAnswers, r.Answers)
	}
	if diff := cmp.Diff(wantAnswers, gotAnswers); diff != "" {
		t.Errorf("answers after the free text went (-want +got)\n%s", diff)
	}
	figuresKept("free text removed")
	allDuplicates("free text removed")
	wantStored(t, db, p, 3, "after the retry")
	// The rest of the answer is still compared; the deleted text cannot be.
	clash := response(1, s, lofte.Answers{"trust": "very_high", "comment": lofte.FreeText("Bra att ni kommer")})
	if _, err := db.CreateResponses(ctx, []*lofte.Response{clash}); lofte.ErrorCodeOf(err) != lofte.ECONFLICT {
		t.Errorf("same id, other answers after retention: %v, want a conflict", err)
	}
	if got := apply("2020-06-01"); got.Removed() {
		t.Errorf("a second run removed %+v", got)
	}

	// Responses go as long again later: kept through 2020-12-31.
	if got := apply("2020-12-31"); got.Removed() {
		t.Errorf("on the last day responses are kept: removed %+v", got)
	}
	got = apply("2021-01-01")
	if want := (lofte.Retention{PromiseID: p.ID, Slug: p.Slug, Responses: 3}); got != want {
		t.Errorf("25 months after the end removed %+v, want %+v", got, want)
	}
	wantStored(t, db, p, 0, "25 months after the end")
	figuresKept("responses deleted")
	allDuplicates("responses deleted")
	wantStored(t, db, p, 0, "the retry after the responses were deleted")
	if got := apply("2030-01-01"); got.Removed() {
		t.Errorf("a later run removed %+v", got)
	}
}

func TestRetentionZeroKeepsEverything(t *testing.T) {
	db, p, _, _ := retentionFixture(t)
	ctx := context.Background()
	zero := 0
	updated, err := db.UpdatePromise(ctx, p.ID, lofte.PromiseUpdate{RetentionMonths: &zero})
	if err != nil || updated.RetentionMonths != 0 {
		t.Fatalf("update: %+v %v", updated, err)
	}
	got, err := db.ApplyRetention(ctx, day("2040-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Removed() {
		t.Errorf("retention 0 removed %+v", got)
	}
	if texts := commentTexts(t, db, lofte.CommentFilter{PromiseID: p.ID}); len(texts) != 2 {
		t.Errorf("comments kept: %q", texts)
	}
	wantStored(t, db, p, 3, "kept with retention 0")
}

func TestUpdatePromiseRetention(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	for _, months := range []int{-1, lofte.MaxRetentionMonths + 1} {
		if _, err := db.UpdatePromise(ctx, p.ID, lofte.PromiseUpdate{RetentionMonths: &months}); lofte.ErrorCodeOf(err) != lofte.EINVALID {
			t.Errorf("retention_months %d: %v, want invalid", months, err)
		}
	}
	six := 6
	if _, err := db.UpdatePromise(ctx, p.ID, lofte.PromiseUpdate{RetentionMonths: &six}); err != nil {
		t.Fatal(err)
	}
	if got, err := db.ActivePromise(ctx); err != nil || got.RetentionMonths != 6 {
		t.Errorf("stored retention %d (%v), want 6", got.RetentionMonths, err)
	}
	if _, err := db.UpdatePromise(ctx, 999, lofte.PromiseUpdate{}); lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
		t.Errorf("missing promise: %v", err)
	}
}
