package server_test

import (
	"bytes"
	"context"
	"encoding/json"
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
		{"wrong method", "DELETE", "/api/v1/basorter", "", 400, lofte.EINVALID, ""},
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

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	status, _, b := e.do(http.MethodGet, "/healthz", "", "")
	if status != 200 || !strings.Contains(string(b), `"ok"`) {
		t.Errorf("healthz: %d %s", status, b)
	}
}

func TestBasorter(t *testing.T) {
	e := newEnv(t)
	status, _, b := e.do(http.MethodGet, "/api/v1/basorter", "", "")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	var body struct {
		Promise  struct{ Slug string }
		Basorter []lofte.Locality
	}
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range body.Basorter {
		if l.Basort {
			n++
		}
	}
	if body.Promise.Slug != "kristianstad-2018" || len(body.Basorter) != 13 || n != 6 || !body.Basorter[0].Basort {
		t.Errorf("promise %q, %d localities, %d basorter", body.Promise.Slug, len(body.Basorter), n)
	}
}

func mustStop(t *testing.T, e *env, basort, start string, status lofte.StopStatus) *lofte.Stop {
	t.Helper()
	st, err := time.ParseInLocation("2006-01-02 15:04", start, lofte.Zone)
	if err != nil {
		t.Fatal(err)
	}
	s := &lofte.Stop{Basort: basort, Place: "Torget", StartsAt: st, EndsAt: st.Add(3 * time.Hour), Kind: lofte.KindRegular, Status: status}
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

func TestStopsHideDraftsFromThePublic(t *testing.T) {
	e := newEnv(t)
	mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	mustStop(t, e, "Åhus", "2018-03-20 14:00", lofte.StatusDraft)
	mustStop(t, e, "Degeberga", "2018-03-22 10:00", lofte.StatusCancelled)
	tests := []struct {
		who  lofte.Role
		want int
	}{{"", 2}, {lofte.RoleKiosk, 2}, {lofte.RoleCouncil, 2}, {lofte.RoleOfficer, 3}, {lofte.RoleAdmin, 3}}
	for _, tt := range tests {
		status, _, b := e.do(http.MethodGet, "/api/v1/stops", tt.who, "")
		var body struct {
			Stops []map[string]any
			Total int
		}
		if err := json.Unmarshal(b, &body); err != nil || status != 200 {
			t.Fatalf("%s: %d %v", tt.who, status, err)
		}
		if len(body.Stops) != tt.want || body.Total != tt.want {
			t.Errorf("%q sees %d stops (total %d), want %d", tt.who, len(body.Stops), body.Total, tt.want)
		}
		for _, s := range body.Stops {
			if tt.want == 2 && s["status"] == "draft" {
				t.Errorf("%q sees a draft", tt.who)
			}
		}
	}
	_, _, b := e.do(http.MethodGet, "/api/v1/stops?basort=Tollarp", "", "")
	if !strings.Contains(string(b), `"starts_at":"2018-03-14T10:00:00+01:00"`) {
		t.Errorf("times not in Swedish local time: %s", b)
	}
}

func TestStartPageShowsSchedule(t *testing.T) {
	e := newEnv(t)
	mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusPublished)
	mustStop(t, e, "Tollarp", "2018-03-01 10:00", lofte.StatusHeld)
	mustStop(t, e, "Åhus", "2018-03-20 14:00", lofte.StatusDraft)
	mustStop(t, e, "Degeberga", "2018-03-22 10:00", lofte.StatusCancelled)
	status, _, b := e.do(http.MethodGet, "/", "", "")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string][]string{} // basort → texts of its stops, in order
	var cur string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "h2" {
			cur = text(n)
			sections[cur] = nil
		}
		if n.Type == html.ElementNode && n.Data == "li" && hasClass(n, "stop") {
			sections[cur] = append(sections[cur], text(n))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if got := sections["Tollarp"]; len(got) != 2 || !strings.Contains(got[0], "ons 14 mars 2018 kl. 10.00–13.00") {
		t.Errorf("Tollarp: %q (want the coming stop first)", got)
	}
	if got := sections["Åhus"]; len(got) != 0 {
		t.Errorf("a draft is public: %q", got)
	}
	if got := sections["Degeberga"]; len(got) != 1 || !strings.Contains(got[0], "Inställt") {
		t.Errorf("cancelled stop not marked: %q", got)
	}
	if len(sections) < 6 {
		t.Errorf("%d basorter on the page, want all six", len(sections))
	}
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
