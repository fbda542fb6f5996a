package sqlite

import "context"

// CountOf returns how many rows a query gives.
func (db *DB) CountOf(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, "SELECT count(*) FROM ("+query+")", args...).Scan(&n)
	return n, err
}
