package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"medborgarlofte/internal/lofte"
)

// Audit adds an entry to the audit log.
func (db *DB) Audit(ctx context.Context, e *lofte.AuditEntry) error {
	if err := db.write(ctx, func(tx *sql.Tx) error { return insertAudit(ctx, tx, e) }); err != nil {
		return fmt.Errorf("audit %s %s: %w", e.Action, e.Object, err)
	}
	return nil
}

// insertAudit adds an entry inside a transaction, so a decision and its entry are stored
// together or not at all.
func insertAudit(ctx context.Context, tx *sql.Tx, e *lofte.AuditEntry) error {
	if err := e.Validate(); err != nil {
		return err
	}
	e.At = e.At.UTC().Truncate(time.Second)
	var err error
	e.ID, err = insert(ctx, tx, "INSERT INTO audit (at, actor, action, object, detail) VALUES (?, ?, ?, ?, ?)",
		fmtTime(e.At), e.Actor, e.Action, e.Object, e.Detail)
	return err
}

// FindAudit returns the entries matching f, newest first; at most f.Limit (100 when unset).
func (db *DB) FindAudit(ctx context.Context, f lofte.AuditFilter) ([]*lofte.AuditEntry, error) {
	where, args := []string{"1 = 1"}, []any{}
	for _, c := range []struct{ col, v string }{{"action", f.Action}, {"object", f.Object}, {"actor", f.Actor}} {
		if c.v != "" {
			where, args = append(where, c.col+" = ?"), append(args, c.v)
		}
	}
	if f.ObjectKind != "" {
		// A range rather than LIKE, so the object index serves it whatever the collation.
		where, args = append(where, "object >= ? AND object < ?"), append(args, f.ObjectKind+":", f.ObjectKind+";")
	}
	if f.Before > 0 {
		where, args = append(where, "id < ?"), append(args, f.Before)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	out := []*lofte.AuditEntry{}
	err := db.read(ctx, func(tx *sql.Tx) error {
		es, err := queryAll(ctx, tx, scanAudit, "SELECT id, at, actor, action, object, detail FROM audit WHERE "+
			strings.Join(where, " AND ")+" ORDER BY id DESC LIMIT ?", append(args, limit)...)
		out = append(out, es...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find audit: %w", err)
	}
	return out, nil
}

func scanAudit(row scanner) (*lofte.AuditEntry, error) {
	var (
		e  lofte.AuditEntry
		at string
	)
	if err := row.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Object, &e.Detail); err != nil {
		return nil, err
	}
	var err error
	e.At, err = parseTime(at)
	return &e, err
}
