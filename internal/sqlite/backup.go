package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the live database to out, which must not exist yet.
// VACUUM INTO reads one snapshot, so writers carry on meanwhile and the copy is whole.
func (db *DB) Backup(ctx context.Context, out string) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file name", out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o750); err != nil {
		return fmt.Errorf("backup: create folder: %w", unwrapPath(err))
	}
	if _, err := db.w.ExecContext(ctx, "VACUUM INTO ?", out); err != nil {
		return fmt.Errorf("backup to %s: %w", out, err)
	}
	return nil
}
