package lofte

import (
	"context"
	"strings"
	"time"
)

// AuditEntry records one decision a person made about data others rely on: who, when, what,
// about which object. Entries are only ever added.
type AuditEntry struct {
	ID int64     `json:"id"`
	At time.Time `json:"at"`
	// Actor is the person's user name (or a token's name).
	Actor string `json:"actor"`
	// Action names what was done, as "thing.verb" (SuspectDecision.AuditAction).
	Action string `json:"action"`
	// Object names what it was done to, as "kind:id" (AuditResponse).
	Object string `json:"object"`
	// Detail is what a reader needs to understand the entry without the object, never
	// anything a visitor wrote.
	Detail string `json:"detail"`
}

// AuditResponse names a response as an audit entry's object.
func AuditResponse(id string) string { return "response:" + strings.ToLower(id) }

// Validate checks the entry.
func (a *AuditEntry) Validate() error {
	switch {
	case a.At.IsZero():
		return Invalid("at", "tidpunkt saknas")
	case strings.TrimSpace(a.Actor) == "":
		return Invalid("actor", "vem saknas")
	case strings.TrimSpace(a.Action) == "":
		return Invalid("action", "handling saknas")
	case strings.TrimSpace(a.Object) == "":
		return Invalid("object", "objekt saknas")
	}
	return nil
}

// AuditFilter selects audit entries; empty fields select all. Entries come newest first.
type AuditFilter struct {
	Action string
	Object string
	Actor  string
	// Before pages on: only entries with a smaller id.
	Before int64
	Limit  int
}

// AuditStore keeps the audit log.
type AuditStore interface {
	// Audit adds an entry, setting its ID.
	Audit(ctx context.Context, e *AuditEntry) error
	// FindAudit returns entries matching f, newest first.
	FindAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
}
