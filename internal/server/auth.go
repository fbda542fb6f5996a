package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
)

// sessionCookie holds a browser session's secret; only its hash is stored.
const sessionCookie = "mlf_session"

// sessionLength is how long a login lasts: a working day, so a shared office computer does
// not stay logged in overnight.
const sessionLength = 12 * time.Hour

// identify puts the caller's identity in the request context: a bearer token wins over a
// kiosk cookie, which wins over a session cookie. A bad token is refused at once; a stale
// cookie only makes the caller anonymous.
func (s *Server) identify() gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := s.identity(c)
		if err != nil {
			s.writeError(c, err)
			return
		}
		if id != nil {
			c.Request = c.Request.WithContext(lofte.WithIdentity(c.Request.Context(), id))
		}
		c.Next()
	}
}

// identity finds who makes the request; nil is nobody.
func (s *Server) identity(c *gin.Context) (*lofte.Identity, error) {
	if h := c.GetHeader("Authorization"); h != "" {
		return s.bearerIdentity(c.Request.Context(), h)
	}
	if id, err := s.kioskIdentity(c); id != nil || err != nil {
		return id, err
	}
	return s.sessionIdentity(c)
}

// bearerIdentity is the identity of an Authorization header. A malformed, unknown or revoked
// token is refused rather than taken as anonymous, so a script learns its token is wrong.
func (s *Server) bearerIdentity(ctx context.Context, header string) (*lofte.Identity, error) {
	scheme, tok, _ := strings.Cut(header, " ")
	tok = strings.TrimSpace(tok)
	if !strings.EqualFold(scheme, "Bearer") || !auth.LooksLikeToken(tok) {
		return nil, &lofte.Error{Code: lofte.EUNAUTHORIZED, Message: "ogiltig Authorization-rubrik, ange Bearer och en token"}
	}
	t, err := s.store.FindTokenByHash(ctx, auth.Hash(tok))
	if lofte.ErrorCodeOf(err) == lofte.ENOTFOUND {
		return nil, &lofte.Error{Code: lofte.EUNAUTHORIZED, Message: "okänd eller återkallad token"}
	}
	if err != nil {
		return nil, err
	}
	if t.Expired(s.now()) {
		return nil, errKioskExpired()
	}
	s.tokenUsed(ctx, t)
	return tokenIdentity(t), nil
}

// kioskExpiredKey marks a request whose kiosk cookie holds an expired token, so that a
// refusal can say why rather than ask for a login; the tablet may still open /kiosk/pair.
const kioskExpiredKey = "kiosk_expired"

// errKioskExpired refuses a kiosk token unused for lofte.KioskIdleLimit.
func errKioskExpired() error {
	return &lofte.Error{Code: lofte.EUNAUTHORIZED,
		Message: "plattan har inte använts på 30 dagar och är inte längre ihopparad; para ihop den igen med en ny kod (/kiosk/pair)"}
}

// refuseExpiredKiosk answers a tablet whose kiosk token expired: the API with the error, a
// browser with a page that leads to pairing again.
func (s *Server) refuseExpiredKiosk(c *gin.Context) {
	if !wantsHTML(c) {
		s.writeError(c, errKioskExpired())
		return
	}
	s.render(c, http.StatusUnauthorized, "message", &messagePage{Base: s.base(c, "Para ihop plattan igen"),
		Message: lofte.AsError(errKioskExpired()).Message, Link: &navItem{Href: "/kiosk/pair", Label: "Para ihop plattan"}})
	c.Abort()
}

// tokenUsed records a token's use, at most once an hour (lofte.Token.UseAt). A failure is
// logged, never the request's: the answer a kiosk sends matters more than the bookkeeping.
func (s *Server) tokenUsed(ctx context.Context, t *lofte.Token) {
	at, ok := t.UseAt(s.now())
	if !ok {
		return
	}
	if err := s.store.TouchToken(ctx, t.ID, at); err != nil {
		s.log.WarnContext(ctx, "record token use", "token_id", t.ID, "err", err)
	}
}

// kioskIdentity is the identity of a paired tablet, which carries its kiosk token in a
// cookie; nil when there is none that counts. A person's session on the same browser takes
// precedence.
func (s *Server) kioskIdentity(c *gin.Context) (*lofte.Identity, error) {
	v, err := c.Cookie(kioskCookie)
	if err != nil || v == "" || !auth.LooksLikeToken(v) {
		return nil, nil
	}
	if _, err := c.Cookie(sessionCookie); err == nil {
		return nil, nil
	}
	t, err := s.store.FindTokenByHash(c.Request.Context(), auth.Hash(v))
	switch {
	case lofte.ErrorCodeOf(err) == lofte.ENOTFOUND:
		return nil, nil
	case err != nil:
		return nil, err
	case !kioskCookieMayCarry(t):
		return nil, nil
	case t.Expired(s.now()):
		c.Set(kioskExpiredKey, true)
		return nil, nil
	}
	s.tokenUsed(c.Request.Context(), t)
	return tokenIdentity(t), nil
}

// sessionIdentity is the identity of a logged-in browser; an expired or unknown session is
// cleared and the caller is nobody.
func (s *Server) sessionIdentity(c *gin.Context) (*lofte.Identity, error) {
	v, err := c.Cookie(sessionCookie)
	if err != nil || v == "" {
		return nil, nil
	}
	ctx := c.Request.Context()
	sess, err := s.store.FindSession(ctx, auth.Hash(v), s.now())
	var u *lofte.User
	if err == nil {
		u, err = s.store.FindUserByID(ctx, sess.UserID)
	}
	switch {
	case lofte.ErrorCodeOf(err) == lofte.ENOTFOUND || (err == nil && u.Disabled):
		s.clearSession(c)
		return nil, nil
	case err != nil:
		return nil, err
	}
	return &lofte.Identity{Role: u.Role, Name: u.Name, User: u}, nil
}

func tokenIdentity(t *lofte.Token) *lofte.Identity {
	return &lofte.Identity{Role: t.Role, Name: t.Name, Token: t}
}

func (s *Server) setSession(c *gin.Context, secret string) {
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/",
		MaxAge: int(sessionLength.Seconds()), HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearSession(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

type loginPage struct {
	Base
	Error, Name, Next string
	// PlainHTTP says the login cannot work as served: plain http to an address other than
	// localhost while the session cookie is Secure, which the browser then drops.
	PlainHTTP bool
}

func (s *Server) loginPage(c *gin.Context, next string) *loginPage {
	return &loginPage{Base: s.base(c, "Logga in"), Next: safeNext(next),
		PlainHTTP: s.cfg.SecureCookies && plainHTTPToRemote(c.Request)}
}

func (s *Server) renderLogin(c *gin.Context, status int, msg, next string) {
	p := s.loginPage(c, next)
	p.Error = msg
	s.render(c, status, "login", p)
	c.Abort()
}

func (s *Server) handleLoginPage(c *gin.Context) error {
	s.render(c, http.StatusOK, "login", s.loginPage(c, c.Query("next")))
	return nil
}

// plainHTTPToRemote reports whether the browser reached us over plain http at an address
// other than localhost, where it will not keep a Secure cookie. X-Forwarded-Proto is believed
// from anyone: it only decides whether the sender sees a notice.
func plainHTTPToRemote(r *http.Request) bool {
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	if r.TLS != nil || strings.EqualFold(strings.TrimSpace(proto), "https") || r.Host == "" {
		return false
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return false
	}
	a, err := netip.ParseAddr(host)
	return err != nil || !a.IsLoopback()
}

// safeNext keeps a redirect target on this site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(next, "/\\") || u.Host != "" || u.Scheme != "" || next == "/login" {
		return ""
	}
	return next
}

// maxNameLen is the longest user name, in bytes (lofte.User.Validate allows no longer).
const maxNameLen = 100

// handleLogin checks a name and password. Lengths are checked before anything is kept, so a
// huge name costs no memory. Then two buckets: one per client address against spraying many
// accounts, always; one per account name against guessing one account, except from a
// browser this account has logged in from before (knownDevice), so that a stranger's
// guesses slow down strangers only and cannot lock the real user out.
func (s *Server) handleLogin(c *gin.Context) error {
	name := strings.TrimSpace(c.PostForm("name"))
	pw := c.PostForm("password")
	page := s.loginPage(c, c.PostForm("next"))
	if len(name) <= maxNameLen {
		// Shown back in the form only when it could be a name, never a flood in full.
		page.Name = name
	}
	if name == "" || pw == "" || len(pw) > auth.MaxPasswordLen || len(name) > maxNameLen {
		page.Error = "Fyll i användarnamn och lösenord."
		s.render(c, http.StatusBadRequest, "login", page)
		return nil
	}
	now := s.now()
	tooMany := func(wait time.Duration) error {
		page.Error = "För många inloggningsförsök. Vänta en stund och försök igen."
		return s.renderTooMany(c, wait, "login", page)
	}
	if ok, wait := s.loginByClient.allow(clientKey(c), now); !ok {
		return tooMany(wait)
	}
	u, err := s.store.FindUserByName(c.Request.Context(), name)
	switch {
	case lofte.ErrorCodeOf(err) == lofte.ENOTFOUND:
		u = nil
	case err != nil:
		return err
	}
	if u == nil || !s.knownDevice(c, u, now) {
		if ok, wait := s.loginByName.allow(nameKey(name), now); !ok {
			return tooMany(wait)
		}
	}
	if u == nil {
		auth.CheckNoUser(pw)
	}
	if u == nil || !auth.CheckPassword(u.PasswordHash, pw) {
		// Only tries the limiters let through get here, so a burst cannot flood the log.
		s.auditAs(c, auditActorName(name), "session.login_failed", loginObject(u), "Fel användarnamn eller lösenord")
		page.Error = "Fel användarnamn eller lösenord."
		s.render(c, http.StatusUnauthorized, "login", page)
		return nil
	}
	if u.Disabled {
		page.Error = "Kontot är avstängt. Kontakta en administratör om du behöver logga in."
		s.render(c, http.StatusForbidden, "login", page)
		return nil
	}
	if err := s.startSession(c, u, now, page.Next); err != nil {
		return err
	}
	s.auditAs(c, u.Name, "session.login", loginObject(u), "Inloggad som "+u.Role.Label())
	s.log.InfoContext(c.Request.Context(), "login", "user_id", u.ID, "role", u.Role)
	return nil
}

// startSession signs u in on this browser: a new session and its cookie, the device marked
// as known, and a redirect to next, or u's home page when next is empty.
func (s *Server) startSession(c *gin.Context, u *lofte.User, now time.Time, next string) error {
	secret, hash := auth.NewSecret("")
	if err := s.store.CreateSession(c.Request.Context(), &lofte.Session{Hash: hash, UserID: u.ID,
		CreatedAt: now, ExpiresAt: now.Add(sessionLength)}); err != nil {
		return err
	}
	s.setSession(c, secret)
	s.setKnownDevice(c, u, now)
	if next == "" {
		next = homeFor(u.Role)
	}
	c.Redirect(http.StatusSeeOther, next)
	return nil
}

// maxAuditActorLen is how much of a name tried at a failed login the audit log keeps.
const maxAuditActorLen = 40

// auditActorName is a name tried at a login as the audit log keeps it: cut to
// maxAuditActorLen characters, so a long guess cannot fill the log's page.
func auditActorName(name string) string {
	if r := []rune(name); len(r) > maxAuditActorLen {
		return string(r[:maxAuditActorLen]) + "…"
	}
	return name
}

// loginObject names the account a login tried: the user, or "user:okänd" for a name no
// account has.
func loginObject(u *lofte.User) string {
	if u == nil {
		return "user:okänd"
	}
	return auditID("user", u.ID)
}

// knownDeviceLife is how long a browser stays known after its last login: the longest a
// browser keeps a cookie.
const knownDeviceLife = 400 * 24 * time.Hour

// knownDeviceCookie names the cookie that marks a browser where user has logged in; one per
// account, so a shared computer can be known for several.
func knownDeviceCookie(u *lofte.User) string {
	return "mlf_known_" + strconv.FormatInt(u.ID, 10)
}

// knownDeviceMAC signs the mark. The key is the user's password hash, a secret only the
// server holds: the mark survives restarts without a stored key, and a new password voids
// every mark, as it should after a suspected break-in.
func knownDeviceMAC(u *lofte.User, issued int64) string {
	m := hmac.New(sha256.New, []byte(u.PasswordHash))
	fmt.Fprintf(m, "medborgarlofte known device\x00%d\x00%d", u.ID, issued)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// setKnownDevice marks this browser as one user has logged in from. The cookie goes only
// to /login and is refreshed at each login.
func (s *Server) setKnownDevice(c *gin.Context, u *lofte.User, now time.Time) {
	issued := now.Unix()
	http.SetCookie(c.Writer, &http.Cookie{Name: knownDeviceCookie(u), Value: strconv.FormatInt(issued, 10) + "." + knownDeviceMAC(u, issued),
		Path: "/login", MaxAge: int(knownDeviceLife.Seconds()), HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
}

// knownDevice reports whether the request carries a valid, unexpired mark for user.
func (s *Server) knownDevice(c *gin.Context, u *lofte.User, now time.Time) bool {
	v, err := c.Cookie(knownDeviceCookie(u))
	if err != nil || len(v) > 100 {
		return false
	}
	ts, mac, ok := strings.Cut(v, ".")
	issued, err := strconv.ParseInt(ts, 10, 64)
	if !ok || err != nil {
		return false
	}
	at := time.Unix(issued, 0)
	if now.Sub(at) > knownDeviceLife || at.After(now.Add(time.Minute)) {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(knownDeviceMAC(u, issued)))
}

func (s *Server) handleLogout(c *gin.Context) error {
	if v, err := c.Cookie(sessionCookie); err == nil && v != "" {
		if err := s.store.DeleteSession(c.Request.Context(), auth.Hash(v)); err != nil {
			return err
		}
		if u := lofte.IdentityFrom(c.Request.Context()).User; u != nil {
			s.audit(c, "session.logout", auditID("user", u.ID), "Utloggad")
		}
	}
	s.clearSession(c)
	c.Redirect(http.StatusSeeOther, "/")
	return nil
}

func (s *Server) registerAuthRoutes() {
	s.route(http.MethodGet, "/login", s.handleLoginPage)
	s.route(http.MethodPost, "/login", s.handleLogin)
	s.route(http.MethodPost, "/logout", s.handleLogout)
}
