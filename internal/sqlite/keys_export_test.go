package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

// MigrateTo creates a database file migrated only up to version, as an older program left
// it, and returns a handle on it for writing rows of that schema.
func MigrateTo(ctx context.Context, path string, version int64) (*sql.DB, error) {
	raw, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		return nil, err
	}
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, raw, sub, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, err
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		raw.Close()
		return nil, fmt.Errorf("migrate to %d: %w", version, err)
	}
	return raw, nil
}

// CountRow is one row of response_counts.
type CountRow struct {
	StopID       int64
	Suspect      bool
	Item, Option string
	N            int
	KeySum       uint32
}

// CountRows returns every row of response_counts.
func (db *DB) CountRows(ctx context.Context) ([]CountRow, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT stop_id, suspect, item, option, n, keysum FROM response_counts")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CountRow
	for rows.Next() {
		var c CountRow
		if err := rows.Scan(&c.StopID, &c.Suspect, &c.Item, &c.Option, &c.N, &c.KeySum); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RecordKeys returns every stored response's record key by id.
func (db *DB) RecordKeys(ctx context.Context) (map[string]uint32, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT id, record_key FROM responses")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]uint32{}
	for rows.Next() {
		var (
			id  string
			key uint32
		)
		if err := rows.Scan(&id, &key); err != nil {
			return nil, err
		}
		out[id] = key
	}
	return out, rows.Err()
}
