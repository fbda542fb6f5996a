package lofte

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
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
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Role         Role   `json:"role"`
	PasswordHash string `json:"-"`
	// Disabled users cannot log in; they stay, with their name on what they did.
	Disabled bool `json:"disabled"`
	// MustChangePassword says the password was shown to someone else (an invitation or a
	// reset): the person chooses their own before anything else.
	MustChangePassword bool      `json:"-"`
	CreatedAt          time.Time `json:"created_at"`
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

// MinPasswordLen is the shortest password accepted, in characters.
const MinPasswordLen = 10

// MaxPasswordLen is the longest password accepted, in bytes: bcrypt reads no further.
const MaxPasswordLen = 72

// ValidatePassword checks a password a person chose.
func ValidatePassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLen || len(pw) > MaxPasswordLen {
		return Invalid("password", "lösenordet måste vara %d–%d tecken", MinPasswordLen, MaxPasswordLen)
	}
	return nil
}

// ActiveAdmin reports whether u is an administrator who can log in.
func (u *User) ActiveAdmin() bool { return u.Role == RoleAdmin && !u.Disabled }

// UserUpdate changes a user; nil fields stay as they are.
type UserUpdate struct {
	Role     *Role
	Disabled *bool
	// PasswordHash is a new password's hash; MustChangePassword goes with it.
	PasswordHash       *string
	MustChangePassword bool
}

// Validate checks the update on its own.
func (upd UserUpdate) Validate() error {
	switch {
	case upd.Role == nil && upd.Disabled == nil && upd.PasswordHash == nil:
		return Invalid("", "inget att ändra: ange role, disabled eller reset_password")
	case upd.Role != nil && !upd.Role.Person():
		return Invalid("role", "rollen måste vara admin, officer eller council")
	case upd.PasswordHash != nil && *upd.PasswordHash == "":
		return Invalid("password", "lösenord saknas")
	}
	return nil
}

// Apply returns u as upd leaves it; u itself is not changed.
func (upd UserUpdate) Apply(u *User) *User {
	out := *u
	set(&out.Role, upd.Role)
	set(&out.Disabled, upd.Disabled)
	if upd.PasswordHash != nil {
		out.PasswordHash, out.MustChangePassword = *upd.PasswordHash, upd.MustChangePassword
	}
	return &out
}

// EndsSessions reports whether the update logs the user out everywhere: disabling the
// account, or a new password (after a suspected break-in, the old sessions must go too).
func (upd UserUpdate) EndsSessions() bool {
	return (upd.Disabled != nil && *upd.Disabled) || upd.PasswordHash != nil
}

// CheckKeepsAdmin refuses a change from before to after that leaves nobody to administer the
// app: activeAdmins counts the active admins before it, before among them.
func CheckKeepsAdmin(before, after *User, activeAdmins int) error {
	if !before.ActiveAdmin() || after.ActiveAdmin() || activeAdmins > 1 {
		return nil
	}
	field := "role"
	if after.Disabled {
		field = "disabled"
	}
	return &Error{Code: ECONFLICT, Field: field,
		Message: fmt.Sprintf("%s är den enda aktiva administratören; utse en annan administratör först", before.Name)}
}

// CheckActor refuses what nobody may do to their own account: disable it, which would end
// the session they are using and might lock everyone out.
func (upd UserUpdate) CheckActor(actor *Identity, target int64) error {
	if upd.Disabled != nil && *upd.Disabled && actor.User != nil && actor.User.ID == target {
		return &Error{Code: ECONFLICT, Field: "disabled", Message: "du kan inte stänga av ditt eget konto"}
	}
	return nil
}

// Token is a bearer token for a device or script; only its hash is stored.
type Token struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Role      Role       `json:"role"`
	Hash      string     `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	// LastUsedAt is the hour the token was last used (TokenUseStep), nil before its first use.
	LastUsedAt *time.Time `json:"last_used_at"`
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

// ValidateTokenName checks a token's name, which says what device or script holds it.
func ValidateTokenName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return Invalid("name", "namn saknas")
	case len(name) > 100:
		return Invalid("name", "namnet får vara högst 100 tecken")
	}
	return nil
}

// Validate checks the token.
func (t *Token) Validate() error {
	if err := ValidateTokenName(t.Name); err != nil {
		return err
	}
	switch {
	case !t.Role.Valid():
		return Invalid("role", "rollen måste vara kiosk, officer, council eller admin")
	case t.Hash == "":
		return Invalid("hash", "hash saknas")
	}
	return nil
}

// CheckRevokeBy refuses a token's revocation by a request made with that very token, which
// would lock the script out in the middle of its work; another admin revokes it.
func (t *Token) CheckRevokeBy(actor *Identity) error {
	if actor.Token != nil && actor.Token.ID == t.ID {
		return &Error{Code: ECONFLICT, Field: "id", Message: "en token kan inte återkalla sig själv; gör det med en annan inloggning"}
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
	// FindUsers lists every user, disabled ones too, by name.
	FindUsers(ctx context.Context) ([]*User, error)
	// UpdateUser changes a user and returns it as stored; a change that leaves no active
	// admin is refused (CheckKeepsAdmin), and one that EndsSessions ends them.
	UpdateUser(ctx context.Context, id int64, upd UserUpdate) (*User, error)
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
	RevokeToken(ctx context.Context, id int64) (*Token, error)
	// RenameToken gives an unrevoked token a new name.
	RenameToken(ctx context.Context, id int64, name string) error
	// FindTokens lists the tokens of a role (every role for ""), newest first, revoked ones
	// included.
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
