package server

import (
	"context"
	"net/http"
	"net/url"
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
	return tokenIdentity(t), nil
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
	}
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
	case lofte.ErrorCodeOf(err) == lofte.ENOTFOUND:
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
}

func (s *Server) renderLogin(c *gin.Context, status int, msg, next string) {
	s.render(c, status, "login", &loginPage{Base: s.base(c, "Logga in"), Error: msg, Next: safeNext(next)})
	c.Abort()
}

func (s *Server) handleLoginPage(c *gin.Context) error {
	s.render(c, http.StatusOK, "login", &loginPage{Base: s.base(c, "Logga in"), Next: safeNext(c.Query("next"))})
	return nil
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

func (s *Server) handleLogin(c *gin.Context) error {
	name := strings.TrimSpace(c.PostForm("name"))
	pw := c.PostForm("password")
	next := safeNext(c.PostForm("next"))
	page := &loginPage{Base: s.base(c, "Logga in"), Name: name, Next: next}
	now := s.now()
	// Two buckets: one per name against guessing one account, one per client against
	// spraying many; both in memory only.
	okName, waitName := s.loginByName.allow(strings.ToLower(name), now)
	okIP, waitIP := s.loginByClient.allow(c.RemoteIP(), now)
	if !okName || !okIP {
		wait := max(waitName, waitIP)
		c.Header("Retry-After", retryAfter(wait))
		page.Error = "För många inloggningsförsök. Vänta en stund och försök igen."
		s.render(c, http.StatusTooManyRequests, "login", page)
		return nil
	}
	if name == "" || pw == "" || len(pw) > auth.MaxPasswordLen || len(name) > 100 {
		page.Error = "Fyll i användarnamn och lösenord."
		s.render(c, http.StatusBadRequest, "login", page)
		return nil
	}
	u, err := s.store.FindUserByName(c.Request.Context(), name)
	switch {
	case lofte.ErrorCodeOf(err) == lofte.ENOTFOUND:
		auth.CheckNoUser(pw)
	case err != nil:
		return err
	}
	if u == nil || !auth.CheckPassword(u.PasswordHash, pw) {
		page.Error = "Fel användarnamn eller lösenord."
		s.render(c, http.StatusUnauthorized, "login", page)
		return nil
	}
	secret, hash := auth.NewSecret("")
	if err := s.store.CreateSession(c.Request.Context(), &lofte.Session{Hash: hash, UserID: u.ID,
		CreatedAt: now, ExpiresAt: now.Add(sessionLength)}); err != nil {
		return err
	}
	s.setSession(c, secret)
	s.log.InfoContext(c.Request.Context(), "login", "user_id", u.ID, "role", u.Role)
	if next == "" {
		next = homeFor(u.Role)
	}
	c.Redirect(http.StatusSeeOther, next)
	return nil
}

func (s *Server) handleLogout(c *gin.Context) error {
	if v, err := c.Cookie(sessionCookie); err == nil && v != "" {
		if err := s.store.DeleteSession(c.Request.Context(), auth.Hash(v)); err != nil {
			return err
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
