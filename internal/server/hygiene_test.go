package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
)

// TestHeadOnEveryGetRoute: every GET route answers HEAD as it answers GET, with the same
// status and content type and no body, for anyone and for an admin.
func TestHeadOnEveryGetRoute(t *testing.T) {
	e := newEnv(t)
	for route := range want {
		method, path, _ := strings.Cut(route, " ")
		if method != http.MethodGet {
			continue
		}
		path = strings.Replace(path, ":id", "1", 1)
		path = strings.Replace(path, ":name", "Tollarp", 1)
		if path == "/static/*file" {
			path = staticURL(t, e)
		}
		for _, who := range []lofte.Role{"", lofte.RoleAdmin} {
			t.Run(route+"/"+string(who), func(t *testing.T) {
				getStatus, getHeader, _ := e.do(http.MethodGet, path, who, "")
				status, h, b := e.do(http.MethodHead, path, who, "")
				if status != getStatus || h.Get("Content-Type") != getHeader.Get("Content-Type") {
					t.Errorf("HEAD %d %q, GET %d %q", status, h.Get("Content-Type"), getStatus, getHeader.Get("Content-Type"))
				}
				if len(b) != 0 {
					t.Errorf("HEAD has a body of %d bytes", len(b))
				}
			})
		}
	}
}

// TestWrongMethod: a method the path does not take is 405 with Allow and the JSON error.
func TestWrongMethod(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		method, path string
		allow        []string
	}{
		{http.MethodPut, "/api/v1/stops", []string{"GET", "HEAD", "POST"}},
		{http.MethodPost, "/healthz", []string{"GET", "HEAD"}},
		{http.MethodDelete, "/schedule.ics", []string{"GET", "HEAD"}},
		{http.MethodGet, "/logout", []string{"POST"}},
		{http.MethodHead, "/api/v1/stops/1", []string{"DELETE", "PATCH"}},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			status, h, b := e.do(tt.method, tt.path, "", "")
			if status != http.StatusMethodNotAllowed {
				t.Fatalf("status %d, want 405: %s", status, b)
			}
			allow := strings.Split(h.Get("Allow"), ", ")
			slices.Sort(allow)
			if !slices.Equal(allow, tt.allow) {
				t.Errorf("Allow %q, want %q", h.Get("Allow"), tt.allow)
			}
			if tt.method == http.MethodHead {
				return
			}
			if got := apiError(t, b); got.Code != "method_not_allowed" || got.Message == "" {
				t.Errorf("error %+v", got)
			}
		})
	}
}

// TestNoStoreWhenSignedIn: what a signed-in person or a staff token is shown is never kept by
// a cache, so Back after logging out shows nothing of it; public pages and the hashed assets
// keep their caching.
func TestNoStoreWhenSignedIn(t *testing.T) {
	e := newEnv(t)
	c := mustSignIn(t, e, "admin-anna", lofte.RoleAdmin, "långt och hemligt")
	cookie := "mlf_session=" + c.Value
	for _, path := range []string{"/", "/plan", "/dashboard", "/field", "/api/v1/stops", "/nothing"} {
		if _, h, _ := e.do(http.MethodGet, path, "", "", "Cookie", cookie); h.Get("Cache-Control") != "no-store" {
			t.Errorf("signed in, %s: Cache-Control %q, want no-store", path, h.Get("Cache-Control"))
		}
	}
	for _, role := range []lofte.Role{lofte.RoleOfficer, lofte.RoleCouncil, lofte.RoleAdmin} {
		if _, h, _ := e.do(http.MethodGet, "/api/v1/stops", role, ""); h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s token: Cache-Control %q, want no-store", role, h.Get("Cache-Control"))
		}
	}
	if _, h, _ := e.do(http.MethodGet, "/", "", ""); strings.Contains(h.Get("Cache-Control"), "no-store") {
		t.Errorf("anonymous start page: Cache-Control %q", h.Get("Cache-Control"))
	}
	for _, who := range []string{"", cookie} {
		_, h, _ := e.do(http.MethodGet, staticURL(t, e), "", "", "Cookie", who)
		if !strings.Contains(h.Get("Cache-Control"), "immutable") {
			t.Errorf("static asset (cookie %q): Cache-Control %q", who, h.Get("Cache-Control"))
		}
	}
}

// TestBoundsOverHTTP: numbers and texts beyond their bounds are 4xx naming the field, never
// a 500 or a wrapped-around sum.
func TestBoundsOverHTTP(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-09 10:00", lofte.StatusPublished)
	dst := mustStop(t, e, "Åhus", "2018-03-25 10:00", lofte.StatusPublished)
	path := fmt.Sprintf("/api/v1/stops/%d", st.ID)
	tests := []struct {
		name, method, path, body string
		status                   int
		field                    string
	}{
		{"visitors 2^63-1", http.MethodPatch, path, `{"visitors":9223372036854775807}`, 400, "visitors"},
		{"staff 101", http.MethodPatch, path, `{"staff":101}`, 400, "staff"},
		{"tips 10001", http.MethodPatch, path, `{"contacts":{"crime_report":0,"tip":10001,"advice":0,"other":0}}`, 400,
			"contacts.tip"},
		{"cancel reason of 1.9 MB", http.MethodPatch, path,
			`{"status":"cancelled","cancel_reason":"` + strings.Repeat("x", 1900_000) + `"}`, 400, "cancel_reason"},
		{"start at +24:00", http.MethodPatch, path, `{"starts_at":"2018-03-09T09:00:00+24:00"}`, 400, "starts_at"},
		{"answered at +24:00", http.MethodPost, "/api/v1/responses",
			respJSON(1, st.ID, "2018-03-09T10:30:00+24:00", `{"trust":"neither"}`), 400, "answered_at"},
		{"answered at -19:00", http.MethodPost, "/api/v1/responses",
			respJSON(1, st.ID, "2018-03-08T10:30:00-19:00", `{"trust":"neither"}`), 400, "answered_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			role := lofte.RoleAdmin
			if tt.path == "/api/v1/responses" {
				role = lofte.RoleKiosk
			}
			status, _, b := e.do(tt.method, tt.path, role, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %.300s", status, tt.status, b)
			}
			if got := apiError(t, b); got.Field != tt.field {
				t.Errorf("error %+v, want field %s", got, tt.field)
			}
		})
	}

	// The +1 counter stops at the bound with 409, the tally unchanged.
	if status, _, b := e.do(http.MethodPatch, path, lofte.RoleAdmin, fmt.Sprintf(`{"visitors":%d}`, lofte.MaxVisitors)); status != 200 {
		t.Fatalf("visitors at the maximum: %d %s", status, b)
	}
	status, _, b := e.do(http.MethodPost, path+"/visitors", lofte.RoleOfficer, `{"add":1}`)
	if status != http.StatusConflict || apiError(t, b).Field != "visitors" {
		t.Errorf("+1 past the maximum: %d %s", status, b)
	}
	if got, err := e.db.FindStopByID(context.Background(), st.ID); err != nil || got.Visitors != lofte.MaxVisitors {
		t.Errorf("after the refused +1: %d visitors, %v", got.Visitors, err)
	}

	// A clock time the clocks skip is refused, not moved an hour on: the move form, the field log.
	form := url.Values{"date": {"2018-03-25"}, "start": {"02:30"}, "end": {"04:00"}, "place": {"Torget"}}
	status, _, b = e.do(http.MethodPost, fmt.Sprintf("/plan/%d/move", dst.ID), lofte.RoleAdmin, form.Encode(),
		"Content-Type", "application/x-www-form-urlencoded")
	if status != http.StatusBadRequest || !strings.Contains(string(b), "02:30 finns inte") {
		t.Errorf("move to 02:30 on the night the clocks change: %d", status)
	}
	form = url.Values{"status": {"held"}, "actual_start": {"02:15"}, "actual_end": {"04:00"}}
	status, _, b = e.do(http.MethodPost, fmt.Sprintf("/field/%d", dst.ID), lofte.RoleOfficer, form.Encode(),
		"Content-Type", "application/x-www-form-urlencoded")
	if status != http.StatusBadRequest || !strings.Contains(string(b), "02:15 finns inte") {
		t.Errorf("field log starting 02:15 on the night the clocks change: %d", status)
	}
	if got, _ := e.db.FindStopByID(context.Background(), dst.ID); got.ActualStart != nil {
		t.Errorf("the field log was stored: %v", got.ActualStart)
	}
}

// TestUpperCaseIDStoredOnce: a response sent again with its id in upper case is the same
// response, stored once.
func TestUpperCaseIDStoredOnce(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-09 10:00", lofte.StatusHeld)
	lower := respJSON(7, st.ID, "2018-03-09T10:30:00+01:00", `{"trust":"neither"}`)
	upper := strings.Replace(lower, uuidN(7), strings.ToUpper(uuidN(7)), 1)
	for i, body := range []string{upper, lower, upper} {
		status, _, b := e.do(http.MethodPost, "/api/v1/responses", lofte.RoleKiosk, body)
		if want := map[bool]int{true: 201, false: 200}[i == 0]; status != want {
			t.Errorf("send %d: status %d, want %d: %s", i, status, want, b)
		}
	}
	if n := countResponses(t, e); n != 1 {
		t.Errorf("%d responses stored, want 1", n)
	}
}

// slowReports is a store whose workbooks wait for their comments until released or until
// their request is cancelled, so that a test holds report jobs open.
type slowReports struct {
	server.Store
	started chan struct{}
	release chan struct{}
}

func (s *slowReports) EachComment(ctx context.Context, f lofte.CommentFilter, fn func(*lofte.Comment) error) error {
	s.started <- struct{}{}
	select {
	case <-s.release:
		return s.Store.EachComment(ctx, f, fn)
	case <-ctx.Done():
		return fmt.Errorf("each comment: %w", ctx.Err())
	}
}

// TestReportJobsLimited: while ReportJobs workbooks are being written another download is
// refused with 429 and Retry-After; when one is done the next is written.
func TestReportJobsLimited(t *testing.T) {
	slow := &slowReports{started: make(chan struct{}, 4), release: make(chan struct{})}
	e := newEnv(t, func(c *server.Config) {
		slow.Store = c.Store
		c.Store, c.ReportJobs = slow, 2
	})
	var wg sync.WaitGroup
	statuses := make(chan int, 2)
	for range 2 {
		wg.Go(func() {
			status, _, _ := e.do(http.MethodGet, "/reports/bra.xlsx", lofte.RoleCouncil, "")
			statuses <- status
		})
	}
	<-slow.started
	<-slow.started
	status, h, b := e.do(http.MethodGet, "/reports/bra.xlsx", lofte.RoleCouncil, "")
	if status != http.StatusTooManyRequests || h.Get("Retry-After") == "" {
		t.Errorf("third at once: %d Retry-After %q: %s", status, h.Get("Retry-After"), b)
	}
	close(slow.release)
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusOK {
			t.Errorf("a held job ended %d", s)
		}
	}
	if status, _, b := e.do(http.MethodGet, "/reports/bra.xlsx", lofte.RoleCouncil, ""); status != http.StatusOK {
		t.Errorf("after the others: %d %s", status, b)
	}
}

// TestCancelledReportIsNoError: a download the client gives up on is logged as cancelled at
// INFO, not as an ERROR with a 500, and frees its job.
func TestCancelledReportIsNoError(t *testing.T) {
	slow := &slowReports{started: make(chan struct{}, 4), release: make(chan struct{})}
	e := newEnv(t, func(c *server.Config) {
		slow.Store = c.Store
		c.Store, c.ReportJobs = slow, 1
	})
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.URL+"/reports/bra.xlsx", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.tokens[lofte.RoleCouncil])
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	<-slow.started
	cancel()
	if err := <-done; err == nil {
		t.Fatal("the cancelled download got an answer")
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(e.logs.String(), "status=499") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	logs := e.logs.String()
	if strings.Contains(logs, "level=ERROR") || strings.Contains(logs, "status=500") {
		t.Errorf("the cancelled download logged an error:\n%s", logs)
	}
	if !strings.Contains(logs, "request cancelled by the client") || !strings.Contains(logs, "status=499") {
		t.Errorf("the cancelled download is not logged as cancelled:\n%s", logs)
	}
	close(slow.release)
	if status, _, b := e.do(http.MethodGet, "/reports/bra.xlsx", lofte.RoleCouncil, ""); status != http.StatusOK {
		t.Errorf("the job was not freed: %d %s", status, b)
	}
}
