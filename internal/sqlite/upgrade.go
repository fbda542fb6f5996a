package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Upgrade is what Open did to a database an earlier version of the program had used: the
// schema versions before and after, and the backup it wrote before migrating.
type Upgrade struct {
	From, To int64
	Backup   string
}

// Upgrade returns what opening did to an older schema, or nil when the schema was new or
// already the newest.
func (db *DB) Upgrade() *Upgrade { return db.upgrade }

// UpgradeError is a migration that failed. The database file is as it was before (schema
// From), and Backup, when not empty, is the copy written before trying.
type UpgradeError struct {
	Path     string
	From, To int64
	Backup   string
	Err      error
	// moved says that some migrations were applied before the failing one, so the file must
	// be put back from Backup once every connection is closed (undoUpgrade).
	moved bool
}

func (e *UpgradeError) Error() string {
	msg := fmt.Sprintf("migrating %s from schema %d to %d failed: %v; the database is left at schema %d",
		e.Path, e.From, e.To, e.Err, e.From)
	if e.Backup != "" {
		msg += "; the backup taken before is " + e.Backup
	}
	return msg
}

func (e *UpgradeError) Unwrap() error { return e.Err }

// migrate brings the schema from version from (probe read it) to the newest of migs. A
// database some version of the program has used gets a backup beside it first, so an upgrade
// can always be undone by hand.
func (db *DB) migrate(ctx context.Context, migs fs.FS, from int64) error {
	p, err := db.provider(migs)
	if err != nil {
		return err
	}
	srcs := p.ListSources()
	if len(srcs) == 0 {
		return nil
	}
	to := srcs[len(srcs)-1].Version
	if from >= to {
		return nil
	}
	var backup string
	if from > 0 {
		if backup, err = db.backupBefore(ctx, to); err != nil {
			return fmt.Errorf("backup before migrating %s to schema %d (nothing migrated): %w", db.path, to, err)
		}
	}
	if _, err := p.Up(ctx); err != nil {
		// Each migration runs in its own transaction: the failing one left nothing, but those
		// before it were committed.
		now, verr := readSchemaVersion(ctx, db.w)
		return &UpgradeError{Path: db.path, From: from, To: to, Backup: backup, Err: err,
			moved: verr != nil || now != from}
	}
	if from > 0 {
		db.upgrade = &Upgrade{From: from, To: to, Backup: backup}
	}
	return nil
}

// backupBefore writes <db>.before-<to>.bak with Backup, the path the backup command uses; if
// an earlier attempt left that file, the new one gets the time in its name instead.
func (db *DB) backupBefore(ctx context.Context, to int64) (string, error) {
	out := fmt.Sprintf("%s.before-%d.bak", db.path, to)
	if _, err := os.Stat(out); err == nil {
		out = fmt.Sprintf("%s.before-%d.%s.bak", db.path, to, db.Now().UTC().Format("20060102T150405Z"))
	}
	if err := db.Backup(ctx, out); err != nil {
		return "", err
	}
	return out, nil
}

// undoUpgrade puts the backup back over path when a failed upgrade had already applied some
// migrations; every connection is closed by then. Any other error passes through.
func undoUpgrade(path string, err error) error {
	var ue *UpgradeError
	if !errors.As(err, &ue) || !ue.moved {
		return err
	}
	if ue.Backup == "" {
		// A new database: nothing was in it to keep.
		return err
	}
	if rerr := restoreFile(ue.Backup, path); rerr != nil {
		ue.Err = fmt.Errorf("%w; putting the backup back failed too: %v; copy %s over %s by hand", ue.Err, rerr, ue.Backup, path)
	}
	return ue
}

// restoreFile copies backup over path through a temporary file and a rename, then removes
// path's -wal and -shm, which belong to the file being replaced.
func restoreFile(backup, path string) error {
	src, err := os.Open(backup)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp := path + ".restoring"
	dst, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, fileMode)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, src)
	if err = errors.Join(err, dst.Sync(), dst.Close()); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	for _, p := range []string{path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
