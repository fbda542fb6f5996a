package lofte

import (
	"context"
	"strconv"
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
	// ObjectKind selects every object of a kind ("stop" for "stop:42", "stop:43", …).
	ObjectKind string
	Actor      string
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

// AuditSystem is the actor of what the app does on its own, such as retention.
const AuditSystem = "system"

// AuditActions names every action the audit log holds in Swedish, for the audit page; an
// action missing here shows as its code.
var AuditActions = map[string]string{
	"session.login":        "Inloggning",
	"session.login_failed": "Misslyckad inloggning",
	"session.logout":       "Utloggning",
	"baseline.create":      "Baslinje sparad",
	"baseline.import":      "Baslinjer inlästa",
	"baseline.delete":      "Baslinje borttagen",
	"feedback.create":      "Återkopplingsärende skapat",
	"feedback.update":      "Återkopplingsärende ändrat",
	"feedback.close":       "Återkopplingsärende klart",
	"comment.approve":      "Synpunkt godkänd",
	"comment.edit":         "Synpunkt ändrad och godkänd",
	"comment.reject":       "Synpunkt avvisad",
	"kiosk.pairing_code":   "Parningskod skapad",
	"kiosk.pair":           "Surfplatta ihopparad",
	"token.revoke":         "Token återkallad",
	"retention.run":        "Gallring",
	"suspect.release":      "Avvikande svar släppt",
	"suspect.confirm":      "Avvikande svar bekräftat",
	// Written by the planning, promise and people pages.
	"stop.create":         "Tillfälle skapat",
	"stop.edit":           "Tillfälle ändrat",
	"stop.publish":        "Tillfälle publicerat",
	"stop.move":           "Tillfälle flyttat",
	"stop.cancel":         "Tillfälle inställt",
	"stop.delete":         "Utkast borttaget",
	"stop.field_log":      "Fältlogg sparad",
	"promise.create":      "Löfte skapat",
	"promise.update":      "Löfte ändrat",
	"promise.import":      "Löfte inläst",
	"promise.activate":    "Löfte aktiverat",
	"basort.create":       "Basort tillagd",
	"basort.update":       "Basort ändrad",
	"basort.retire":       "Basort avvecklad",
	"basort.reinstate":    "Basort återinförd",
	"basort.delete":       "Basort borttagen",
	"user.create":         "Användare skapad",
	"user.role":           "Roll ändrad",
	"user.disable":        "Användare avstängd",
	"user.enable":         "Användare aktiverad igen",
	"user.reset_password": "Lösenord återställt",
	"user.password":       "Eget lösenord valt",
	"token.create":        "Token skapad",
	"device.rename":       "Surfplatta bytte namn",
}

// AuditActionLabel is the action's Swedish name, or its code when it has none.
func AuditActionLabel(action string) string {
	if l, ok := AuditActions[action]; ok {
		return l
	}
	return action
}

// AuditObjectKinds names the kinds of object ("stop" of "stop:42") in Swedish.
var AuditObjectKinds = map[string]string{
	"stop":     "Tillfälle",
	"promise":  "Löfte",
	"basort":   "Basort",
	"baseline": "Baslinje",
	"user":     "Användare",
	"token":    "Token",
	"pairing":  "Parningskod",
	"feedback": "Återkopplingsärende",
	"comment":  "Synpunkt",
	"response": "Svar",
}

// AuditObject splits an object "kind:id" into its kind and id; an object without a colon is
// all kind.
func AuditObject(object string) (kind, id string) {
	kind, id, _ = strings.Cut(object, ":")
	return kind, id
}

// AuditObjectID names an object of a kind by its numeric id, as AuditObject splits it:
// AuditObjectID("stop", 42) is "stop:42".
func AuditObjectID(kind string, id int64) string { return kind + ":" + strconv.FormatInt(id, 10) }

// AuditObjectLabel is the object in Swedish: "Tillfälle 42".
func AuditObjectLabel(object string) string {
	kind, id := AuditObject(object)
	l, ok := AuditObjectKinds[kind]
	if !ok {
		return object
	}
	if id == "" {
		return l
	}
	return l + " " + id
}
