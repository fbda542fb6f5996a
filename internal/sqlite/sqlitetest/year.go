package sqlitetest

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"medborgarlofte/internal/demo"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite"
)

// MustAddNextYear stores a copy of p one year later (not active; its title's year moved on),
// with p's localities but those named in drop and with add, and fills it with a demo year of
// its own seed: two promises in one database, for comparing years.
func MustAddNextYear(tb testing.TB, db *sqlite.DB, p *lofte.Promise, drop []string, add ...*lofte.Locality) *lofte.Promise {
	tb.Helper()
	ctx := context.Background()
	next := *p
	year := func(d lofte.Date) lofte.Date { d.Year++; return d }
	next.ID, next.Slug = 0, p.Slug+"-next"
	next.Title = strings.ReplaceAll(p.Title, strconv.Itoa(p.Period.From.Year), strconv.Itoa(p.Period.From.Year+1))
	next.Period = lofte.Period{From: year(p.Period.From), To: year(p.Period.To), Label: p.Period.Label}
	next.Excluded = nil
	for _, x := range p.Excluded {
		next.Excluded = append(next.Excluded, lofte.Period{From: year(x.From), To: year(x.To), Label: x.Label})
	}
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
	if err := db.CreatePromise(ctx, &next, append(copied, add...)); err != nil {
		tb.Fatal(err)
	}
	if ls, err = db.FindLocalities(ctx, next.ID); err != nil {
		tb.Fatal(err)
	}
	if _, err := demo.Fill(ctx, db, &next, ls, demo.DefaultSeed+1); err != nil {
		tb.Fatal(err)
	}
	return &next
}
