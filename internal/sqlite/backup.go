package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Backup writes a consistent copy of the live database to out, which must not exist yet.
// VACUUM INTO reads one snapshot, so writers carry on meanwhile and the copy is whole. The
// copy is readable by its owner only (fileMode), like the database.
func (db *DB) Backup(ctx context.Context, out string) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file name", out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o750); err != nil {
		return fmt.Errorf("backup: create folder: %w", unwrapPath(err))
	}
	// VACUUM INTO fills an empty file and keeps its mode; made here, it is never 0644.
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		return fmt.Errorf("backup: %w", unwrapPath(err))
	}
	if err := errors.Join(f.Chmod(fileMode), f.Close()); err != nil {
		os.Remove(out)
		return fmt.Errorf("backup: %w", unwrapPath(err))
	}
	if _, err := db.w.ExecContext(ctx, "VACUUM INTO ?", out); err != nil {
		os.Remove(out)
		return fmt.Errorf("backup to %s: %w", out, err)
	}
	if err := os.Chmod(out, fileMode); err != nil {
		return fmt.Errorf("backup: %w", unwrapPath(err))
	}
	return nil
}

// Checkpoint copies the write-ahead log into the database file and empties it
// (wal_checkpoint(TRUNCATE)), as serve does before it exits, so the file alone is the
// whole database. It reports an error when readers kept part of the log in use.
func (db *DB) Checkpoint(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var busy, logFrames, done int
	if err := db.w.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &done); err != nil {
		return fmt.Errorf("checkpoint %s: %w", db.path, err)
	}
	if busy != 0 {
		return fmt.Errorf("checkpoint %s: readers held %d of %d frames", db.path, logFrames-done, logFrames)
	}
	return nil
}

// Size returns the bytes the database takes on disk: the file and its write-ahead log.
func (db *DB) Size() (int64, error) {
	var n int64
	for _, p := range []string{db.path, db.path + "-wal"} {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("size of %s: %w", p, err)
		}
		n += fi.Size()
	}
	return n, nil
}
