package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
)

// promiseState is everything a promise route can change: the promises, their places and the
// audit log's length.
type promiseState struct {
	Promises []*lofte.Promise
	Places   map[int64][]*lofte.Locality
	Audit    int
}

func (e *env) promiseState() promiseState {
	e.t.Helper()
	ctx := context.Background()
	ps, err := e.db.FindPromises(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	st := promiseState{Promises: ps, Places: map[int64][]*lofte.Locality{}}
	for _, p := range ps {
		if st.Places[p.ID], err = e.db.FindLocalities(ctx, p.ID); err != nil {
			e.t.Fatal(err)
		}
	}
	entries, err := e.db.FindAudit(ctx, lofte.AuditFilter{Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	st.Audit = len(entries)
	return st
}

// newPromiseBody is a valid POST body for 2019, which the built-in 2018 promise does not overlap.
const newPromiseBody = `{"municipality": "Kristianstads kommun", "police_area": "Lokalpolisområde Kristianstad",
 "title": "Medborgarlöfte Kristianstads kommun 2019", "text": "Mobila poliskontoret.",
 "from": "2019-01-01", "to": "2019-12-31",
 "excluded": [{"from": "2019-06-01", "to": "2019-08-31", "label": "Sommarevenemang"}],
 "min_n": 10, "status_min_n": 100, "retention_months": 12,
 "basorter": [{"name": "Tollarp", "population": 2500, "population_source": "SCB", "population_year": 2019, "lat": 55.93, "lon": 13.98},
              {"name": "Kristianstad", "population": 41000, "lat": 56.03, "lon": 14.15, "basort": false}],
 "outcomes": [{"key": "legitimacy", "indicators": [{"metric": "trust_high", "direction": ">=", "target": 0.05, "relative_to_baseline": true}]}]}`

func withField(body, field, value string) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		panic(err)
	}
	var v any
	if err := json.Unmarshal([]byte(value), &v); err != nil {
		panic(err)
	}
	m[field] = v
	b, _ := json.Marshal(m)
	return string(b)
}

func TestPromiseAPI(t *testing.T) {
	e := newEnv(t)
	id := fmt.Sprint(e.p.ID)
	tests := []struct {
		name, method, path string
		role               lofte.Role
		body               string
		status             int
		field              string
		action             string // the audit entry written, for a change
	}{
		{name: "council may not create", method: "POST", path: "/api/v1/promises", role: lofte.RoleCouncil, body: newPromiseBody, status: 403},
		{name: "officer may not create", method: "POST", path: "/api/v1/promises", role: lofte.RoleOfficer, body: newPromiseBody, status: 403},
		{name: "kiosk may not read", method: "GET", path: "/api/v1/promises", role: lofte.RoleKiosk, status: 403},
		{name: "anonymous may not read", method: "GET", path: "/api/v1/promises", status: 401},
		{name: "overlapping period", method: "POST", path: "/api/v1/promises", role: lofte.RoleAdmin,
			body: withField(withField(newPromiseBody, "from", `"2018-06-01"`), "excluded", `[]`), status: 409, field: "from"},
		{name: "share target over 1", method: "POST", path: "/api/v1/promises", role: lofte.RoleAdmin,
			body:   withField(newPromiseBody, "outcomes", `[{"key":"service","indicators":[{"metric":"satisfied","direction":">=","target":80}]}]`),
			status: 400, field: "outcomes[0].indicators[0].target"},
		{name: "mean target below 1", method: "POST", path: "/api/v1/promises", role: lofte.RoleAdmin,
			body:   withField(newPromiseBody, "outcomes", `[{"key":"legitimacy","indicators":[{"metric":"trust_mean","direction":">=","target":0.5}]}]`),
			status: 400, field: "outcomes[0].indicators[0].target"},
		{name: "unknown metric", method: "POST", path: "/api/v1/promises", role: lofte.RoleAdmin,
			body:   withField(newPromiseBody, "outcomes", `[{"key":"service","indicators":[{"metric":"happiness","direction":">=","target":0.5}]}]`),
			status: 400, field: "outcomes[0].indicators[0].metric"},
		{name: "unknown outcome", method: "POST", path: "/api/v1/promises", role: lofte.RoleAdmin,
			body: withField(newPromiseBody, "outcomes", `[{"key":"joy","indicators":[]}]`), status: 400, field: "outcomes[0].key"},
		{name: "bad direction", method: "POST", path: "/api/v1/promises", role: lofte.RoleAdmin,
			body:   withField(newPromiseBody, "outcomes", `[{"key":"service","indicators":[{"metric":"satisfied","direction":">","target":0.8}]}]`),
			status: 400, field: "outcomes[0].indicators[0].direction"},
		{name: "excluded outside the promise", method: "POST", path: "/api/v1/promises", role: lofte.RoleAdmin,
			body: withField(newPromiseBody, "excluded", `[{"from":"2020-06-01","to":"2020-08-31"}]`), status: 400, field: "excluded[0]"},
		{name: "no basort", method: "POST", path: "/api/v1/promises", role: lofte.RoleAdmin,
			body: withField(newPromiseBody, "basorter", `[]`), status: 400, field: "basorter"},
		{name: "bad place", method: "POST", path: "/api/v1/promises", role: lofte.RoleAdmin,
			body: withField(newPromiseBody, "basorter", `[{"name":"Ort","lat":95,"lon":14}]`), status: 400, field: "basorter[0].lat"},
		{name: "unknown field", method: "POST", path: "/api/v1/promises", role: lofte.RoleAdmin,
			body: withField(newPromiseBody, "colour", `"blue"`), status: 400, field: "colour"},
		{name: "create", method: "POST", path: "/api/v1/promises", role: lofte.RoleAdmin, body: newPromiseBody, status: 201, action: "promise.create"},
		{name: "patch a target out of scale", method: "PATCH", path: "/api/v1/promises/" + id, role: lofte.RoleAdmin,
			body:   `{"outcomes":[{"key":"safety","indicators":[{"metric":"unsafe","direction":"<=","target":-2,"relative_to_baseline":true}]}]}`,
			status: 400, field: "outcomes[0].indicators[0].target"},
		{name: "patch onto next year", method: "PATCH", path: "/api/v1/promises/" + id, role: lofte.RoleAdmin,
			body: `{"to":"2019-03-31"}`, status: 409, field: "from"},
		{name: "patch retiring every basort", method: "PATCH", path: "/api/v1/promises/" + id, role: lofte.RoleAdmin,
			body: `{"basorter":[{"name":"Kristianstad","population":40926,"lat":56.03,"lon":14.15,"basort":false}]}`, status: 409, field: "basorter"},
		{name: "officer may not patch", method: "PATCH", path: "/api/v1/promises/" + id, role: lofte.RoleOfficer, body: `{"min_n":12}`, status: 403},
		{name: "patch settings", method: "PATCH", path: "/api/v1/promises/" + id, role: lofte.RoleAdmin, body: `{"min_n":12,"title":"Löftet 2018"}`,
			status: 200, action: "promise.update"},
		{name: "copy onto an existing year", method: "POST", path: "/api/v1/promises/" + id + "/copy", role: lofte.RoleAdmin,
			body: `{"from":"2019-01-01","to":"2019-12-31"}`, status: 409, field: "from"},
		{name: "copy with no end", method: "POST", path: "/api/v1/promises/" + id + "/copy", role: lofte.RoleAdmin,
			body: `{"from":"2020-01-01"}`, status: 400, field: "to"},
		{name: "copy", method: "POST", path: "/api/v1/promises/" + id + "/copy", role: lofte.RoleAdmin,
			body: `{"from":"2020-01-01","to":"2020-12-31"}`, status: 201, action: "promise.create"},
		{name: "activate unknown", method: "POST", path: "/api/v1/promises/999/activate", role: lofte.RoleAdmin, body: `{}`, status: 404},
		{name: "council may not activate", method: "POST", path: "/api/v1/promises/" + id + "/activate", role: lofte.RoleCouncil, body: `{}`, status: 403},
		{name: "council may not export", method: "GET", path: "/api/v1/promises/" + id + "/export", role: lofte.RoleCouncil, status: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.promiseState()
			status, _, b := e.do(tt.method, tt.path, tt.role, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, b)
			}
			after := e.promiseState()
			if status >= 400 {
				if tt.field != "" {
					if got := apiError(t, b); got.Field != tt.field {
						t.Errorf("error %+v, want field %q", got, tt.field)
					}
				}
				if diff := cmp.Diff(before, after); diff != "" {
					t.Errorf("a refused request changed something (-before +after)\n%s", diff)
				}
				return
			}
			if tt.action != "" {
				if a := e.lastAudit(); a.Action != tt.action || a.Actor != "token:admin-test" {
					t.Errorf("audit %+v, want %s by the admin's token", a, tt.action)
				}
			}
		})
	}
	// The list: newest first, the active one marked, council may read it.
	status, _, b := e.do("GET", "/api/v1/promises", lofte.RoleCouncil, "")
	var list struct {
		Promises []struct {
			ID       int64
			Title    string
			From     string
			Active   bool
			Basorter []struct{ Name string }
			Outcomes []struct {
				Key        string
				Indicators []struct {
					Direction          string
					RelativeToBaseline bool `json:"relative_to_baseline"`
				}
			}
		}
	}
	if err := json.Unmarshal(b, &list); status != 200 || err != nil {
		t.Fatalf("list: %d %v %s", status, err, b)
	}
	var froms []string
	for _, p := range list.Promises {
		froms = append(froms, p.From)
	}
	if diff := cmp.Diff([]string{"2020-01-01", "2019-01-01", "2018-01-01"}, froms); diff != "" {
		t.Errorf("list order (-want +got)\n%s", diff)
	}
	if p := list.Promises[2]; !p.Active || p.Title != "Löftet 2018" || len(p.Basorter) != 13 {
		t.Errorf("2018: %+v", p)
	}
	if p := list.Promises[1]; p.Active || len(p.Outcomes) != 1 || p.Outcomes[0].Indicators[0].Direction != ">=" ||
		!p.Outcomes[0].Indicators[0].RelativeToBaseline {
		t.Errorf("2019: %+v", p)
	}
	// Activate the copy: it becomes the one the public pages serve.
	copyID := list.Promises[0].ID
	if status, _, b := e.do("POST", fmt.Sprintf("/api/v1/promises/%d/activate", copyID), lofte.RoleAdmin, `{}`); status != 200 {
		t.Fatalf("activate: %d %s", status, b)
	}
	if a := e.lastAudit(); a.Action != "promise.activate" || a.Object != fmt.Sprintf("promise:%d", copyID) {
		t.Errorf("audit %+v", a)
	}
	if p, _ := e.db.ActivePromise(context.Background()); p.ID != copyID {
		t.Errorf("active %d, want %d", p.ID, copyID)
	}
	status, _, b = e.do("GET", fmt.Sprintf("/api/v1/promises/%d", copyID), lofte.RoleOfficer, "")
	if status != 200 || !strings.Contains(string(b), `"active":true`) || !strings.Contains(string(b), `"from":"2020-06-01"`) {
		t.Errorf("copy: %d %s", status, b)
	}
}

// PATCH with basorter: add, change, retire one with history, delete one without; every
// change of a place gets its own audit entry.
func TestPromisePatchBasorter(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mustStop(t, e, "Tollarp", "2018-03-01 10:00", lofte.StatusHeld)
	ls, _ := e.db.FindLocalities(ctx, e.p.ID)
	var places []map[string]any
	for _, l := range ls {
		switch l.Name {
		case "Tollarp", "Linderöd":
			continue // Tollarp has a stop: retired; Linderöd has none: deleted
		}
		m := map[string]any{"id": l.ID, "name": l.Name, "population": l.Population, "lat": l.Lat, "lon": l.Lon,
			"basort": l.Basort, "coordinates": l.Coordinates, "population_year": l.PopulationYear}
		if l.Name == "Åhus" {
			m["population_source"], m["population_year"] = "SCB", 2023
		}
		places = append(places, m)
	}
	places = append(places, map[string]any{"name": "Vä", "population": 1800, "lat": 56.0, "lon": 14.08})
	body, _ := json.Marshal(map[string]any{"basorter": places})
	status, _, b := e.do("PATCH", fmt.Sprintf("/api/v1/promises/%d", e.p.ID), lofte.RoleAdmin, string(body))
	if status != 200 {
		t.Fatalf("patch: %d %s", status, b)
	}
	entries, _ := e.db.FindAudit(ctx, lofte.AuditFilter{Limit: 100})
	actions := map[string]int{}
	for _, a := range entries {
		actions[a.Action]++
	}
	if diff := cmp.Diff(map[string]int{"basort.create": 1, "basort.update": 1, "basort.retire": 1, "basort.delete": 1}, actions); diff != "" {
		t.Errorf("audit actions (-want +got)\n%s", diff)
	}
	// A new stop at the retired place is refused, naming the basort.
	status, _, b = e.do("POST", "/api/v1/stops", lofte.RoleAdmin, `{"basort":"Tollarp","place":"Torget",
		"starts_at":"2018-04-10T10:00:00+02:00","ends_at":"2018-04-10T12:00:00+02:00"}`)
	if status != 400 || apiError(t, b).Field != "basort" {
		t.Errorf("stop at a retired basort: %d %s", status, b)
	}
}
