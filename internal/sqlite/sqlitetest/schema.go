package sqlitetest

import (
	"database/sql"
	"testing"

	_ "github.com/mattn/go-sqlite3" // the driver of the read-only look
)

// SchemaVersion reads a database file's schema version read-only, leaving the file as it is
// (sqlite.Open would migrate it).
func SchemaVersion(tb testing.TB, path string) int64 {
	tb.Helper()
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	var v int64
	if err := conn.QueryRow("SELECT max(version_id) FROM goose_db_version WHERE is_applied").Scan(&v); err != nil {
		tb.Fatal(err)
	}
	return v
}
