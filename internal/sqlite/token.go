package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"medborgarlofte/internal/lofte"
)

// CreateToken stores a token's hash.
func (db *DB) CreateToken(ctx context.Context, t *lofte.Token) error {
	if err := t.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		t.CreatedAt = db.now()
		return insertToken(ctx, tx, t)
	})
	if err != nil {
		return fmt.Errorf("create token %q: %w", t.Name, err)
	}
	return nil
}

// insertToken adds t, created at t.CreatedAt, inside a transaction and sets its id.
func insertToken(ctx context.Context, tx *sql.Tx, t *lofte.Token) error {
	var err error
	t.ID, err = insert(ctx, tx, "INSERT INTO tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)",
		t.Name, string(t.Role), t.Hash, fmtTime(t.CreatedAt))
	return err
}

// FindTokenByHash returns the unrevoked token with this hash.
func (db *DB) FindTokenByHash(ctx context.Context, hash string) (*lofte.Token, error) {
	var t lofte.Token
	var made string
	var used sql.NullString
	// Every API request asks: one statement, no transaction around it.
	err := db.readRow(ctx, "SELECT id, name, role, hash, created_at, last_used_at FROM tokens WHERE hash = ? AND revoked_at IS NULL",
		[]any{hash}, &t.ID, &t.Name, &t.Role, &t.Hash, &made, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lofte.NotFound("token finns inte eller är återkallad")
	}
	if err != nil {
		return nil, fmt.Errorf("find token: %w", err)
	}
	if t.CreatedAt, err = parseTime(made); err != nil {
		return nil, err
	}
	if t.LastUsedAt, err = parseTimePtr(used); err != nil {
		return nil, err
	}
	return &t, nil
}

// RevokeToken revokes a token for good and returns it as revoked, for a caller that names it.
func (db *DB) RevokeToken(ctx context.Context, id int64) (*lofte.Token, error) {
	return db.changeToken(ctx, id, "revoke", "token %d finns inte eller är redan återkallad",
		"revoked_at = ?", fmtTime(db.now()))
}

// RenameToken gives an unrevoked token a new name.
func (db *DB) RenameToken(ctx context.Context, id int64, name string) error {
	if err := lofte.ValidateTokenName(name); err != nil {
		return err
	}
	_, err := db.changeToken(ctx, id, "rename", "token %d finns inte eller är återkallad", "name = ?", name)
	return err
}

// changeToken sets the unrevoked token id's columns (set and its args) and returns the token
// as changed; verb names the change in an error, missing says the token is not there.
func (db *DB) changeToken(ctx context.Context, id int64, verb, missing, set string, args ...any) (*lofte.Token, error) {
	var t *lofte.Token
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		t, err = scanToken(tx.QueryRowContext(ctx, "UPDATE tokens SET "+set+" WHERE id = ? AND revoked_at IS NULL RETURNING "+tokenColumns,
			append(args, id)...))
		if errors.Is(err, sql.ErrNoRows) {
			return lofte.NotFound(missing, id)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s token %d: %w", verb, id, err)
	}
	return t, nil
}

// tokenColumns are what scanToken reads: a token without its hash.
const tokenColumns = "id, name, role, created_at, revoked_at, last_used_at"

// scanToken reads a row of tokenColumns.
func scanToken(row interface{ Scan(...any) error }) (*lofte.Token, error) {
	var t lofte.Token
	var made string
	var revoked, used sql.NullString
	err := row.Scan(&t.ID, &t.Name, &t.Role, &made, &revoked, &used)
	if err != nil {
		return nil, err
	}
	if t.CreatedAt, err = parseTime(made); err != nil {
		return nil, err
	}
	if t.RevokedAt, err = parseTimePtr(revoked); err != nil {
		return nil, err
	}
	if t.LastUsedAt, err = parseTimePtr(used); err != nil {
		return nil, err
	}
	return &t, nil
}

// FindTokens lists tokens of a role, or of every role when role is "", newest first,
// revoked ones included.
func (db *DB) FindTokens(ctx context.Context, role lofte.Role) ([]*lofte.Token, error) {
	var out []*lofte.Token
	err := db.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+tokenColumns+" FROM tokens WHERE ? = '' OR role = ? ORDER BY id DESC",
			string(role), string(role))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanToken(rows)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find tokens: %w", err)
	}
	return out, nil
}

// TouchToken records a use of the token at at, unless a later one is recorded: the caller
// rounds at (lofte.Token.UseAt), so a busy token costs a write an hour.
func (db *DB) TouchToken(ctx context.Context, id int64, at time.Time) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
			fmtTime(at), id, fmtTime(at))
		return err
	})
	if err != nil {
		return fmt.Errorf("touch token %d: %w", id, err)
	}
	return nil
}

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
