package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"medborgarlofte/internal/lofte"
)

// ImportPromise stores a promise read from a file, with its localities, stops and baselines,
// in one transaction: all of it or nothing. Stops and baselines name their basort by name;
// stops may be at places the file marks retired, since they are that place's history.
func (db *DB) ImportPromise(ctx context.Context, p *lofte.Promise, localities []*lofte.Locality, stops []*lofte.Stop, baselines []*lofte.Baseline) error {
	if err := validatePromise(p, localities); err != nil {
		return err
	}
	for i, s := range stops {
		if err := s.Validate(); err != nil {
			return itemError(err, i)
		}
	}
	for i, b := range baselines {
		if err := b.Validate(); err != nil {
			return itemError(err, i)
		}
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		now := db.now()
		// Retired places are retired after their stops are in, keeping the file's day.
		retired := make([]*time.Time, len(localities))
		for i, l := range localities {
			retired[i], l.RetiredAt = l.RetiredAt, nil
		}
		if err := createPromise(ctx, tx, p, localities, now); err != nil {
			return err
		}
		for i, s := range stops {
			s.ID, s.PromiseID, s.LocalityID = 0, p.ID, 0
			if err := createStop(ctx, tx, s, now, false); err != nil {
				return itemError(err, i)
			}
		}
		if err := createBaselines(ctx, tx, p.ID, baselines); err != nil {
			return err
		}
		for i, l := range localities {
			if retired[i] == nil {
				continue
			}
			l.RetiredAt = retired[i]
			if _, err := tx.ExecContext(ctx, "UPDATE localities SET retired_at = ? WHERE id = ?", fmtTime(*l.RetiredAt), l.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("import promise %q: %w", p.Slug, err)
	}
	return nil
}
