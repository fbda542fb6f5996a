package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"medborgarlofte/internal/lofte"
)

// CreatePairingCode stores a pairing code's hash, valid until expires.
func (db *DB) CreatePairingCode(ctx context.Context, hash, createdBy string, now, expires time.Time) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM pairing_codes WHERE expires_at <= ? AND used_at IS NULL", fmtTime(now)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO pairing_codes (hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?)",
			hash, createdBy, fmtTime(now), fmtTime(expires))
		return err
	})
	if err != nil {
		return fmt.Errorf("create pairing code: %w", err)
	}
	return nil
}

// RedeemPairingCode uses a live code once, creating the kiosk token t in the same
// transaction; an unknown, used or expired code is ENOTFOUND.
func (db *DB) RedeemPairingCode(ctx context.Context, hash string, t *lofte.Token, now time.Time) error {
	if err := t.Validate(); err != nil {
		return err
	}
	now = now.UTC().Truncate(time.Second)
	err := db.write(ctx, func(tx *sql.Tx) error {
		var by string
		err := tx.QueryRowContext(ctx, "SELECT created_by FROM pairing_codes WHERE hash = ? AND used_at IS NULL AND expires_at > ?",
			hash, fmtTime(now)).Scan(&by)
		if errors.Is(err, sql.ErrNoRows) {
			return lofte.NotFound("koden är okänd, redan använd eller för gammal")
		}
		if err != nil {
			return err
		}
		t.CreatedAt = now
		if err := insertToken(ctx, tx, t); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE pairing_codes SET used_at = ?, token_id = ? WHERE hash = ?", fmtTime(now), t.ID, hash)
		return err
	})
	if err != nil {
		return fmt.Errorf("redeem pairing code: %w", err)
	}
	return nil
}
