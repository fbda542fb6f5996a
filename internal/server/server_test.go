package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"medborgarlofte/internal/lofte"
)

func TestErrorsAreJSON(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     lofte.ErrorCode
		field                    string
	}{
		{"unknown route", "GET", "/api/v1/nothing", "", 404, lofte.ENOTFOUND, ""},
		{"wrong method", "DELETE", "/api/v1/basorter", "", 405, "method_not_allowed", ""},
		{"year out of range", "GET", "/api/v1/stops?from=0001-01-01", "", 400, lofte.EINVALID, "from"},
		{"bad date", "GET", "/api/v1/stops?from=2018-13-01", "", 400, lofte.EINVALID, "from"},
		{"to before from", "GET", "/api/v1/stops?from=2018-05-01&to=2018-04-01", "", 400, lofte.EINVALID, "to"},
		{"unknown basort", "GET", "/api/v1/stops?basort=Atlantis", "", 400, lofte.EINVALID, "basort"},
		{"bad limit", "GET", "/api/v1/stops?limit=0", "", 400, lofte.EINVALID, "limit"},
		{"oversize", "POST", "/login", strings.Repeat("x", 3<<20), 413, lofte.ETOOLARGE, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, b := e.do(tt.method, tt.path, "", tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, b)
			}
			if !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
				t.Errorf("content type %q", h.Get("Content-Type"))
			}
			got := apiError(t, b)
			if got.Code != tt.code || got.Field != tt.field || got.Message == "" {
				t.Errorf("error %+v, want code %s field %q", got, tt.code, tt.field)
			}
		})
	}
}

func TestSecurityHeadersAndPrivateLogs(t *testing.T) {
	e := newEnv(t)
	_, h, _ := e.do(http.MethodGet, "/", "", "", "User-Agent", "SecretBrowser/1.0", "X-Forwarded-For", "203.0.113.7")
	for k, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
	} {
		if h.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, h.Get(k), want)
		}
	}
	csp := h.Get("Content-Security-Policy")
	for _, part := range []string{"default-src 'self'", "frame-ancestors 'none'", "script-src 'self'"} {
		if !strings.Contains(csp, part) {
			t.Errorf("CSP %q lacks %q", csp, part)
		}
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "route=/") {
		t.Fatalf("the request was not logged: %s", logs)
	}
	for _, secret := range []string{"127.0.0.1", "SecretBrowser", "203.0.113.7"} {
		if strings.Contains(logs, secret) {
			t.Errorf("log contains %q: %s", secret, logs)
		}
	}
}

func mustStop(t *testing.T, e *env, basort, start string, status lofte.StopStatus) *lofte.Stop {
	t.Helper()
	st, err := time.ParseInLocation("2006-01-02 15:04", start, lofte.Zone)
	if err != nil {
		t.Fatal(err)
	}
	s := &lofte.Stop{PromiseID: e.p.ID, Basort: basort, Place: "Torget", StartsAt: st, EndsAt: st.Add(3 * time.Hour), Kind: lofte.KindRegular, Status: status}
	if status != lofte.StatusDraft {
		p := st.AddDate(0, 0, -14)
		s.PublishedAt = &p
	}
	if status == lofte.StatusCancelled {
		s.CancelReason = "Fordonet på service"
	}
	if err := e.db.CreateStop(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

func text(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func hasClass(n *html.Node, class string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" && strings.Contains(" "+a.Val+" ", " "+class+" ") {
			return true
		}
	}
	return false
}

func TestUnauthorizedPageOffersLogin(t *testing.T) {
	e := newEnv(t)
	status, _, b := e.do(http.MethodGet, "/dashboard", "", "", "Accept", "text/html")
	if status != 401 || !strings.Contains(string(b), `action="/login"`) || !strings.Contains(string(b), `value="/dashboard"`) {
		t.Errorf("status %d; the page should hold a login form returning to /dashboard", status)
	}
}
