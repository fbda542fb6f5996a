package sqlitetest

import (
	"context"
	"testing"

	"medborgarlofte/internal/sqlite"
)

// SchemaVersion reads a database file's schema version read-only, leaving the file as it is
// (sqlite.Open would migrate it).
func SchemaVersion(tb testing.TB, path string) int64 {
	tb.Helper()
	v, err := sqlite.FileSchemaVersion(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}
