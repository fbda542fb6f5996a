package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
	"medborgarlofte/internal/survey"
)

// TestMetricsAccess: GET /metrics answers a request straight from this machine and one with
// an admin's token; another role's token gets 403, anyone else 401, and a request through a
// reverse proxy on this machine is the outside client's, not loopback.
func TestMetricsAccess(t *testing.T) {
	e := newEnv(t, func(c *server.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} })
	session := mustSignIn(t, e, "admin-anna", lofte.RoleAdmin, "ett långt lösenord för anna")
	tests := []struct {
		name   string
		peer   string
		role   lofte.Role
		header []string
		want   int
	}{
		{"an admin's session from another machine", "192.0.2.1:40000", "", []string{"Cookie", session.Name + "=" + session.Value}, 403},
		{"loopback", "127.0.0.1:40000", "", nil, 200},
		{"loopback IPv6", "[::1]:40000", "", nil, 200},
		{"through the proxy on this machine", "127.0.0.1:40000", "", []string{"X-Forwarded-For", "192.0.2.7"}, 401},
		{"through the proxy, claiming loopback", "127.0.0.1:40000", "", []string{"X-Forwarded-For", "127.0.0.1"}, 401},
		{"through a proxy, Forwarded header", "127.0.0.1:40000", "", []string{"Forwarded", "for=192.0.2.7"}, 401},
		{"another machine", "192.0.2.1:40000", "", nil, 401},
		{"another machine claiming loopback", "192.0.2.1:40000", "", []string{"X-Forwarded-For", "127.0.0.1"}, 401},
		{"admin token from another machine", "192.0.2.1:40000", lofte.RoleAdmin, nil, 200},
		{"admin token through the proxy", "127.0.0.1:40000", lofte.RoleAdmin, []string{"X-Forwarded-For", "192.0.2.7"}, 200},
		{"officer token", "192.0.2.1:40000", lofte.RoleOfficer, nil, 403},
		{"council token", "192.0.2.1:40000", lofte.RoleCouncil, nil, 403},
		{"kiosk token", "192.0.2.1:40000", lofte.RoleKiosk, nil, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			req.RemoteAddr = tt.peer
			if tt.role != "" {
				req.Header.Set("Authorization", "Bearer "+e.tokens[tt.role])
			}
			for i := 0; i+1 < len(tt.header); i += 2 {
				req.Header.Set(tt.header[i], tt.header[i+1])
			}
			w := httptest.NewRecorder()
			e.app.Handler().ServeHTTP(w, req)
			if w.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.want, w.Body)
			}
			if tt.want == 200 && !strings.Contains(w.Body.String(), "medborgarlofte_answers_ingested_total") {
				t.Errorf("no answer counts in:\n%s", w.Body)
			}
		})
	}
}

// metricValue returns the value of the series line that starts with series.
func metricValue(t *testing.T, body, series string) string {
	t.Helper()
	for line := range strings.Lines(body) {
		if rest, ok := strings.CutPrefix(line, series+" "); ok {
			return strings.TrimSpace(rest)
		}
	}
	t.Fatalf("no series %s in:\n%s", series, body)
	return ""
}

// TestMetricsCountWithoutContent: kiosk uploads, a retry and an answer set aside show in the
// figures, which hold no basort's name, no answer code and no token.
func TestMetricsCountWithoutContent(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-10 10:00", lofte.StatusHeld)
	at := func(h, m int) string { return answeredAt(time.Date(2018, 3, 10, h, m, 0, 0, lofte.Zone)) }
	first := respJSON(1, st.ID, at(10, 10), `{"trust":"fairly_high","satisfaction":5,"problems":["traffic"]}`)
	e.postAnswers(first, respJSON(2, st.ID, at(10, 30), `{"trust":"neither","satisfaction":3}`))
	e.postAnswers(first)
	// Answered in the night before the stop: set aside.
	e.postAnswers(respJSON(3, st.ID, answeredAt(time.Date(2018, 3, 9, 3, 0, 0, 0, lofte.Zone)), `{"trust":"very_low"}`))
	e.do(http.MethodGet, "/basort/Tollarp", "", "")
	body := e.scrape()
	for series, want := range map[string]string{
		`medborgarlofte_answers_ingested_total{result="created"}`:                                  "3",
		`medborgarlofte_answers_ingested_total{result="duplicate"}`:                                "1",
		`medborgarlofte_answers_suspect_total`:                                                     "1",
		`medborgarlofte_ingest_batch_size_count`:                                                   "3",
		`medborgarlofte_ingest_batch_size_sum`:                                                     "4",
		`medborgarlofte_ingest_batch_size_bucket{le="1"}`:                                          "2",
		`medborgarlofte_kiosk_rejected_total`:                                                      "0",
		`medborgarlofte_report_jobs_running`:                                                       "0",
		`medborgarlofte_http_requests_total{method="GET",route="/basort/:name",status="200"}`:      "1",
		`medborgarlofte_http_requests_total{method="POST",route="/api/v1/responses",status="201"}`: "2",
	} {
		if got := metricValue(t, body, series); got != want {
			t.Errorf("%s = %s, want %s", series, got, want)
		}
	}
	checkNothingIdentifying(t, e, body)
}

// TestMetricsCountKioskRefusals: uploads the kiosk rate limit refuses are counted apart.
func TestMetricsCountKioskRefusals(t *testing.T) {
	e := newEnv(t, func(c *server.Config) { c.KioskRateLimit = 1 })
	st := mustStop(t, e, "Tollarp", "2018-03-10 10:00", lofte.StatusHeld)
	refused := 0
	for i := range 10 {
		a := respJSON(i, st.ID, answeredAt(time.Date(2018, 3, 10, 10, i, 0, 0, lofte.Zone)), `{"trust":"neither"}`)
		if status, _, _ := e.do(http.MethodPost, "/api/v1/responses", lofte.RoleKiosk, a); status == 429 {
			refused++
		}
	}
	if refused == 0 {
		t.Fatal("the rate limit refused nothing")
	}
	body := e.scrape()
	if got := metricValue(t, body, "medborgarlofte_kiosk_rejected_total"); got != strconv.Itoa(refused) {
		t.Errorf("kiosk refusals %s, want %d", got, refused)
	}
	if got := metricValue(t, body, "medborgarlofte_answers_ingested_total{result=\"created\"}"); got != strconv.Itoa(10-refused) {
		t.Errorf("answers stored %s, want %d", got, 10-refused)
	}
}

// scrape reads /metrics with an admin's token.
func (e *env) scrape() string {
	e.t.Helper()
	status, _, b := e.do(http.MethodGet, "/metrics", lofte.RoleAdmin, "")
	if status != 200 {
		e.t.Fatalf("metrics: %d %s", status, b)
	}
	return string(b)
}

// checkNothingIdentifying fails when the figures hold a locality's name, an answer code or a
// token's name as a label value.
func checkNothingIdentifying(t *testing.T, e *env, body string) {
	t.Helper()
	values := map[string]bool{}
	for _, m := range regexp.MustCompile(`="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		values[m[1]] = true
	}
	ls, err := e.db.FindLocalities(t.Context(), e.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if strings.Contains(body, l.Name) {
			t.Errorf("the figures name the locality %s", l.Name)
		}
	}
	for _, it := range survey.Default().Items() {
		for _, o := range it.Options {
			if values[o] {
				t.Errorf("a label holds the answer code %q", o)
			}
		}
	}
	for r := range e.tokens {
		if strings.Contains(body, string(r)+"-test") {
			t.Errorf("the figures name the token %s-test", r)
		}
	}
}
