package sqlitetest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"medborgarlofte/internal/demo"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/seed"
	"medborgarlofte/internal/sqlite"
)

// CachedScaled returns the path of a database holding the built-in promise and its demo year
// scaled to n responses (demo.FillScaled), building it when missing. Files are kept in
// os.TempDir()/medborgarlofte-bench/ under name and n, so re-runs of a benchmark reuse them;
// put the recipe's version in name, and delete the folder to rebuild. A file is built under
// a temporary name and renamed when complete, so an interrupted build is never reused. extra,
// when not nil, adds what a benchmark needs to the file before it is complete. built says, for
// the log, how the file came to be.
func CachedScaled(ctx context.Context, name string, n int, extra func(context.Context, *sqlite.DB, *lofte.Promise) error) (
	path, built string, err error) {
	path = filepath.Join(os.TempDir(), "medborgarlofte-bench", fmt.Sprintf("%s-%d.db", name, n))
	if _, err := os.Stat(path); err == nil {
		return path, "reused " + path, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", "", err
	}
	start := time.Now()
	tmp := path + ".building"
	for _, f := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", "", err
		}
	}
	db, err := sqlite.Open(ctx, tmp)
	if err != nil {
		return "", "", err
	}
	err = func() error {
		p, _, err := seed.Ensure(ctx, db)
		if err != nil {
			return err
		}
		ls, err := db.FindLocalities(ctx, p.ID)
		if err != nil {
			return err
		}
		if _, err := demo.FillScaled(ctx, db, p, ls, demo.DefaultSeed, n); err != nil {
			return err
		}
		if extra != nil {
			return extra(ctx, db, p)
		}
		return nil
	}()
	if err = errors.Join(err, db.Close()); err != nil {
		return "", "", fmt.Errorf("fixture %s of %d responses: %w", name, n, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", "", err
	}
	return path, fmt.Sprintf("built %s in %s", path, time.Since(start).Round(time.Millisecond)), nil
}
