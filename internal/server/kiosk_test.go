package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
)

func cookieFrom(h http.Header, name string) string {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == name && c.Value != "" {
			return c.Value
		}
	}
	return ""
}

func TestPairingMakesAKioskThatCanOnlySubmit(t *testing.T) {
	e := newEnv(t)
	// An officer asks for a code.
	status, _, b := e.do(http.MethodPost, "/kiosk/devices/pairing", lofte.RoleOfficer, "")
	if status != 200 {
		t.Fatalf("pairing code: %d", status)
	}
	m := regexp.MustCompile(`id="pairing-code">(\d{4}) (\d{4})<`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatalf("no code on the page: %s", b)
	}
	code := m[1] + m[2]
	// The address to open on the tablet is shown in full, to be typed there; behind a proxy
	// that ends TLS it is the https one the staff's browser used.
	if !strings.Contains(string(b), ">"+e.srv.URL+"/kiosk/pair?code="+code+"</a>") {
		t.Errorf("the page does not show the full address %s/kiosk/pair?code=%s", e.srv.URL, code)
	}
	// X-Forwarded-Proto counts only from a trusted proxy.
	_, _, b = e.do(http.MethodPost, "/kiosk/devices/pairing", lofte.RoleOfficer, "", "X-Forwarded-Proto", "https")
	if want := ">" + e.srv.URL + "/kiosk/pair?code="; !strings.Contains(string(b), want) {
		t.Errorf("an untrusted X-Forwarded-Proto changed the address; want %s…", want)
	}
	proxied := newEnv(t, func(c *server.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")} })
	_, _, pb := proxied.do(http.MethodPost, "/kiosk/devices/pairing", lofte.RoleOfficer, "", "X-Forwarded-Proto", "https")
	if want := ">https://" + strings.TrimPrefix(proxied.srv.URL, "http://") + "/kiosk/pair?code="; !strings.Contains(string(pb), want) {
		t.Errorf("behind a TLS proxy the page does not show %s…", want)
	}
	form := func(c string) string { return url.Values{"code": {c}}.Encode() }
	ct := []string{"Content-Type", "application/x-www-form-urlencoded"}
	if status, _, _ := e.do(http.MethodPost, "/kiosk/pair", "", form("12345678"), ct...); status != 400 {
		t.Errorf("wrong code: %d, want 400", status)
	}
	status, h, _ := e.do(http.MethodPost, "/kiosk/pair", "", form(code), ct...)
	kiosk := cookieFrom(h, "mlf_kiosk")
	if status != http.StatusSeeOther || kiosk == "" {
		t.Fatalf("pairing: %d, cookie %q", status, kiosk)
	}
	if status, _, _ := e.do(http.MethodPost, "/kiosk/pair", "", form(code), ct...); status != 400 {
		t.Errorf("a used code worked again: %d", status)
	}
	ck := []string{"Cookie", "mlf_kiosk=" + kiosk}
	status, _, page := e.do(http.MethodGet, "/kiosk", "", "", ck...)
	if status != 200 || !strings.Contains(string(page), `id="kiosk-config"`) {
		t.Fatalf("kiosk page: %d", status)
	}
	if status, _, _ := e.do(http.MethodGet, "/dashboard", "", "", ck...); status != 403 {
		t.Errorf("kiosk opening the dashboard: %d, want 403", status)
	}
	if status, _, _ := e.do(http.MethodGet, "/api/v1/responses", "", "", ck...); status != 403 {
		t.Errorf("kiosk reading responses: %d, want 403", status)
	}
	st := mustStop(t, e, "Tollarp", "2018-03-10 10:00", lofte.StatusPublished)
	status, _, b = e.do(http.MethodPost, "/api/v1/responses", "", respJSON(1, st.ID, "2018-03-10T10:30:00+01:00", `{"trust":"neither"}`),
		append(ck, "Sec-Fetch-Site", "same-origin")...)
	if status != 201 {
		t.Errorf("kiosk submitting: %d %s", status, b)
	}
	// Revoking the tablet ends its access.
	tokens, err := e.db.FindTokens(t.Context(), lofte.RoleKiosk)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, tk := range tokens {
		if strings.HasPrefix(tk.Name, "Surfplatta") {
			id = tk.ID
		}
	}
	if status, _, _ := e.do(http.MethodPost, "/kiosk/devices/"+itoa(id)+"/revoke", lofte.RoleAdmin, ""); status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", status)
	}
	if status, _, _ := e.do(http.MethodGet, "/kiosk", "", "", ck...); status != 401 {
		t.Errorf("revoked kiosk: %d, want 401", status)
	}
}

func itoa(i int64) string { b, _ := json.Marshal(i); return string(b) }

func TestKioskPageEscapesConfig(t *testing.T) {
	e := newEnv(t)
	status, _, b := e.do(http.MethodGet, "/kiosk", lofte.RoleKiosk, "")
	if status != 200 {
		t.Fatal(status)
	}
	s := string(b)
	i := strings.Index(s, `id="kiosk-config">`)
	j := strings.Index(s[i:], "</script>")
	var cfg struct {
		Items []struct{ Code string }
		Langs []string
	}
	if err := json.Unmarshal([]byte(s[i+len(`id="kiosk-config">`):i+j]), &cfg); err != nil {
		t.Fatalf("config is not JSON: %v", err)
	}
	if len(cfg.Items) != 16 || len(cfg.Langs) != 3 {
		t.Errorf("%d items, langs %v", len(cfg.Items), cfg.Langs)
	}
	if strings.Contains(s, "site-header") {
		t.Error("the kiosk shows the site's menu")
	}
}

// TestKioskPreview: admins and officers open the survey without a tablet, marked as a
// preview; nobody else does, and the server refuses answers sent from a person's login, so a
// preview stores nothing even if its page tried.
func TestKioskPreview(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	for _, tt := range []struct {
		role lofte.Role
		want int
	}{
		{lofte.RoleAdmin, 200}, {lofte.RoleOfficer, 200}, {lofte.RoleCouncil, 403}, {lofte.RoleKiosk, 403}, {"", 401},
	} {
		t.Run(string(tt.role), func(t *testing.T) {
			status, _, b := e.do(http.MethodGet, "/kiosk/preview", tt.role, "")
			if status != tt.want {
				t.Fatalf("GET /kiosk/preview as %q: %d, want %d", tt.role, status, tt.want)
			}
			if status == 200 && !strings.Contains(string(b), `"preview":true`) {
				t.Error("the preview's config does not say preview")
			}
			if status != 200 {
				return
			}
			body := batchJSON(respJSON(1, st.ID, "2018-03-14T11:00:00+01:00", `{"satisfaction":4}`))
			if status, _, _ := e.do(http.MethodPost, "/api/v1/responses", tt.role, body); status != 403 {
				t.Errorf("%s sending an answer: %d, want 403", tt.role, status)
			}
			if n, err := e.db.CountResponses(context.Background(), e.p.ID); err != nil || n != 0 {
				t.Errorf("%d responses stored (%v), want none", n, err)
			}
		})
	}
	if _, _, b := e.do(http.MethodGet, "/kiosk", lofte.RoleKiosk, ""); strings.Contains(string(b), `"preview":true`) {
		t.Error("the paired tablet's kiosk says preview")
	}
}

func TestResponseExport(t *testing.T) {
	e := newEnv(t)
	a := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	b := mustStop(t, e, "Åhus", "2018-04-14 10:00", lofte.StatusHeld)
	var items []string
	for i := range 5 {
		st, at := a, "2018-03-14T11:00:00+01:00"
		if i >= 3 {
			st, at = b, "2018-04-14T11:00:00+02:00"
		}
		items = append(items, respJSON(i, st.ID, at, `{"satisfaction":4}`))
	}
	if status, _, body := e.do(http.MethodPost, "/api/v1/responses", lofte.RoleKiosk, batchJSON(items...)); status != 201 {
		t.Fatalf("%d %s", status, body)
	}
	var got []string
	after := ""
	for range 5 {
		status, _, body := e.do(http.MethodGet, "/api/v1/responses?limit=2&after="+after, lofte.RoleAdmin, "")
		if status != 200 {
			t.Fatalf("%d %s", status, body)
		}
		var page struct {
			Responses []struct {
				ID, Basort, Date string
				Hour             int
				Suspect          bool
			}
			NextAfter string `json:"next_after"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Responses {
			got = append(got, r.ID[len(r.ID)-1:]+r.Basort+r.Date)
		}
		if page.NextAfter == "" {
			break
		}
		after = page.NextAfter
	}
	want := "0Tollarp2018-03-14,1Tollarp2018-03-14,2Tollarp2018-03-14,3Åhus2018-04-14,4Åhus2018-04-14"
	if strings.Join(got, ",") != want {
		t.Errorf("export %v, want %s", got, want)
	}
	_, _, body := e.do(http.MethodGet, "/api/v1/responses?basort=%C3%85hus&from=2018-04-01", lofte.RoleAdmin, "")
	if strings.Count(string(body), `"id"`) != 2 {
		t.Errorf("filtered export: %s", body)
	}
	for _, bad := range []string{"?limit=5000", "?after=x", "?from=2018-99-01", "?basort=Atlantis"} {
		if status, _, _ := e.do(http.MethodGet, "/api/v1/responses"+bad, lofte.RoleAdmin, ""); status != 400 {
			t.Errorf("%s: %d, want 400", bad, status)
		}
	}
}

func TestDevicesPageCountsSuspectAnswers(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	body := batchJSON(respJSON(1, st.ID, "2018-03-14T10:22:05+01:00", `{}`), respJSON(2, st.ID, "2018-03-14T10:22:06+01:00", `{}`))
	if status, _, b := e.do(http.MethodPost, "/api/v1/responses", lofte.RoleKiosk, body); status != 201 {
		t.Fatalf("%d %s", status, b)
	}
	// Both of two answers 1 s apart are suspect (docs/survey.md: whichever arrived first).
	_, _, b := e.do(http.MethodGet, "/kiosk/devices", lofte.RoleOfficer, "")
	if !strings.Contains(string(b), `id="suspect-total">2<`) {
		t.Errorf("the officer does not see two suspect answers: %s", b)
	}
}

// TestPairingGuessesHitTheGlobalLimit: wrong codes from many addresses share one budget of
// 30, so spreading guesses over addresses buys nothing; a right code does not use it up.
func TestPairingGuessesHitTheGlobalLimit(t *testing.T) {
	e := newEnv(t, func(c *server.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} })
	newCode := func() string {
		_, _, b := e.do(http.MethodPost, "/kiosk/devices/pairing", lofte.RoleOfficer, "")
		m := regexp.MustCompile(`id="pairing-code">(\d{4}) (\d{4})<`).FindStringSubmatch(string(b))
		if m == nil {
			t.Fatal("no code on the page")
		}
		return m[1] + m[2]
	}
	pair := func(code, addr string) (int, http.Header) {
		st, h, _ := e.do(http.MethodPost, "/kiosk/pair", "", url.Values{"code": {code}}.Encode(),
			"Content-Type", "application/x-www-form-urlencoded", "X-Forwarded-For", addr)
		return st, h
	}
	first, second := newCode(), newCode()
	if st, _ := pair(first, "198.51.100.1"); st != http.StatusSeeOther {
		t.Fatalf("pairing with a right code: %d", st)
	}
	// 20 addresses, 5 guesses each: under each address's own limit of 10.
	wrong, limited := 0, 0
	for i := range 100 {
		guess := fmt.Sprintf("%08d", 10_000_000+i*7919)
		if guess == second {
			continue
		}
		st, h := pair(guess, "203.0.113."+strconv.Itoa(1+i%20))
		switch {
		case st == http.StatusBadRequest:
			wrong++
		case st == http.StatusTooManyRequests && h.Get("Retry-After") != "":
			limited++
		default:
			t.Fatalf("guess %d: %d (Retry-After %q)", i+1, st, h.Get("Retry-After"))
		}
	}
	if wrong != 30 || limited < 69 {
		t.Errorf("%d wrong codes checked, %d refused; want 30 checked, the rest refused", wrong, limited)
	}
	// While the budget is spent, even a right code waits: guessing must not go on.
	if st, _ := pair(second, "198.51.100.2"); st != http.StatusTooManyRequests {
		t.Errorf("right code while limited: %d, want 429", st)
	}
}

// TestRenameDevice: staff give a tablet a name they recognise, audited; a bad name or a
// token that is not a tablet's changes nothing.
func TestRenameDevice(t *testing.T) {
	tests := []struct {
		name   string
		role   lofte.Role
		device func(e *env) int64
		form   string
		status int
		want   string // the kiosk token's name afterwards
		audit  []string
	}{
		{"officer renames", lofte.RoleOfficer, func(e *env) int64 { return e.tokenID(lofte.RoleKiosk) }, "name=+Tollarp-plattan+",
			http.StatusSeeOther, "Tollarp-plattan", []string{"device.rename"}},
		{"admin renames", lofte.RoleAdmin, func(e *env) int64 { return e.tokenID(lofte.RoleKiosk) }, "name=Åhus",
			http.StatusSeeOther, "Åhus", []string{"device.rename"}},
		{"council may not", lofte.RoleCouncil, func(e *env) int64 { return e.tokenID(lofte.RoleKiosk) }, "name=x",
			403, "kiosk-test", nil},
		{"an empty name", lofte.RoleOfficer, func(e *env) int64 { return e.tokenID(lofte.RoleKiosk) }, "name=+",
			400, "kiosk-test", nil},
		{"a long name", lofte.RoleOfficer, func(e *env) int64 { return e.tokenID(lofte.RoleKiosk) }, "name=" + strings.Repeat("x", 101),
			400, "kiosk-test", nil},
		{"not a tablet", lofte.RoleOfficer, func(e *env) int64 { return e.tokenID(lofte.RoleAdmin) }, "name=x",
			404, "kiosk-test", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			before := e.people()
			status, _, b := e.do(http.MethodPost, "/kiosk/devices/"+itoa(tt.device(e))+"/rename", tt.role, tt.form, formCT...)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, b)
			}
			if status == 400 {
				if bad := withAttr(mustParse(t, b), "aria-invalid", "true"); bad == nil {
					t.Error("the name field is not marked")
				}
			}
			ts, _ := e.db.FindTokens(t.Context(), lofte.RoleKiosk)
			if ts[0].Name != tt.want {
				t.Errorf("name %q, want %q", ts[0].Name, tt.want)
			}
			if got := e.auditActions(); !slices.Equal(got, tt.audit) {
				t.Errorf("audit %v, want %v", got, tt.audit)
			}
			if tt.audit == nil {
				if diff := cmp.Diff(before, e.people()); diff != "" {
					t.Errorf("a refusal changed something (-before +after)\n%s", diff)
				}
			}
		})
	}
}
