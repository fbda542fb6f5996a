package sqlite_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/seed"
	"medborgarlofte/internal/sqlite"
)

// TestAddVisitorsBound: the +1 button counts up to lofte.MaxVisitors and no further; a tap
// past it is a conflict that changes nothing, and the tally never goes below zero.
func TestAddVisitorsBound(t *testing.T) {
	db, _ := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	almost := lofte.MaxVisitors - 1
	if _, err := db.UpdateStop(ctx, s.ID, lofte.StopUpdate{Visitors: &almost}); err != nil {
		t.Fatal(err)
	}
	got, err := db.AddVisitors(ctx, s.ID, 1)
	if err != nil || got.Visitors != lofte.MaxVisitors {
		t.Fatalf("+1 to the maximum: %v, %v", got, err)
	}
	for _, n := range []int{1, 100} {
		_, err = db.AddVisitors(ctx, s.ID, n)
		if e := lofte.AsError(err); e == nil || e.Code != lofte.ECONFLICT || e.Field != "visitors" {
			t.Errorf("+%d past the maximum: err = %v, want conflict on visitors", n, err)
		}
	}
	if got, err = db.FindStopByID(ctx, s.ID); err != nil || got.Visitors != lofte.MaxVisitors {
		t.Errorf("after refused taps: %v, %v", got.Visitors, err)
	}
	if got, err = db.AddVisitors(ctx, s.ID, -1); err != nil || got.Visitors != lofte.MaxVisitors-1 {
		t.Errorf("−1 from the maximum: %v, %v", got, err)
	}
	zero := 0
	if _, err := db.UpdateStop(ctx, s.ID, lofte.StopUpdate{Visitors: &zero}); err != nil {
		t.Fatal(err)
	}
	if got, err = db.AddVisitors(ctx, s.ID, -10); err != nil || got.Visitors != 0 {
		t.Errorf("−10 from zero: %v, %v", got, err)
	}
	if _, err = db.AddVisitors(ctx, 999999, 1); lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
		t.Errorf("unknown stop: err = %v, want not found", err)
	}
}

// TestFilesArePrivate: the database, its -wal and -shm, and a backup are readable by their
// owner only (0600), whatever the umask; an existing database made readable to others by an
// earlier version is made private when opened.
func TestFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "private.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := seed.Ensure(ctx, db); err != nil {
		t.Fatal(err)
	}
	MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	backup := filepath.Join(dir, "backups", "copy.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm", backup} {
		wantMode(t, p, 0o600)
	}
	db.Close()

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	wantMode(t, path, 0o600)
}

func wantMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Error(err)
		return
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s has mode %v, want %v", filepath.Base(path), got, want)
	}
}
