// Package sqlitetest builds real SQLite databases for other packages' tests, through the
// production open path (migrations included) in a temporary folder.
package sqlitetest

import (
	"context"
	"path/filepath"
	"testing"

	"medborgarlofte/internal/demo"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/seed"
	"medborgarlofte/internal/sqlite"
)

// MustOpenSeeded opens a fresh database file with the built-in promise loaded; it closes
// when the test ends.
func MustOpenSeeded(tb testing.TB) (*sqlite.DB, *lofte.Promise) {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "test.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	p, _, err := seed.Ensure(ctx, db)
	if err != nil {
		tb.Fatal(err)
	}
	return db, p
}

// MustFillDemo fills the database with the reproducible demo year.
func MustFillDemo(tb testing.TB, db *sqlite.DB, p *lofte.Promise) demo.Summary {
	tb.Helper()
	ctx := context.Background()
	ls, err := db.FindLocalities(ctx, p.ID)
	if err != nil {
		tb.Fatal(err)
	}
	sum, err := demo.Fill(ctx, db, p, ls, demo.DefaultSeed)
	if err != nil {
		tb.Fatal(err)
	}
	return sum
}
