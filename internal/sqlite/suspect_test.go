package sqlite_test

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite"
)

// TestSuspectFlagsAndReviewsKeepCounts: after random batches with suspect answers, late
// flags of stored answers and random releases and confirmations, every response_counts row
// holds the count and key sum of the responses it counts, suspect apart.
func TestSuspectFlagsAndReviewsKeepCounts(t *testing.T) {
	db, p, tollarp, ahus := mustHeldStops(t)
	ctx := context.Background()
	stops := []*lofte.Stop{tollarp, ahus}
	rng := rand.New(rand.NewPCG(8, 11))
	var stored []*lofte.Response
	at := time.Date(2018, 3, 14, 12, 0, 0, 0, time.UTC)
	for len(stored) < 300 {
		batch := randomBatch(rng, stops, len(stored), 30, func(r *lofte.Response) {
			switch rng.IntN(6) {
			case 0:
				r.SuspectReasons = []lofte.SuspectReason{lofte.ReasonTooFast}
			case 1:
				r.SuspectReasons = []lofte.SuspectReason{lofte.ReasonOutsideHours}
			}
		})
		var flags []lofte.SuspectFlag
		for range rng.IntN(4) {
			if len(stored) > 0 {
				flags = append(flags, lofte.SuspectFlag{ResponseID: strings.ToUpper(stored[rng.IntN(len(stored))].ID), Reason: lofte.ReasonTooFast})
			}
		}
		if _, err := db.CreateResponses(ctx, batch, flags...); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, batch...)
		for range rng.IntN(4) {
			r := stored[rng.IntN(len(stored))]
			d := []lofte.SuspectDecision{lofte.DecisionRelease, lofte.DecisionConfirm}[rng.IntN(2)]
			_, err := db.ReviewSuspect(ctx, r.StopID, r.ID, lofte.SuspectReview{Decision: d, By: "polis", At: at})
			if err != nil && lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
				t.Fatal(err)
			}
		}
	}
	// The suspect flags as stored now decide which side each response counts on.
	rs, _, err := db.FindResponses(ctx, lofte.ResponseFilter{PromiseID: p.ID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	now := map[string]*lofte.Response{}
	for _, r := range rs {
		now[r.ID] = r
	}
	suspect := 0
	for _, r := range stored {
		r.Suspect = now[r.ID].Suspect
		if r.Suspect {
			suspect++
		}
	}
	if suspect == 0 || suspect == len(stored) {
		t.Fatalf("%d of %d suspect: the test exercises nothing", suspect, len(stored))
	}
	checkCounts(t, db, stored, mustRecordKeys(t, db))
}

// TestLateFlagKeepsADecision: an answer released by an officer stays released when a later
// answer of its device is found too close to it; the reason is added for the record.
func TestLateFlagKeepsADecision(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	r := response(1, s, lofte.Answers{"trust": "neither"})
	r.SuspectReasons = []lofte.SuspectReason{lofte.ReasonOutsideHours}
	if _, err := db.CreateResponses(ctx, []*lofte.Response{r}); err != nil {
		t.Fatal(err)
	}
	rev := lofte.SuspectReview{Decision: lofte.DecisionRelease, By: "polis", At: time.Date(2018, 3, 14, 12, 0, 0, 0, time.UTC)}
	if _, err := db.ReviewSuspect(ctx, s.ID, r.ID, rev); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateResponses(ctx, []*lofte.Response{response(2, s, lofte.Answers{})},
		lofte.SuspectFlag{ResponseID: r.ID, Reason: lofte.ReasonTooFast}); err != nil {
		t.Fatal(err)
	}
	as, err := db.FindSuspectAnswers(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []*lofte.SuspectAnswer{{ResponseID: r.ID, StopID: s.ID, Date: r.Date, Hour: r.Hour, Lang: "sv",
		Reasons: []lofte.SuspectReason{lofte.ReasonTooFast, lofte.ReasonOutsideHours}, Decision: lofte.DecisionRelease, Answered: 1}}
	if d := cmp.Diff(want, as); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	wantStored(t, db, p, 2, "after the late flag")
}

// TestAuditLog: entries come back newest first, filtered and paged; they cannot be changed.
func TestAuditLog(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	at := time.Date(2018, 3, 14, 12, 0, 0, 0, time.UTC)
	for i, e := range []lofte.AuditEntry{
		{At: at, Actor: "anna", Action: "suspect.release", Object: "response:a", Detail: "tillfälle 1"},
		{At: at.Add(time.Minute), Actor: "bo", Action: "suspect.confirm", Object: "response:b"},
		{At: at.Add(2 * time.Minute), Actor: "anna", Action: "suspect.confirm", Object: "response:a"},
	} {
		if err := db.Audit(ctx, &e); err != nil || e.ID != int64(i+1) {
			t.Fatalf("entry %d: id %d, %v", i, e.ID, err)
		}
	}
	if err := db.Audit(ctx, &lofte.AuditEntry{At: at, Action: "x", Object: "y"}); lofte.ErrorCodeOf(err) != lofte.EINVALID {
		t.Errorf("an entry without actor: %v", err)
	}
	ids := func(f lofte.AuditFilter) []int64 {
		es, err := db.FindAudit(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	for _, tt := range []struct {
		name string
		f    lofte.AuditFilter
		want []int64
	}{
		{"all", lofte.AuditFilter{}, []int64{3, 2, 1}},
		{"one object", lofte.AuditFilter{Object: "response:a"}, []int64{3, 1}},
		{"one action", lofte.AuditFilter{Action: "suspect.confirm"}, []int64{3, 2}},
		{"one actor", lofte.AuditFilter{Actor: "bo"}, []int64{2}},
		{"a page", lofte.AuditFilter{Before: 3, Limit: 1}, []int64{2}},
	} {
		if d := cmp.Diff(tt.want, ids(tt.f)); d != "" {
			t.Errorf("%s (-want +got)\n%s", tt.name, d)
		}
	}
	es, _ := db.FindAudit(ctx, lofte.AuditFilter{Before: 2})
	if len(es) != 1 || !es[0].At.Equal(at) || es[0].Detail != "tillfälle 1" || es[0].Actor != "anna" {
		t.Errorf("entry 1 read back as %+v", es[0])
	}
	if err := db.TamperAudit(ctx); err == nil {
		t.Error("an audit entry was changed")
	}
}

// TestMigrationKeepsSuspectAndTokens: a database of schema 7 gets the reason of its suspect
// answers (too fast: the only rule then) and a last use for its live tokens, so that no
// paired tablet expires at the upgrade.
func TestMigrationKeepsSuspectAndTokens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sqlite.MigrateTo(ctx, path, 7)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO promises (slug, title, municipality, police_area, period_from, period_to, created_at, active)
			VALUES ('p', 'Löfte', 'Kommun', 'LPO', '2018-01-01', '2018-12-31', '2018-01-01T00:00:00Z', 1)`,
		`INSERT INTO localities (promise_id, name, lat, lon, basort, coordinates) VALUES (1, 'Tollarp', 55.9, 13.9, 1, 'published')`,
		`INSERT INTO stops (promise_id, locality_id, place, starts_at, ends_at, local_date, kind, status, created_at, updated_at)
			VALUES (1, 1, 'Torget', '2018-03-14T09:00:00Z', '2018-03-14T12:00:00Z', '2018-03-14', 'regular', 'held', '2018-01-01T00:00:00Z', '2018-01-01T00:00:00Z')`,
		`INSERT INTO responses (id, stop_id, lang, answered_date, answered_hour, answers, content_hash, suspect, received_on, record_key)
			VALUES ('00000000-0000-4000-8000-000000000001', 1, 'sv', '2018-03-14', 10, '{}', 'h1', 1, '2018-03-14', 7),
			       ('00000000-0000-4000-8000-000000000002', 1, 'sv', '2018-03-14', 10, '{}', 'h2', 0, '2018-03-14', 8)`,
		`INSERT INTO tokens (name, role, hash, created_at) VALUES ('Surfplatta', 'kiosk', 'h', '2017-01-01T00:00:00Z')`,
		`INSERT INTO tokens (name, role, hash, created_at, revoked_at) VALUES ('Gammal', 'kiosk', 'g', '2017-01-01T00:00:00Z', '2017-02-01T00:00:00Z')`,
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	as, err := db.FindSuspectAnswers(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 || as[0].ResponseID != "00000000-0000-4000-8000-000000000001" ||
		cmp.Diff([]lofte.SuspectReason{lofte.ReasonTooFast}, as[0].Reasons) != "" || !as[0].Suspect {
		t.Errorf("suspect answers after the migration: %+v", as)
	}
	ts, err := db.FindTokens(ctx, lofte.RoleKiosk)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range ts {
		switch {
		case tok.RevokedAt == nil && (tok.LastUsedAt == nil || tok.Expired(time.Now())):
			t.Errorf("live token %q expired at the upgrade: last use %v", tok.Name, tok.LastUsedAt)
		case tok.RevokedAt != nil && tok.LastUsedAt != nil:
			t.Errorf("revoked token %q got a last use", tok.Name)
		}
	}
}

// TestTouchToken: a use is recorded unless a later one is.
func TestTouchToken(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	tok := &lofte.Token{Name: "Surfplatta", Role: lofte.RoleKiosk, Hash: "h"}
	if err := db.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2018, 3, 14, 10, 0, 0, 0, time.UTC)
	for _, use := range []time.Time{at, at.Add(-time.Hour)} {
		if err := db.TouchToken(ctx, tok.ID, use); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.FindTokenByHash(ctx, "h")
	if err != nil {
		t.Fatal(err)
	}
	if got.LastUsedAt == nil || !got.LastUsedAt.Equal(at) {
		t.Errorf("last use %v, want %v", got.LastUsedAt, at)
	}
}
