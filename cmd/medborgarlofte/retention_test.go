package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/seed"
	"medborgarlofte/internal/sqlite"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// answered stores, at a held stop of the built-in promise (ended 2018-12-31, 12 months),
// answers with a comment a moderator edited, one without, and a field note, and returns them.
func answered(t *testing.T, db *sqlite.DB, p *lofte.Promise) []*lofte.Response {
	t.Helper()
	ctx := context.Background()
	start := time.Date(2018, 3, 14, 10, 0, 0, 0, lofte.Zone)
	pub := start.AddDate(0, 0, -14)
	st := &lofte.Stop{PromiseID: p.ID, Basort: "Tollarp", Place: "Torget", StartsAt: start, EndsAt: start.Add(3 * time.Hour),
		Kind: lofte.KindRegular, Status: lofte.StatusHeld, PublishedAt: &pub, FieldLog: lofte.FieldLog{Notes: "Pratade med grannen om mopederna"}}
	if err := db.CreateStop(ctx, st); err != nil {
		t.Fatal(err)
	}
	rs := []*lofte.Response{
		{ID: "00000000-0000-4000-8000-000000000001", StopID: st.ID, Date: lofte.DateOf(start), Hour: 11, Lang: "sv",
			Answers: lofte.Answers{"trust": "fairly_high", "comment": lofte.FreeText("Bra att ni kommer")}},
		{ID: "00000000-0000-4000-8000-000000000002", StopID: st.ID, Date: lofte.DateOf(start), Hour: 12, Lang: "sv",
			Answers: lofte.Answers{"trust": "very_low"}},
	}
	if _, err := db.CreateResponses(ctx, rs); err != nil {
		t.Fatal(err)
	}
	edited := "Bra att polisen kommer"
	if _, err := db.ReviewComment(ctx, rs[0].ID, lofte.CommentReview{Status: lofte.CommentApproved, Text: &edited,
		By: "polis-per", At: start.Add(48 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return rs
}

// answeredFile makes a database file with the built-in promise and answered's answers, for
// the built binary, and returns its path, the promise, the answers and the figures' counts.
func answeredFile(t *testing.T) (string, *lofte.Promise, []*lofte.Response, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "r.db")
	db, p := openSeededFile(t, path)
	defer db.Close()
	rs := answered(t, db, p)
	return path, p, rs, tallies(t, db)
}

// openSeededFile opens (creating) the database file at path with the built-in promise loaded;
// the caller closes it before the binary uses the file.
func openSeededFile(t *testing.T, path string) (*sqlite.DB, *lofte.Promise) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := seed.Ensure(ctx, db)
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	return db, p
}

// TestRetentionCommand runs `retention` on a database whose promise ended 13 and then 25
// months before --as-of: first the free text goes, then the responses; the figures stay
// and a retried upload is a duplicate all along.
func TestRetentionCommand(t *testing.T) {
	ctx := context.Background()
	path, p, rs, counts := answeredFile(t)

	// check reopens the database and compares what is left with what is wanted.
	check := func(when string, comments, responses int) {
		t.Helper()
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if cs, err := db.FindComments(ctx, lofte.CommentFilter{PromiseID: p.ID}); err != nil || len(cs) != comments {
			t.Errorf("%s: %d comments (%v), want %d", when, len(cs), err, comments)
		}
		if n, err := db.CountResponses(ctx, p.ID); err != nil || n != responses {
			t.Errorf("%s: %d responses (%v), want %d", when, n, err, responses)
		}
		if got := tallies(t, db); got != counts {
			t.Errorf("%s: the figures changed:\n%s\nwant\n%s", when, got, counts)
		}
		res, err := db.CreateResponses(ctx, rs)
		if err != nil {
			t.Fatalf("%s: retry: %v", when, err)
		}
		for _, r := range res {
			if r.Result != lofte.ResultDuplicate {
				t.Errorf("%s: retried %s is %s, want duplicate", when, r.ID, r.Result)
			}
		}
	}
	// audited lists the details of the audit log's retention entries, oldest first.
	audited := func() []string {
		t.Helper()
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		es, err := db.FindAudit(ctx, lofte.AuditFilter{Action: "retention.run", Actor: "system", Object: "promise:" + strconv.FormatInt(p.ID, 10)})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range slices.Backward(es) {
			out = append(out, e.Detail)
		}
		return out
	}
	steps := []struct {
		asOf, out           string
		comments, responses int
		// audited is the detail of the run's audit entry; "" for a run that removed nothing.
		audited string
	}{
		{"2019-12-31", "kristianstad-2018: inget att ta bort", 1, 2, ""},
		{"2020-01-31", "kristianstad-2018: tog bort 1 synpunkt (med granskningen) och 1 fältanteckning", 0, 2,
			"Gallring av kristianstad-2018: tog bort 1 synpunkt (med granskningen) och 1 fältanteckning"},
		{"2020-02-01", "kristianstad-2018: inget att ta bort", 0, 2, ""},
		{"2021-01-31", "kristianstad-2018: tog bort 2 svar (siffrorna finns kvar)", 0, 0,
			"Gallring av kristianstad-2018: tog bort 2 svar (siffrorna finns kvar)"},
	}
	var wantAudited []string
	for _, s := range steps {
		code, out, stderr := runBin(t, "", "retention", "--as-of", s.asOf, "--db", path)
		if code != 0 || strings.TrimSpace(out) != s.out {
			t.Errorf("as of %s: code %d, printed %q (stderr %q), want %q", s.asOf, code, out, stderr, s.out)
		}
		check("as of "+s.asOf, s.comments, s.responses)
		if s.audited != "" {
			wantAudited = append(wantAudited, s.audited)
		}
		if diff := cmp.Diff(wantAudited, audited()); diff != "" {
			t.Errorf("as of %s: the audit log's retention entries (-want +got)\n%s", s.asOf, diff)
		}
	}

	for _, bad := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"retention", "--as-of", "31/1 2020", "--db", path}, 2, "ÅÅÅÅ-MM-DD"},
		{[]string{"retention", "--db", filepath.Join(t.TempDir(), "none.db")}, 1, "finns inte"},
	} {
		if code, _, stderr := runBin(t, "", bad.args...); code != bad.code || !strings.Contains(stderr, bad.want) {
			t.Errorf("%q: code %d %q", bad.args, code, stderr)
		}
	}
}

// tallies renders the per-stop counts the figures come from (fmt prints maps sorted).
func tallies(t *testing.T, db *sqlite.DB) string {
	t.Helper()
	ts, err := db.FindTallies(context.Background(), []int64{1})
	if err != nil || len(ts) != 1 {
		t.Fatalf("tallies %v: %v", ts, err)
	}
	return fmt.Sprintf("%d %d %v %v", ts[0].Responses, ts[0].ResponsesKey, ts[0].Options, ts[0].OptionKeys)
}

// lockedBuffer is a log destination safe to write from the chore's goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRetentionDaily drives serve's chore with its own clock and ticks: it runs at once,
// again at every tick, logs what it removed, and stops when serve does.
func TestRetentionDaily(t *testing.T) {
	db, p := sqlitetest.MustOpenSeeded(t)
	answered(t, db, p)
	var logs lockedBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	// The clock says 2019-06-01 at the first run, while the free text is kept, and the first
	// day of 2020 (still 2019-12-31 in UTC) after that.
	var (
		mu   sync.Mutex
		runs int
	)
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		runs++
		if runs == 1 {
			return time.Date(2019, 6, 1, 3, 0, 0, 0, lofte.Zone)
		}
		return time.Date(2020, 1, 1, 0, 30, 0, 0, lofte.Zone)
	}
	tick := make(chan time.Time)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { retentionDaily(ctx, log, db, now, tick); close(done) }()
	// A send returns once the chore took the tick, so the run before it has ended.
	tick <- time.Time{}
	tick <- time.Time{}
	cancel()
	<-done
	if runs != 3 {
		t.Errorf("%d runs, want 3: at start and at each of two ticks", runs)
	}
	got := logs.String()
	if n := strings.Count(got, "retention removed"); n != 1 || !strings.Contains(got, "promise=kristianstad-2018 comments=1 notes=1 responses=0") {
		t.Errorf("want one line of what the second run removed, got:\n%s", got)
	}
	if cs, err := db.FindComments(context.Background(), lofte.CommentFilter{PromiseID: p.ID}); err != nil || len(cs) != 0 {
		t.Errorf("comments left: %d (%v)", len(cs), err)
	}
}

// TestDemoKeepsFreeText loads the demo year as `serve --demo` does: its promise keeps free
// text, so retention leaves its comments however late it runs.
func TestDemoKeepsFreeText(t *testing.T) {
	db, p := sqlitetest.MustOpenSeeded(t)
	ctx := context.Background()
	if err := fillDemo(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), db, p); err != nil {
		t.Fatal(err)
	}
	if got, err := db.ActivePromise(ctx); err != nil || got.RetentionMonths != 0 {
		t.Fatalf("demo promise retention %d (%v), want 0", got.RetentionMonths, err)
	}
	rs, err := db.ApplyRetention(ctx, lofte.Date{Year: 2100, Month: 1, Day: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Removed() {
			t.Errorf("retention removed %+v from the demo", r)
		}
	}
}

// TestServeAppliesRetentionAtStart starts serve on a database whose promise ended long ago:
// the first run, at start, removes the free text and logs it; stopping serve stops the chore.
func TestServeAppliesRetentionAtStart(t *testing.T) {
	ctx := context.Background()
	path, p, _, _ := answeredFile(t)
	_, stop := startServe(t, "--db", path)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := db.FindComments(ctx, lofte.CommentFilter{PromiseID: p.ID})
		db.Close()
		if err == nil && len(cs) == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	logs := stop()
	// Responses of 2018 are past their time too (2 × 12 months): both go at the first run.
	if !strings.Contains(logs, `msg="retention removed data past its time" promise=kristianstad-2018 comments=1 notes=1 responses=2`) {
		t.Errorf("serve's log does not say what retention removed:\n%s", logs)
	}
}
