package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"medborgarlofte/internal/lofte"
)

func TestStopCreateScenarios(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name   string
		who    lofte.Role
		body   string
		status int
		field  string
		check  func(t *testing.T, got map[string]any)
	}{
		{"draft by default", lofte.RoleAdmin,
			`{"basort":"Tollarp","place":"Torget","starts_at":"2018-03-14T10:00:00+01:00","ends_at":"2018-03-14T13:00:00+01:00"}`,
			201, "", func(t *testing.T, got map[string]any) {
				if got["status"] != "draft" || got["kind"] != "regular" || got["published_at"] != nil {
					t.Errorf("got %v", got)
				}
			}},
		{"summer stop is an event", lofte.RoleAdmin,
			`{"basort":"Åhus","place":"Hamnen","starts_at":"2018-07-14T10:00:00+02:00","ends_at":"2018-07-14T16:00:00+02:00"}`,
			201, "", func(t *testing.T, got map[string]any) {
				if got["kind"] != "event" {
					t.Errorf("kind %v, want event", got["kind"])
				}
			}},
		{"past stop entered as held", lofte.RoleAdmin,
			`{"basort":"Tollarp","place":"Torget","starts_at":"2018-02-14T10:00:00+01:00","ends_at":"2018-02-14T13:00:00+01:00",
			  "status":"held","published_at":"2018-02-01T09:00:00+01:00","visitors":12,"topics":["traffic"]}`,
			201, "", func(t *testing.T, got map[string]any) {
				if got["published_at"] != "2018-02-01T09:00:00+01:00" || got["visitors"] != 12.0 {
					t.Errorf("got %v", got)
				}
			}},
		{"end before start", lofte.RoleAdmin,
			`{"basort":"Tollarp","place":"Torget","starts_at":"2018-03-14T10:00:00+01:00","ends_at":"2018-03-14T09:00:00+01:00"}`, 400, "ends_at", nil},
		{"unknown basort", lofte.RoleAdmin,
			`{"basort":"Atlantis","place":"Torget","starts_at":"2018-03-14T10:00:00+01:00","ends_at":"2018-03-14T13:00:00+01:00"}`, 400, "basort", nil},
		{"unknown field", lofte.RoleAdmin, `{"basort":"Tollarp","colour":"blue"}`, 400, "colour", nil},
		{"unknown kind", lofte.RoleAdmin,
			`{"basort":"Tollarp","place":"Torget","starts_at":"2018-03-14T10:00:00+01:00","ends_at":"2018-03-14T13:00:00+01:00","kind":"party"}`, 400, "kind", nil},
		{"negative visitors", lofte.RoleAdmin,
			`{"basort":"Tollarp","place":"Torget","starts_at":"2018-03-14T10:00:00+01:00","ends_at":"2018-03-14T13:00:00+01:00","visitors":-2}`, 400, "visitors", nil},
		{"unknown topic", lofte.RoleAdmin,
			`{"basort":"Tollarp","place":"Torget","starts_at":"2018-03-14T10:00:00+01:00","ends_at":"2018-03-14T13:00:00+01:00","topics":["aliens"]}`, 400, "topics[0]", nil},
		{"wrong type", lofte.RoleAdmin, `{"visitors":"many"}`, 400, "visitors", nil},
		{"not json", lofte.RoleAdmin, `<html>`, 400, "", nil},
		{"empty", lofte.RoleAdmin, ` `, 400, "", nil},
		{"array", lofte.RoleAdmin, `[]`, 400, "", nil},
		{"officer may not plan", lofte.RoleOfficer, `{}`, 403, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, before, _ := e.db.FindStops(context.Background(), lofte.StopFilter{})
			status, _, b := e.do(http.MethodPost, "/api/v1/stops", tt.who, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, b)
			}
			_, after, _ := e.db.FindStops(context.Background(), lofte.StopFilter{})
			if status >= 400 {
				if got := apiError(t, b); got.Field != tt.field {
					t.Errorf("field %q, want %q (%s)", got.Field, tt.field, got.Message)
				}
				if after != before {
					t.Errorf("a refused request changed the stops: %d → %d", before, after)
				}
				return
			}
			var got map[string]any
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			tt.check(t, got)
		})
	}
}

func TestStopUpdateScenarios(t *testing.T) {
	e := newEnv(t)
	draft := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusDraft)
	pub := mustStop(t, e, "Åhus", "2018-03-08 10:00", lofte.StatusPublished)
	tests := []struct {
		name   string
		who    lofte.Role
		id     int64
		body   string
		status int
		field  string
	}{
		{"officer logs a stop", lofte.RoleOfficer, pub.ID, `{"status":"held","visitors":14,"staff":2,"contacts":{"crime_report":1,"tip":0,"advice":3,"other":0},"topics":["traffic","drugs"],"notes":"Lugnt"}`, 200, ""},
		{"officer may not move it", lofte.RoleOfficer, pub.ID, `{"place":"Biblioteket"}`, 403, "place"},
		{"officer may not publish", lofte.RoleOfficer, draft.ID, `{"status":"published"}`, 403, "status"},
		{"held before published", lofte.RoleAdmin, draft.ID, `{"status":"held"}`, 400, "status"},
		{"unknown status", lofte.RoleAdmin, draft.ID, `{"status":"maybe"}`, 400, "status"},
		{"negative count", lofte.RoleOfficer, pub.ID, `{"visitors":-1}`, 400, "visitors"},
		{"cancel without reason", lofte.RoleAdmin, draft.ID, `{"status":"cancelled"}`, 400, "cancel_reason"},
		{"unknown stop", lofte.RoleAdmin, 9999, `{"notes":"x"}`, 404, ""},
		{"admin publishes", lofte.RoleAdmin, draft.ID, `{"status":"published"}`, 200, ""},
		{"council may not", lofte.RoleCouncil, pub.ID, `{"notes":"x"}`, 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := e.db.FindStopByID(context.Background(), tt.id)
			status, _, b := e.do(http.MethodPatch, fmt.Sprintf("/api/v1/stops/%d", tt.id), tt.who, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, b)
			}
			if status >= 400 {
				if got := apiError(t, b); got.Field != tt.field {
					t.Errorf("field %q, want %q", got.Field, tt.field)
				}
				after, _ := e.db.FindStopByID(context.Background(), tt.id)
				if before != nil && (after.UpdatedAt != before.UpdatedAt || after.Status != before.Status || after.Visitors != before.Visitors) {
					t.Error("a refused update changed the stop")
				}
			}
		})
	}
	got, _ := e.db.FindStopByID(context.Background(), pub.ID)
	if got.Status != lofte.StatusHeld || got.Visitors != 14 || got.Contacts.Advice != 3 || len(got.Topics) != 2 {
		t.Errorf("field log not stored: %+v", got)
	}
}

// TestFieldLogIsStaffOnly: a stop's field log (actual times, staff, visitors, contacts,
// topics, notes) is the police's internal record. Officers and admins read it in the stop
// list; anyone else, the council too, gets the schedule without it, and the public pages
// show none of it.
func TestFieldLogIsStaffOnly(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-01 10:00", lofte.StatusHeld)
	notes, topics, visitors, staff := "Intern anteckning", []string{"traffic"}, 17, 2
	contacts := lofte.Contacts{Tip: 3}
	if _, err := e.db.UpdateStop(context.Background(), st.ID, lofte.StopUpdate{Notes: &notes, Topics: &topics,
		Visitors: &visitors, Staff: &staff, Contacts: &contacts}); err != nil {
		t.Fatal(err)
	}
	fieldLog := []string{"actual_start", "actual_end", "staff", "visitors", "contacts", "topics", "notes"}
	schedule := []string{"id", "basort", "place", "starts_at", "ends_at", "kind", "status", "published_at", "cancel_reason"}
	for who, sees := range map[lofte.Role]bool{"": false, lofte.RoleKiosk: false, lofte.RoleCouncil: false,
		lofte.RoleOfficer: true, lofte.RoleAdmin: true} {
		status, _, b := e.do(http.MethodGet, "/api/v1/stops", who, "")
		var body struct{ Stops []map[string]json.RawMessage }
		if err := json.Unmarshal(b, &body); err != nil || status != 200 || len(body.Stops) != 1 {
			t.Fatalf("%q: %d %s", who, status, b)
		}
		got := body.Stops[0]
		for _, k := range schedule {
			if _, ok := got[k]; !ok {
				t.Errorf("%q: the stop lacks %s", who, k)
			}
		}
		for _, k := range fieldLog {
			if _, ok := got[k]; ok != sees {
				t.Errorf("%q sees %s: %v, want %v", who, k, ok, sees)
			}
		}
		if sees && (string(got["visitors"]) != "17" || string(got["notes"]) != `"Intern anteckning"`) {
			t.Errorf("%q: field log %s, %s", who, got["visitors"], got["notes"])
		}
	}
	for _, who := range []lofte.Role{"", lofte.RoleCouncil} {
		for _, page := range []string{"/", "/basort/Tollarp"} {
			status, _, b := e.do(http.MethodGet, page, who, "")
			if status != 200 || strings.Contains(string(b), notes) || strings.Contains(string(b), "Trafik") {
				t.Errorf("%q on %s: %d, shows the field log", who, page, status)
			}
		}
	}
}

func TestPlanRefusals(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, body string
		field      string
	}{
		{"unknown basort", `{"basort":"Atlantis","place":"Torget","weekday":2,"every_weeks":1,"start":"10:00","end":"13:00","from":"2018-03-13","until":"2018-04-30"}`, "basort"},
		{"end before start", `{"basort":"Tollarp","place":"Torget","weekday":2,"every_weeks":1,"start":"10:00","end":"09:00","from":"2018-03-13","until":"2018-04-30"}`, "end"},
		{"bad date", `{"basort":"Tollarp","place":"Torget","weekday":2,"every_weeks":1,"start":"10:00","end":"13:00","from":"13/3","until":"2018-04-30"}`, "from"},
		{"unknown field", `{"basort":"Tollarp","colour":"blue"}`, "colour"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, b := e.do(http.MethodPost, "/api/v1/stops/plan", lofte.RoleAdmin, tt.body)
			if status != 400 || apiError(t, b).Field != tt.field {
				t.Errorf("%d %s, want 400 naming %s", status, b, tt.field)
			}
		})
	}
	if status, _, _ := e.do(http.MethodPost, "/api/v1/stops/publish", lofte.RoleAdmin, `{"ids":[424242]}`); status != 404 {
		t.Errorf("publishing a missing stop: %d", status)
	}
}

func TestVisitorCounter(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-10 10:00", lofte.StatusPublished)
	path := fmt.Sprintf("/api/v1/stops/%d/visitors", st.ID)
	for range 3 {
		if status, _, b := e.do(http.MethodPost, path, lofte.RoleOfficer, `{"add":1}`); status != 200 {
			t.Fatalf("%d %s", status, b)
		}
	}
	_, _, b := e.do(http.MethodPost, path, lofte.RoleOfficer, `{"add":-1}`)
	if !strings.Contains(string(b), `"visitors":2`) {
		t.Errorf("after +1 +1 +1 −1: %s", b)
	}
	for _, bad := range []string{`{"add":0}`, `{"add":"1"}`, `{}`, `{"add":1000}`} {
		if status, _, _ := e.do(http.MethodPost, path, lofte.RoleOfficer, bad); status != 400 {
			t.Errorf("%s: %d, want 400", bad, status)
		}
	}
	if status, _, _ := e.do(http.MethodPost, path, lofte.RoleCouncil, `{"add":1}`); status != 403 {
		t.Errorf("council counting: %d", status)
	}
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
