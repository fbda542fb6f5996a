package server

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
)

func (s *Server) registerPasswordRoutes() {
	s.route(http.MethodGet, "/password", s.handlePasswordPage)
	s.route(http.MethodPost, "/password", s.handlePasswordSave)
}

type passwordPage struct {
	Base
	Next string
	// Must says the person has to choose a password before anything else.
	Must bool
	// Min and Max are the lengths a password may have (lofte.ValidatePassword).
	Min, Max          int
	Error, ErrorField string
}

func (s *Server) passwordPage(c *gin.Context, next string) (*passwordPage, error) {
	id := lofte.IdentityFrom(c.Request.Context())
	if !choosesOwnPassword(id) {
		return nil, &lofte.Error{Code: lofte.ECONFLICT, Message: "en token har inget lösenord att byta; logga in som person"}
	}
	return &passwordPage{Base: s.base(c, "Byt lösenord"), Next: safeNext(next), Must: mustChoosePassword(id),
		Min: lofte.MinPasswordLen, Max: lofte.MaxPasswordLen}, nil
}

func (s *Server) handlePasswordPage(c *gin.Context) error {
	p, err := s.passwordPage(c, c.Query("next"))
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "password", p)
	return nil
}

// refuseUntilPassword answers a person who must choose a password first: a browser asking
// for a page is sent to the password form and back afterwards, anything else is refused.
func (s *Server) refuseUntilPassword(c *gin.Context) {
	if c.Request.Method == http.MethodGet && wantsHTML(c) {
		c.Redirect(http.StatusSeeOther, "/password?next="+url.QueryEscape(c.Request.URL.RequestURI()))
		c.Abort()
		return
	}
	s.writeError(c, &lofte.Error{Code: lofte.EFORBIDDEN,
		Message: "välj ett eget lösenord först (/password); lösenordet du fick visades för någon annan"})
}

// handlePasswordSave sets the person's own password. The current one is asked for, so a
// browser left logged in does not let a passer-by take over the account, and each check of
// it takes from the login limiter's bucket for the name. The new password ends every other session;
// this browser gets a new one.
func (s *Server) handlePasswordSave(c *gin.Context) error {
	p, err := s.passwordPage(c, c.PostForm("next"))
	if err != nil {
		return err
	}
	ctx, u, now := c.Request.Context(), p.Identity.User, s.now()
	current, pw := c.PostForm("current"), c.PostForm("password")
	refuse := func(field, msg string) error {
		p.Error, p.ErrorField = msg, field
		s.render(c, http.StatusBadRequest, "password", p)
		return nil
	}
	switch {
	case lofte.ValidatePassword(pw) != nil:
		return refuse("password", fmt.Sprintf("Det nya lösenordet måste vara %d–%d tecken.", lofte.MinPasswordLen, lofte.MaxPasswordLen))
	case pw != c.PostForm("repeat"):
		return refuse("repeat", "Det upprepade lösenordet är inte detsamma som det nya.")
	case pw == current:
		return refuse("password", "Välj ett annat lösenord än det nuvarande.")
	}
	if ok, wait := s.loginByName.allow(nameKey(u.Name), now); !ok {
		p.Error, p.ErrorField = "För många försök. Vänta en stund och försök igen.", "current"
		return s.renderTooMany(c, wait, "password", p)
	}
	if len(current) > auth.MaxPasswordLen || !auth.CheckPassword(u.PasswordHash, current) {
		return refuse("current", "Det nuvarande lösenordet stämmer inte.")
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	after, err := s.store.UpdateUser(ctx, u.ID, lofte.UserUpdate{PasswordHash: &hash})
	if err != nil {
		return err
	}
	if err := s.startSession(c, after, now, p.Next); err != nil {
		return err
	}
	s.audit(c, "user.password", auditID("user", u.ID), fmt.Sprintf("%s valde ett eget lösenord; andra inloggningar avslutades.", u.Name))
	return nil
}
