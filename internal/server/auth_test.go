package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
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

// mustSignIn adds a person and signs them in: their session cookie.
func mustSignIn(t *testing.T, e *env, name string, role lofte.Role, pw string) *http.Cookie {
	t.Helper()
	mustUser(t, e, name, role, pw)
	_, c, _ := login(t, e, name, pw)
	if c == nil {
		t.Fatal("no session")
	}
	return c
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
	if _, err := e.db.RevokeToken(context.Background(), tok.ID); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := e.do(http.MethodGet, "/api/v1/metrics", lofte.RoleCouncil, ""); status != 401 {
		t.Errorf("revoked token: %d, want 401", status)
	}
}

func TestCrossSiteFormPostRefused(t *testing.T) {
	e := newEnv(t)
	c := mustSignIn(t, e, "admin-anna", lofte.RoleAdmin, "rätt lösenord!")
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

// TestRefererOnlyCrossSiteRefused: an old browser sends neither Sec-Fetch-Site nor Origin,
// only Referer; a cookie-carrying change from another site is refused all the same, while the
// same form from this site, and a bearer client, pass.
func TestRefererOnlyCrossSiteRefused(t *testing.T) {
	e := newEnv(t)
	c := mustSignIn(t, e, "admin-anna", lofte.RoleAdmin, "rätt lösenord!")
	host := strings.TrimPrefix(e.srv.URL, "http://")
	tests := []struct {
		name    string
		headers []string
		want    int
	}{
		{"foreign Referer with the session", []string{"Cookie", "mlf_session=" + c.Value, "Referer", "https://evil.example/form"}, http.StatusForbidden},
		{"Referer from another port of this host", []string{"Cookie", "mlf_session=" + c.Value, "Referer", "http://127.0.0.1:1/x"}, http.StatusForbidden},
		{"Referer from this site", []string{"Cookie", "mlf_session=" + c.Value, "Referer", "http://" + host + "/plan"}, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, b := e.do(http.MethodPost, "/logout", "", "", tt.headers...)
			if status != tt.want {
				t.Errorf("%d, want %d: %s", status, tt.want, b)
			}
		})
	}
	// A bearer client with a foreign Referer carries no cookie: not a browser's forged form.
	body := `{"basort":"Tollarp","place":"Torget","starts_at":"2018-10-02T10:00:00+02:00","ends_at":"2018-10-02T12:00:00+02:00"}`
	if status, _, b := e.do(http.MethodPost, "/api/v1/stops", lofte.RoleAdmin, body, "Content-Type", "application/json",
		"Referer", "https://evil.example/"); status != http.StatusCreated {
		t.Errorf("bearer with a foreign Referer: %d %s", status, b)
	}
}

// TestIdentifyPrecedence: a bearer token wins over a kiosk cookie, a person's session over a
// kiosk cookie; a kiosk cookie counts only with a kiosk's token. /kiosk tells them apart:
// 200 for a kiosk, 403 for a person, 401 for nobody.
func TestIdentifyPrecedence(t *testing.T) {
	e := newEnv(t)
	session := mustSignIn(t, e, "admin-anna", lofte.RoleAdmin, "långt och hemligt")
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

// loginFrom logs in with extra headers (X-Forwarded-For, Cookie) and returns the status, the
// response's headers and the page.
func loginFrom(t *testing.T, e *env, name, pw string, header ...string) (int, http.Header, string) {
	t.Helper()
	form := url.Values{"name": {name}, "password": {pw}}.Encode()
	status, h, b := e.do(http.MethodPost, "/login", "", form, append([]string{"Content-Type", "application/x-www-form-urlencoded"}, header...)...)
	return status, h, string(b)
}

// TestStrangerCannotLockOutTheUser: guesses at an account from strangers slow down strangers;
// the user, in a browser she has logged in from before, still gets in. A browser she never
// used waits like the strangers (the per-account limit still guards against guessing).
func TestStrangerCannotLockOutTheUser(t *testing.T) {
	e := newEnv(t, func(c *server.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} })
	mustUser(t, e, "admin-anna", lofte.RoleAdmin, "rätt lösenord!")
	mustUser(t, e, "polis-per", lofte.RoleOfficer, "pers lösenord")
	office := []string{"X-Forwarded-For", "198.51.100.10"}
	status, h, _ := loginFrom(t, e, "admin-anna", "rätt lösenord!", office...)
	var known *http.Cookie
	for _, ck := range (&http.Response{Header: h}).Cookies() {
		if strings.HasPrefix(ck.Name, "mlf_known_") {
			known = ck
		}
	}
	if status != http.StatusSeeOther || known == nil {
		t.Fatalf("first login: %d, known-device cookie %v", status, known)
	}
	if known.Path != "/login" || !known.HttpOnly || known.MaxAge < 300*24*3600 {
		t.Errorf("known-device cookie: %+v", known)
	}
	// 33 wrong guesses from three addresses: the four tries left of the account's five (her
	// first login, from a browser not yet known, took one), then 429.
	wrong, limited := 0, 0
	for i := range 33 {
		st, _, _ := loginFrom(t, e, "admin-anna", "gissning", "X-Forwarded-For", "203.0.113."+strconv.Itoa(1+i%3))
		switch st {
		case http.StatusUnauthorized:
			wrong++
		case http.StatusTooManyRequests:
			limited++
		default:
			t.Fatalf("guess %d: %d", i+1, st)
		}
	}
	if wrong != 4 || limited != 29 {
		t.Errorf("stranger: %d guesses checked, %d refused; want 4 and 29", wrong, limited)
	}
	mark := known.Name + "=" + known.Value
	forged := known.Name + "=" + strings.SplitN(known.Value, ".", 2)[0] + ".AAAA"
	tests := []struct {
		name, user, pw string
		header         []string
		want           int
	}{
		{"user in her known browser", "admin-anna", "rätt lösenord!", append(office, "Cookie", mark), http.StatusSeeOther},
		{"known browser, name in other case", "Admin-Anna", "rätt lösenord!", append(office, "Cookie", mark), http.StatusSeeOther},
		{"user in a new browser", "admin-anna", "rätt lösenord!", []string{"X-Forwarded-For", "198.51.100.11"}, http.StatusTooManyRequests},
		{"stranger with a forged mark", "admin-anna", "gissning", []string{"X-Forwarded-For", "203.0.113.9", "Cookie", forged}, http.StatusTooManyRequests},
		{"stranger who stole the mark: per-client limit only", "admin-anna", "gissning", []string{"X-Forwarded-For", "203.0.113.9", "Cookie", mark}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if st, _, _ := loginFrom(t, e, tt.user, tt.pw, tt.header...); st != tt.want {
				t.Errorf("%d, want %d", st, tt.want)
			}
		})
	}
	// Anna's mark does nothing for Per's account.
	per, err := e.db.FindUserByName(t.Context(), "polis-per")
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		loginFrom(t, e, "polis-per", "gissning", "X-Forwarded-For", "203.0.113.20")
	}
	if st, _, _ := loginFrom(t, e, "polis-per", "pers lösenord", append(office, "Cookie", "mlf_known_"+strconv.FormatInt(per.ID, 10)+"="+known.Value)...); st != http.StatusTooManyRequests {
		t.Errorf("Per with Anna's mark: %d, want 429", st)
	}
}

// TestLoginNameVariantsShareABucket: letter case and white space do not buy extra tries.
func TestLoginNameVariantsShareABucket(t *testing.T) {
	e := newEnv(t)
	mustUser(t, e, "admin-anna", lofte.RoleAdmin, "rätt lösenord!")
	tests := []struct {
		name string
		want int
	}{
		{"admin-anna", 401},
		{"Admin-Anna", 401},
		{" ADMIN-ANNA ", 401},
		{"admin-anna\t", 401},
		{"ADMIN-anna", 401},
		{"aDmIn-AnNa", 429},
		{"admin-anna", 429},
		{"admin-anne", 401}, // another name has its own bucket
	}
	for i, tt := range tests {
		if st, _, _ := loginFrom(t, e, tt.name, "gissning"); st != tt.want {
			t.Errorf("try %d as %q: %d, want %d", i+1, tt.name, st, tt.want)
		}
	}
}

// TestLoginPageEchoesOnlyPlausibleNames: a refused login shows the name back when it could
// be one, never a long one in full.
func TestLoginPageEchoesOnlyPlausibleNames(t *testing.T) {
	e := newEnv(t)
	for range 5 {
		login(t, e, "admin-anna", "gissning")
	}
	status, _, body := login(t, e, "admin-anna", "gissning")
	if status != http.StatusTooManyRequests || !strings.Contains(body, `value="admin-anna"`) {
		t.Errorf("429 page: %d, short name shown: %v", status, strings.Contains(body, `value="admin-anna"`))
	}
	long := strings.Repeat("lång", 50)
	status, _, body = login(t, e, long, "gissning")
	if status != http.StatusBadRequest || strings.Contains(body, long[:100]) {
		t.Errorf("200-character name: %d, echoed: %v", status, strings.Contains(body, long[:100]))
	}
}

// TestPlainHTTPNotice: the login page warns when the browser will drop the Secure session
// cookie, which is plain http to an address other than localhost.
func TestPlainHTTPNotice(t *testing.T) {
	tests := []struct {
		name, host string
		secure     bool
		header     []string
		want       bool
	}{
		{"plain http to a name", "kontor.example:8080", true, nil, true},
		{"plain http to a LAN address", "192.168.1.20:8080", true, nil, true},
		{"localhost", "localhost:8080", true, nil, false},
		{"127.0.0.1", "127.0.0.1:8080", true, nil, false},
		{"IPv6 loopback", "[::1]:8080", true, nil, false},
		{"*.localhost", "app.localhost", true, nil, false},
		{"https at the proxy", "kontor.example", true, []string{"X-Forwarded-Proto", "https"}, false},
		{"--secure-cookies=false", "kontor.example:8080", false, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *server.Config) { c.SecureCookies = tt.secure })
			for _, path := range []string{"/login", "/dashboard"} { // the form, and the form for a page that needs it
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Host = tt.host
				req.Header.Set("Accept", "text/html")
				for i := 0; i+1 < len(tt.header); i += 2 {
					req.Header.Set(tt.header[i], tt.header[i+1])
				}
				rec := httptest.NewRecorder()
				e.app.Handler().ServeHTTP(rec, req)
				got := strings.Contains(rec.Body.String(), `id="http-notice"`)
				if got != tt.want || !strings.Contains(rec.Body.String(), `action="/login"`) {
					t.Errorf("%s: notice %v, want %v (status %d)", path, got, tt.want, rec.Code)
				}
			}
		})
	}
}
