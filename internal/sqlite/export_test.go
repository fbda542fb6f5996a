package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"medborgarlofte/internal/lofte"
)

// ReadConns checks out n distinct connections from the read pool.
func (db *DB) ReadConns(ctx context.Context, n int) ([]*sql.Conn, error) {
	var out []*sql.Conn
	for range n {
		c, err := db.r.Conn(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// WriteConn checks out the writer connection.
func (db *DB) WriteConn(ctx context.Context) (*sql.Conn, error) { return db.w.Conn(ctx) }

// OpenRaw opens a file with the driver alone, to make odd files for tests.
func OpenRaw(path string) (*sql.DB, error) { return sql.Open("sqlite3", "file:"+path) }

// SchemaVersionInDB reads the applied schema version.
func (db *DB) SchemaVersionInDB(ctx context.Context) (int64, error) {
	var v int64
	err := db.r.QueryRowContext(ctx, "SELECT max(version_id) FROM goose_db_version WHERE is_applied").Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}

// StopCounts returns a stop's non-suspect option counts as "item=option" → n.
func (db *DB) StopCounts(ctx context.Context, stopID int64) (map[string]int, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT item, option, n FROM response_counts WHERE stop_id = ? AND suspect = 0", stopID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var item, opt string
		var n int
		if err := rows.Scan(&item, &opt, &n); err != nil {
			return nil, err
		}
		out[item+"="+opt] = n
	}
	return out, rows.Err()
}

// TamperAudit tries to change an audit entry, which the schema refuses.
func (db *DB) TamperAudit(ctx context.Context) error {
	_, err := db.w.ExecContext(ctx, "UPDATE audit SET actor = 'någon annan'")
	return err
}

// IngestQueued is how many batches wait for a leader to take them.
func (db *DB) IngestQueued() int {
	db.ingest.mu.Lock()
	defer db.ingest.mu.Unlock()
	return len(db.ingest.queue)
}

// FailIngestGroups makes every group transaction of more than one batch fail with err before
// it commits; nil undoes it.
func (db *DB) FailIngestGroups(err error) {
	if err == nil {
		db.ingest.failGroup = nil
		return
	}
	db.ingest.failGroup = func() error { return err }
}

// PanicIngestGroups makes the next group transaction panic with v; nil undoes it.
func (db *DB) PanicIngestGroups(v any) {
	if v == nil {
		db.ingest.failGroup = nil
		return
	}
	db.ingest.failGroup = func() error { panic(v) }
}

// IngestLeading reports whether a caller leads a group now.
func (db *DB) IngestLeading() bool {
	db.ingest.mu.Lock()
	defer db.ingest.mu.Unlock()
	return db.ingest.leading
}

// CommentQueryPlan is the query plan of the comment queries' common part for a promise.
func (db *DB) CommentQueryPlan(ctx context.Context, promiseID int64) (string, error) {
	where, args := commentConds(lofte.CommentFilter{PromiseID: promiseID})
	return QueryPlan(ctx, db.r, "SELECT "+commentColumns+" AND "+strings.Join(where, " AND "), args...)
}

// QueryPlan is SQLite's plan for a query, its steps joined by "; ".
func QueryPlan(ctx context.Context, q interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}, query string, args ...any) (string, error) {
	rows, err := q.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "", err
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; "), rows.Err()
}

// FailInsertOf makes inserting the response id fail with an error of the store's own, as a
// failing disk would, rather than a refusal of the response.
func (db *DB) FailInsertOf(ctx context.Context, id string) error {
	_, err := db.w.ExecContext(ctx, fmt.Sprintf(`CREATE TRIGGER fail_insert BEFORE INSERT ON responses
		WHEN NEW.id = '%s' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`, strings.ToLower(id)))
	return err
}
