package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
)

func TestStopCreateScenarios(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		call
		check func(t *testing.T, got map[string]any)
	}{
		{call{"draft by default", lofte.RoleAdmin,
			`{"basort":"Tollarp","place":"Torget","starts_at":"2018-03-14T10:00:00+01:00","ends_at":"2018-03-14T13:00:00+01:00"}`,
			201, ""}, func(t *testing.T, got map[string]any) {
			if got["status"] != "draft" || got["kind"] != "regular" || got["published_at"] != nil {
				t.Errorf("got %v", got)
			}
		}},
		{call{"summer stop is an event", lofte.RoleAdmin,
			`{"basort":"Åhus","place":"Hamnen","starts_at":"2018-07-14T10:00:00+02:00","ends_at":"2018-07-14T16:00:00+02:00"}`,
			201, ""}, func(t *testing.T, got map[string]any) {
			if got["kind"] != "event" {
				t.Errorf("kind %v, want event", got["kind"])
			}
		}},
		{call{"past stop entered as held", lofte.RoleAdmin,
			`{"basort":"Tollarp","place":"Torget","starts_at":"2018-02-14T10:00:00+01:00","ends_at":"2018-02-14T13:00:00+01:00",
			  "status":"held","published_at":"2018-02-01T09:00:00+01:00","visitors":12,"topics":["traffic"]}`,
			201, ""}, func(t *testing.T, got map[string]any) {
			if got["published_at"] != "2018-02-01T09:00:00+01:00" || got["visitors"] != 12.0 {
				t.Errorf("got %v", got)
			}
		}},
		{call{"future stop entered as held", lofte.RoleAdmin,
			`{"basort":"Tollarp","place":"Torget","starts_at":"2018-03-14T10:00:00+01:00","ends_at":"2018-03-14T13:00:00+01:00",
			  "status":"held","published_at":"2018-02-01T09:00:00+01:00"}`, 409, "status"}, nil},
		{call{"end before start", lofte.RoleAdmin,
			`{"basort":"Tollarp","place":"Torget","starts_at":"2018-03-14T10:00:00+01:00","ends_at":"2018-03-14T09:00:00+01:00"}`, 400, "ends_at"}, nil},
		{call{"unknown basort", lofte.RoleAdmin,
			`{"basort":"Atlantis","place":"Torget","starts_at":"2018-03-14T10:00:00+01:00","ends_at":"2018-03-14T13:00:00+01:00"}`, 400, "basort"}, nil},
		{call{"unknown field", lofte.RoleAdmin, `{"basort":"Tollarp","colour":"blue"}`, 400, "colour"}, nil},
		{call{"unknown kind", lofte.RoleAdmin,
			`{"basort":"Tollarp","place":"Torget","starts_at":"2018-03-14T10:00:00+01:00","ends_at":"2018-03-14T13:00:00+01:00","kind":"party"}`, 400, "kind"}, nil},
		{call{"negative visitors", lofte.RoleAdmin,
			`{"basort":"Tollarp","place":"Torget","starts_at":"2018-03-14T10:00:00+01:00","ends_at":"2018-03-14T13:00:00+01:00","visitors":-2}`, 400, "visitors"}, nil},
		{call{"unknown topic", lofte.RoleAdmin,
			`{"basort":"Tollarp","place":"Torget","starts_at":"2018-03-14T10:00:00+01:00","ends_at":"2018-03-14T13:00:00+01:00","topics":["aliens"]}`, 400, "topics[0]"}, nil},
		{call{"wrong type", lofte.RoleAdmin, `{"visitors":"many"}`, 400, "visitors"}, nil},
		{call{"not json", lofte.RoleAdmin, `<html>`, 400, ""}, nil},
		{call{"empty", lofte.RoleAdmin, ` `, 400, ""}, nil},
		{call{"array", lofte.RoleAdmin, `[]`, 400, ""}, nil},
		{call{"officer may not plan", lofte.RoleOfficer, `{}`, 403, ""}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, before, _ := e.db.FindStops(context.Background(), lofte.StopFilter{})
			b, refused := e.send(t, http.MethodPost, "/api/v1/stops", tt.call)
			_, after, _ := e.db.FindStops(context.Background(), lofte.StopFilter{})
			if refused != nil {
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
	coming := mustStop(t, e, "Åhus", "2018-03-15 10:00", lofte.StatusPublished)
	tests := []struct {
		call
		id int64
	}{
		{call{"officer logs a stop", lofte.RoleOfficer, `{"status":"held","visitors":14,"staff":2,"contacts":{"crime_report":1,"tip":0,"advice":3,"other":0},"topics":["traffic","drugs"],"notes":"Lugnt"}`, 200, ""}, pub.ID},
		{call{"officer may not move it", lofte.RoleOfficer, `{"place":"Biblioteket"}`, 403, "place"}, pub.ID},
		{call{"officer may not publish", lofte.RoleOfficer, `{"status":"published"}`, 403, "status"}, draft.ID},
		{call{"held before published", lofte.RoleAdmin, `{"status":"held"}`, 409, "status"}, draft.ID},
		{call{"unknown status", lofte.RoleAdmin, `{"status":"maybe"}`, 400, "status"}, draft.ID},
		{call{"negative count", lofte.RoleOfficer, `{"visitors":-1}`, 400, "visitors"}, pub.ID},
		{call{"cancel without reason", lofte.RoleAdmin, `{"status":"cancelled"}`, 400, "cancel_reason"}, coming.ID},
		{call{"a draft is deleted, not cancelled", lofte.RoleAdmin, `{"status":"cancelled","cancel_reason":"Storm"}`, 409, "status"}, draft.ID},
		{call{"an officer cannot cancel a draft either", lofte.RoleOfficer, `{"status":"cancelled","cancel_reason":"Storm"}`, 409, "status"}, draft.ID},
		{call{"unknown stop", lofte.RoleAdmin, `{"notes":"x"}`, 404, ""}, 9999},
		{call{"admin publishes", lofte.RoleAdmin, `{"status":"published"}`, 200, ""}, draft.ID},
		{call{"council may not", lofte.RoleCouncil, `{"notes":"x"}`, 403, ""}, pub.ID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := e.db.FindStopByID(context.Background(), tt.id)
			if _, refused := e.send(t, http.MethodPatch, fmt.Sprintf("/api/v1/stops/%d", tt.id), tt.call); refused != nil {
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

// TestDraftIsNeverPublishedButByPublishing changes a draft every way an update can: it stays
// a draft, unpublished and out of every public list, until it is published.
func TestDraftIsNeverPublishedButByPublishing(t *testing.T) {
	e := newEnv(t)
	draft := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusDraft)
	path := fmt.Sprintf("/api/v1/stops/%d", draft.ID)
	for _, u := range []struct {
		who    lofte.Role
		body   string
		status int
	}{
		{lofte.RoleAdmin, `{"place":"Biblioteket","starts_at":"2018-03-15T10:00:00+01:00","ends_at":"2018-03-15T12:00:00+01:00"}`, 200},
		{lofte.RoleAdmin, `{"kind":"event"}`, 200},
		{lofte.RoleOfficer, `{"notes":"förberett","staff":2}`, 200},
		{lofte.RoleAdmin, `{"cancel_reason":"Storm"}`, 200},
		{lofte.RoleAdmin, `{"status":"cancelled","cancel_reason":"Storm"}`, 409},
		{lofte.RoleOfficer, `{"status":"held"}`, 409},
		{lofte.RoleAdmin, `{"published_at":"2018-03-01T09:00:00+01:00"}`, 400},
	} {
		if status, _, b := e.do(http.MethodPatch, path, u.who, u.body); status != u.status {
			t.Errorf("%s %s: %d, want %d: %s", u.who, u.body, status, u.status, b)
		}
		got, err := e.db.FindStopByID(context.Background(), draft.ID)
		if err != nil || got.Status != lofte.StatusDraft || got.PublishedAt != nil {
			t.Fatalf("after %s: %+v %v", u.body, got, err)
		}
		for _, public := range []string{"/api/v1/stops", "/schedule.ics"} {
			if _, _, b := e.do(http.MethodGet, public, "", ""); strings.Contains(string(b), "Biblioteket") {
				t.Errorf("after %s, %s shows the draft", u.body, public)
			}
		}
	}
	if status, _, b := e.do(http.MethodPatch, path, lofte.RoleAdmin, `{"status":"published"}`); status != 200 ||
		!strings.Contains(string(b), `"status":"published"`) {
		t.Errorf("publish: %d %s", status, b)
	}
}

// mustDeletable stores what the tests of deleting a draft, through the API and on the plan
// page, work on: a coming draft to delete (Tollarp, 14 March), another draft that must stay
// (Åhus, 15 March) and a published stop that is not deleted (Åhus, 20 March).
func mustDeletable(t *testing.T, e *env) (draft, other, pub *lofte.Stop) {
	t.Helper()
	draft = mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusDraft)
	other = mustStop(t, e, "Åhus", "2018-03-15 10:00", lofte.StatusDraft)
	pub = mustStop(t, e, "Åhus", "2018-03-20 10:00", lofte.StatusPublished)
	return draft, other, pub
}

// TestDeleteStop: DELETE /api/v1/stops/{id} withdraws a draft (admin); any other stop is a
// conflict and is left as it was; other roles are refused.
func TestDeleteStop(t *testing.T) {
	e := newEnv(t)
	draft, other, pub := mustDeletable(t, e)
	held := mustStop(t, e, "Åhus", "2018-03-01 10:00", lofte.StatusHeld)
	cancelled := mustStop(t, e, "Åhus", "2018-03-22 10:00", lofte.StatusCancelled)
	tests := []struct {
		name   string
		who    lofte.Role
		path   string
		status int
		code   lofte.ErrorCode
	}{
		{"anonymous", "", fmt.Sprintf("/api/v1/stops/%d", draft.ID), 401, lofte.EUNAUTHORIZED},
		{"officer", lofte.RoleOfficer, fmt.Sprintf("/api/v1/stops/%d", draft.ID), 403, lofte.EFORBIDDEN},
		{"council", lofte.RoleCouncil, fmt.Sprintf("/api/v1/stops/%d", draft.ID), 403, lofte.EFORBIDDEN},
		{"a published stop", lofte.RoleAdmin, fmt.Sprintf("/api/v1/stops/%d", pub.ID), 409, lofte.ECONFLICT},
		{"a held stop", lofte.RoleAdmin, fmt.Sprintf("/api/v1/stops/%d", held.ID), 409, lofte.ECONFLICT},
		{"a cancelled stop", lofte.RoleAdmin, fmt.Sprintf("/api/v1/stops/%d", cancelled.ID), 409, lofte.ECONFLICT},
		{"unknown stop", lofte.RoleAdmin, "/api/v1/stops/9999", 404, lofte.ENOTFOUND},
		{"not an id", lofte.RoleAdmin, "/api/v1/stops/x", 404, lofte.ENOTFOUND},
		{"admin deletes a draft", lofte.RoleAdmin, fmt.Sprintf("/api/v1/stops/%d", draft.ID), 204, ""},
		{"a deleted draft is gone", lofte.RoleAdmin, fmt.Sprintf("/api/v1/stops/%d", draft.ID), 404, lofte.ENOTFOUND},
	}
	stops := func() []*lofte.Stop {
		all, _, err := e.db.FindStops(context.Background(), lofte.StopFilter{PromiseID: e.p.ID})
		if err != nil {
			t.Fatal(err)
		}
		return all
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := stops()
			status, _, b := e.do(http.MethodDelete, tt.path, tt.who, "")
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, b)
			}
			after := stops()
			if tt.code == "" {
				if len(after) != len(before)-1 || len(b) != 0 {
					t.Errorf("%d stops before, %d after; body %q", len(before), len(after), b)
				}
				return
			}
			if got := apiError(t, b); got.Code != tt.code {
				t.Errorf("error %+v, want %s", got, tt.code)
			}
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("a refused delete changed the stops (-before +after)\n%s", diff)
			}
		})
	}
	if _, err := e.db.FindStopByID(context.Background(), other.ID); err != nil {
		t.Errorf("the other draft: %v", err)
	}
}

// TestMovedStopKindFollowsTheDate moves a regular stop into the summer, where stops are
// events, and back, through the API and the plan page's move form.
func TestMovedStopKindFollowsTheDate(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-05-29 10:00", lofte.StatusPublished)
	kind := func() lofte.StopKind {
		got, err := e.db.FindStopByID(context.Background(), st.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Kind
	}
	path := fmt.Sprintf("/api/v1/stops/%d", st.ID)
	for _, m := range []struct {
		body string
		want lofte.StopKind
	}{
		{`{"starts_at":"2018-06-05T10:00:00+02:00","ends_at":"2018-06-05T13:00:00+02:00"}`, lofte.KindEvent},
		{`{"starts_at":"2018-09-04T10:00:00+02:00","ends_at":"2018-09-04T13:00:00+02:00"}`, lofte.KindRegular},
		{`{"starts_at":"2018-07-10T10:00:00+02:00","ends_at":"2018-07-10T13:00:00+02:00","kind":"regular"}`, lofte.KindRegular},
		{`{"starts_at":"2018-09-11T10:00:00+02:00","ends_at":"2018-09-11T13:00:00+02:00"}`, lofte.KindRegular},
	} {
		if status, _, b := e.do(http.MethodPatch, path, lofte.RoleAdmin, m.body); status != 200 || !strings.Contains(string(b), `"kind":"`+string(m.want)+`"`) {
			t.Errorf("%s: %d %s", m.body, status, b)
		}
		if got := kind(); got != m.want {
			t.Errorf("%s: stored kind %s, want %s", m.body, got, m.want)
		}
	}
	for _, m := range []struct {
		date string
		want lofte.StopKind
	}{{"2018-08-14", lofte.KindEvent}, {"2018-10-02", lofte.KindRegular}} {
		form := url.Values{"date": {m.date}, "start": {"10:00"}, "end": {"13:00"}, "place": {"Torget"}, "confirm": {"1"}}.Encode()
		if status, _, b := e.do(http.MethodPost, fmt.Sprintf("/plan/%d/move", st.ID), lofte.RoleAdmin, form, formCT...); status != http.StatusSeeOther {
			t.Fatalf("move to %s: %d %s", m.date, status, b)
		}
		if got := kind(); got != m.want {
			t.Errorf("moved on the plan page to %s: kind %s, want %s", m.date, got, m.want)
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

// TestStopStatusScenarios: who may set which status, and when, through PATCH
// /api/v1/stops/{id}, each row on a stop of its own (the clock stands at 10 March 12:00).
// Publishing is an admin's (403 for an officer); the status machine is the domain's (409
// with the reason); a status nobody may set is a 400 whoever sends it. A refused change
// leaves the stop exactly as it was.
func TestStopStatusScenarios(t *testing.T) {
	e := newEnv(t)
	const (
		admin, officer, council        = lofte.RoleAdmin, lofte.RoleOfficer, lofte.RoleCouncil
		draft, published, held, called = lofte.StatusDraft, lofte.StatusPublished, lofte.StatusHeld, lofte.StatusCancelled
		past, begun, future            = "2018-03-08 10:00", "2018-03-10 11:00", "2018-03-14 10:00"
		// free is a future time no other row's stop takes: a reinstated stop takes the
		// mobile office again, and is refused while another stop has it (TestStopClash).
		free = "2018-03-16 10:00"
	)
	to := func(s lofte.StopStatus) string {
		if s == called {
			return `{"status":"cancelled","cancel_reason":"Sjukdom"}`
		}
		return `{"status":"` + string(s) + `"}`
	}
	tests := []struct {
		name   string
		who    lofte.Role
		from   lofte.StopStatus
		start  string
		body   string
		status int
		field  string
		reason string // part of the message
	}{
		{"officer logs a past stop held", officer, published, past, to(held), 200, "", ""},
		{"officer logs a stop held once it has begun", officer, published, begun, to(held), 200, "", ""},
		{"officer marks a future stop held", officer, published, future, to(held), 409, "status", "först när det har börjat"},
		{"admin marks a future stop held", admin, published, future, to(held), 409, "status", "först när det har börjat"},
		{"officer cancels a coming stop", officer, published, future, to(called), 200, "", ""},
		{"officer publishes a draft", officer, draft, future, to(published), 403, "status", "bara en administratör"},
		{"officer publishes a draft by cancelling it", officer, draft, future, to(called), 409, "status", "ett utkast tas bort"},
		{"admin cancels a draft", admin, draft, future, to(called), 409, "status", "ett utkast tas bort"},
		{"officer marks a draft held", officer, draft, past, to(held), 409, "status", "måste publiceras"},
		{"admin publishes a draft", admin, draft, future, to(published), 200, "", ""},
		{"officer sends an unknown status", officer, published, past, `{"status":"exploded"}`, 400, "status", "status måste vara"},
		{"admin sends an unknown status", admin, published, past, `{"status":"exploded"}`, 400, "status", "status måste vara"},
		{"officer makes a stop a draft", officer, published, future, to(draft), 403, "status", "bara en administratör"},
		{"admin makes a stop a draft", admin, published, future, to(draft), 409, "status", "aldrig utkast"},
		{"officer cancels a held stop", officer, held, past, to(called), 409, "status", "kan inte ställas in"},
		{"admin cancels a held stop", admin, held, past, to(called), 409, "status", "kan inte ställas in"},
		{"officer puts a held stop back to planned", officer, held, past, to(published), 403, "status", "bara en administratör"},
		{"admin puts a held stop back to planned", admin, held, past, to(published), 200, "", ""},
		{"officer marks a cancelled stop held", officer, called, past, to(held), 409, "status", "inställt besök"},
		{"admin marks a cancelled stop held", admin, called, past, to(held), 409, "status", "inställt besök"},
		{"admin reinstates a cancelled stop", admin, called, free, to(published), 200, "", ""},
		{"council logs nothing", council, published, past, to(held), 403, "", "din roll"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := mustStop(t, e, "Tollarp", tt.start, tt.from)
			path := fmt.Sprintf("/api/v1/stops/%d", st.ID)
			before, _ := e.db.FindStopByID(context.Background(), st.ID)
			status, _, b := e.do(http.MethodPatch, path, tt.who, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, b)
			}
			after, _ := e.db.FindStopByID(context.Background(), st.ID)
			if status < 400 {
				var want struct{ Status lofte.StopStatus }
				json.Unmarshal([]byte(tt.body), &want)
				if after.Status != want.Status || after.Version != before.Version+1 {
					t.Errorf("stored %s version %d, want %s version %d", after.Status, after.Version, want.Status, before.Version+1)
				}
				return
			}
			if got := apiError(t, b); got.Field != tt.field || !strings.Contains(got.Message, tt.reason) {
				t.Errorf("error %+v, want %q on %q", got, tt.reason, tt.field)
			}
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("a refused change changed the stop (-before +after)\n%s", diff)
			}
		})
	}
	// The plan page's cancel button is refused for a held stop like the API.
	st := mustStop(t, e, "Tollarp", past, held)
	form := url.Values{"reason": {"Storm"}}.Encode()
	if status, _, b := e.do(http.MethodPost, fmt.Sprintf("/plan/%d/cancel", st.ID), admin, form, formCT...); status != http.StatusConflict {
		t.Errorf("cancelling a held stop on the plan page: %d %s", status, b)
	}
	if got, _ := e.db.FindStopByID(context.Background(), st.ID); got.Status != held {
		t.Errorf("the plan page cancelled a held stop: %s", got.Status)
	}
}

// TestStopVersionThroughTheAPI: staff read a stop's version in the stop list; a PATCH that
// sends it is refused (409) when the stop was saved since, one without it is not checked,
// and +1 taps leave it alone. A correction of the visitor count that says which count it
// replaces is refused when taps changed the count since.
func TestStopVersionThroughTheAPI(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-10 10:00", lofte.StatusPublished)
	path := fmt.Sprintf("/api/v1/stops/%d", st.ID)
	version := func(who lofte.Role) (int, bool) {
		_, _, b := e.do(http.MethodGet, "/api/v1/stops", who, "")
		var body struct{ Stops []map[string]any }
		if err := json.Unmarshal(b, &body); err != nil || len(body.Stops) != 1 {
			t.Fatalf("%s", b)
		}
		v, ok := body.Stops[0]["version"].(float64)
		return int(v), ok
	}
	if _, shown := version(""); shown {
		t.Error("the public sees the version")
	}
	if v, _ := version(lofte.RoleOfficer); v != 1 {
		t.Fatalf("a new stop is version %d", v)
	}
	for range 3 {
		if status, _, b := e.do(http.MethodPost, path+"/visitors", lofte.RoleOfficer, `{"add":1}`); status != 200 {
			t.Fatalf("tap: %d %s", status, b)
		}
	}
	tests := []struct {
		name, body string
		status     int
		field      string
		version    int // afterwards
	}{
		{"the version read", `{"version":1,"notes":"första"}`, 200, "", 2},
		{"the same version again", `{"version":1,"notes":"andra"}`, 409, "version", 2},
		{"no version", `{"staff":2}`, 200, "", 3},
		{"a count corrected from the count before the taps", `{"visitors":10,"visitors_from":0}`, 409, "visitors_from", 3},
		{"a count said to be replaced but not given", `{"visitors_from":3}`, 400, "visitors_from", 3},
		{"a count corrected from the count as it is", `{"version":3,"visitors":10,"visitors_from":3}`, 200, "", 4},
		{"a version that is not a number", `{"version":"4"}`, 400, "version", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := e.db.FindStopByID(context.Background(), st.ID)
			status, _, b := e.do(http.MethodPatch, path, lofte.RoleOfficer, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, b)
			}
			after, _ := e.db.FindStopByID(context.Background(), st.ID)
			if after.Version != tt.version {
				t.Errorf("version %d, want %d", after.Version, tt.version)
			}
			if status < 400 {
				if !strings.Contains(string(b), fmt.Sprintf(`"version":%d`, tt.version)) {
					t.Errorf("the answer lacks the new version: %s", b)
				}
				return
			}
			if got := apiError(t, b); got.Field != tt.field {
				t.Errorf("field %q, want %q: %s", got.Field, tt.field, got.Message)
			}
			if diff := cmp.Diff(before, after); diff != "" {
				t.Errorf("a refused change changed the stop (-before +after)\n%s", diff)
			}
		})
	}
	if got, _ := e.db.FindStopByID(context.Background(), st.ID); got.Visitors != 10 || got.Notes != "första" || got.Staff != 2 {
		t.Errorf("stored %+v", got.FieldLog)
	}
}
