package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"medborgarlofte/internal/lofte"
)

const promiseColumns = `id, slug, title, municipality, police_area, period_from, period_to, excluded,
	summary, signed_on, signed_by, min_n, status_min_n, outcomes, active, created_at, retention_months`

// ActivePromise returns the promise the app serves.
func (db *DB) ActivePromise(ctx context.Context) (*lofte.Promise, error) {
	var p *lofte.Promise
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = scanPromise(tx.QueryRowContext(ctx, "SELECT "+promiseColumns+" FROM promises WHERE active = 1"))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("active promise: %w", err)
	}
	return p, nil
}

// FindPromise returns the promise with id.
func (db *DB) FindPromise(ctx context.Context, id int64) (*lofte.Promise, error) {
	var p *lofte.Promise
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = findPromise(ctx, tx, id)
		return err
	})
	return p, err
}

// findPromise reads the promise with id inside tx.
func findPromise(ctx context.Context, tx *sql.Tx, id int64) (*lofte.Promise, error) {
	p, err := scanPromise(tx.QueryRowContext(ctx, "SELECT "+promiseColumns+" FROM promises WHERE id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("promise %d: %w", id, err)
	}
	return p, nil
}

func scanPromise(row scanner) (*lofte.Promise, error) {
	var (
		p                                      lofte.Promise
		from, to, excluded, signed, outs, made string
	)
	err := row.Scan(&p.ID, &p.Slug, &p.Title, &p.Municipality, &p.PoliceArea, &from, &to, &excluded,
		&p.Summary, &signed, &p.SignedBy, &p.MinN, &p.StatusMinN, &outs, &p.Active, &made, &p.RetentionMonths)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lofte.NotFound("inget medborgarlöfte hittades")
	}
	if err != nil {
		return nil, err
	}
	if err := errors.Join(
		p.Period.From.UnmarshalText([]byte(from)),
		p.Period.To.UnmarshalText([]byte(to)),
		p.SignedOn.UnmarshalText([]byte(signed)),
		json.Unmarshal([]byte(excluded), &p.Excluded),
		json.Unmarshal([]byte(outs), &p.Outcomes),
	); err != nil {
		return nil, fmt.Errorf("decode promise %d: %w", p.ID, err)
	}
	if p.CreatedAt, err = parseTime(made); err != nil {
		return nil, err
	}
	return &p, nil
}

// CreatePromise stores p and its localities; the first promise becomes the active one. A
// promise overlapping another of the same municipality and police area is a conflict.
func (db *DB) CreatePromise(ctx context.Context, p *lofte.Promise, localities []*lofte.Locality) error {
	if err := validatePromise(p, localities); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *sql.Tx) error { return createPromise(ctx, tx, p, localities, db.now()) })
	if err != nil {
		return fmt.Errorf("create promise %q: %w", p.Slug, err)
	}
	return nil
}

// validatePromise checks a promise and its localities before anything is written.
func validatePromise(p *lofte.Promise, localities []*lofte.Locality) error {
	if err := p.Validate(); err != nil {
		return err
	}
	for i, l := range localities {
		if err := l.Validate(); err != nil {
			return itemError(err, i)
		}
	}
	return nil
}

func createPromise(ctx context.Context, tx *sql.Tx, p *lofte.Promise, localities []*lofte.Locality, now time.Time) error {
	if err := checkOverlap(ctx, tx, p); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM promises WHERE active = 1").Scan(&n); err != nil {
		return err
	}
	slug, err := uniqueSlug(ctx, tx, p.Slug)
	if err != nil {
		return err
	}
	p.Slug, p.Active, p.CreatedAt = slug, n == 0, now
	excluded, _ := json.Marshal(p.Excluded)
	outs, _ := json.Marshal(p.Outcomes)
	signed, _ := p.SignedOn.MarshalText()
	p.ID, err = insert(ctx, tx, `INSERT INTO promises (slug, title, municipality, police_area,
		period_from, period_to, excluded, summary, signed_on, signed_by, min_n, status_min_n, outcomes, active, created_at,
		retention_months) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Slug, p.Title, p.Municipality, p.PoliceArea, p.Period.From.String(), p.Period.To.String(),
		string(excluded), p.Summary, string(signed), p.SignedBy, p.MinN, p.StatusMinN, string(outs), p.Active, fmtTime(p.CreatedAt),
		p.RetentionMonths)
	if err != nil {
		return fmt.Errorf("insert promise: %w", err)
	}
	for i, l := range localities {
		if err := insertLocality(ctx, tx, p.ID, l, now); err != nil {
			return itemError(err, i)
		}
	}
	return nil
}

// checkOverlap refuses p when its period shares a day with another promise of the same
// municipality and police area.
func checkOverlap(ctx context.Context, tx *sql.Tx, p *lofte.Promise) error {
	all, err := queryAll(ctx, tx, scanPromise, "SELECT "+promiseColumns+" FROM promises")
	if err != nil {
		return err
	}
	return p.CheckOverlap(all)
}

// uniqueSlug returns slug, or slug with the first free suffix -2, -3, … when it is taken.
func uniqueSlug(ctx context.Context, tx *sql.Tx, slug string) (string, error) {
	for i := 1; ; i++ {
		s := slug
		if i > 1 {
			s = slug + "-" + strconv.Itoa(i)
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM promises WHERE slug = ?", s).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return s, nil
		}
	}
}

// FindLocalities returns a promise's localities, basorter first, then by name.
func (db *DB) FindLocalities(ctx context.Context, promiseID int64) ([]*lofte.Locality, error) {
	var out []*lofte.Locality
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = findLocalities(ctx, tx, promiseID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find localities: %w", err)
	}
	return out, nil
}

// CreateBaselines stores baselines (replacing any for the same basort and metric).
func (db *DB) CreateBaselines(ctx context.Context, promiseID int64, bs []*lofte.Baseline) error {
	for i, b := range bs {
		if err := b.Validate(); err != nil {
			return itemError(err, i)
		}
	}
	err := db.write(ctx, func(tx *sql.Tx) error { return createBaselines(ctx, tx, promiseID, bs) })
	if err != nil {
		return fmt.Errorf("create baselines: %w", err)
	}
	return nil
}

func createBaselines(ctx context.Context, tx *sql.Tx, promiseID int64, bs []*lofte.Baseline) error {
	ls, err := findLocalities(ctx, tx, promiseID)
	if err != nil {
		return err
	}
	for i, b := range bs {
		b.PromiseID = promiseID
		var loc any
		if b.Basort != "" {
			l, err := lofte.KnownLocality(ls, b.Basort)
			if err != nil {
				return itemError(err, i)
			}
			b.LocalityID, loc = l.ID, l.ID
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM baselines WHERE promise_id = ? AND coalesce(locality_id, 0) = ? AND metric = ?`,
			promiseID, b.LocalityID, b.Metric); err != nil {
			return err
		}
		var err error
		b.ID, err = insert(ctx, tx, `INSERT INTO baselines (promise_id, locality_id, metric, value, source) VALUES (?, ?, ?, ?, ?)`,
			promiseID, loc, b.Metric, b.Value, b.Source)
		if err != nil {
			return fmt.Errorf("insert baseline %s: %w", b.Metric, err)
		}
	}
	return nil
}

// FindBaselines returns a promise's baselines.
func (db *DB) FindBaselines(ctx context.Context, promiseID int64) ([]*lofte.Baseline, error) {
	var out []*lofte.Baseline
	err := db.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT b.id, b.promise_id, coalesce(b.locality_id, 0), coalesce(l.name, ''),
			b.metric, b.value, b.source FROM baselines b LEFT JOIN localities l ON l.id = b.locality_id
			WHERE b.promise_id = ? ORDER BY l.name, b.metric`, promiseID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var b lofte.Baseline
			if err := rows.Scan(&b.ID, &b.PromiseID, &b.LocalityID, &b.Basort, &b.Metric, &b.Value, &b.Source); err != nil {
				return err
			}
			out = append(out, &b)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find baselines: %w", err)
	}
	return out, nil
}

// DeleteBaseline removes one of the promise's baselines.
func (db *DB) DeleteBaseline(ctx context.Context, promiseID, id int64) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM baselines WHERE promise_id = ? AND id = ?`, promiseID, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = lofte.NotFound("baslinjen finns inte")
			}
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete baseline %d: %w", id, err)
	}
	return nil
}

// UpdatePromise changes the settings and places upd names, all or nothing, and returns the
// promise as stored. A changed period, municipality or police area is checked for overlap with
// the other promises; leaving the promise without a basort that is not retired is a conflict.
func (db *DB) UpdatePromise(ctx context.Context, id int64, upd lofte.PromiseUpdate) (*lofte.Promise, error) {
	var p *lofte.Promise
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		if p, err = findPromise(ctx, tx, id); err != nil {
			return err
		}
		upd.Apply(p)
		if err := p.Validate(); err != nil {
			return err
		}
		if upd.MovesPeriod() {
			if err := checkOverlap(ctx, tx, p); err != nil {
				return err
			}
		}
		excluded, _ := json.Marshal(p.Excluded)
		outs, _ := json.Marshal(p.Outcomes)
		if _, err = tx.ExecContext(ctx, `UPDATE promises SET title = ?, municipality = ?, police_area = ?, period_from = ?,
			period_to = ?, excluded = ?, summary = ?, min_n = ?, status_min_n = ?, outcomes = ?, retention_months = ?
			WHERE id = ?`, p.Title, p.Municipality, p.PoliceArea, p.Period.From.String(), p.Period.To.String(),
			string(excluded), p.Summary, p.MinN, p.StatusMinN, string(outs), p.RetentionMonths, id); err != nil {
			return err
		}
		if upd.Basorter != nil {
			return saveLocalities(ctx, tx, id, *upd.Basorter, db.now())
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update promise %d: %w", id, err)
	}
	return p, nil
}

// ActivatePromise makes the promise with id the one the app serves by default.
func (db *DB) ActivatePromise(ctx context.Context, id int64) (*lofte.Promise, error) {
	var p *lofte.Promise
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		if p, err = findPromise(ctx, tx, id); err != nil {
			return err
		}
		// The old one first: the index allowing one active promise is checked row by row.
		if _, err := tx.ExecContext(ctx, "UPDATE promises SET active = 0 WHERE active = 1"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE promises SET active = 1 WHERE id = ?", id); err != nil {
			return err
		}
		p.Active = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("activate promise %d: %w", id, err)
	}
	return p, nil
}

// FindPromises returns every promise, newest first (by the start of its period, then by id).
func (db *DB) FindPromises(ctx context.Context) ([]*lofte.Promise, error) {
	var out []*lofte.Promise
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = queryAll(ctx, tx, scanPromise, "SELECT "+promiseColumns+" FROM promises ORDER BY period_from DESC, id DESC")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find promises: %w", err)
	}
	return out, nil
}
