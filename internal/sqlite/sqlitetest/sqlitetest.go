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

// MustOpen opens a fresh, empty database file; it closes when the test ends.
func MustOpen(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "test.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// MustOpenSeeded opens a fresh database file with the built-in promise loaded; it closes
// when the test ends.
func MustOpenSeeded(tb testing.TB) (*sqlite.DB, *lofte.Promise) {
	tb.Helper()
	db := MustOpen(tb)
	p, _, err := seed.Ensure(context.Background(), db)
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
