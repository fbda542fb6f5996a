package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/demo"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// TestMigrationMarksKristianstadBasorter migrates a database seeded when only the six largest
// localities of the built-in promise were basorter: afterwards its flags are the seed's (every
// locality but the central town), and another promise's localities of the same names are
// left as they were.
func TestMigrationMarksKristianstadBasorter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sqlite.MigrateTo(ctx, path, 6)
	if err != nil {
		t.Fatal(err)
	}
	// The seed's own flags, as a new database gets them.
	seeded, p := sqlitetest.MustOpenSeeded(t)
	ls, err := seeded.FindLocalities(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	seedBasort := map[string]bool{}
	for _, l := range ls {
		seedBasort[l.Name] = l.Basort
	}
	oldBasorter := map[string]bool{"Åhus": true, "Tollarp": true, "Fjälkinge": true, "Önnestad": true, "Degeberga": true, "Arkelstorp": true}
	for _, slug := range []string{p.Slug, "annat-2018"} {
		pid := insertOldPromise(t, raw, slug)
		for _, l := range ls {
			if _, err := raw.ExecContext(ctx, `INSERT INTO localities (promise_id, name, population, lat, lon, basort, coordinates)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, pid, l.Name, l.Population, l.Lat, l.Lon, oldBasorter[l.Name], string(l.Coordinates)); err != nil {
				t.Fatal(err)
			}
		}
	}
	db := reopen(t, raw, path)
	for i, want := range []func(name string) bool{
		func(name string) bool { return seedBasort[name] },
		func(name string) bool { return oldBasorter[name] },
	} {
		got, err := db.FindLocalities(ctx, int64(i+1))
		if err != nil {
			t.Fatal(err)
		}
		flags, wantFlags := map[string]bool{}, map[string]bool{}
		for _, l := range got {
			flags[l.Name], wantFlags[l.Name] = l.Basort, want(l.Name)
		}
		if diff := cmp.Diff(wantFlags, flags); diff != "" {
			t.Errorf("promise %d basorter (-want +got)\n%s", i+1, diff)
		}
	}
}

// TestMigrationRetention migrates a database from before retention: a promise gets the
// default 12 months, except one holding the demo year (its baseline carries the demo's
// label), which keeps its free text as `serve --demo` now sets.
func TestMigrationRetention(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sqlite.MigrateTo(ctx, path, 7)
	if err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{"demo-2018", "verklig-2019"} {
		insertOldPromise(t, raw, slug)
	}
	if _, err := raw.ExecContext(ctx, `INSERT INTO baselines (promise_id, metric, value, source) VALUES
		(1, 'trust_high', 0.5, ?), (2, 'trust_high', 0.5, 'Trygghetsmätning 2017')`, demo.BaselineSource); err != nil {
		t.Fatal(err)
	}
	db := reopen(t, raw, path)
	got, err := db.ApplyRetention(ctx, lofte.Date{Year: 2018, Month: 1, Day: 1})
	if err != nil {
		t.Fatal(err)
	}
	months := map[string]int{}
	for _, r := range got {
		p, err := db.UpdatePromise(ctx, r.PromiseID, lofte.PromiseUpdate{})
		if err != nil {
			t.Fatal(err)
		}
		months[p.Slug] = p.RetentionMonths
	}
	if diff := cmp.Diff(map[string]int{"demo-2018": 0, "verklig-2019": 12}, months); diff != "" {
		t.Errorf("retention_months (-want +got)\n%s", diff)
	}
}

// insertOldPromise writes a bare 2018 promise into a database of an older schema.
func insertOldPromise(t *testing.T, raw *sql.DB, slug string) int64 {
	t.Helper()
	res, err := raw.ExecContext(context.Background(), `INSERT INTO promises (slug, title, municipality, police_area,
		period_from, period_to, created_at) VALUES (?, 'Löfte', 'Kommun', 'LPO', '2018-01-01', '2018-12-31', '2018-01-01T00:00:00Z')`, slug)
	if err != nil {
		t.Fatal(err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// reopen closes the raw handle on an older database and opens it as the program does,
// migrating it; the database closes when the test ends.
func reopen(t *testing.T, raw *sql.DB, path string) *sqlite.DB {
	t.Helper()
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
