package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"medborgarlofte/internal/lofte"
)

const localityColumns = `id, promise_id, name, population, lat, lon, basort, coordinates, population_source,
	population_year, retired_at`

func scanLocality(row scanner) (*lofte.Locality, error) {
	var (
		l       lofte.Locality
		retired sql.NullString
	)
	if err := row.Scan(&l.ID, &l.PromiseID, &l.Name, &l.Population, &l.Lat, &l.Lon, &l.Basort, &l.Coordinates,
		&l.PopulationSource, &l.PopulationYear, &retired); err != nil {
		return nil, err
	}
	var err error
	if l.RetiredAt, err = parseTimePtr(retired); err != nil {
		return nil, fmt.Errorf("decode locality %d: %w", l.ID, err)
	}
	return &l, nil
}

// findLocalities reads a promise's localities, basorter first, then the most populous.
func findLocalities(ctx context.Context, tx *sql.Tx, promiseID int64) ([]*lofte.Locality, error) {
	return queryAll(ctx, tx, scanLocality, "SELECT "+localityColumns+` FROM localities WHERE promise_id = ?
		ORDER BY basort DESC, population DESC, name`, promiseID)
}

// insertLocality adds l to the promise; a RetiredAt set on it is stamped now.
func insertLocality(ctx context.Context, tx *sql.Tx, promiseID int64, l *lofte.Locality, now time.Time) error {
	l.PromiseID = promiseID
	if l.RetiredAt != nil {
		l.RetiredAt = &now
	}
	var err error
	l.ID, err = insert(ctx, tx, `INSERT INTO localities (promise_id, name, population, lat, lon, basort, coordinates,
		population_source, population_year, retired_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		promiseID, l.Name, l.Population, l.Lat, l.Lon, l.Basort, l.Coordinates, l.PopulationSource, l.PopulationYear,
		fmtTimePtr(l.RetiredAt))
	if err != nil {
		return fmt.Errorf("insert locality %q: %w", l.Name, err)
	}
	return nil
}

// CreateLocality adds a locality to a promise.
func (db *DB) CreateLocality(ctx context.Context, promiseID int64, l *lofte.Locality) error {
	if err := l.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *sql.Tx) error { return insertLocality(ctx, tx, promiseID, l, db.now()) })
	if err != nil {
		return fmt.Errorf("create locality %q: %w", l.Name, err)
	}
	return nil
}

// saveLocalities makes want the promise's places (lofte.PromiseUpdate.Basorter): a listed
// one is matched by ID, else by name, and changed; an unmatched one is added; one left out
// is deleted, or retired when it has history. Errors name the item of want.
func saveLocalities(ctx context.Context, tx *sql.Tx, promiseID int64, want []*lofte.Locality, now time.Time) error {
	have, err := findLocalities(ctx, tx, promiseID)
	if err != nil {
		return err
	}
	byID := map[int64]*lofte.Locality{}
	for _, l := range have {
		byID[l.ID] = l
	}
	names := map[string]bool{}
	kept := map[int64]bool{}
	for i, l := range want {
		if err := l.Validate(); err != nil {
			return itemError(err, i)
		}
		if names[l.Name] {
			return itemError(lofte.Invalid("name", "orten %q finns två gånger i listan", l.Name), i)
		}
		names[l.Name] = true
		cur := byID[l.ID]
		if l.ID == 0 {
			cur = lofte.LocalityNamed(have, l.Name)
		}
		switch {
		case l.ID != 0 && cur == nil:
			return itemError(lofte.Invalid("id", "orten %d hör inte till löftet", l.ID), i)
		case cur == nil:
			if err := insertLocality(ctx, tx, promiseID, l, now); err != nil {
				return itemError(err, i)
			}
			continue
		}
		kept[cur.ID] = true
		l.ID, l.PromiseID = cur.ID, promiseID
		switch {
		case l.RetiredAt == nil:
		case cur.RetiredAt != nil:
			l.RetiredAt = cur.RetiredAt // retired before: it keeps the day it was
		default:
			l.RetiredAt = &now
		}
		if _, err := tx.ExecContext(ctx, `UPDATE localities SET name = ?, population = ?, lat = ?, lon = ?, basort = ?,
			coordinates = ?, population_source = ?, population_year = ?, retired_at = ? WHERE id = ?`,
			l.Name, l.Population, l.Lat, l.Lon, l.Basort, l.Coordinates, l.PopulationSource, l.PopulationYear,
			fmtTimePtr(l.RetiredAt), l.ID); err != nil {
			return itemError(fmt.Errorf("update locality %q: %w", l.Name, err), i)
		}
	}
	for _, l := range have {
		if kept[l.ID] {
			continue
		}
		if err := dropLocality(ctx, tx, l, now); err != nil {
			return err
		}
	}
	var open int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM localities WHERE promise_id = ? AND basort = 1
		AND retired_at IS NULL`, promiseID).Scan(&open); err != nil {
		return err
	}
	if open == 0 {
		return &lofte.Error{Code: lofte.ECONFLICT, Field: "basorter",
			Message: "löftet måste ha minst en basort som inte är avvecklad"}
	}
	return nil
}

// dropLocality deletes a place with no history, and retires one that has stops, feedback
// items or baselines, so that nothing recorded about it is lost.
func dropLocality(ctx context.Context, tx *sql.Tx, l *lofte.Locality, now time.Time) error {
	var history int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM stops WHERE locality_id = ?1)
		+ (SELECT count(*) FROM feedback_items WHERE locality_id = ?1)
		+ (SELECT count(*) FROM baselines WHERE locality_id = ?1)`, l.ID).Scan(&history); err != nil {
		return err
	}
	if history == 0 {
		_, err := tx.ExecContext(ctx, "DELETE FROM localities WHERE id = ?", l.ID)
		return err
	}
	_, err := tx.ExecContext(ctx, "UPDATE localities SET retired_at = coalesce(retired_at, ?) WHERE id = ?", fmtTime(now), l.ID)
	return err
}
