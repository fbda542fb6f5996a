package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"medborgarlofte/internal/lofte"
)

const stopColumns = `s.id, s.promise_id, s.locality_id, l.name, s.place, s.starts_at, s.ends_at, s.kind, s.status,
	s.published_at, s.cancel_reason, s.actual_start, s.actual_end, s.staff, s.visitors,
	s.c_crime_report, s.c_tip, s.c_advice, s.c_other, s.topics, s.notes, s.sequence, s.version, s.created_at, s.updated_at`

const stopFrom = ` FROM stops s JOIN localities l ON l.id = s.locality_id`

type scanner interface{ Scan(dest ...any) error }

func scanStop(row scanner) (*lofte.Stop, error) {
	var (
		s                       lofte.Stop
		starts, ends, made, upd string
		topics                  string
		pub, actStart, actEnd   sql.NullString
	)
	err := row.Scan(&s.ID, &s.PromiseID, &s.LocalityID, &s.Basort, &s.Place, &starts, &ends, &s.Kind, &s.Status,
		&pub, &s.CancelReason, &actStart, &actEnd, &s.Staff, &s.Visitors,
		&s.Contacts.CrimeReport, &s.Contacts.Tip, &s.Contacts.Advice, &s.Contacts.Other,
		&topics, &s.Notes, &s.Sequence, &s.Version, &made, &upd)
	if err != nil {
		return nil, err
	}
	var errs [8]error
	s.StartsAt, errs[0] = parseTime(starts)
	s.EndsAt, errs[1] = parseTime(ends)
	s.PublishedAt, errs[2] = parseTimePtr(pub)
	s.ActualStart, errs[3] = parseTimePtr(actStart)
	s.ActualEnd, errs[4] = parseTimePtr(actEnd)
	s.CreatedAt, errs[5] = parseTime(made)
	s.UpdatedAt, errs[6] = parseTime(upd)
	errs[7] = json.Unmarshal([]byte(topics), &s.Topics)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, fmt.Errorf("decode stop %d: %w", s.ID, err)
	}
	return &s, nil
}

// FindStopByID returns one stop.
func (db *DB) FindStopByID(ctx context.Context, id int64) (*lofte.Stop, error) {
	var s *lofte.Stop
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		s, err = findStop(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find stop %d: %w", id, err)
	}
	return s, nil
}

func findStop(ctx context.Context, tx *sql.Tx, id int64) (*lofte.Stop, error) {
	s, err := scanStop(tx.QueryRowContext(ctx, "SELECT "+stopColumns+stopFrom+" WHERE s.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lofte.NotFound("tillfälle %d finns inte", id)
	}
	return s, err
}

// FindStops returns matching stops ordered by start, and the total that match.
func (db *DB) FindStops(ctx context.Context, f lofte.StopFilter) ([]*lofte.Stop, int, error) {
	var where []string
	var args []any
	if f.PromiseID != 0 {
		where, args = append(where, "s.promise_id = ?"), append(args, f.PromiseID)
	}
	if f.From != nil {
		where, args = append(where, "s.local_date >= ?"), append(args, f.From.String())
	}
	if f.To != nil {
		where, args = append(where, "s.local_date <= ?"), append(args, f.To.String())
	}
	if len(f.Basorter) > 0 {
		where = append(where, "l.name IN ("+placeholders(len(f.Basorter))+")")
		for _, b := range f.Basorter {
			args = append(args, b)
		}
	}
	if len(f.Statuses) > 0 {
		where = append(where, "s.status IN ("+placeholders(len(f.Statuses))+")")
		for _, st := range f.Statuses {
			args = append(args, string(st))
		}
	}
	if f.PublicOnly {
		where = append(where, "s.status <> 'draft'")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var (
		out   []*lofte.Stop
		total int
	)
	err := db.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT count(*)"+stopFrom+cond, args...).Scan(&total); err != nil {
			return err
		}
		q := "SELECT " + stopColumns + stopFrom + cond + " ORDER BY s.starts_at, s.id"
		pargs := args
		if f.Limit > 0 {
			q += " LIMIT ? OFFSET ?"
			pargs = append(append([]any(nil), args...), f.Limit, f.Offset)
		}
		rows, err := tx.QueryContext(ctx, q, pargs...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			s, err := scanStop(rows)
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find stops: %w", err)
	}
	return out, total, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// resolveLocality sets s.LocalityID from s.Basort (or the name from the id) within s's promise.
func resolveLocality(ctx context.Context, tx *sql.Tx, s *lofte.Stop) error {
	if s.LocalityID != 0 {
		err := tx.QueryRowContext(ctx, "SELECT name FROM localities WHERE id = ? AND promise_id = ?",
			s.LocalityID, s.PromiseID).Scan(&s.Basort)
		if errors.Is(err, sql.ErrNoRows) {
			return lofte.Invalid("basort", "okänd ort")
		}
		return err
	}
	// By name: a new stop or one moved to another place, which only a basort in use gets
	// (the central town is a locality of the promise, not a place the office visits).
	var retired, basort bool
	err := tx.QueryRowContext(ctx, "SELECT id, retired_at IS NOT NULL, basort FROM localities WHERE name = ? AND promise_id = ?",
		s.Basort, s.PromiseID).Scan(&s.LocalityID, &retired, &basort)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return lofte.UnknownLocality(s.Basort)
	case err != nil:
		return err
	case !basort:
		return lofte.Invalid("basort", "%s är ingen basort i löftet och får inga besök", s.Basort)
	case retired:
		return lofte.Invalid("basort", "%s är avvecklad som basort och får inga nya besök", s.Basort)
	}
	return nil
}

// CreateStop stores a new stop of s.PromiseID.
func (db *DB) CreateStop(ctx context.Context, s *lofte.Stop) error {
	if err := s.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *sql.Tx) error { return createStop(ctx, tx, s, db.now(), false) })
	if err != nil {
		return fmt.Errorf("create stop: %w", err)
	}
	return nil
}

// CreateStops stores many stops in one transaction (bulk planning, demo data).
func (db *DB) CreateStops(ctx context.Context, stops []*lofte.Stop) error {
	if err := db.insertStops(ctx, stops, false); err != nil {
		return fmt.Errorf("create stops: %w", err)
	}
	return nil
}

// PlanStops stores new stops in one transaction, or none, refusing the first that takes up
// the mobile office while another stop of its promise does (lofte.Clash): a stop planned
// now, alone or in a series. CreateStop and CreateStops store history, demo data and
// imports as they were.
func (db *DB) PlanStops(ctx context.Context, stops []*lofte.Stop) error {
	if err := db.insertStops(ctx, stops, true); err != nil {
		return fmt.Errorf("plan stops: %w", err)
	}
	return nil
}

// insertStops validates and stores stops in one transaction, each checked against the
// office's calendar when checkClashes.
func (db *DB) insertStops(ctx context.Context, stops []*lofte.Stop, checkClashes bool) error {
	for _, s := range stops {
		if err := s.Validate(); err != nil {
			return err
		}
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		now := db.now()
		for _, s := range stops {
			if err := createStop(ctx, tx, s, now, checkClashes); err != nil {
				return err
			}
		}
		return nil
	})
}

func createStop(ctx context.Context, tx *sql.Tx, s *lofte.Stop, now time.Time, checkClashes bool) error {
	if s.PromiseID == 0 {
		return errNoPromise
	}
	if err := resolveLocality(ctx, tx, s); err != nil {
		return err
	}
	// An unknown basort (above) is named before any clash.
	if checkClashes {
		if err := checkClash(ctx, tx, s); err != nil {
			return err
		}
	}
	if s.Topics == nil {
		s.Topics = []string{}
	}
	topics, _ := json.Marshal(s.Topics)
	s.CreatedAt, s.UpdatedAt, s.Version = now, now, 1
	var err error
	s.ID, err = insert(ctx, tx, `INSERT INTO stops (promise_id, locality_id, place, starts_at, ends_at, local_date,
		kind, status, published_at, cancel_reason, actual_start, actual_end, staff, visitors,
		c_crime_report, c_tip, c_advice, c_other, topics, notes, sequence, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.PromiseID, s.LocalityID, s.Place, fmtTime(s.StartsAt), fmtTime(s.EndsAt), lofte.LocalDate(s.StartsAt).String(),
		string(s.Kind), string(s.Status), fmtTimePtr(s.PublishedAt), s.CancelReason,
		fmtTimePtr(s.ActualStart), fmtTimePtr(s.ActualEnd), s.Staff, s.Visitors,
		s.Contacts.CrimeReport, s.Contacts.Tip, s.Contacts.Advice, s.Contacts.Other,
		string(topics), s.Notes, s.Sequence, s.Version, fmtTime(now), fmtTime(now))
	if err != nil {
		return fmt.Errorf("insert stop: %w", err)
	}
	return nil
}

// checkClash refuses s when it takes up the mobile office (lofte.Stop.Occupies) while another
// stop of its promise does (lofte.Clash, naming the first). It runs in the transaction that
// writes s, so two planners saving the same hour at once cannot both get it.
func checkClash(ctx context.Context, tx *sql.Tx, s *lofte.Stop) error {
	if !s.Occupies() {
		return nil
	}
	other, err := scanStop(tx.QueryRowContext(ctx, "SELECT "+stopColumns+stopFrom+
		` WHERE s.promise_id = ? AND s.id <> ? AND s.status <> 'cancelled' AND s.starts_at < ? AND s.ends_at > ?
		ORDER BY s.starts_at, s.id LIMIT 1`, s.PromiseID, s.ID, fmtTime(s.EndsAt), fmtTime(s.StartsAt)))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("find clash: %w", err)
	}
	return lofte.Clash(s, other)
}

// UpdateStop applies upd to a stop and returns the stop as stored.
func (db *DB) UpdateStop(ctx context.Context, id int64, upd lofte.StopUpdate) (*lofte.Stop, error) {
	var s *lofte.Stop
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		s, err = updateStop(ctx, tx, id, upd, db.now())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update stop %d: %w", id, err)
	}
	return s, nil
}

func updateStop(ctx context.Context, tx *sql.Tx, id int64, upd lofte.StopUpdate, now time.Time) (*lofte.Stop, error) {
	s, err := findStop(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	p, err := findPromise(ctx, tx, s.PromiseID)
	if err != nil {
		return nil, err
	}
	was := *s
	if err := s.Apply(upd, p, now); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := resolveLocality(ctx, tx, s); err != nil {
		return nil, err
	}
	// A stop takes the office anew when its time changes or it is reinstated.
	if !s.StartsAt.Equal(was.StartsAt) || !s.EndsAt.Equal(was.EndsAt) || !was.Occupies() {
		if err := checkClash(ctx, tx, s); err != nil {
			return nil, err
		}
	}
	s.UpdatedAt = now
	topics, _ := json.Marshal(s.Topics)
	_, err = tx.ExecContext(ctx, `UPDATE stops SET locality_id = ?, place = ?, starts_at = ?, ends_at = ?, local_date = ?,
		kind = ?, status = ?, published_at = ?, cancel_reason = ?, actual_start = ?, actual_end = ?, staff = ?, visitors = ?,
		c_crime_report = ?, c_tip = ?, c_advice = ?, c_other = ?, topics = ?, notes = ?, sequence = ?, version = ?,
		updated_at = ? WHERE id = ?`,
		s.LocalityID, s.Place, fmtTime(s.StartsAt), fmtTime(s.EndsAt), lofte.LocalDate(s.StartsAt).String(),
		string(s.Kind), string(s.Status), fmtTimePtr(s.PublishedAt), s.CancelReason,
		fmtTimePtr(s.ActualStart), fmtTimePtr(s.ActualEnd), s.Staff, s.Visitors,
		s.Contacts.CrimeReport, s.Contacts.Tip, s.Contacts.Advice, s.Contacts.Other,
		string(topics), s.Notes, s.Sequence, s.Version, fmtTime(now), id)
	if err != nil {
		return nil, fmt.Errorf("update: %w", err)
	}
	return s, nil
}

// DeleteStop deletes a draft; a published, held or cancelled stop is a conflict.
func (db *DB) DeleteStop(ctx context.Context, id int64) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		s, err := findStop(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.Deletable(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM stops WHERE id = ?", id); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete stop %d: %w", id, err)
	}
	return nil
}

// UpdateStops applies one update to several stops in one transaction: all or none.
func (db *DB) UpdateStops(ctx context.Context, ids []int64, upd lofte.StopUpdate) ([]*lofte.Stop, error) {
	out := make([]*lofte.Stop, 0, len(ids))
	err := db.write(ctx, func(tx *sql.Tx) error {
		now := db.now()
		for _, id := range ids {
			s, err := updateStop(ctx, tx, id, upd, now)
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update stops: %w", err)
	}
	return out, nil
}

// AddVisitors adds n (which may be negative, to undo a tap) to a stop's visitor tally in one
// statement, so two officers tapping at once both count; the tally never goes below zero, and
// a tap that would take it past lofte.MaxVisitors is a conflict that changes nothing. The
// stop's version stays: a tap edits nothing anyone typed, so a colleague's form open at the
// same time saves without a conflict, and keeps the taps (its count is only corrected when
// it says which count it replaces, lofte.StopUpdate.VisitorsFrom).
func (db *DB) AddVisitors(ctx context.Context, id int64, n int) (*lofte.Stop, error) {
	var s *lofte.Stop
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE stops SET visitors = max(0, visitors + ?1), updated_at = ?2
			WHERE id = ?3 AND visitors + ?1 <= ?4`, n, fmtTime(db.now()), id, lofte.MaxVisitors)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			if _, err := findStop(ctx, tx, id); err != nil {
				return err
			}
			return &lofte.Error{Code: lofte.ECONFLICT, Field: "visitors",
				Message: fmt.Sprintf("fler än %d besökare kan inte räknas vid ett tillfälle", lofte.MaxVisitors)}
		}
		s, err = findStop(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("add visitors to stop %d: %w", id, err)
	}
	return s, nil
}
