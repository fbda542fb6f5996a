package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
)

func (s *Server) registerTokenRoutes() {
	s.route(http.MethodGet, "/api/v1/tokens", s.handleTokenList)
	s.route(http.MethodPost, "/api/v1/tokens", s.handleTokenCreate)
	s.route(http.MethodDelete, "/api/v1/tokens/:id", s.handleTokenRevoke)
	s.route(http.MethodGet, "/tokens", s.handleTokensPage)
	s.route(http.MethodPost, "/tokens", s.handleTokenCreateForm)
	s.route(http.MethodPost, "/tokens/:id/revoke", s.handleTokenRevokeForm)
}

// liveTokens lists the unrevoked tokens of a role (every role for ""), newest first.
func (s *Server) liveTokens(ctx context.Context, role lofte.Role) ([]*lofte.Token, error) {
	ts, err := s.store.FindTokens(ctx, role)
	if err != nil {
		return nil, err
	}
	out := []*lofte.Token{}
	for _, t := range ts {
		if t.RevokedAt == nil {
			out = append(out, t)
		}
	}
	return out, nil
}

// liveToken returns the unrevoked token id of a role (any role for ""), or ENOTFOUND.
func (s *Server) liveToken(ctx context.Context, id int64, role lofte.Role) (*lofte.Token, error) {
	ts, err := s.liveTokens(ctx, role)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if t.ID == id {
			return t, nil
		}
	}
	return nil, lofte.NotFound("token %d finns inte eller är redan återkallad", id)
}

// createToken makes a bearer token; its secret is returned to be shown once.
func (s *Server) createToken(c *gin.Context, name string, role lofte.Role) (*lofte.Token, string, error) {
	plain, hash := auth.NewToken()
	t := &lofte.Token{Name: name, Role: role, Hash: hash}
	if err := s.store.CreateToken(c.Request.Context(), t); err != nil {
		return nil, "", err
	}
	s.audit(c, "token.create", auditID("token", t.ID), fmt.Sprintf("Token %s skapades med rollen %s.", t.Name, t.Role.Label()))
	return t, plain, nil
}

// revokeToken revokes the unrevoked token id of a role (any role for "") for good.
func (s *Server) revokeToken(c *gin.Context, id int64, role lofte.Role) (*lofte.Token, error) {
	t, err := s.liveToken(c.Request.Context(), id, role)
	if err != nil {
		return nil, err
	}
	if err := t.CheckRevokeBy(lofte.IdentityFrom(c.Request.Context())); err != nil {
		return nil, err
	}
	if _, err := s.store.RevokeToken(c.Request.Context(), id); err != nil {
		return nil, err
	}
	s.audit(c, "token.revoke", auditID("token", id), fmt.Sprintf("Token %s (%s) återkallades.", t.Name, t.Role.Label()))
	return t, nil
}

func (s *Server) handleTokenList(c *gin.Context) error {
	ts, err := s.liveTokens(c.Request.Context(), "")
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"tokens": ts})
	return nil
}

func (s *Server) handleTokenCreate(c *gin.Context) error {
	return createWithSecret(c, s.createToken, "token", "secret")
}

func (s *Server) handleTokenRevoke(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := s.revokeToken(c, id, ""); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

type tokensPage struct {
	Base
	Tokens []*lofte.Token
	Roles  []roleOption
	// Secret is a new token shown once, for the token SecretFor names.
	Secret, SecretFor string
	Form              struct{ Name, Role string }
	Notice, Error     string
	ErrorField        string
}

func (s *Server) tokensPage(c *gin.Context) (*tokensPage, error) {
	ts, err := s.liveTokens(c.Request.Context(), "")
	if err != nil {
		return nil, err
	}
	p := &tokensPage{Base: s.base(c, "Tokens"), Tokens: ts, Roles: roleOptions(true)}
	p.Form.Role = string(lofte.RoleCouncil)
	return p, nil
}

func (s *Server) handleTokensPage(c *gin.Context) error {
	p, err := s.tokensPage(c)
	if err != nil {
		return err
	}
	p.Notice = c.Query("klart")
	s.render(c, http.StatusOK, "tokens", p)
	return nil
}

func (s *Server) handleTokenCreateForm(c *gin.Context) error {
	name, role := strings.TrimSpace(c.PostForm("name")), c.PostForm("role")
	t, secret, err := s.createToken(c, name, lofte.Role(role))
	e, refused := refusal(err)
	if err != nil && e == nil {
		return err
	}
	p, perr := s.tokensPage(c)
	if perr != nil {
		return perr
	}
	status := http.StatusOK
	if e != nil {
		status = refused
		p.Error, p.ErrorField = e.Message, e.Field
		p.Form.Name, p.Form.Role = name, role
	} else {
		p.Secret, p.SecretFor = secret, t.Name
	}
	c.Header("Cache-Control", "no-store")
	s.render(c, status, "tokens", p)
	return nil
}

func (s *Server) handleTokenRevokeForm(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	t, err := s.revokeToken(c, id, "")
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/tokens?klart="+url.QueryEscape("Token "+t.Name+" är återkallad"))
	return nil
}
