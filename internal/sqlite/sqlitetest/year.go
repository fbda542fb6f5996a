package sqlitetest

import (
	"context"
	"slices"
	"testing"

	"medborgarlofte/internal/demo"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite"
)

// MustAddNextYear stores p.Copy one year later (not active, not signed; its title's year moved on),
// with p's localities but those named in drop and with add, and fills it with a demo year of
// its own seed: two promises in one database, for comparing years.
func MustAddNextYear(tb testing.TB, db *sqlite.DB, p *lofte.Promise, drop []string, add ...*lofte.Locality) *lofte.Promise {
	tb.Helper()
	ctx := context.Background()
	next, _ := p.Copy(lofte.Period{From: p.Period.From.AddMonths(12), To: p.Period.To.AddMonths(12), Label: p.Period.Label})
	next.Slug = p.Slug + "-next"
	ls, err := db.FindLocalities(ctx, p.ID)
	if err != nil {
		tb.Fatal(err)
	}
	var copied []*lofte.Locality
	for _, l := range ls {
		if !slices.Contains(drop, l.Name) {
			c := *l
			c.ID, c.PromiseID = 0, 0
			copied = append(copied, &c)
		}
	}
	if err := db.CreatePromise(ctx, next, append(copied, add...)); err != nil {
		tb.Fatal(err)
	}
	if ls, err = db.FindLocalities(ctx, next.ID); err != nil {
		tb.Fatal(err)
	}
	if _, err := demo.Fill(ctx, db, next, ls, demo.DefaultSeed+1); err != nil {
		tb.Fatal(err)
	}
	return next
}
