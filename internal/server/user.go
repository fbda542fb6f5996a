package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
)

func (s *Server) registerUserRoutes() {
	s.route(http.MethodGet, "/api/v1/users", s.handleUserList)
	s.route(http.MethodPost, "/api/v1/users", s.handleUserCreate)
	s.route(http.MethodPatch, "/api/v1/users/:id", s.handleUserUpdate)
	s.route(http.MethodGet, "/users", s.handleUsersPage)
	s.route(http.MethodPost, "/users", s.handleUserCreateForm)
	s.route(http.MethodPost, "/users/:id", s.handleUserUpdateForm)
}

// createUser makes a login with a generated password, which the caller shows once: the
// person chooses their own at the first login (lofte.User.MustChangePassword).
func (s *Server) createUser(c *gin.Context, name string, role lofte.Role) (*lofte.User, string, error) {
	pw := auth.GeneratePassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return nil, "", err
	}
	u := &lofte.User{Name: name, Role: role, PasswordHash: hash, MustChangePassword: true}
	if err := s.store.CreateUser(c.Request.Context(), u); err != nil {
		return nil, "", err
	}
	s.audit(c, "user.create", auditID("user", u.ID), fmt.Sprintf("%s fick ett konto med rollen %s.", u.Name, u.Role.Label()))
	return u, pw, nil
}

// updateUser makes the caller's change to user id and writes an audit entry for each part
// that changed. With reset, the user gets a generated password, returned to be shown once.
func (s *Server) updateUser(c *gin.Context, id int64, upd lofte.UserUpdate, reset bool) (*lofte.User, string, error) {
	ctx := c.Request.Context()
	var pw string
	if reset {
		pw = auth.GeneratePassword()
		hash, err := auth.HashPassword(pw)
		if err != nil {
			return nil, "", err
		}
		upd.PasswordHash, upd.MustChangePassword = &hash, true
	}
	if err := upd.Validate(); err != nil {
		return nil, "", err
	}
	if err := upd.CheckActor(lofte.IdentityFrom(ctx), id); err != nil {
		return nil, "", err
	}
	before, err := s.store.FindUserByID(ctx, id)
	if err != nil {
		return nil, "", err
	}
	after, err := s.store.UpdateUser(ctx, id, upd)
	if err != nil {
		return nil, "", err
	}
	obj := auditID("user", id)
	if after.Role != before.Role {
		s.audit(c, "user.role", obj, fmt.Sprintf("%s fick rollen %s (var %s).", after.Name, after.Role.Label(), before.Role.Label()))
	}
	switch {
	case after.Disabled && !before.Disabled:
		s.audit(c, "user.disable", obj, fmt.Sprintf("%s stängdes av och loggades ut.", after.Name))
	case !after.Disabled && before.Disabled:
		s.audit(c, "user.enable", obj, fmt.Sprintf("%s kan logga in igen.", after.Name))
	}
	if reset {
		s.audit(c, "user.reset_password", obj, fmt.Sprintf("%s fick ett nytt engångslösenord och loggades ut.", after.Name))
	}
	return after, pw, nil
}

func (s *Server) handleUserList(c *gin.Context) error {
	us, err := s.store.FindUsers(c.Request.Context())
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"users": us})
	return nil
}

func (s *Server) handleUserCreate(c *gin.Context) error {
	return createWithSecret(c, s.createUser, "user", "password")
}

// createWithSecret decodes the name and role of a new user or token, makes it with create
// and answers 201 with it under key and its secret, shown this once, under secretKey.
func createWithSecret[T any](c *gin.Context, create func(*gin.Context, string, lofte.Role) (T, string, error), key, secretKey string) error {
	var in struct {
		Name string     `json:"name"`
		Role lofte.Role `json:"role"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, secret, err := create(c, in.Name, in.Role)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, gin.H{key: v, secretKey: secret})
	return nil
}

func (s *Server) handleUserUpdate(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var in struct {
		Role          *lofte.Role `json:"role"`
		Disabled      *bool       `json:"disabled"`
		ResetPassword bool        `json:"reset_password"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, pw, err := s.updateUser(c, id, lofte.UserUpdate{Role: in.Role, Disabled: in.Disabled}, in.ResetPassword)
	if err != nil {
		return err
	}
	out := gin.H{"user": u}
	if in.ResetPassword {
		c.Header("Cache-Control", "no-store")
		out["password"] = pw
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// roleOption is a role in a select list.
type roleOption struct {
	Role  lofte.Role
	Label string
}

// roleOptions lists the roles for people, or every role when devices too.
func roleOptions(devices bool) []roleOption {
	var out []roleOption
	for _, r := range lofte.Roles {
		if devices || r.Person() {
			out = append(out, roleOption{Role: r, Label: r.Label()})
		}
	}
	return out
}

type usersPage struct {
	Base
	Users []*lofte.User
	Roles []roleOption
	// Me is the signed-in person's id, whose own account cannot be disabled here.
	Me int64
	// Password is a generated password shown once, to be handed to PasswordFor.
	Password, PasswordFor string
	Form                  struct{ Name, Role string }
	Notice, Error         string
	// ErrorField names the input the error is about; ErrorUser the row, for a row's form.
	ErrorField string
	ErrorUser  int64
}

func (s *Server) usersPage(c *gin.Context) (*usersPage, error) {
	us, err := s.store.FindUsers(c.Request.Context())
	if err != nil {
		return nil, err
	}
	p := &usersPage{Base: s.base(c, "Användare"), Users: us, Roles: roleOptions(false)}
	p.Form.Role = string(lofte.RoleOfficer)
	if u := p.Identity.User; u != nil {
		p.Me = u.ID
	}
	return p, nil
}

func (s *Server) handleUsersPage(c *gin.Context) error {
	p, err := s.usersPage(c)
	if err != nil {
		return err
	}
	p.Notice = c.Query("klart")
	s.render(c, http.StatusOK, "users", p)
	return nil
}

// renderUsersResult shows the users page after a form: with the one-time password, or with
// the refusal and the form as typed (400 or 409, nothing changed).
func (s *Server) renderUsersResult(c *gin.Context, p *usersPage, rowID int64, err error) error {
	e, refused := refusal(err)
	if err != nil && e == nil {
		return err
	}
	fresh, ferr := s.usersPage(c)
	if ferr != nil {
		return ferr
	}
	fresh.Password, fresh.PasswordFor = p.Password, p.PasswordFor
	if p.Form.Role != "" {
		fresh.Form = p.Form
	}
	status := http.StatusOK
	if e != nil {
		status = refused
		fresh.Error, fresh.ErrorField, fresh.ErrorUser = e.Message, e.Field, rowID
	}
	c.Header("Cache-Control", "no-store")
	s.render(c, status, "users", fresh)
	return nil
}

func (s *Server) handleUserCreateForm(c *gin.Context) error {
	p := &usersPage{}
	p.Form.Name, p.Form.Role = strings.TrimSpace(c.PostForm("name")), c.PostForm("role")
	u, pw, err := s.createUser(c, p.Form.Name, lofte.Role(p.Form.Role))
	if err == nil {
		p.Password, p.PasswordFor = pw, u.Name
		p.Form.Name = ""
	}
	return s.renderUsersResult(c, p, 0, err)
}

// handleUserUpdateForm takes one of a row's forms: a new role, disabled true or false, or
// reset_password.
func (s *Server) handleUserUpdateForm(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var upd lofte.UserUpdate
	if v, ok := c.GetPostForm("role"); ok {
		r := lofte.Role(v)
		upd.Role = &r
	}
	if v, ok := c.GetPostForm("disabled"); ok {
		d := v == "true"
		upd.Disabled = &d
	}
	reset := c.PostForm("reset_password") == "true"
	u, pw, err := s.updateUser(c, id, upd, reset)
	if err != nil {
		return s.renderUsersResult(c, &usersPage{}, id, err)
	}
	if reset {
		return s.renderUsersResult(c, &usersPage{Password: pw, PasswordFor: u.Name}, id, nil)
	}
	c.Redirect(http.StatusSeeOther, "/users?klart="+url.QueryEscape("Ändringen för "+u.Name+" är sparad"))
	return nil
}
