package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"medborgarlofte/internal/lofte"
)

// runRetention applies each promise's retention as if today were --as-of (by default today)
// and prints what it removed, one line per promise.
func runRetention(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := newFlags("retention", stderr)
	asOf := fset.String("as-of", "", "tillämpa som om i dag vore ÅÅÅÅ-MM-DD (standard i dag)")
	dbPath := dbFlag(fset)
	if err := parse(fset, args); err != nil {
		return err
	}
	day := lofte.LocalDate(time.Now())
	if *asOf != "" {
		d, err := lofte.ParseDate(*asOf)
		if err != nil {
			return errUsage{fmt.Sprintf("retention: --as-of %q: datum skrivs ÅÅÅÅ-MM-DD", *asOf)}
		}
		day = d
	}
	db, err := openExisting(ctx, "retention", *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	rs, err := db.ApplyRetention(ctx, day)
	for _, r := range rs {
		fmt.Fprintln(stdout, describeRetention(r))
	}
	return err
}

// describeRetention says in Swedish what retention removed from one promise.
func describeRetention(r lofte.Retention) string { return r.Slug + ": " + r.Text() }

// retentionDaily applies retention at once and then at every tick until ctx ends, as
// `serve` does daily, logging what it removed. A failed run is logged and the next tick
// tries again; now gives the day (the clock is injected for tests).
func retentionDaily(ctx context.Context, log *slog.Logger, st lofte.RetentionStore, now func() time.Time, tick <-chan time.Time) {
	for {
		rs, err := st.ApplyRetention(ctx, lofte.LocalDate(now()))
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			log.Error("retention failed; trying again tomorrow", "err", err)
		}
		for _, r := range rs {
			if r.Removed() {
				log.Info("retention removed data past its time", "promise", r.Slug, "comments", r.Comments,
					"notes", r.Notes, "responses", r.Responses)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
	}
}
