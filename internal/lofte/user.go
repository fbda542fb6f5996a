package lofte

import (
	"context"
	"strings"
	"time"
)

// Role is what a person or device may do.
type Role string

// Roles. Anonymous visitors have no role.
const (
	RoleAdmin   Role = "admin"
	RoleOfficer Role = "officer"
	RoleCouncil Role = "council"
	RoleKiosk   Role = "kiosk"
)

// Roles lists every role, people's first.
var Roles = []Role{RoleAdmin, RoleOfficer, RoleCouncil, RoleKiosk}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Person reports whether r is a role for people (who log in) rather than devices.
func (r Role) Person() bool { return r == RoleAdmin || r == RoleOfficer || r == RoleCouncil }

// Staff reports whether r belongs to the police side that plans and logs stops.
func (r Role) Staff() bool { return r == RoleAdmin || r == RoleOfficer }

// Label is the role's Swedish name.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Administratör"
	case RoleOfficer:
		return "Polis"
	case RoleCouncil:
		return "BRÅ"
	case RoleKiosk:
		return "Kiosk"
	}
	return string(r)
}

// User is a person who logs in.
type User struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
}

// Validate checks the user.
func (u *User) Validate() error {
	switch {
	case strings.TrimSpace(u.Name) == "" || u.Name != strings.TrimSpace(u.Name):
		return Invalid("name", "namnet får inte vara tomt eller börja eller sluta med mellanslag")
	case len(u.Name) > 100:
		return Invalid("name", "namnet får vara högst 100 tecken")
	case !u.Role.Person():
		return Invalid("role", "rollen måste vara admin, officer eller council")
	case u.PasswordHash == "":
		return Invalid("password", "lösenord saknas")
	}
	return nil
}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

// Token is a bearer token for a device or script; only its hash is stored.
type Token struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Role      Role       `json:"role"`
	Hash      string     `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	// LastUsedAt is the hour the token was last used (TokenUseStep), nil before its first use.
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// KioskIdleLimit is how long a kiosk token lives unused: a tablet lost or stolen stops
// working by itself, one in use never does.
const KioskIdleLimit = 30 * 24 * time.Hour

// TokenUseStep is how coarsely a token's last use is kept: once an hour at most, to spare a
// write on every request.
const TokenUseStep = time.Hour

// ExpiresAt is when a kiosk token expires unless used before; nil for other roles, which do
// not expire.
func (t *Token) ExpiresAt() *time.Time {
	if t.Role != RoleKiosk {
		return nil
	}
	last := t.CreatedAt
	if t.LastUsedAt != nil && t.LastUsedAt.After(last) {
		last = *t.LastUsedAt
	}
	at := last.Add(KioskIdleLimit)
	return &at
}

// Expired reports whether the token has expired by now.
func (t *Token) Expired(now time.Time) bool {
	at := t.ExpiresAt()
	return at != nil && !now.Before(*at)
}

// UseAt returns the last use to record for a use at now, rounded down to TokenUseStep, and
// whether it is newer than the one recorded.
func (t *Token) UseAt(now time.Time) (time.Time, bool) {
	at := now.UTC().Truncate(TokenUseStep)
	return at, t.LastUsedAt == nil || t.LastUsedAt.Before(at)
}

// Validate checks the token.
func (t *Token) Validate() error {
	switch {
	case strings.TrimSpace(t.Name) == "":
		return Invalid("name", "namn saknas")
	case len(t.Name) > 100:
		return Invalid("name", "namnet får vara högst 100 tecken")
	case !t.Role.Valid():
		return Invalid("role", "rollen måste vara kiosk, officer, council eller admin")
	case t.Hash == "":
		return Invalid("hash", "hash saknas")
	}
	return nil
}

// Session is a logged-in browser; only the hash of its cookie value is stored.
type Session struct {
	Hash      string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Identity is who makes a request: a user, a token, or nobody.
type Identity struct {
	Role  Role
	Name  string
	User  *User
	Token *Token
}

// Anonymous reports whether nobody is identified.
func (i *Identity) Anonymous() bool { return i == nil || i.Role == "" }

type identityKey struct{}

// WithIdentity returns ctx carrying id.
func WithIdentity(ctx context.Context, id *Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFrom returns the identity in ctx, or an anonymous one.
func IdentityFrom(ctx context.Context) *Identity {
	if id, ok := ctx.Value(identityKey{}).(*Identity); ok && id != nil {
		return id
	}
	return &Identity{}
}

// UserStore keeps users and their sessions.
type UserStore interface {
	CreateUser(ctx context.Context, u *User) error
	FindUserByName(ctx context.Context, name string) (*User, error)
	FindUserByID(ctx context.Context, id int64) (*User, error)
	CountUsers(ctx context.Context, role Role) (int, error)
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns the live session with this hash, or ENOTFOUND.
	FindSession(ctx context.Context, hash string, now time.Time) (*Session, error)
	DeleteSession(ctx context.Context, hash string) error
}

// TokenStore keeps bearer tokens.
type TokenStore interface {
	CreateToken(ctx context.Context, t *Token) error
	// FindTokenByHash returns the unrevoked token with this hash, or ENOTFOUND.
	FindTokenByHash(ctx context.Context, hash string) (*Token, error)
	RevokeToken(ctx context.Context, id int64) error
	// FindTokens lists the tokens of a role, newest first, revoked ones included.
	FindTokens(ctx context.Context, role Role) ([]*Token, error)
	// CreatePairingCode stores the hash of a short code that pairs a tablet until expires.
	CreatePairingCode(ctx context.Context, hash, createdBy string, now, expires time.Time) error
	// RedeemPairingCode uses a code live at now once and stores the kiosk token t it grants.
	RedeemPairingCode(ctx context.Context, hash string, t *Token, now time.Time) error
	// TouchToken records that the token was used at (Token.UseAt), unless a later use is
	// recorded already.
	TouchToken(ctx context.Context, id int64, at time.Time) error
}

// Store is every store the application uses.
type Store interface {
	PromiseStore
	StopStore
	ResponseStore
	TallyStore
	FeedbackStore
	CommentStore
	SuspectStore
	AuditStore
	UserStore
	TokenStore
	Ping(ctx context.Context) error
}
