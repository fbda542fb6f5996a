package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"medborgarlofte/internal/lofte"
)

// CreateUser stores a new user; a taken name (in any letter case) is a conflict.
func (db *DB) CreateUser(ctx context.Context, u *lofte.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		u.CreatedAt = db.now()
		var err error
		u.ID, err = insert(ctx, tx, "INSERT INTO users (name, role, password_hash, disabled, must_change_password, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			u.Name, string(u.Role), u.PasswordHash, u.Disabled, u.MustChangePassword, fmtTime(u.CreatedAt))
		if lofte.ErrorCodeOf(mapError(err)) == lofte.ECONFLICT {
			return &lofte.Error{Code: lofte.ECONFLICT, Message: fmt.Sprintf("användaren %q finns redan", u.Name), Field: "name"}
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("create user %q: %w", u.Name, err)
	}
	return nil
}

// userColumns are what scanUser reads.
const userColumns = "id, name, role, password_hash, disabled, must_change_password, created_at"

func scanUser(row scanner) (*lofte.User, error) {
	var u lofte.User
	var made string
	if err := row.Scan(&u.ID, &u.Name, &u.Role, &u.PasswordHash, &u.Disabled, &u.MustChangePassword, &made); err != nil {
		return nil, err
	}
	var err error
	u.CreatedAt, err = parseTime(made)
	return &u, err
}

// findUser reads one user inside a transaction.
func findUser(ctx context.Context, tx *sql.Tx, where string, arg any) (*lofte.User, error) {
	u, err := scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lofte.NotFound("användaren finns inte")
	}
	return u, err
}

func (db *DB) findUser(ctx context.Context, where string, arg any) (*lofte.User, error) {
	var u *lofte.User
	err := db.read(ctx, func(tx *sql.Tx) (err error) {
		u, err = findUser(ctx, tx, where, arg)
		return err
	})
	return u, err
}

// FindUserByName returns the user with this name, in any letter case.
func (db *DB) FindUserByName(ctx context.Context, name string) (*lofte.User, error) {
	u, err := db.findUser(ctx, "name = ?", name)
	if err != nil {
		return nil, fmt.Errorf("find user %q: %w", name, err)
	}
	return u, nil
}

// FindUserByID returns one user.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*lofte.User, error) {
	u, err := db.findUser(ctx, "id = ?", id)
	if err != nil {
		return nil, fmt.Errorf("find user %d: %w", id, err)
	}
	return u, nil
}

// FindUsers lists every user by name, disabled ones too.
func (db *DB) FindUsers(ctx context.Context) ([]*lofte.User, error) {
	out := []*lofte.User{}
	err := db.read(ctx, func(tx *sql.Tx) error {
		us, err := queryAll(ctx, tx, scanUser, "SELECT "+userColumns+" FROM users ORDER BY name, id")
		out = append(out, us...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	return out, nil
}

// UpdateUser changes a user in one transaction: the last active admin is checked against the
// stored admins, so two admins disabling each other at once cannot both succeed. Disabling
// the user or setting a password ends their sessions.
func (db *DB) UpdateUser(ctx context.Context, id int64, upd lofte.UserUpdate) (*lofte.User, error) {
	if err := upd.Validate(); err != nil {
		return nil, fmt.Errorf("update user %d: %w", id, err)
	}
	var after *lofte.User
	err := db.write(ctx, func(tx *sql.Tx) error {
		before, err := findUser(ctx, tx, "id = ?", id)
		if err != nil {
			return err
		}
		after = upd.Apply(before)
		var admins int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE role = ? AND disabled = 0", string(lofte.RoleAdmin)).Scan(&admins); err != nil {
			return err
		}
		if err := lofte.CheckKeepsAdmin(before, after, admins); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET role = ?, disabled = ?, password_hash = ?, must_change_password = ? WHERE id = ?",
			string(after.Role), after.Disabled, after.PasswordHash, after.MustChangePassword, id); err != nil {
			return err
		}
		if upd.EndsSessions() {
			_, err = tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", id)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update user %d: %w", id, err)
	}
	return after, nil
}

// CountUsers counts users with a role, or all users when role is "".
func (db *DB) CountUsers(ctx context.Context, role lofte.Role) (int, error) {
	var n int
	err := db.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE ? = '' OR role = ?", string(role), string(role)).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// CreateSession stores a session and clears expired ones.
func (db *DB) CreateSession(ctx context.Context, s *lofte.Session) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= ?", fmtTime(db.now())); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO sessions (hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
			s.Hash, s.UserID, fmtTime(s.CreatedAt), fmtTime(s.ExpiresAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// FindSession returns the unexpired session with this hash.
func (db *DB) FindSession(ctx context.Context, hash string, now time.Time) (*lofte.Session, error) {
	s := lofte.Session{Hash: hash}
	var made, exp string
	err := db.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, "SELECT user_id, created_at, expires_at FROM sessions WHERE hash = ? AND expires_at > ?",
			hash, fmtTime(now)).Scan(&s.UserID, &made, &exp)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lofte.NotFound("sessionen finns inte eller har gått ut")
	}
	if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	var e1, e2 error
	s.CreatedAt, e1 = parseTime(made)
	s.ExpiresAt, e2 = parseTime(exp)
	if err := errors.Join(e1, e2); err != nil {
		return nil, err
	}
	return &s, nil
}

// DeleteSession ends a session; ending one that is gone is not an error.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE hash = ?", hash)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

var _ lofte.Store = (*DB)(nil)
