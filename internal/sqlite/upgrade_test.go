package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"medborgarlofte/internal/demo"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/seed"
	"medborgarlofte/internal/sqlite"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// fixtureVersion is the schema of testdata/upgrade.db: the one before the newest when the
// fixture was made. Tests upgrade it to whatever is newest now.
const fixtureVersion = 11

// fixture is the committed database at fixtureVersion, with part of the demo year in it.
const fixture = "testdata/upgrade.db"

// TestWriteUpgradeFixture makes testdata/upgrade.db when MEDBORGARLOFTE_WRITE_FIXTURE=1
// (scripts/make-upgrade-fixture): a new database migrated only to fixtureVersion, seeded and
// given part of the demo year by the store, as a program of that version would have left it.
func TestWriteUpgradeFixture(t *testing.T) {
	if os.Getenv("MEDBORGARLOFTE_WRITE_FIXTURE") == "" {
		t.Skip("writes the fixture only with MEDBORGARLOFTE_WRITE_FIXTURE=1 (scripts/make-upgrade-fixture)")
	}
	ctx := context.Background()
	tmp := filepath.Join(t.TempDir(), "make.db")
	db, err := sqlite.OpenWith(ctx, tmp, sqlite.Migrations(fixtureVersion, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, _, err := seed.Ensure(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := db.FindLocalities(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Kept for good, as serve --demo does, so that retention at start keeps the 2018 answers.
	keep := 0
	if _, err := db.UpdatePromise(ctx, p.ID, lofte.PromiseUpdate{RetentionMonths: &keep}); err != nil {
		t.Fatal(err)
	}
	// The demo year's stops with the answers of every fifth, to keep the file small.
	y := demo.Generate(p, ls, demo.DefaultSeed)
	for _, s := range y.Stops {
		s.PromiseID = p.ID
	}
	if err := db.CreateStops(ctx, y.Stops); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(y.Stops); i += 5 {
		for _, r := range y.Responses[i] {
			r.StopID = y.Stops[i].ID
		}
		if len(y.Responses[i]) == 0 {
			continue
		}
		if _, err := db.CreateResponses(ctx, y.Responses[i]); err != nil {
			t.Fatal(err)
		}
	}
	os.Remove(fixture)
	if err := db.Backup(ctx, fixture); err != nil {
		t.Fatal(err)
	}
	if v := sqlitetest.SchemaVersion(t, fixture); v != fixtureVersion {
		t.Fatalf("fixture at schema %d, want %d", v, fixtureVersion)
	}
}

// copyFixture copies the committed old database into a new folder and returns its path.
func copyFixture(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// responseIDs reads every response id of a database file without changing it.
func responseIDs(t *testing.T, path string) map[string]bool {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query("SELECT id FROM responses")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	ids := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids[id] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestUpgradeWritesBackupFirst(t *testing.T) {
	ctx := context.Background()
	path := copyFixture(t)
	before := responseIDs(t, path)
	if len(before) == 0 {
		t.Fatal("the fixture has no responses")
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	up := db.Upgrade()
	db.Close()
	want := path + ".before-" + strconv.FormatInt(sqlite.SchemaVersion(), 10) + ".bak"
	if up == nil || up.From != fixtureVersion || up.To != sqlite.SchemaVersion() || up.Backup != want {
		t.Fatalf("upgrade %+v, want from %d to %d with backup %s", up, fixtureVersion, sqlite.SchemaVersion(), want)
	}
	fi, err := os.Stat(want)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", fi.Mode().Perm())
	}
	if v := sqlitetest.SchemaVersion(t, want); v != fixtureVersion {
		t.Errorf("backup at schema %d, want %d", v, fixtureVersion)
	}
	if v := sqlitetest.SchemaVersion(t, path); v != sqlite.SchemaVersion() {
		t.Errorf("database at schema %d after the upgrade", v)
	}
	for name, p := range map[string]string{"backup": want, "database": path} {
		if got := responseIDs(t, p); !maps.Equal(got, before) {
			t.Errorf("%s holds %d responses, the fixture %d", name, len(got), len(before))
		}
	}
	// Opening the newest schema again changes nothing and writes no second backup.
	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if up := db.Upgrade(); up != nil {
		t.Errorf("second open upgraded again: %+v", up)
	}
	if m, _ := filepath.Glob(path + ".before-*"); len(m) != 1 {
		t.Errorf("backups after two opens: %v", m)
	}
}

func TestNewDatabaseHasNoUpgrade(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "new.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if up := db.Upgrade(); up != nil {
		t.Errorf("a new database reports an upgrade: %+v", up)
	}
	if m, _ := filepath.Glob(path + ".before-*"); len(m) != 0 {
		t.Errorf("a new database got a backup: %v", m)
	}
}

// TestFailedUpgradeLeavesTheDatabase: a migration that fails, first or after others were
// applied, leaves the file at its old schema with its data, and says where the backup is.
func TestFailedUpgradeLeavesTheDatabase(t *testing.T) {
	broken := &fstest.MapFile{Data: []byte("-- +goose Up\nCREATE TABLE upgrade_probe (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n")}
	for name, migs := range map[string]fstest.MapFS{
		"first pending fails":  sqlite.Migrations(fixtureVersion, fstest.MapFS{"00098_broken.sql": broken}),
		"fails after the rest": sqlite.Migrations(sqlite.SchemaVersion(), fstest.MapFS{"00099_broken.sql": broken}),
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			path := copyFixture(t)
			before := responseIDs(t, path)
			db, err := sqlite.OpenWith(ctx, path, migs)
			if err == nil {
				db.Close()
				t.Fatal("a broken migration opened")
			}
			var ue *sqlite.UpgradeError
			if !errors.As(err, &ue) || ue.From != fixtureVersion || ue.Backup == "" {
				t.Fatalf("error %v, want an UpgradeError from %d with a backup", err, fixtureVersion)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("left at schema %d", fixtureVersion)) || !strings.Contains(err.Error(), ue.Backup) {
				t.Errorf("message %q does not say the database is as it was and where the backup is", err)
			}
			if v := sqlitetest.SchemaVersion(t, path); v != fixtureVersion {
				t.Errorf("database at schema %d after the failure, want %d", v, fixtureVersion)
			}
			if got := responseIDs(t, path); !maps.Equal(got, before) {
				t.Errorf("database holds %d responses after the failure, want %d", len(got), len(before))
			}
			// The current program opens it again and upgrades it.
			db, err = sqlite.Open(ctx, path)
			if err != nil {
				t.Fatalf("open after the failure: %v", err)
			}
			db.Close()
		})
	}
}
