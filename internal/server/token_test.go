package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"medborgarlofte/internal/lofte"
)

// tokenID returns the id of the test token of a role (newEnv makes one per role).
func (e *env) tokenID(role lofte.Role) int64 {
	e.t.Helper()
	ts, err := e.db.FindTokens(context.Background(), role)
	if err != nil || len(ts) == 0 {
		e.t.Fatalf("no %s token: %v", role, err)
	}
	return ts[len(ts)-1].ID
}

func TestTokenRoutes(t *testing.T) {
	// newEnv makes the tokens in the order of lofte.Roles: admin 1, officer 2, council 3, kiosk 4.
	tokenShape := []string{"created_at", "id", "last_used_at", "name", "role"}
	tests := slices.Concat([]peopleScenario{
		{name: "list", method: "GET", path: "/api/v1/tokens", role: lofte.RoleAdmin, status: 200,
			check: func(t *testing.T, e *env, b []byte) {
				if n, fields := listed(t, b, "tokens"); n != len(lofte.Roles) || !slices.Equal(fields, tokenShape) {
					t.Errorf("tokens: %s", b)
				}
				if strings.Contains(string(b), "hash") || strings.Contains(string(b), "mlt_") {
					t.Errorf("the list shows a secret: %s", b)
				}
			}},
		{name: "create", method: "POST", path: "/api/v1/tokens", body: `{"name":"excel-hamtning","role":"council"}`, role: lofte.RoleAdmin,
			status: 201, audit: []string{"token.create"},
			check: func(t *testing.T, e *env, b []byte) {
				fields, secret := created(t, b, "token", "secret")
				if !slices.Equal(fields, tokenShape) || !strings.HasPrefix(secret, "mlt_") {
					t.Fatalf("answer: %s", b)
				}
				req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/metrics", nil)
				req.Header.Set("Authorization", "Bearer "+secret)
				resp, err := http.DefaultClient.Do(req)
				if err != nil || resp.StatusCode != 200 {
					t.Errorf("the new council token does not read figures: %v %v", resp.StatusCode, err)
				}
				resp.Body.Close()
			}},
		invalid("create with an unknown role", "POST", "/api/v1/tokens", `{"name":"x","role":"root"}`, "role"),
		invalid("create without a name", "POST", "/api/v1/tokens", `{"name":" ","role":"kiosk"}`, "name"),
		invalid("create with a chosen secret", "POST", "/api/v1/tokens", `{"name":"x","role":"kiosk","secret":"mlt_x"}`, "secret"),
		{name: "revoke", method: "DELETE", path: "/api/v1/tokens/3", role: lofte.RoleAdmin, status: 204, audit: []string{"token.revoke"},
			check: func(t *testing.T, e *env, b []byte) {
				if st, _, _ := e.do(http.MethodGet, "/api/v1/metrics", lofte.RoleCouncil, ""); st != 401 {
					t.Errorf("the revoked token: %d, want 401", st)
				}
				if st, _, _ := e.do(http.MethodDelete, "/api/v1/tokens/3", lofte.RoleAdmin, ""); st != 404 {
					t.Errorf("revoking again: %d, want 404", st)
				}
			}},
		{name: "revoke the token in use", method: "DELETE", path: "/api/v1/tokens/1", role: lofte.RoleAdmin,
			status: 409, code: lofte.ECONFLICT, field: "id"},
		{name: "revoke nothing", method: "DELETE", path: "/api/v1/tokens/99", role: lofte.RoleAdmin, status: 404, code: lofte.ENOTFOUND},
	},
		roleRefusals("list", "GET", "/api/v1/tokens", "", lofte.RoleOfficer, lofte.RoleKiosk, ""),
		roleRefusals("create", "POST", "/api/v1/tokens", `{"name":"x","role":"council"}`, lofte.RoleCouncil),
		roleRefusals("revoke", "DELETE", "/api/v1/tokens/3", "", lofte.RoleOfficer),
	)
	runPeopleScenarios(t, tests)
}

// TestTokensPage: the admin creates a token in the browser and sees its secret once, sees
// it listed with readable times, and revokes it after confirming.
func TestTokensPage(t *testing.T) {
	e := newEnv(t)
	c := mustSignIn(t, e, "anna", lofte.RoleAdmin, "annas långa lösenord")
	cookie := []string{"Cookie", "mlf_session=" + c.Value}
	post := func(path string, form url.Values) (int, http.Header, []byte) {
		return e.do(http.MethodPost, path, "", form.Encode(), append(slices.Clone(cookie), formCT...)...)
	}
	before := e.people()
	st, _, page := post("/tokens", url.Values{"name": {""}, "role": {"council"}})
	if st != 400 || withAttr(mustParse(t, page), "aria-invalid", "true") == nil {
		t.Errorf("no name: %d, the field not marked", st)
	}
	st, _, page = post("/tokens", url.Values{"name": {"x"}, "role": {"root"}})
	if bad := withAttr(mustParse(t, page), "aria-invalid", "true"); st != 400 || bad == nil || bad.Data != "select" {
		t.Errorf("a bad role: %d, the select not marked", st)
	}
	if diff := e.people(); len(diff.Tokens) != len(before.Tokens) || len(e.auditActions()) != 0 {
		t.Error("a refused form changed something")
	}
	st, h, page := post("/tokens", url.Values{"name": {"excel-hamtning"}, "role": {"council"}})
	secret := withAttr(mustParse(t, page), "id", "token-secret")
	if st != 200 || secret == nil || !strings.HasPrefix(text(secret), "mlt_") || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("create: %d, secret shown %v", st, secret != nil)
	}
	_, _, page = e.do(http.MethodGet, "/tokens", "", "", cookie...)
	if strings.Contains(string(page), text(secret)) {
		t.Error("the secret is shown again")
	}
	doc := mustParse(t, page)
	var id string
	findNode(doc, func(n *html.Node) bool {
		if v, ok := attr(n, "data-token"); ok && strings.Contains(text(n), "excel-hamtning") {
			id = v
			if !strings.Contains(text(n), "lör 10 mars 2018 kl. 12.00") || !strings.Contains(text(n), "aldrig") {
				t.Errorf("the row shows %q, want readable creation and never used", text(n))
			}
			return true
		}
		return false
	})
	if id == "" {
		t.Fatal("the new token is not listed")
	}
	if findNode(doc, func(n *html.Node) bool {
		a, _ := attr(n, "action")
		return n.Data == "form" && a == "/tokens/"+id+"/revoke" && n.Parent.Data == "details"
	}) == nil {
		t.Error("revoking is not behind a confirmation")
	}
	if st, h, _ := post("/tokens/"+id+"/revoke", nil); st != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "klart") {
		t.Errorf("revoke: %d", st)
	}
	if got := e.auditActions(); !slices.Equal(got, []string{"token.create", "token.revoke"}) {
		t.Errorf("audit %v", got)
	}
	_, _, page = e.do(http.MethodGet, "/tokens", "", "", cookie...)
	if withAttr(mustParse(t, page), "data-token", id) != nil {
		t.Error("a revoked token is still listed")
	}
}
