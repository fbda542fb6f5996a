package metrics

import (
	"context"
	"fmt"
	"time"

	"medborgarlofte/internal/lofte"
)

// Source is what figures are read from: stops and their per-stop counts, feedback items and
// baselines, never the responses themselves.
type Source interface {
	FindLocalities(ctx context.Context, promiseID int64) ([]*lofte.Locality, error)
	FindStops(ctx context.Context, f lofte.StopFilter) ([]*lofte.Stop, int, error)
	FindTallies(ctx context.Context, stopIDs []int64) ([]*lofte.Tally, error)
	FindFeedback(ctx context.Context, f lofte.FeedbackFilter) ([]*lofte.FeedbackItem, error)
	FindBaselines(ctx context.Context, promiseID int64) ([]*lofte.Baseline, error)
}

// Load reads the input of a computation over the scope, so that the API, the dashboard and
// the report all start from the same data.
func Load(ctx context.Context, src Source, p *lofte.Promise, sc Scope, now time.Time) (Input, error) {
	ls, err := src.FindLocalities(ctx, p.ID)
	if err != nil {
		return Input{}, fmt.Errorf("load metrics input: %w", err)
	}
	var basorter []string
	if sc.Basort != "" {
		basorter = []string{sc.Basort}
	}
	// The survey's whole months hold the delivery's days.
	months, _ := sc.months(p)
	stops, _, err := src.FindStops(ctx, lofte.StopFilter{PromiseID: p.ID, From: &months.from, To: &months.to, Basorter: basorter})
	if err != nil {
		return Input{}, fmt.Errorf("load metrics input: %w", err)
	}
	ids := make([]int64, len(stops))
	for i, st := range stops {
		ids[i] = st.ID
	}
	tallies, err := src.FindTallies(ctx, ids)
	if err != nil {
		return Input{}, fmt.Errorf("load metrics input: %w", err)
	}
	items, err := src.FindFeedback(ctx, lofte.FeedbackFilter{PromiseID: p.ID, Basorter: basorter})
	if err != nil {
		return Input{}, fmt.Errorf("load metrics input: %w", err)
	}
	bs, err := src.FindBaselines(ctx, p.ID)
	if err != nil {
		return Input{}, fmt.Errorf("load metrics input: %w", err)
	}
	return Input{Promise: p, Localities: ls, Stops: stops, Tallies: tallies, Feedback: items, Baselines: bs, Now: now}, nil
}
