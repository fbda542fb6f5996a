package sqlite

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"testing/fstest"
)

// OpenWith opens path as Open does, with migs in place of the embedded migrations.
func OpenWith(ctx context.Context, path string, migs fs.FS) (*DB, error) {
	return open(ctx, path, migs)
}

// Migrations returns the embedded migrations up to version, and extra files beside them.
func Migrations(version int64, extra fstest.MapFS) fstest.MapFS {
	out := fstest.MapFS{}
	entries, _ := fs.Glob(migrations, "migrations/*.sql")
	for _, e := range entries {
		var n int64
		if _, err := fmt.Sscanf(path.Base(e), "%05d_", &n); err != nil || n > version {
			continue
		}
		b, _ := migrations.ReadFile(e)
		out[path.Base(e)] = &fstest.MapFile{Data: b}
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}
