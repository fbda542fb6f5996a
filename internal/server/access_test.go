package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
)

// want is the access table of docs/access.md written out again, independently of the policy
// in the code, so a change to either shows up here.
var want = map[string][]lofte.Role{ // nil means anyone
	"GET /healthz":                                nil,
	"GET /api/v1/basorter":                        nil,
	"GET /api/v1/stops":                           nil,
	"POST /api/v1/stops":                          {lofte.RoleAdmin},
	"PATCH /api/v1/stops/:id":                     {lofte.RoleAdmin, lofte.RoleOfficer},
	"DELETE /api/v1/stops/:id":                    {lofte.RoleAdmin},
	"POST /api/v1/stops/plan":                     {lofte.RoleAdmin},
	"POST /api/v1/stops/publish":                  {lofte.RoleAdmin},
	"POST /api/v1/stops/:id/visitors":             {lofte.RoleAdmin, lofte.RoleOfficer},
	"GET /api/v1/stops/:id/suspect":               {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /api/v1/stops/:id/suspect/:response_id": {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /api/v1/responses":                      {lofte.RoleKiosk},
	"GET /api/v1/responses":                       {lofte.RoleAdmin},
	"GET /api/v1/metrics":                         {lofte.RoleCouncil, lofte.RoleOfficer, lofte.RoleAdmin},
	"GET /api/v1/outcomes":                        {lofte.RoleCouncil, lofte.RoleOfficer, lofte.RoleAdmin},
	"GET /schedule.ics":                           nil,
	"GET /":                                       nil,
	"GET /vi-gjorde":                              nil,
	"GET /basort/:name/affisch":                   nil,
	"GET /kiosk":                                  {lofte.RoleKiosk},
	"GET /kiosk/preview":                          {lofte.RoleAdmin, lofte.RoleOfficer},
	"GET /kiosk/pair":                             nil,
	"POST /kiosk/pair":                            nil,
	"GET /kiosk/devices":                          {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /kiosk/devices/pairing":                 {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /kiosk/devices/:id/revoke":              {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /kiosk/devices/:id/rename":              {lofte.RoleAdmin, lofte.RoleOfficer},
	"GET /kiosk-sw.js":                            nil,
	"GET /dashboard":                              {lofte.RoleCouncil, lofte.RoleOfficer, lofte.RoleAdmin},
	"GET /dashboard/print":                        {lofte.RoleCouncil, lofte.RoleOfficer, lofte.RoleAdmin},
	"GET /metod":                                  nil,
	"GET /login":                                  nil,
	"POST /login":                                 nil,
	"POST /logout":                                nil,
	"GET /reports/bra.xlsx":                       {lofte.RoleCouncil, lofte.RoleAdmin},
	"GET /static/*file":                           nil,
	"GET /api/v1/feedback":                        nil,
	"POST /api/v1/feedback":                       {lofte.RoleAdmin, lofte.RoleOfficer},
	"PATCH /api/v1/feedback/:id":                  {lofte.RoleAdmin, lofte.RoleOfficer},
	"GET /feedback":                               {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /feedback/:id":                          {lofte.RoleAdmin, lofte.RoleOfficer},
	"GET /api/v1/comments":                        {lofte.RoleCouncil, lofte.RoleOfficer, lofte.RoleAdmin},
	"PATCH /api/v1/comments/:id":                  {lofte.RoleAdmin, lofte.RoleOfficer},
	"GET /comments":                               {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /comments/:id":                          {lofte.RoleAdmin, lofte.RoleOfficer},
	"GET /basort/:name":                           nil,
	"GET /plan":                                   {lofte.RoleAdmin},
	"POST /plan":                                  {lofte.RoleAdmin},
	"POST /plan/publish":                          {lofte.RoleAdmin},
	"POST /plan/:id/cancel":                       {lofte.RoleAdmin},
	"POST /plan/:id/move":                         {lofte.RoleAdmin},
	"POST /plan/:id/delete":                       {lofte.RoleAdmin},
	"POST /plan/stop":                             {lofte.RoleAdmin},
	"POST /plan/:id/edit":                         {lofte.RoleAdmin},
	"GET /api/v1/baselines":                       {lofte.RoleCouncil, lofte.RoleOfficer, lofte.RoleAdmin},
	"POST /api/v1/baselines":                      {lofte.RoleAdmin},
	"DELETE /api/v1/baselines/:id":                {lofte.RoleAdmin},
	"GET /baselines":                              {lofte.RoleAdmin},
	"POST /baselines":                             {lofte.RoleAdmin},
	"POST /baselines/import":                      {lofte.RoleAdmin},
	"POST /baselines/:id/delete":                  {lofte.RoleAdmin},
	"GET /baselines.csv":                          {lofte.RoleAdmin},
	"GET /field":                                  {lofte.RoleAdmin, lofte.RoleOfficer},
	"GET /field/:id":                              {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /field/:id":                             {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /field/:id/feedback":                    {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /field/:id/suspect/:response_id":        {lofte.RoleAdmin, lofte.RoleOfficer},
	"GET /api/v1/audit":                           {lofte.RoleAdmin},
	"GET /audit":                                  {lofte.RoleAdmin},
	"GET /tillganglighet":                         nil,
	"GET /api/v1/promises":                        {lofte.RoleCouncil, lofte.RoleOfficer, lofte.RoleAdmin},
	"GET /api/v1/promises/:id":                    {lofte.RoleCouncil, lofte.RoleOfficer, lofte.RoleAdmin},
	"POST /api/v1/promises":                       {lofte.RoleAdmin},
	"PATCH /api/v1/promises/:id":                  {lofte.RoleAdmin},
	"POST /api/v1/promises/:id/copy":              {lofte.RoleAdmin},
	"POST /api/v1/promises/:id/activate":          {lofte.RoleAdmin},
	"GET /api/v1/promises/:id/export":             {lofte.RoleAdmin},
	"POST /api/v1/promises/import":                {lofte.RoleAdmin},
	"GET /promises":                               {lofte.RoleAdmin},
	"GET /promises/new":                           {lofte.RoleAdmin},
	"POST /promises":                              {lofte.RoleAdmin},
	"GET /promises/:id":                           {lofte.RoleAdmin},
	"POST /promises/:id":                          {lofte.RoleAdmin},
	"POST /promises/:id/copy":                     {lofte.RoleAdmin},
	"GET /promises/:id/activate":                  {lofte.RoleAdmin},
	"POST /promises/:id/activate":                 {lofte.RoleAdmin},
	"POST /promises/import":                       {lofte.RoleAdmin},
	"GET /promises/:id/basorter":                  {lofte.RoleAdmin},
	"POST /promises/:id/basorter":                 {lofte.RoleAdmin},
	"POST /promises/:id/basorter/:bid":            {lofte.RoleAdmin},
	"POST /promises/:id/basorter/:bid/retire":     {lofte.RoleAdmin},
	"POST /promises/:id/basorter/:bid/delete":     {lofte.RoleAdmin},
	"GET /api/v1/users":                           {lofte.RoleAdmin},
	"POST /api/v1/users":                          {lofte.RoleAdmin},
	"PATCH /api/v1/users/:id":                     {lofte.RoleAdmin},
	"GET /users":                                  {lofte.RoleAdmin},
	"POST /users":                                 {lofte.RoleAdmin},
	"POST /users/:id":                             {lofte.RoleAdmin},
	"GET /api/v1/tokens":                          {lofte.RoleAdmin},
	"POST /api/v1/tokens":                         {lofte.RoleAdmin},
	"DELETE /api/v1/tokens/:id":                   {lofte.RoleAdmin},
	"GET /tokens":                                 {lofte.RoleAdmin},
	"POST /tokens":                                {lofte.RoleAdmin},
	"POST /tokens/:id/revoke":                     {lofte.RoleAdmin},
	"GET /password":                               {lofte.RoleCouncil, lofte.RoleOfficer, lofte.RoleAdmin},
	"POST /password":                              {lofte.RoleCouncil, lofte.RoleOfficer, lofte.RoleAdmin},
	"GET /metrics":                                nil, // the test server's callers are on loopback; from elsewhere only admins' tokens (TestMetricsAccess)
}

func TestEveryRouteIsInTheTable(t *testing.T) {
	e := newEnv(t)
	s, err := server.New(server.Config{Store: e.db})
	if err != nil {
		t.Fatal(err)
	}
	routes := s.Routes()
	slices.Sort(routes)
	for _, r := range routes {
		if _, ok := want[r]; !ok {
			t.Errorf("route %s is not in the test's access table", r)
		}
	}
	for r := range want {
		if !slices.Contains(routes, r) {
			t.Errorf("route %s of the access table is not registered", r)
		}
	}
}

func TestAccessTable(t *testing.T) {
	e := newEnv(t)
	callers := append([]lofte.Role{""}, lofte.Roles...)
	for route, roles := range want {
		method, path, _ := strings.Cut(route, " ")
		path = strings.Replace(path, ":id", "1", 1)
		path = strings.Replace(path, ":name", "Tollarp", 1)
		path = strings.Replace(path, ":bid", "1", 1)
		path = strings.Replace(path, ":response_id", "6f1c2a9e-4b1d-4c3e-9a57-000000000001", 1)
		path = strings.Replace(path, "*file", "app.css", 1)
		if path == "/static/app.css" {
			path = staticURL(t, e)
		}
		body := ""
		if method != http.MethodGet {
			body = "{}"
		}
		for _, who := range callers {
			name := string(who)
			if who == "" {
				name = "anonymous"
			}
			t.Run(route+"/"+name, func(t *testing.T) {
				status, _, b := e.do(method, path, who, body)
				allowed := roles == nil || slices.Contains(roles, who)
				switch {
				case allowed && (status == 401 || status == 403 || status >= 500):
					t.Errorf("status %d for an allowed caller: %s", status, b)
				case !allowed && who == "" && status != 401:
					t.Errorf("status %d, want 401 for anonymous", status)
				case !allowed && who != "" && status != 403:
					t.Errorf("status %d, want 403 for %s", status, who)
				}
				if !allowed && status < 500 {
					if got := apiError(t, b); got.Code != map[bool]lofte.ErrorCode{true: "unauthorized", false: "forbidden"}[who == ""] {
						t.Errorf("error code %q", got.Code)
					}
				}
			})
		}
	}
}

// staticURL finds the hashed stylesheet link in the start page.
func staticURL(t *testing.T, e *env) string {
	t.Helper()
	_, _, b := e.do(http.MethodGet, "/", "", "")
	i := strings.Index(string(b), "/static/app.")
	if i < 0 {
		t.Fatal("no stylesheet link on the start page")
	}
	j := strings.Index(string(b[i:]), `"`)
	return string(b[i : i+j])
}

// decisions is what the access predicates say for one caller.
type decisions struct {
	Drafts, FieldLog, OpenFeedback, Comments, Report, KioskCookie, Private bool
	Home                                                                   string
	// PlanningRefused and FieldLogRefused name the field refused in a change of the stop's
	// place and in a field-log update.
	PlanningRefused, FieldLogRefused string
}

// TestAccessPredicates writes out, role by role, what handlers decide beyond the route table.
func TestAccessPredicates(t *testing.T) {
	place, notes, held := "Torget", "lugnt", lofte.StatusHeld
	planning := lofte.StopUpdate{Place: &place}
	fieldLog := lofte.StopUpdate{Notes: &notes, Status: &held}
	tests := []struct {
		name string
		role lofte.Role
		want decisions
	}{
		{"anonymous", "", decisions{Home: "/"}},
		{"admin", lofte.RoleAdmin, decisions{Drafts: true, FieldLog: true, OpenFeedback: true, Comments: true, Report: true,
			Private: true, Home: "/dashboard"}},
		{"officer", lofte.RoleOfficer, decisions{Drafts: true, FieldLog: true, OpenFeedback: true, Comments: true, Private: true,
			Home: "/field", PlanningRefused: "place"}},
		{"council", lofte.RoleCouncil, decisions{Report: true, Private: true, Home: "/dashboard"}},
		{"kiosk", lofte.RoleKiosk, decisions{KioskCookie: true, Home: "/"}},
	}
	if len(tests) != len(lofte.Roles)+1 {
		t.Fatalf("the table covers %d callers, want every role and anonymous", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := &lofte.Identity{Role: tt.role}
			got := decisions{
				Drafts:          server.CanSeeDrafts(id),
				FieldLog:        server.CanSeeFieldLog(id),
				OpenFeedback:    server.CanSeeOpenFeedback(id),
				Comments:        server.CanModerateComments(id),
				Report:          server.CanDownloadReport(id),
				KioskCookie:     server.KioskCookieMayCarry(&lofte.Token{Role: tt.role}),
				Private:         server.SeesPrivatePages(id),
				Home:            server.HomeFor(tt.role),
				PlanningRefused: server.ForbiddenStopField(id, planning),
				FieldLogRefused: server.ForbiddenStopField(id, fieldLog),
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestOfficerStopFields names, for each field an officer might send, whether it is refused.
func TestOfficerStopFields(t *testing.T) {
	officer := &lofte.Identity{Role: lofte.RoleOfficer}
	str, when, n := "x", now, 1
	kind := lofte.KindRegular
	status := func(s lofte.StopStatus) *lofte.StopStatus { return &s }
	tests := []struct {
		name string
		upd  lofte.StopUpdate
		want string
	}{
		{"basort", lofte.StopUpdate{Basort: &str}, "basort"},
		{"place", lofte.StopUpdate{Place: &str}, "place"},
		{"starts_at", lofte.StopUpdate{StartsAt: &when}, "starts_at"},
		{"ends_at", lofte.StopUpdate{EndsAt: &when}, "ends_at"},
		{"kind", lofte.StopUpdate{Kind: &kind}, "kind"},
		{"published_at", lofte.StopUpdate{PublishedAt: &when}, "published_at"},
		{"status published", lofte.StopUpdate{Status: status(lofte.StatusPublished)}, "status"},
		{"status held", lofte.StopUpdate{Status: status(lofte.StatusHeld)}, ""},
		{"status cancelled", lofte.StopUpdate{Status: status(lofte.StatusCancelled), CancelReason: &str}, ""},
		{"visitors", lofte.StopUpdate{Visitors: &n, Staff: &n, Notes: &str}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := server.ForbiddenStopField(officer, tt.upd); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if got := server.ForbiddenStopField(&lofte.Identity{Role: lofte.RoleAdmin}, tt.upd); got != "" {
				t.Errorf("admin refused %q", got)
			}
		})
	}
}

// TestIDThatNamesNothing: on every route with a numeric :id, an id that is not a positive
// whole number is a 404, as any path that leads nowhere, for a caller the route lets in.
func TestIDThatNamesNothing(t *testing.T) {
	e := newEnv(t)
	for route, roles := range want {
		method, path, _ := strings.Cut(route, " ")
		if !strings.Contains(path, ":id") || strings.Contains(path, "comments") { // a comment's id is its response's UUID
			continue
		}
		for _, id := range []string{"abc", "0", "-3", "1.5", "99999999999999999999"} {
			t.Run(route+"/"+id, func(t *testing.T) {
				status, _, b := e.do(method, strings.Replace(path, ":id", id, 1), roles[0], "{}")
				if status != http.StatusNotFound || apiError(t, b).Code != lofte.ENOTFOUND {
					t.Errorf("status %d, want 404: %s", status, b)
				}
			})
		}
	}
}
