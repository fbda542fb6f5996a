package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
)

// want is the access table of docs/access.md written out again, independently of the policy
// in the code, so a change to either shows up here.
var want = map[string][]lofte.Role{ // nil means anyone
	"GET /healthz":                    nil,
	"GET /api/v1/basorter":            nil,
	"GET /api/v1/stops":               nil,
	"POST /api/v1/stops":              {lofte.RoleAdmin},
	"PATCH /api/v1/stops/:id":         {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /api/v1/stops/plan":         {lofte.RoleAdmin},
	"POST /api/v1/stops/publish":      {lofte.RoleAdmin},
	"POST /api/v1/stops/:id/visitors": {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /api/v1/responses":          {lofte.RoleKiosk},
	"GET /api/v1/responses":           {lofte.RoleAdmin},
	"GET /api/v1/metrics":             {lofte.RoleCouncil, lofte.RoleOfficer, lofte.RoleAdmin},
	"GET /api/v1/outcomes":            {lofte.RoleCouncil, lofte.RoleOfficer, lofte.RoleAdmin},
	"GET /schedule.ics":               nil,
	"GET /":                           nil,
	"GET /kiosk":                      {lofte.RoleKiosk},
	"GET /kiosk/pair":                 nil,
	"POST /kiosk/pair":                nil,
	"GET /kiosk/devices":              {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /kiosk/devices/pairing":     {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /kiosk/devices/:id/revoke":  {lofte.RoleAdmin, lofte.RoleOfficer},
	"GET /kiosk-sw.js":                nil,
	"GET /dashboard":                  {lofte.RoleCouncil, lofte.RoleOfficer, lofte.RoleAdmin},
	"GET /login":                      nil,
	"POST /login":                     nil,
	"POST /logout":                    nil,
	"GET /reports/bra.xlsx":           {lofte.RoleCouncil, lofte.RoleAdmin},
	"GET /static/*file":               nil,
	"GET /api/v1/feedback":            nil,
	"POST /api/v1/feedback":           {lofte.RoleAdmin, lofte.RoleOfficer},
	"PATCH /api/v1/feedback/:id":      {lofte.RoleAdmin, lofte.RoleOfficer},
	"GET /feedback":                   {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /feedback/:id":              {lofte.RoleAdmin, lofte.RoleOfficer},
	"GET /api/v1/comments":            {lofte.RoleCouncil, lofte.RoleOfficer, lofte.RoleAdmin},
	"PATCH /api/v1/comments/:id":      {lofte.RoleAdmin, lofte.RoleOfficer},
	"GET /comments":                   {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /comments/:id":              {lofte.RoleAdmin, lofte.RoleOfficer},
	"GET /basort/:name":               nil,
	"GET /plan":                       {lofte.RoleAdmin},
	"POST /plan":                      {lofte.RoleAdmin},
	"POST /plan/publish":              {lofte.RoleAdmin},
	"POST /plan/:id/cancel":           {lofte.RoleAdmin},
	"POST /plan/:id/move":             {lofte.RoleAdmin},
	"GET /api/v1/baselines":           {lofte.RoleCouncil, lofte.RoleOfficer, lofte.RoleAdmin},
	"POST /api/v1/baselines":          {lofte.RoleAdmin},
	"DELETE /api/v1/baselines/:id":    {lofte.RoleAdmin},
	"GET /baselines":                  {lofte.RoleAdmin},
	"POST /baselines":                 {lofte.RoleAdmin},
	"POST /baselines/import":          {lofte.RoleAdmin},
	"POST /baselines/:id/delete":      {lofte.RoleAdmin},
	"GET /baselines.csv":              {lofte.RoleAdmin},
	"GET /field":                      {lofte.RoleAdmin, lofte.RoleOfficer},
	"GET /field/:id":                  {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /field/:id":                 {lofte.RoleAdmin, lofte.RoleOfficer},
	"POST /field/:id/feedback":        {lofte.RoleAdmin, lofte.RoleOfficer},
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
