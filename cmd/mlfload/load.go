package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// op sends kiosk k's request number seq of b answers and waits for its answer.
type op func(ctx context.Context, k, seq, b int) error

// result is what one target did under the load.
type result struct {
	requests, answers, errors int
	elapsed                   time.Duration
	latencies                 []time.Duration
	firstErr                  error
}

// drive runs o.kiosks kiosks, each sending requests of b answers one after the other, for
// o.duration or until o.requests requests were sent in all. A failed warm-up request counts
// as an error.
func drive(ctx context.Context, o options, b int, send op) *result {
	var (
		issued atomic.Int64
		mu     sync.Mutex
		wg     sync.WaitGroup
		res    = &result{}
	)
	// Each kiosk's first request warms up what a first use costs once (a connection, the
	// token's first-use stamp, prepared statements) and is not counted.
	warm := make([]error, o.kiosks)
	for k := range o.kiosks {
		wg.Go(func() { warm[k] = send(ctx, k, 0, b) })
	}
	wg.Wait()
	ctx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	start := time.Now()
	for k := range o.kiosks {
		wg.Go(func() {
			var lat []time.Duration
			errs, first := 0, warm[k]
			if first != nil {
				errs++
			}
			for seq := 1; ctx.Err() == nil && issued.Add(1) <= int64(o.requests); seq++ {
				t := time.Now()
				err := send(ctx, k, seq, b)
				if ctx.Err() != nil {
					break // cut off by the end of the run: neither counted nor an error
				}
				lat = append(lat, time.Since(t))
				if err != nil {
					errs++
					if first == nil {
						first = err
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			res.latencies = append(res.latencies, lat...)
			res.errors += errs
			if res.firstErr == nil {
				res.firstErr = first
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.requests = len(res.latencies)
	res.answers = (res.requests - res.errors) * b
	slices.Sort(res.latencies)
	return res
}

// rate is stored (or accepted) answers per second.
func (r *result) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.answers) / r.elapsed.Seconds()
}

func (r *result) quantile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[min(len(r.latencies)-1, int(q*float64(len(r.latencies))))]
}

func (r *result) print(w io.Writer, name string) {
	fmt.Fprintf(w, "%-22s %10.0f %9.0f %9s %9s %7d\n", name, r.rate(), float64(r.requests)/r.elapsed.Seconds(),
		ms(r.quantile(0.50)), ms(r.quantile(0.99)), r.errors)
	if r.firstErr != nil {
		fmt.Fprintf(w, "  first error: %v\n", r.firstErr)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }
