package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"medborgarlofte/internal/lofte"
)

const feedbackColumns = `f.id, f.promise_id, f.locality_id, l.name, f.stop_id, f.topic, f.said, f.action, f.status,
	f.feedback_on, f.channel, f.created_at, f.updated_at FROM feedback_items f JOIN localities l ON l.id = f.locality_id`

func scanFeedback(row scanner) (*lofte.FeedbackItem, error) {
	var (
		f         lofte.FeedbackItem
		stop      sql.NullInt64
		on        sql.NullString
		made, upd string
	)
	if err := row.Scan(&f.ID, &f.PromiseID, &f.LocalityID, &f.Basort, &stop, &f.Topic, &f.Said, &f.Action, &f.Status,
		&on, &f.Channel, &made, &upd); err != nil {
		return nil, err
	}
	if stop.Valid {
		f.StopID = &stop.Int64
	}
	if on.Valid {
		d, err := lofte.ParseDate(on.String)
		if err != nil {
			return nil, err
		}
		f.FeedbackOn = &d
	}
	var e1, e2 error
	f.CreatedAt, e1 = parseTime(made)
	f.UpdatedAt, e2 = parseTime(upd)
	return &f, errors.Join(e1, e2)
}

func dateOrNil(d *lofte.Date) any {
	if d == nil {
		return nil
	}
	return d.String()
}

// CreateFeedback stores a new item for a basort of f.PromiseID.
func (db *DB) CreateFeedback(ctx context.Context, f *lofte.FeedbackItem) error {
	if f.Status == "" {
		f.Status = lofte.FeedbackOpen
	}
	if err := f.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		if f.PromiseID == 0 {
			return errNoPromise
		}
		err := tx.QueryRowContext(ctx, "SELECT id FROM localities WHERE name = ? AND promise_id = ?", f.Basort, f.PromiseID).Scan(&f.LocalityID)
		if errors.Is(err, sql.ErrNoRows) {
			return lofte.UnknownLocality(f.Basort)
		}
		if err != nil {
			return err
		}
		if f.StopID != nil {
			st, err := findStop(ctx, tx, *f.StopID)
			if lofte.ErrorCodeOf(err) == lofte.ENOTFOUND {
				return lofte.Invalid("stop_id", "tillfälle %d finns inte", *f.StopID)
			}
			if err != nil {
				return err
			}
			if err := f.CheckStop(st); err != nil {
				return err
			}
		}
		now := db.now()
		f.CreatedAt, f.UpdatedAt = now, now
		var stop any
		if f.StopID != nil {
			stop = *f.StopID
		}
		f.ID, err = insert(ctx, tx, `INSERT INTO feedback_items (promise_id, locality_id, stop_id, topic, said, action, status,
			feedback_on, channel, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			f.PromiseID, f.LocalityID, stop, f.Topic, f.Said, f.Action, string(f.Status), dateOrNil(f.FeedbackOn), f.Channel,
			fmtTime(now), fmtTime(now))
		return err
	})
	if err != nil {
		return fmt.Errorf("create feedback item: %w", err)
	}
	return nil
}

// UpdateFeedback changes an item.
func (db *DB) UpdateFeedback(ctx context.Context, id int64, upd lofte.FeedbackUpdate) (*lofte.FeedbackItem, error) {
	var f *lofte.FeedbackItem
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		f, err = scanFeedback(tx.QueryRowContext(ctx, "SELECT "+feedbackColumns+" WHERE f.id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return lofte.NotFound("återkopplingsärende %d finns inte", id)
		}
		if err != nil {
			return err
		}
		f.Apply(upd)
		if err := f.Validate(); err != nil {
			return err
		}
		f.UpdatedAt = db.now()
		_, err = tx.ExecContext(ctx, `UPDATE feedback_items SET said = ?, action = ?, status = ?, feedback_on = ?, channel = ?,
			updated_at = ? WHERE id = ?`, f.Said, f.Action, string(f.Status), dateOrNil(f.FeedbackOn), f.Channel, fmtTime(f.UpdatedAt), id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update feedback item %d: %w", id, err)
	}
	return f, nil
}

// FindFeedback returns matching items, newest first.
func (db *DB) FindFeedback(ctx context.Context, flt lofte.FeedbackFilter) ([]*lofte.FeedbackItem, error) {
	where := []string{"f.promise_id = ?"}
	args := []any{flt.PromiseID}
	if len(flt.Basorter) > 0 {
		where = append(where, "l.name IN ("+placeholders(len(flt.Basorter))+")")
		for _, b := range flt.Basorter {
			args = append(args, b)
		}
	}
	if len(flt.Statuses) > 0 {
		where = append(where, "f.status IN ("+placeholders(len(flt.Statuses))+")")
		for _, s := range flt.Statuses {
			args = append(args, string(s))
		}
	}
	q := "SELECT " + feedbackColumns + " WHERE " + strings.Join(where, " AND ") + " ORDER BY f.updated_at DESC, f.id DESC"
	if flt.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, flt.Limit)
	}
	var out []*lofte.FeedbackItem
	err := db.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			f, err := scanFeedback(rows)
			if err != nil {
				return err
			}
			out = append(out, f)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find feedback: %w", err)
	}
	return out, nil
}
