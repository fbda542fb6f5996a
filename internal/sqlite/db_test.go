package sqlite_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/seed"
	"medborgarlofte/internal/sqlite"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// MustOpen and MustSeed open a fresh database (sqlitetest's, under the short names these
// tests use): empty, or with the built-in promise loaded.
var (
	MustOpen = sqlitetest.MustOpen
	MustSeed = sqlitetest.MustOpenSeeded
)

func TestPragmasOnEveryConnection(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	// Hold several read connections at once so the pool must open distinct ones.
	conns, err := db.ReadConns(ctx, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	w, err := db.WriteConn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for i, c := range append(conns, w) {
		var fk, sync int
		var mode string
		if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if fk != 1 || sync != 2 || mode != "wal" {
			t.Errorf("connection %d: foreign_keys=%d synchronous=%d journal_mode=%s, want 1, 2 (FULL), wal", i, fk, sync, mode)
		}
	}
}

func TestReadPoolIsReadOnly(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	conns, err := db.ReadConns(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer conns[0].Close()
	if _, err := conns[0].ExecContext(ctx, "DELETE FROM users"); err == nil {
		t.Error("a read connection could write")
	}
}

func TestOpenRefusesBadFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	tests := []struct {
		name    string
		prepare func(path string)
		want    error
	}{
		{"text file", func(p string) { os.WriteFile(p, []byte("hello, this is not a database at all"), 0o600) }, sqlite.ErrNotDatabase},
		{"truncated header", func(p string) { os.WriteFile(p, []byte("SQLite format"), 0o600) }, sqlite.ErrNotDatabase},
		{"another app's sqlite", func(p string) {
			db, err := sqlite.OpenRaw(p)
			if err != nil {
				t.Fatal(err)
			}
			db.Exec("CREATE TABLE other (x)")
			db.Close()
		}, sqlite.ErrNotDatabase},
		{"newer schema", func(p string) {
			db, err := sqlite.Open(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			raw, err := sqlite.OpenRaw(p)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, 1)"); err != nil {
				t.Fatal(err)
			}
			raw.Close()
		}, sqlite.ErrNewerSchema},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name+".db")
			tt.prepare(p)
			before, _ := os.ReadFile(p)
			db, err := sqlite.Open(ctx, p)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open error = %v, want %v", err, tt.want)
			}
			after, _ := os.ReadFile(p)
			if string(before) != string(after) {
				t.Error("the refused file was changed")
			}
		})
	}
}

func TestOpenUnwritableFolder(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	// A path under a regular file cannot be created, even by root.
	_, err := sqlite.Open(context.Background(), filepath.Join(blocker, "data", "x.db"))
	if err == nil {
		t.Fatal("Open succeeded under a file")
	}
}

func TestMigrationsAreIdempotentAndSeedOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, seeded, err := seed.Ensure(ctx, db); err != nil || !seeded {
		t.Fatalf("first Ensure: seeded=%v err=%v", seeded, err)
	}
	db.Close()
	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, seeded, err := seed.Ensure(ctx, db)
	if err != nil || seeded {
		t.Fatalf("second Ensure: seeded=%v err=%v", seeded, err)
	}
	ls, err := db.FindLocalities(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 13 {
		t.Errorf("localities = %d, want 13 (seeded once)", len(ls))
	}
	if v, err := db.SchemaVersionInDB(ctx); err != nil || v != sqlite.SchemaVersion() {
		t.Errorf("schema version %d (%v), want %d", v, err, sqlite.SchemaVersion())
	}
}

func TestBackupIsConsistentCopy(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "backup", "copy.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, out); err == nil {
		t.Error("Backup overwrote an existing file")
	}
	cp, err := sqlite.Open(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	got, err := cp.ActivePromise(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Slug != p.Slug {
		t.Errorf("copy has promise %q, want %q", got.Slug, p.Slug)
	}
}

func TestTimeStoredAsUTC(t *testing.T) {
	db, _ := MustSeed(t)
	db.Now = func() time.Time { return time.Date(2018, 3, 1, 12, 0, 0, 0, lofte.Zone) }
	u := &lofte.User{Name: "anna", Role: lofte.RoleAdmin, PasswordHash: "x"}
	if err := db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindUserByName(context.Background(), "ANNA")
	if err != nil {
		t.Fatal(err)
	}
	if got.CreatedAt.Location() != time.UTC || !got.CreatedAt.Equal(db.Now()) {
		t.Errorf("CreatedAt = %v", got.CreatedAt)
	}
}
