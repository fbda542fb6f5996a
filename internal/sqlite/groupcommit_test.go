package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite"
)

// outcome is what one CreateResponses call returned.
type outcome struct {
	res []lofte.IngestResult
	err error
}

// grouped runs the batches as one group: a first call is held at the writer (the test holds
// the only write connection) while the batches queue behind it, so the next leader takes them
// all into one transaction. It returns each batch's outcome in order.
func grouped(t *testing.T, db *sqlite.DB, ctxs []context.Context, batches ...[]*lofte.Response) []outcome {
	t.Helper()
	ctx := context.Background()
	s := MustCreateStop(t, db, "Åhus", day("2018-03-20"), lofte.StatusHeld)
	w, err := db.WriteConn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		if _, err := db.CreateResponses(ctx, []*lofte.Response{response(900_000, s, nil)}); err != nil {
			t.Error(err)
		}
	})
	waitLeading(t, db) // the first call leads, its batch taken off the queue
	groups, _ := db.IngestStats()
	out := make([]outcome, len(batches))
	for i, b := range batches {
		c := ctx
		if ctxs != nil && ctxs[i] != nil {
			c = ctxs[i]
		}
		wg.Go(func() {
			res, err := db.CreateResponses(c, b)
			out[i] = outcome{res, err}
		})
		waitQueued(t, db, i+1)
	}
	w.Close()
	wg.Wait()
	if g, _ := db.IngestStats(); g != groups+2 {
		t.Fatalf("%d group transactions, want 2: the held call's and one for all %d batches", g-groups, len(batches))
	}
	return out
}

// waitLeading waits until a caller leads with its batch taken off the queue.
func waitLeading(t *testing.T, db *sqlite.DB) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !db.IngestLeading() || db.IngestQueued() != 0; {
		if time.Now().After(deadline) {
			t.Fatal("no caller leads")
		}
		time.Sleep(time.Millisecond)
	}
}

func waitQueued(t *testing.T, db *sqlite.DB, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); db.IngestQueued() != n; {
		if time.Now().After(deadline) {
			t.Fatalf("%d batches queued, want %d", db.IngestQueued(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestGroupFailingBatchAmidGoodOnes: batches that share a transaction are each all or
// nothing: a conflict, an unknown stop and a cancelled caller fail their own batch only, and
// an id that a neighbour in the same group stored first is a duplicate.
func TestGroupFailingBatchAmidGoodOnes(t *testing.T) {
	for _, failCommit := range []bool{false, true} {
		t.Run(fmt.Sprintf("group commit fails=%v", failCommit), func(t *testing.T) {
			db, p := MustSeed(t)
			ctx := context.Background()
			s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
			if _, err := db.CreateResponses(ctx, []*lofte.Response{response(1, s, lofte.Answers{"trust": "neither"})}); err != nil {
				t.Fatal(err)
			}
			if failCommit {
				// The group's transaction fails as a whole: each batch is then tried alone.
				db.FailIngestGroups(errors.New("disk I/O error"))
			}
			ghost := response(31, s, nil)
			ghost.StopID = 999
			cancelled, cancel := context.WithCancel(ctx)
			cancel()
			out := grouped(t, db, []context.Context{4: cancelled},
				[]*lofte.Response{response(10, s, lofte.Answers{"trust": "very_high"}), response(11, s, nil)},
				[]*lofte.Response{response(20, s, nil), response(1, s, lofte.Answers{"trust": "very_high"})},
				[]*lofte.Response{response(30, s, nil), ghost},
				[]*lofte.Response{response(11, s, nil), response(40, s, lofte.Answers{"satisfaction": 4})},
				[]*lofte.Response{response(50, s, nil)},
			)
			want := []struct {
				results []string
				code    lofte.ErrorCode
				item    int
			}{
				{results: []string{"created", "created"}},
				{code: lofte.ECONFLICT, item: 1},
				{code: lofte.EINVALID, item: 1},
				{results: []string{"duplicate", "created"}},
				{code: "cancelled"},
			}
			for i, w := range want {
				got := out[i]
				if w.code != "" {
					var ie *lofte.ItemError
					switch {
					case w.code == "cancelled" && !errors.Is(got.err, context.Canceled):
						t.Errorf("batch %d: err = %v, want the caller's cancellation", i, got.err)
					case w.code != "cancelled" && (lofte.ErrorCodeOf(got.err) != w.code || !errors.As(got.err, &ie) || ie.Index != w.item):
						t.Errorf("batch %d: err = %v, want %s at item %d", i, got.err, w.code, w.item)
					}
					if got.res != nil {
						t.Errorf("batch %d failed with results %v", i, got.res)
					}
					continue
				}
				if got.err != nil {
					t.Errorf("batch %d: %v", i, got.err)
					continue
				}
				var rs []string
				for _, r := range got.res {
					rs = append(rs, r.Result)
				}
				if fmt.Sprint(rs) != fmt.Sprint(w.results) {
					t.Errorf("batch %d: results %v, want %v", i, rs, w.results)
				}
			}
			// Stored: the earlier 1, the held call's, 10, 11, 40; nothing of 20, 30 or 50.
			if n, _ := db.CountResponses(ctx, p.ID); n != 5 {
				t.Errorf("%d responses stored, want 5", n)
			}
			counts, err := db.StopCounts(ctx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			if counts["*=*"] != 4 || counts["trust=very_high"] != 1 || counts["trust=neither"] != 1 || counts["satisfaction=4"] != 1 {
				t.Errorf("counts %v: the failed batches' rows are counted", counts)
			}
		})
	}
}

// TestGroupStoreErrorFailsTheGroup: an error of the store's own met in one batch (not a
// refusal of its content) fails every batch of the group with it, rather than being blamed on
// that batch while its neighbours are stored.
func TestGroupStoreErrorFailsTheGroup(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	if err := db.FailInsertOf(ctx, uuid(20)); err != nil {
		t.Fatal(err)
	}
	out := grouped(t, db, nil,
		[]*lofte.Response{response(10, s, nil)},
		[]*lofte.Response{response(20, s, nil)},
		[]*lofte.Response{response(30, s, nil)},
	)
	for i, o := range out {
		var ie *lofte.ItemError
		if o.err == nil || !strings.Contains(o.err.Error(), "disk I/O error") || errors.As(o.err, &ie) || o.res != nil {
			t.Errorf("batch %d: err = %v, results %v; want the store's error, no results", i, o.err, o.res)
		}
	}
	// Stored: only the held call's, of the group before.
	if n, _ := db.CountResponses(ctx, p.ID); n != 1 {
		t.Errorf("%d responses stored, want 1", n)
	}
}

// TestGroupCommitConcurrent: many kiosks at once, some retrying each other's answers, store
// every answer exactly once, counted once, in fewer transactions than calls. Run with -race.
func TestGroupCommitConcurrent(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	const kiosks, calls, size = 16, 12, 3
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := map[string]int{}
	for k := range kiosks {
		wg.Go(func() {
			for c := range calls {
				var batch []*lofte.Response
				for i := range size {
					// Neighbouring kiosks send the same answers: a tablet's queue resent by another.
					id := (k/2)*calls*size + c*size + i
					batch = append(batch, response(id, s, lofte.Answers{"satisfaction": 1 + id%5}))
				}
				res, err := db.CreateResponses(ctx, batch)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for _, r := range res {
					if r.Result == lofte.ResultCreated {
						created[r.ID]++
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	want := kiosks / 2 * calls * size
	if len(created) != want {
		t.Errorf("%d ids created, want %d", len(created), want)
	}
	for id, n := range created {
		if n != 1 {
			t.Errorf("%s created %d times", id, n)
		}
	}
	if n, _ := db.CountResponses(ctx, p.ID); n != want {
		t.Errorf("%d stored, want %d", n, want)
	}
	counts, err := db.StopCounts(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if counts["*=*"] != want {
		t.Errorf("counted %d, want %d", counts["*=*"], want)
	}
	groups, batches := db.IngestStats()
	if batches != kiosks*calls {
		t.Errorf("%d batches went through groups, want %d", batches, kiosks*calls)
	}
	t.Logf("%d calls in %d transactions", batches, groups)
}

// TestGroupIdleCommitsAtOnce: a call alone is not held back by the group's window.
func TestGroupIdleCommitsAtOnce(t *testing.T) {
	db, _ := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	for i := range 20 {
		if _, err := db.CreateResponses(ctx, []*lofte.Response{response(i, s, nil)}); err != nil {
			t.Fatal(err)
		}
	}
	if g, b := db.IngestStats(); g != 20 || b != 20 {
		t.Errorf("%d transactions for %d calls, want one each", g, b)
	}
}

// BenchmarkCreateResponsesParallel is the store alone under 64 concurrent single answers: the
// group commit's share of the app's ingest (cmd/mlfload measures the whole request).
func BenchmarkCreateResponsesParallel(b *testing.B) {
	db, _ := MustSeed(b)
	ctx := context.Background()
	s := MustCreateStop(b, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	var next atomic.Int64
	b.SetParallelism(32) // 64 goroutines on 2 cores
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(next.Add(1))
			if _, err := db.CreateResponses(ctx, []*lofte.Response{response(i, s, lofte.Answers{"trust": "neither", "satisfaction": 1 + i%5})}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	groups, batches := db.IngestStats()
	b.ReportMetric(float64(batches)/time.Since(start).Seconds(), "answers/s")
	b.ReportMetric(float64(batches)/float64(max(groups, 1)), "answers/commit")
}

// TestGroupLeaderPanicPassesTheLead: a leader that panics fails its group's callers, and the
// next caller is served rather than left waiting for a leader that is gone.
func TestGroupLeaderPanicPassesTheLead(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	w, err := db.WriteConn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db.PanicIngestGroups("boom")
	var wg sync.WaitGroup
	type got struct {
		err      error
		panicked any
	}
	outs := make([]got, 3)
	for i := range outs {
		wg.Go(func() {
			defer func() { outs[i].panicked = recover() }()
			_, outs[i].err = db.CreateResponses(ctx, []*lofte.Response{response(i+1, s, nil)})
		})
		// The first leads alone, held at the writer; the other two queue as one group.
		if i == 0 {
			waitLeading(t, db)
		} else {
			waitQueued(t, db, i)
		}
	}
	w.Close()
	wg.Wait()
	if outs[0].err != nil || outs[0].panicked != nil {
		t.Errorf("the first call, alone: %v, panic %v", outs[0].err, outs[0].panicked)
	}
	panics, failed := 0, 0
	for _, o := range outs[1:] {
		switch {
		case o.panicked != nil:
			panics++
		case o.err != nil && strings.Contains(o.err.Error(), "boom"):
			failed++
		}
	}
	if panics != 1 || failed != 1 {
		t.Errorf("the panicking group: %d panicked, %d failed; want the leader to panic and the other to fail", panics, failed)
	}
	db.PanicIngestGroups(nil)
	if _, err := db.CreateResponses(ctx, []*lofte.Response{response(9, s, nil)}); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.CountResponses(ctx, p.ID); n != 2 {
		t.Errorf("%d stored, want 2: the first call's and the last", n)
	}
}
