package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"medborgarlofte/internal/lofte"
)

// Group commit. One durable commit (synchronous=FULL) costs an fsync, far more than the
// rows of a batch, so concurrent CreateResponses calls share one: the first caller leads,
// commits every batch queued by then in one transaction, and hands the lead to the next
// queued caller. A caller alone commits at once; batches that arrive during a commit form the
// next group, so the group grows with the load. Each batch is still all or nothing, and
// fails only for its own reasons (commitGroup).

const (
	// groupWindow bounds how long a leader waits for company, and only when the last group
	// had some: an idle kiosk's answer is never held back.
	groupWindow = 2 * time.Millisecond
	// groupMaxAnswers closes a group: past it the rest wait for the next transaction, which
	// keeps one transaction's work, and so every member's wait, bounded.
	groupMaxAnswers = 2000
)

// ingestGroup queues the batches waiting for a commit.
type ingestGroup struct {
	mu      sync.Mutex
	queue   []*ingestJob
	leading bool
	// arrived is poked when a batch joins the queue, for a leader waiting for company.
	arrived chan struct{}
	// last is how many batches the last group held, what a leader waits for, and ended when
	// it committed: a leader waits only right after a group with company.
	last  int
	ended time.Time

	groups, batches atomic.Int64
	// failGroup, set by tests, fails a group's transaction before it commits.
	failGroup func() error
}

// ingestJob is one CreateResponses call: its batch, and the outcome the leader fills in.
type ingestJob struct {
	ctx     context.Context
	rs      []*lofte.Response
	flags   []lofte.SuspectFlag
	results []lofte.IngestResult
	err     error
	// done tells a woken caller that its batch was committed (or failed), rather than that
	// it leads now.
	done bool
	wake chan struct{}
}

// IngestStats reports how many group transactions committed and how many batches they held.
func (db *DB) IngestStats() (groups, batches int64) {
	return db.ingest.groups.Load(), db.ingest.batches.Load()
}

// submit queues j and returns once j's batch was committed or failed. The caller that finds
// nobody leading leads; a woken follower whose batch is still queued leads the next group.
func (g *ingestGroup) submit(db *DB, j *ingestJob) {
	g.mu.Lock()
	g.queue = append(g.queue, j)
	if g.arrived == nil {
		g.arrived = make(chan struct{}, 1)
	}
	if g.leading {
		g.mu.Unlock()
		select {
		case g.arrived <- struct{}{}:
		default:
		}
		<-j.wake
		if j.done {
			return
		}
	} else {
		g.leading = true
		g.mu.Unlock()
	}
	jobs := g.gather()
	// Should the leader panic, its group fails and the lead passes on, rather than leave
	// every later caller waiting for a leader that is gone.
	defer func() {
		if p := recover(); p != nil {
			for _, o := range jobs {
				o.results, o.err = nil, fmt.Errorf("group commit: %v", p)
			}
			g.finish(jobs, j)
			panic(p)
		}
	}()
	db.commitGroup(jobs)
	g.finish(jobs, j)
}

// finish answers a committed group's callers but the leader j, and passes the lead on to the
// next queued caller, if any.
func (g *ingestGroup) finish(jobs []*ingestJob, j *ingestJob) {
	g.groups.Add(1)
	g.batches.Add(int64(len(jobs)))
	for _, o := range jobs {
		o.done = true
		if o != j {
			o.wake <- struct{}{}
		}
	}
	g.mu.Lock()
	g.last, g.ended = len(jobs), time.Now()
	if len(g.queue) == 0 {
		g.leading = false
		g.mu.Unlock()
		return
	}
	next := g.queue[0]
	g.mu.Unlock()
	next.wake <- struct{}{}
}

// gather takes the next group off the queue (the leader's own batch is first). When the last
// group, just committed, had company, it waits up to groupWindow for as many batches as that
// one held.
func (g *ingestGroup) gather() []*ingestJob {
	g.mu.Lock()
	if want := g.last; want > 1 && time.Since(g.ended) < groupWindow && len(g.queue) < want &&
		answers(g.queue) < groupMaxAnswers {
		g.mu.Unlock()
		t := time.NewTimer(groupWindow)
	wait:
		for {
			select {
			case <-g.arrived:
			case <-t.C:
				break wait
			}
			g.mu.Lock()
			enough := len(g.queue) >= want || answers(g.queue) >= groupMaxAnswers
			g.mu.Unlock()
			if enough {
				break
			}
		}
		t.Stop()
		g.mu.Lock()
	}
	defer g.mu.Unlock()
	n, sum := 0, 0
	for n < len(g.queue) && (n == 0 || sum+len(g.queue[n].rs) <= groupMaxAnswers) {
		sum += len(g.queue[n].rs)
		n++
	}
	jobs := g.queue[:n:n]
	g.queue = append([]*ingestJob(nil), g.queue[n:]...)
	return jobs
}

func answers(q []*ingestJob) int {
	n := 0
	for _, j := range q {
		n += len(j.rs)
	}
	return n
}

// commitGroup stores the batches of jobs in one transaction and fills in each job's outcome.
// A batch refused for its content (a *lofte.ItemError or another domain error) takes the
// transaction down with it (its writes are in it): the group is rolled back and run again
// without that batch, which has its error, so a batch fails only for its own reasons, as it
// would have alone. (Savepoints per batch would do the same at two statements per batch, a
// seventh of the store's time for single answers; failures are rare.) Any other error met in
// a batch, a disk I/O error say, is the store's, not the batch's: every caller of the group
// has it, rather than the group being run again once per batch. Should the transaction fail
// outside the batches, at its commit say, each batch is tried alone. A batch whose caller
// gave up before the group began is not stored.
func (db *DB) commitGroup(jobs []*ingestJob) {
	var live []*ingestJob
	for _, j := range jobs {
		if err := j.ctx.Err(); err != nil {
			j.err = err
			continue
		}
		live = append(live, j)
	}
	// A transaction that began commits for all its members, whoever of them gives up.
	ctx := context.Background()
	if len(live) > 0 {
		ctx = context.WithoutCancel(live[0].ctx)
	}
	for len(live) > 1 {
		in, own, err := db.ingestTx(ctx, live)
		switch {
		case err == nil:
			return
		case in == nil:
			for _, j := range live {
				db.ingestAlone(ctx, j)
			}
			return
		case !own:
			for _, j := range live {
				j.results, j.err = nil, err
			}
			return
		default:
			in.results, in.err = nil, err
			live = slices.DeleteFunc(live, func(j *ingestJob) bool { return j == in })
		}
	}
	if len(live) == 1 {
		db.ingestAlone(ctx, live[0])
	}
}

// ingestAlone stores one batch in its own transaction.
func (db *DB) ingestAlone(ctx context.Context, j *ingestJob) {
	j.results = nil
	if _, _, j.err = db.ingestTx(ctx, []*ingestJob{j}); j.err != nil {
		j.results = nil
	}
}

// ingestTx stores the batches of jobs in one transaction. On an error met in a batch it
// returns that batch's job, and whether the batch's content caused it (own): a
// *lofte.ItemError or a domain error, as opposed to the store failing under it.
func (db *DB) ingestTx(ctx context.Context, jobs []*ingestJob) (in *ingestJob, own bool, err error) {
	err = db.write(ctx, func(tx *sql.Tx) error {
		st, err := prepareIngest(ctx, tx)
		if err != nil {
			return err
		}
		defer st.close()
		stops := map[int64]*lofte.Stop{}
		received := lofte.LocalDate(db.now()).String()
		for _, j := range jobs {
			if err := db.ingestBatch(ctx, tx, st, stops, received, j); err != nil {
				var ie *lofte.ItemError
				in, own = j, errors.As(err, &ie) || lofte.AsError(err) != nil
				return err
			}
		}
		if err := st.flushCounts(ctx); err != nil {
			return err
		}
		if len(jobs) > 1 && db.ingest.failGroup != nil {
			return db.ingest.failGroup()
		}
		return nil
	})
	return in, own, err
}
