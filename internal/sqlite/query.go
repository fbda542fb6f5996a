package sqlite

import (
	"context"
	"database/sql"

	"medborgarlofte/internal/lofte"
)

// scopeConds are the conditions that keep rows of a promise's stops s at localities l within
// inclusive local dates and, when named, some basorter.
func scopeConds(promiseID int64, from, to *lofte.Date, basorter []string) ([]string, []any) {
	where := []string{"s.promise_id = ?"}
	args := []any{promiseID}
	if from != nil {
		where, args = append(where, "s.local_date >= ?"), append(args, from.String())
	}
	if to != nil {
		where, args = append(where, "s.local_date <= ?"), append(args, to.String())
	}
	if len(basorter) > 0 {
		where = append(where, "l.name IN ("+placeholders(len(basorter))+")")
		for _, b := range basorter {
			args = append(args, b)
		}
	}
	return where, args
}

// insert runs the INSERT q and returns the id of the row it added.
func insert(ctx context.Context, tx *sql.Tx, q string, args ...any) (int64, error) {
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// queryAll runs q and scans every row with scan.
func queryAll[T any](ctx context.Context, tx *sql.Tx, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	var out []T
	err := queryEach(ctx, tx, scan, func(v T) error { out = append(out, v); return nil }, q, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// queryEach runs q and calls fn with each row scanned by scan, one at a time; an error from
// fn stops it.
func queryEach[T any](ctx context.Context, tx *sql.Tx, scan func(scanner) (T, error), fn func(T) error, q string, args ...any) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}
