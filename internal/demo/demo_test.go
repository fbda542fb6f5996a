package demo_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/demo"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite"
	"medborgarlofte/internal/sqlite/sqlitetest"
	"medborgarlofte/internal/survey"
)

func builtin(t *testing.T) (*sqlite.DB, *lofte.Promise, []*lofte.Locality) {
	t.Helper()
	db, p := sqlitetest.MustOpenSeeded(t)
	ls, err := db.FindLocalities(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return db, p, ls
}

func TestGenerateIsReproducible(t *testing.T) {
	_, p, ls := builtin(t)
	a, b := demo.Generate(p, ls, demo.DefaultSeed), demo.Generate(p, ls, demo.DefaultSeed)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different years (-a +b):\n%s", diff)
	}
	c := demo.Generate(p, ls, demo.DefaultSeed+1)
	if cmp.Equal(a, c) {
		t.Error("another seed gave the same year")
	}
}

// checkAnswers puts one response's answers through the catalogue's own validation, as the
// server does with a kiosk's, and wants them back unchanged: known items and options, the
// right types, and only items the other answers let the kiosk show.
func checkAnswers(a lofte.Answers) string {
	b, err := json.Marshal(a)
	if err != nil {
		return err.Error()
	}
	got, err := survey.Default().Decode(b)
	if err != nil {
		return err.Error()
	}
	if diff := cmp.Diff(a, got); diff != "" {
		return "changed by Decode (-generated +decoded):\n" + diff
	}
	return ""
}

func TestGeneratedYearFollowsTheRules(t *testing.T) {
	_, p, ls := builtin(t)
	y := demo.Generate(p, ls, demo.DefaultSeed)
	sum := y.Summary()
	t.Logf("demo year: %+v", sum)
	if sum.Responses < 1300 || sum.Responses > 1700 {
		t.Errorf("%d responses, want about 1,500", sum.Responses)
	}
	if sum.Cancelled == 0 || sum.Cancelled > sum.Stops/10 {
		t.Errorf("%d of %d stops cancelled, want a few", sum.Cancelled, sum.Stops)
	}
	perBasort := map[string]int{}
	heldPerBasort := map[string]int{}
	for i, s := range y.Stops {
		d := lofte.LocalDate(s.StartsAt)
		switch {
		case !p.Period.Contains(d):
			t.Errorf("stop %d on %s outside the period", i, d)
		case s.Kind == lofte.KindRegular && p.InExcluded(d):
			t.Errorf("regular stop on %s in the excluded period", d)
		case s.Kind == lofte.KindEvent && !p.InExcluded(d):
			t.Errorf("event on %s outside the excluded period", d)
		case !s.EndsAt.After(s.StartsAt):
			t.Errorf("stop %d ends before it starts", i)
		case s.Status == lofte.StatusCancelled && (s.CancelReason == "" || len(y.Responses[i]) > 0):
			t.Errorf("cancelled stop %d: reason %q, %d responses", i, s.CancelReason, len(y.Responses[i]))
		}
		if err := s.Validate(); err != nil {
			t.Errorf("stop %d: %v", i, err)
		}
		lead := s.StartsAt.Sub(*s.PublishedAt).Hours() / 24
		if lead < 3 || lead > 22 {
			t.Errorf("stop %d published %.1f days ahead", i, lead)
		}
		if s.Status == lofte.StatusHeld && s.Kind == lofte.KindRegular {
			heldPerBasort[s.Basort]++
		}
		for _, r := range y.Responses[i] {
			perBasort[s.Basort]++
			if r.Date != d {
				t.Errorf("response dated %s for a stop on %s", r.Date, d)
			}
			if msg := checkAnswers(r.Answers); msg != "" {
				t.Errorf("response %s: %s", r.ID, msg)
			}
			if !lofte.IsUUID(r.ID) {
				t.Errorf("id %q is not a UUID", r.ID)
			}
		}
	}
	// Two slots a week rotate through twelve basorter over nine active months: every one is
	// visited at least five times.
	for _, l := range ls {
		if l.Basort && heldPerBasort[l.Name] < 5 {
			t.Errorf("%s: %d held regular stops, want regular visits", l.Name, heldPerBasort[l.Name])
		}
	}
	t.Logf("responses per basort: %v", perBasort)
	if len(y.Baselines) == 0 || y.Baselines[0].Source != demo.BaselineSource {
		t.Error("baseline missing or not labelled as demo data")
	}
}

func TestFillStoresTheYear(t *testing.T) {
	db, p, ls := builtin(t)
	ctx := context.Background()
	sum, err := demo.Fill(ctx, db, p, ls, demo.DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := db.CountResponses(ctx, p.ID); err != nil || n != sum.Responses {
		t.Errorf("stored %d responses (%v), summary says %d", n, err, sum.Responses)
	}
	if _, n, err := db.FindStops(ctx, lofte.StopFilter{PromiseID: p.ID}); err != nil || n != sum.Stops {
		t.Errorf("stored %d stops (%v), summary says %d", n, err, sum.Stops)
	}
	items, err := db.FindFeedback(ctx, lofte.FeedbackFilter{PromiseID: p.ID})
	closed := 0
	for _, f := range items {
		if f.Told() {
			closed++
		}
	}
	if err != nil || len(items) < 5 || closed == 0 || closed == len(items) {
		t.Errorf("demo feedback: %d items, %d closed (%v)", len(items), closed, err)
	}
	bs, err := db.FindBaselines(ctx, p.ID)
	if err != nil || len(bs) == 0 {
		t.Errorf("baselines: %d (%v)", len(bs), err)
	}
	// Most comments come approved, so the pages have some to show; every tenth waits.
	approved, err := db.FindComments(ctx, lofte.CommentFilter{PromiseID: p.ID, Status: lofte.CommentApproved})
	if err != nil {
		t.Fatal(err)
	}
	pending, err := db.FindComments(ctx, lofte.CommentFilter{PromiseID: p.ID, Status: lofte.CommentPending})
	if err != nil {
		t.Fatal(err)
	}
	all := len(approved) + len(pending)
	if all < 50 || len(pending) != all/10 || approved[0].ReviewedBy != demo.DemoReviewer {
		t.Errorf("demo comments: %d approved, %d pending", len(approved), len(pending))
	}
}

func TestSampleAnswersFollowTheRules(t *testing.T) {
	as := demo.SampleAnswers(7, 500)
	if len(as) != 500 {
		t.Fatalf("%d answers, want 500", len(as))
	}
	for i, a := range as {
		if msg := checkAnswers(a); msg != "" {
			t.Fatalf("answer %d %v: %s", i, a, msg)
		}
	}
	if !cmp.Equal(as, demo.SampleAnswers(7, 500)) {
		t.Error("same seed, different answers")
	}
}

func TestFillScaledStoresNResponses(t *testing.T) {
	db, p, ls := builtin(t)
	ctx := context.Background()
	const n = 4500 // more than the year's own, and not a whole number of batches
	sum, err := demo.FillScaled(ctx, db, p, ls, demo.DefaultSeed, n)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.CountResponses(ctx, p.ID); err != nil || got != n || sum.Responses != n {
		t.Errorf("stored %d responses (%v), summary %d, want %d", got, err, sum.Responses, n)
	}
	approved, err := db.FindComments(ctx, lofte.CommentFilter{PromiseID: p.ID, Status: lofte.CommentApproved})
	if err != nil || len(approved) < n/50 {
		t.Errorf("%d approved comments (%v), want some hundreds", len(approved), err)
	}
	if sum.Suspect == 0 || sum.Suspect > n/20 {
		t.Errorf("%d suspect of %d", sum.Suspect, n)
	}
}
