package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
)

func mustUser(t *testing.T, e *env, name string, role lofte.Role, pw string) {
	t.Helper()
	h, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateUser(context.Background(), &lofte.User{Name: name, Role: role, PasswordHash: h}); err != nil {
		t.Fatal(err)
	}
}

func login(t *testing.T, e *env, name, pw string) (int, *http.Cookie, string) {
	t.Helper()
	form := url.Values{"name": {name}, "password": {pw}}.Encode()
	status, h, b := e.do(http.MethodPost, "/login", "", form, "Content-Type", "application/x-www-form-urlencoded")
	var c *http.Cookie
	for _, ck := range (&http.Response{Header: h}).Cookies() {
		if ck.Name == "mlf_session" && ck.Value != "" {
			c = ck
		}
	}
	return status, c, string(b)
}

func TestLoginLogout(t *testing.T) {
	e := newEnv(t)
	mustUser(t, e, "bra-lisa", lofte.RoleCouncil, "långt och hemligt")
	status, c, _ := login(t, e, "bra-lisa", "långt och hemligt")
	if status != http.StatusSeeOther || c == nil {
		t.Fatalf("login: status %d cookie %v", status, c)
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
		t.Errorf("cookie attributes: %+v", c)
	}
	cookie := "mlf_session=" + c.Value
	// The council may read figures (never 401/403) ...
	if st, _, b := e.do(http.MethodGet, "/api/v1/metrics", "", "", "Cookie", cookie); st == 401 || st == 403 {
		t.Errorf("council with session: %d %s", st, b)
	}
	// ... but not the raw export, which is the admin's alone, nor post responses.
	if st, _, _ := e.do(http.MethodGet, "/api/v1/responses", "", "", "Cookie", cookie); st != 403 {
		t.Errorf("council reading the raw export: %d, want 403", st)
	}
	if st, _, _ := e.do(http.MethodPost, "/api/v1/responses", "", "{}", "Cookie", cookie); st != 403 {
		t.Errorf("council posting responses: %d, want 403", st)
	}
	if st, _, b := e.do(http.MethodGet, "/", "", "", "Cookie", cookie); st != 200 || !strings.Contains(string(b), "bra-lisa") {
		t.Errorf("start page does not show the logged-in user: %d", st)
	}
	if st, _, _ := e.do(http.MethodPost, "/logout", "", "", "Cookie", cookie); st != http.StatusSeeOther {
		t.Errorf("logout: %d", st)
	}
	if st, _, _ := e.do(http.MethodGet, "/api/v1/responses", "", "", "Cookie", cookie); st != 401 {
		t.Errorf("after logout: %d, want 401", st)
	}
}

func TestLoginRefusals(t *testing.T) {
	e := newEnv(t)
	mustUser(t, e, "polis-per", lofte.RoleOfficer, "rätt lösenord!")
	tests := []struct {
		name, user, pw string
		status         int
	}{
		{"wrong password", "polis-per", "fel lösenord", 401},
		{"unknown user", "ingen", "rätt lösenord!", 401},
		{"empty", "", "", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, c, body := login(t, e, tt.user, tt.pw)
			if status != tt.status || c != nil {
				t.Errorf("status %d cookie %v, want %d and none", status, c, tt.status)
			}
			if !strings.Contains(body, `role="alert"`) {
				t.Error("no error message on the page")
			}
		})
	}
}

func TestLoginRateLimit(t *testing.T) {
	e := newEnv(t)
	mustUser(t, e, "admin-anna", lofte.RoleAdmin, "rätt lösenord!")
	var last int
	var got429 bool
	for range 8 {
		last, _, _ = login(t, e, "admin-anna", "gissning")
		if last == http.StatusTooManyRequests {
			got429 = true
			break
		}
	}
	if !got429 {
		t.Fatalf("8 wrong passwords in a row never hit the limit (last %d)", last)
	}
	// Even the right password waits now.
	if status, c, _ := login(t, e, "admin-anna", "rätt lösenord!"); status != http.StatusTooManyRequests || c != nil {
		t.Errorf("right password while limited: %d", status)
	}
}

func TestBearerTokens(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, header string
	}{
		{"malformed", "Bearer nonsense"},
		{"unknown", "Bearer " + auth.TokenPrefix + strings.Repeat("A", 43)},
		{"basic scheme", "Basic dXNlcjpwYXNz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Even a public route refuses a bad credential rather than silently ignoring it.
			status, _, b := e.do(http.MethodGet, "/api/v1/basorter", "", "", "Authorization", tt.header)
			if status != 401 || apiError(t, b).Code != lofte.EUNAUTHORIZED {
				t.Errorf("status %d body %s", status, b)
			}
		})
	}
	tok, err := e.db.FindTokenByHash(context.Background(), auth.Hash(e.tokens[lofte.RoleCouncil]))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.RevokeToken(context.Background(), tok.ID); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := e.do(http.MethodGet, "/api/v1/metrics", lofte.RoleCouncil, ""); status != 401 {
		t.Errorf("revoked token: %d, want 401", status)
	}
}

func TestCrossSiteFormPostRefused(t *testing.T) {
	e := newEnv(t)
	mustUser(t, e, "admin-anna", lofte.RoleAdmin, "rätt lösenord!")
	_, c, _ := login(t, e, "admin-anna", "rätt lösenord!")
	status, _, _ := e.do(http.MethodPost, "/logout", "", "", "Cookie", "mlf_session="+c.Value,
		"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	if status != http.StatusForbidden {
		t.Errorf("cross-site post: %d, want 403", status)
	}
	// The session survived the forged logout.
	if st, _, _ := e.do(http.MethodGet, "/api/v1/responses", "", "", "Cookie", "mlf_session="+c.Value); st == 401 {
		t.Error("a cross-site request logged the user out")
	}
}

// TestIdentifyPrecedence: a bearer token wins over a kiosk cookie, a person's session over a
// kiosk cookie; a kiosk cookie counts only with a kiosk's token. /kiosk tells them apart:
// 200 for a kiosk, 403 for a person, 401 for nobody.
func TestIdentifyPrecedence(t *testing.T) {
	e := newEnv(t)
	mustUser(t, e, "admin-anna", lofte.RoleAdmin, "långt och hemligt")
	_, session, _ := login(t, e, "admin-anna", "långt och hemligt")
	if session == nil {
		t.Fatal("no session")
	}
	unknown, _ := auth.NewToken()
	kiosk := "mlf_kiosk=" + e.tokens[lofte.RoleKiosk]
	tests := []struct {
		name        string
		header      []string
		want        int
		clearsLogin bool
	}{
		{"kiosk cookie", []string{"Cookie", kiosk}, 200, false},
		{"staff token in a kiosk cookie", []string{"Cookie", "mlf_kiosk=" + e.tokens[lofte.RoleAdmin]}, 401, false},
		{"unknown token in a kiosk cookie", []string{"Cookie", "mlf_kiosk=" + unknown}, 401, false},
		{"session over kiosk cookie", []string{"Cookie", kiosk + "; mlf_session=" + session.Value}, 403, false},
		{"bearer over kiosk cookie", []string{"Cookie", kiosk, "Authorization", "Bearer " + e.tokens[lofte.RoleAdmin]}, 403, false},
		{"malformed Authorization", []string{"Cookie", kiosk, "Authorization", "Basic " + e.tokens[lofte.RoleKiosk]}, 401, false},
		{"unknown session", []string{"Cookie", "mlf_session=" + unknown}, 401, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, b := e.do(http.MethodGet, "/kiosk", "", "", tt.header...)
			if status != tt.want {
				t.Errorf("status %d, want %d: %.200s", status, tt.want, b)
			}
			cleared := false
			for _, ck := range (&http.Response{Header: h}).Cookies() {
				cleared = cleared || ck.Name == "mlf_session" && ck.MaxAge < 0
			}
			if cleared != tt.clearsLogin {
				t.Errorf("session cookie cleared: %v, want %v", cleared, tt.clearsLogin)
			}
		})
	}
}
