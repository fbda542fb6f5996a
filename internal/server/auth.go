package server

import (
	"math"
	"net/http"
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
// session cookie. A bad token is refused at once; a stale cookie only makes the caller anonymous.
func (s *Server) identify() gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		if h := c.GetHeader("Authorization"); h != "" {
			scheme, tok, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") || !auth.LooksLikeToken(strings.TrimSpace(tok)) {
				s.writeError(c, &lofte.Error{Code: lofte.EUNAUTHORIZED, Message: "ogiltig Authorization-rubrik, ange Bearer och en token"})
				return
			}
			t, err := s.store.FindTokenByHash(ctx, auth.Hash(strings.TrimSpace(tok)))
			if err != nil {
				if lofte.ErrorCodeOf(err) == lofte.ENOTFOUND {
					err = &lofte.Error{Code: lofte.EUNAUTHORIZED, Message: "okänd eller återkallad token"}
				}
				s.writeError(c, err)
				return
			}
			c.Request = c.Request.WithContext(lofte.WithIdentity(ctx, &lofte.Identity{Role: t.Role, Name: t.Name, Token: t}))
			c.Next()
			return
		}
		if v, err := c.Cookie(kioskCookie); err == nil && v != "" {
			if _, err := c.Cookie(sessionCookie); err != nil && auth.LooksLikeToken(v) {
				// A paired tablet carries its kiosk token in a cookie; a person's session on
				// the same browser takes precedence.
				t, err := s.store.FindTokenByHash(ctx, auth.Hash(v))
				switch {
				case err == nil && kioskCookieMayCarry(t):
					c.Request = c.Request.WithContext(lofte.WithIdentity(ctx, &lofte.Identity{Role: t.Role, Name: t.Name, Token: t}))
					c.Next()
					return
				case err != nil && lofte.ErrorCodeOf(err) != lofte.ENOTFOUND:
					s.writeError(c, err)
					return
				}
			}
		}
		if v, err := c.Cookie(sessionCookie); err == nil && v != "" {
			sess, err := s.store.FindSession(ctx, auth.Hash(v), s.now())
			if err == nil {
				u, err := s.store.FindUserByID(ctx, sess.UserID)
				if err == nil {
					c.Request = c.Request.WithContext(lofte.WithIdentity(ctx, &lofte.Identity{Role: u.Role, Name: u.Name, User: u}))
				}
			}
			if err != nil && lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
				s.writeError(c, err)
				return
			}
			if err != nil {
				s.clearSession(c)
			}
		}
		c.Next()
	}
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
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
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
