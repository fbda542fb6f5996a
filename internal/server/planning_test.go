package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
)

// snapshot is what a refused planning request must leave as it was: every stop of every
// promise and the audit log.
type snapshot struct {
	stops []*lofte.Stop
	audit int
}

func takeSnapshot(t *testing.T, e *env) snapshot {
	t.Helper()
	stops, _, err := e.db.FindStops(context.Background(), lofte.StopFilter{})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := e.db.FindAudit(context.Background(), lofte.AuditFilter{Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	return snapshot{stops: stops, audit: len(entries)}
}

// unchanged fails the test when the stops or the audit log differ from s.
func (s snapshot) unchanged(t *testing.T, e *env) {
	t.Helper()
	now := takeSnapshot(t, e)
	if diff := cmp.Diff(s.stops, now.stops); diff != "" {
		t.Errorf("a refused request changed the stops (-before +after)\n%s", diff)
	}
	if now.audit != s.audit {
		t.Errorf("a refused request wrote %d audit entries", now.audit-s.audit)
	}
}

// audited returns the audit entries of object with action, newest first.
func audited(t *testing.T, e *env, action, object string) []*lofte.AuditEntry {
	t.Helper()
	es, err := e.db.FindAudit(context.Background(), lofte.AuditFilter{Action: action, Object: object})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// newestStop is the stop created last.
func newestStop(t *testing.T, e *env) *lofte.Stop {
	t.Helper()
	stops, _, err := e.db.FindStops(context.Background(), lofte.StopFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var last *lofte.Stop
	for _, s := range stops {
		if last == nil || s.ID > last.ID {
			last = s
		}
	}
	return last
}

func stopRef(st *lofte.Stop) string { return "stop:" + strconv.FormatInt(st.ID, 10) }

// TestStopCreatePlanningRules: POST /api/v1/stops plans a stop that fits the promise (the
// clock stands at 10 March 2018 12:00): a summer event, a past stop only as history with its
// published_at, never a regular stop in the summer, never outside the promise, never where
// the mobile office already is. Each creation is audited; a refusal changes nothing.
func TestStopCreatePlanningRules(t *testing.T) {
	e := newEnv(t)
	other := mustStop(t, e, "Åhus", "2018-04-10 10:00", lofte.StatusPublished) // 10–13
	body := func(start, end string, extra string) string {
		return `{"basort":"Tollarp","place":"Skolan","starts_at":"` + start + `","ends_at":"` + end + `"` + extra + `}`
	}
	tests := []struct {
		call
		reason string // part of the message
		check  func(t *testing.T, st *lofte.Stop)
	}{
		{call{"a summer event", lofte.RoleAdmin, body("2018-07-14T10:00:00+02:00", "2018-07-14T16:00:00+02:00", `,"kind":"event"`),
			201, ""}, "", func(t *testing.T, st *lofte.Stop) {
			if st.Kind != lofte.KindEvent || st.Status != lofte.StatusDraft {
				t.Errorf("%s %s", st.Kind, st.Status)
			}
		}},
		{call{"a regular stop in the summer", lofte.RoleAdmin, body("2018-07-10T10:00:00+02:00", "2018-07-10T13:00:00+02:00", `,"kind":"regular"`),
			400, "kind"}, "undantagsperioden", nil},
		{call{"outside the promise", lofte.RoleAdmin, body("2019-02-05T10:00:00+01:00", "2019-02-05T13:00:00+01:00", ""),
			400, "starts_at"}, "utanför löftets period 2018-01-01–2018-12-31", nil},
		{call{"a past draft", lofte.RoleAdmin, body("2018-03-06T10:00:00+01:00", "2018-03-06T13:00:00+01:00", ""),
			400, "starts_at"}, "har redan passerat", nil},
		{call{"a past stop entered as published, with no publication time", lofte.RoleAdmin,
			body("2018-03-06T10:00:00+01:00", "2018-03-06T13:00:00+01:00", `,"status":"published"`), 400, "starts_at"}, "published_at", nil},
		{call{"history with its publication time", lofte.RoleAdmin,
			body("2018-03-06T10:00:00+01:00", "2018-03-06T13:00:00+01:00", `,"status":"published","published_at":"2018-02-20T09:00:00+01:00"`),
			201, ""}, "", func(t *testing.T, st *lofte.Stop) {
			if st.Status != lofte.StatusPublished || st.PublishedAt == nil ||
				!st.PublishedAt.Equal(time.Date(2018, 2, 20, 9, 0, 0, 0, lofte.Zone)) {
				t.Errorf("%s %v", st.Status, st.PublishedAt)
			}
		}},
		{call{"published in the future", lofte.RoleAdmin,
			body("2018-03-20T10:00:00+01:00", "2018-03-20T13:00:00+01:00", `,"status":"published","published_at":"2018-03-12T09:00:00+01:00"`),
			400, "published_at"}, "framtiden", nil},
		{call{"where the office already is", lofte.RoleAdmin, body("2018-04-10T12:00:00+02:00", "2018-04-10T15:00:00+02:00", ""),
			409, "starts_at"}, fmt.Sprintf("Åhus, Torget, tis 10 april 2018 kl. 10.00–13.00 (planerat, tillfälle %d)", other.ID), nil},
		{call{"right after it", lofte.RoleAdmin, body("2018-04-10T13:00:00+02:00", "2018-04-10T15:00:00+02:00", ""), 201, ""}, "", nil},
		{call{"officer", lofte.RoleOfficer, body("2018-04-11T10:00:00+02:00", "2018-04-11T13:00:00+02:00", ""), 403, ""}, "", nil},
		{call{"council", lofte.RoleCouncil, body("2018-04-11T10:00:00+02:00", "2018-04-11T13:00:00+02:00", ""), 403, ""}, "", nil},
		{call{"anonymous", "", body("2018-04-11T10:00:00+02:00", "2018-04-11T13:00:00+02:00", ""), 401, ""}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := takeSnapshot(t, e)
			b, refused := e.send(t, http.MethodPost, "/api/v1/stops", tt.call)
			if refused != nil {
				if !strings.Contains(refused.Message, tt.reason) {
					t.Errorf("error %+v, want %q on %q", *refused, tt.reason, tt.field)
				}
				before.unchanged(t, e)
				return
			}
			var got struct{ ID int64 }
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			st, err := e.db.FindStopByID(context.Background(), got.ID)
			if err != nil {
				t.Fatal(err)
			}
			if es := audited(t, e, "stop.create", stopRef(st)); len(es) != 1 || es[0].Actor != "token:admin-test" ||
				!strings.Contains(es[0].Detail, "Tollarp, Skolan") {
				t.Errorf("audit %+v", es)
			}
			if tt.check != nil {
				tt.check(t, st)
			}
		})
	}
}

// postForm posts a form as role and returns status, headers and body.
func postForm(e *env, path string, role lofte.Role, v url.Values) (int, http.Header, string) {
	e.t.Helper()
	status, h, b := e.do(http.MethodPost, path, role, v.Encode(), formCT...)
	return status, h, string(b)
}

// notice is the confirmation a plan page redirect carries.
func notice(h http.Header) string {
	loc, err := url.Parse(h.Get("Location"))
	if err != nil {
		return ""
	}
	return loc.Query().Get("klart")
}

// TestPlanPageStopForm: the plan page plans one stop (a draft), a summer event, or history
// (a past stop, published at the day it was announced); a regular stop in the summer, a past
// stop without its publication day and a stop where the office already is are refused on the
// page, naming the field, with the form as typed.
func TestPlanPageStopForm(t *testing.T) {
	e := newEnv(t)
	other := mustStop(t, e, "Åhus", "2018-04-10 10:00", lofte.StatusDraft)
	stop := func(date, kind string, extra ...string) url.Values {
		v := url.Values{"basort": {"Tollarp"}, "place": {"Folkets hus"}, "date": {date}, "start": {"10:00"}, "end": {"13:00"}, "kind": {kind}}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Set(extra[i], extra[i+1])
		}
		return v
	}
	tests := []struct {
		name   string
		who    lofte.Role
		form   url.Values
		status int
		shows  string // on the page refused, or in the notice
		check  func(t *testing.T, st *lofte.Stop)
	}{
		{"a draft, kind by the date", lofte.RoleAdmin, stop("2018-04-17", ""), 303, "Utkast skapat: Tollarp, Folkets hus, tis 17 april 2018",
			func(t *testing.T, st *lofte.Stop) {
				if st.Status != lofte.StatusDraft || st.Kind != lofte.KindRegular || st.PublishedAt != nil {
					t.Errorf("%+v", st)
				}
			}},
		{"a summer event", lofte.RoleAdmin, stop("2018-07-07", "event"), 303, "Utkast skapat",
			func(t *testing.T, st *lofte.Stop) {
				if st.Kind != lofte.KindEvent {
					t.Errorf("kind %s", st.Kind)
				}
			}},
		{"a summer stop by the date is an event", lofte.RoleAdmin, stop("2018-07-14", ""), 303, "Utkast skapat",
			func(t *testing.T, st *lofte.Stop) {
				if st.Kind != lofte.KindEvent {
					t.Errorf("kind %s", st.Kind)
				}
			}},
		{"a regular stop in the summer", lofte.RoleAdmin, stop("2018-07-10", "regular"), 400, "<strong>Typ:</strong> 2018-07-10 ligger i undantagsperioden", nil},
		{"a past stop", lofte.RoleAdmin, stop("2018-03-06", ""), 400, "<strong>Datum och tid:</strong> starttiden", nil},
		{"history without its day", lofte.RoleAdmin, stop("2018-03-06", "", "history", "1"), 400, "<strong>Publicerades:</strong>", nil},
		{"history", lofte.RoleAdmin, stop("2018-03-06", "", "history", "1", "published_date", "2018-02-20"), 303, "registrerat som publicerat",
			func(t *testing.T, st *lofte.Stop) {
				if st.Status != lofte.StatusPublished || st.PublishedAt == nil || lofte.LocalDate(*st.PublishedAt).String() != "2018-02-20" {
					t.Errorf("%s %v", st.Status, st.PublishedAt)
				}
			}},
		{"a bad date", lofte.RoleAdmin, stop("17/4", ""), 400, "<strong>Datum:</strong> datum skrivs ÅÅÅÅ-MM-DD", nil},
		{"an unknown kind", lofte.RoleAdmin, stop("2018-04-17", "party"), 400, "<strong>Typ:</strong>", nil},
		{"an unknown basort", lofte.RoleAdmin, stop("2018-04-18", "", "basort", "Atlantis"), 400, "<strong>Ort:</strong>", nil},
		{"where the office already is", lofte.RoleAdmin, stop("2018-04-10", "", "start", "12:00", "end", "14:00"), 409,
			fmt.Sprintf("krockar med Åhus, Torget, tis 10 april 2018 kl. 10.00–13.00 (utkast, tillfälle %d)", other.ID), nil},
		{"officer", lofte.RoleOfficer, stop("2018-04-19", ""), 403, "", nil},
		{"council", lofte.RoleCouncil, stop("2018-04-19", ""), 403, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := takeSnapshot(t, e)
			status, h, page := postForm(e, "/plan/stop", tt.who, tt.form)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %.2000s", status, tt.status, page)
			}
			if status >= 400 {
				if !strings.Contains(page, tt.shows) {
					t.Errorf("the page does not say %q:\n%.3000s", tt.shows, page)
				}
				if status != 403 && !strings.Contains(page, `value="`+tt.form.Get("date")+`"`) {
					t.Error("the form is not shown as typed")
				}
				before.unchanged(t, e)
				return
			}
			if got := notice(h); !strings.Contains(got, tt.shows) {
				t.Errorf("notice %q, want %q", got, tt.shows)
			}
			st := newestStop(t, e)
			if st.Place != "Folkets hus" || len(audited(t, e, "stop.create", stopRef(st))) != 1 {
				t.Errorf("stop %+v not stored or not audited", st)
			}
			if tt.check != nil {
				tt.check(t, st)
			}
		})
	}
}

// newPromise2026 adds a promise for 2026 (not the active one) with a summer of events and
// Tollarp as its basort, and sets the server's clock to 15 January 2026.
func newPromise2026(t *testing.T) (*env, *lofte.Promise) {
	t.Helper()
	e := newEnv(t, func(c *server.Config) {
		c.Now = func() time.Time { return time.Date(2026, 1, 15, 12, 0, 0, 0, lofte.Zone) }
	})
	p := *e.p
	p.ID, p.Slug, p.Title, p.Active = 0, "kristianstad-2026", "Medborgarlöfte Kristianstads kommun 2026", false
	p.Period = lofte.Period{From: lofte.Date{Year: 2026, Month: 1, Day: 1}, To: lofte.Date{Year: 2026, Month: 12, Day: 31}}
	p.Excluded = []lofte.Period{{From: lofte.Date{Year: 2026, Month: 6, Day: 1}, To: lofte.Date{Year: 2026, Month: 8, Day: 31}, Label: "Sommarevenemang"}}
	ls := []*lofte.Locality{{Name: "Tollarp", Population: 2500, Basort: true, Coordinates: "approximate"},
		{Name: "Åhus", Population: 9500, Basort: true, Coordinates: "approximate"}}
	if err := e.db.CreatePromise(context.Background(), &p, ls); err != nil {
		t.Fatal(err)
	}
	return e, &p
}

// TestSeriesInAnyYear: a series plans in any year of a promise's period, on the page and
// through the API, for the promise its promise=ID names; what the rules left out is said in
// the confirmation, or, when nothing is left, in the error; a series where the office is
// already busy is refused whole, naming the first clash.
func TestSeriesInAnyYear(t *testing.T) {
	e, p := newPromise2026(t)
	scope := "?promise=" + strconv.FormatInt(p.ID, 10)
	series := func(from, until, kind string) url.Values {
		return url.Values{"basort": {"Tollarp"}, "place": {"Torget"}, "weekday": {"2"}, "every_weeks": {"1"},
			"start": {"10:00"}, "end": {"13:00"}, "from": {from}, "until": {until}, "kind": {kind}}
	}
	count := func() int {
		_, n, err := e.db.FindStops(context.Background(), lofte.StopFilter{PromiseID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// The page of the 2026 promise plans it, and says so.
	status, _, page := e.do(http.MethodGet, "/plan"+scope, lofte.RoleAdmin, "")
	if status != 200 || !strings.Contains(string(page), "Medborgarlöfte Kristianstads kommun 2026 gäller 2026-01-01–2026-12-31") ||
		!strings.Contains(string(page), `action="/plan/stop`+scope+`"`) {
		t.Fatalf("plan page of 2026: %d", status)
	}
	status, h, body := postForm(e, "/plan"+scope, lofte.RoleAdmin, series("2026-05-05", "2026-09-29", ""))
	if status != http.StatusSeeOther {
		t.Fatalf("series: %d %.2000s", status, body)
	}
	// 5 Tuesdays in May and 5 in September; 13 in June–August left out.
	if n := count(); n != 9 {
		t.Errorf("%d drafts in 2026, want 9", n)
	}
	if got := notice(h); got != "9 utkast skapade (utelämnade datum: 13 i undantagsperioden Sommarevenemang (2026-06-01–2026-08-31))" {
		t.Errorf("notice %q", got)
	}
	if loc := h.Get("Location"); !strings.Contains(loc, "promise="+strconv.FormatInt(p.ID, 10)) {
		t.Errorf("the page left the promise planned: %s", loc)
	}
	if es := audited(t, e, "stop.create", ""); len(es) != 9 || !strings.Contains(es[0].Detail, "i serien varje tisdag") {
		t.Errorf("%d audit entries: %+v", len(es), es)
	}
	tests := []struct {
		name   string
		form   url.Values
		status int
		says   string
	}{
		{"only the summer, regular", series("2026-06-02", "2026-08-25", "regular"), 400,
			"inga datum kvar: 13 i undantagsperioden Sommarevenemang (2026-06-01–2026-08-31); i en undantagsperiod planeras evenemang"},
		{"the summer and beyond the promise", series("2026-08-04", "2027-01-26", "regular"), 409, "krockar med Tollarp, Torget, tis 1 september 2026"},
		{"the year after", series("2027-01-05", "2027-03-30", ""), 400, "inga datum kvar: 13 låg utanför löftets period (2026-01-01–2026-12-31)"},
		{"no Tuesday", series("2026-03-04", "2026-03-09", ""), 400, "ingen av de 6 dagarna 2026-03-04–2026-03-09 är en tisdag"},
		{"begun already", series("2026-01-13", "2026-02-24", ""), 400, "1 av seriens datum har redan passerat (det första 2026-01-13)"},
		{"a clash on one date", series("2026-04-07", "2026-05-12", ""), 409, "tis 5 maj 2026 kl. 10.00–13.00 krockar med Tollarp, Torget, tis 5 maj 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := takeSnapshot(t, e)
			status, _, page := postForm(e, "/plan"+scope, lofte.RoleAdmin, tt.form)
			if status != tt.status || !strings.Contains(page, tt.says) || !strings.Contains(page, "<strong>") {
				t.Errorf("status %d, want %d saying %q:\n%.3000s", status, tt.status, tt.says, page)
			}
			if !strings.Contains(page, `value="`+tt.form.Get("from")+`"`) {
				t.Error("the series form is not shown as typed")
			}
			before.unchanged(t, e)
		})
	}
	// A summer of events plans the summer.
	if status, _, page := postForm(e, "/plan"+scope, lofte.RoleAdmin, series("2026-06-01", "2026-06-30", "event")); status != 303 {
		t.Fatalf("summer events: %d %.2000s", status, page)
	}
	if n := count(); n != 9+5 {
		t.Errorf("%d stops after the summer events, want 14", n)
	}
	// The API plans the same way.
	rule := `{"basort":"Åhus","place":"Hamnen","weekday":3,"every_weeks":2,"start":"10:00","end":"12:00","from":"2026-05-01","until":"2026-09-30"}`
	status, _, b := e.do(http.MethodPost, "/api/v1/stops/plan"+scope, lofte.RoleAdmin, rule)
	var planned struct {
		Stops   []struct{ Kind string }
		Skipped string
	}
	if err := json.Unmarshal(b, &planned); err != nil || status != 201 || len(planned.Stops) != 4 ||
		planned.Skipped != "7 i undantagsperioden Sommarevenemang (2026-06-01–2026-08-31)" {
		t.Errorf("API series: %d %s", status, b)
	}
	before := takeSnapshot(t, e)
	status, _, b = e.do(http.MethodPost, "/api/v1/stops/plan"+scope, lofte.RoleAdmin, strings.Replace(rule, "Hamnen", "Torget", 1))
	if status != 409 || apiError(t, b).Field != "starts_at" {
		t.Errorf("API series clash: %d %s", status, b)
	}
	before.unchanged(t, e)
	if status, _, _ := e.do(http.MethodPost, "/api/v1/stops/plan"+scope, lofte.RoleOfficer, rule); status != 403 {
		t.Errorf("an officer plans a series: %d", status)
	}
}

// TestPlanPageEditsDrafts: a draft's basort, place, time and kind are changed on the plan
// page (audited as stop.edit); a published stop is moved instead (409), and a refused edit
// shows the draft's form open, as typed, and changes nothing.
func TestPlanPageEditsDrafts(t *testing.T) {
	e := newEnv(t)
	draft := mustStop(t, e, "Tollarp", "2018-04-17 10:00", lofte.StatusDraft)
	pub := mustStop(t, e, "Åhus", "2018-04-19 10:00", lofte.StatusPublished)
	edit := func(date, start, end string) url.Values {
		return url.Values{"basort": {"Åhus"}, "place": {"Biblioteket"}, "date": {date}, "start": {start}, "end": {end}, "kind": {"event"}}
	}
	tests := []struct {
		name   string
		who    lofte.Role
		id     int64
		form   url.Values
		status int
		says   string
	}{
		{"officer", lofte.RoleOfficer, draft.ID, edit("2018-04-18", "10:00", "12:00"), 403, ""},
		{"council", lofte.RoleCouncil, draft.ID, edit("2018-04-18", "10:00", "12:00"), 403, ""},
		{"a published stop", lofte.RoleAdmin, pub.ID, edit("2018-04-18", "10:00", "12:00"), 409, "bara ett utkast ändras här"},
		{"end before start", lofte.RoleAdmin, draft.ID, edit("2018-04-18", "12:00", "10:00"), 400, "<strong>Till kl.:</strong>"},
		{"into the past", lofte.RoleAdmin, draft.ID, edit("2018-03-01", "10:00", "12:00"), 400, "har redan passerat"},
		{"onto the published stop", lofte.RoleAdmin, draft.ID, edit("2018-04-19", "11:00", "12:00"), 409, "krockar med Åhus, Torget"},
		{"unknown stop", lofte.RoleAdmin, 9999, edit("2018-04-18", "10:00", "12:00"), 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := takeSnapshot(t, e)
			status, _, page := postForm(e, fmt.Sprintf("/plan/%d/edit", tt.id), tt.who, tt.form)
			if status != tt.status || !strings.Contains(page, tt.says) {
				t.Fatalf("status %d, want %d saying %q: %.3000s", status, tt.status, tt.says, page)
			}
			if status == 400 && (!strings.Contains(page, "<details open>") || !strings.Contains(page, `value="`+tt.form.Get("date")+`"`)) {
				t.Error("the draft's form is not shown open, as typed")
			}
			before.unchanged(t, e)
		})
	}
	status, h, page := postForm(e, fmt.Sprintf("/plan/%d/edit", draft.ID), lofte.RoleAdmin, edit("2018-04-18", "14:00", "16:00"))
	if status != 303 || notice(h) != "Utkastet är ändrat: Åhus, Biblioteket, ons 18 april 2018 kl. 14.00–16.00" {
		t.Fatalf("edit: %d %q %.2000s", status, notice(h), page)
	}
	got, _ := e.db.FindStopByID(context.Background(), draft.ID)
	if got.Basort != "Åhus" || got.Place != "Biblioteket" || got.Kind != lofte.KindEvent || got.Status != lofte.StatusDraft || got.Sequence != 0 {
		t.Errorf("edited draft %+v", got)
	}
	if es := audited(t, e, "stop.edit", stopRef(draft)); len(es) != 1 ||
		es[0].Detail != "Ändrade utkastet Tollarp, Torget, tis 17 april 2018 kl. 10.00–13.00 till Åhus, Biblioteket, ons 18 april 2018 kl. 14.00–16.00." {
		t.Errorf("audit %+v", es)
	}
	// The plan page offers each draft its edit form.
	_, _, b := e.do(http.MethodGet, "/plan", lofte.RoleAdmin, "")
	if !strings.Contains(string(b), fmt.Sprintf(`action="/plan/%d/edit"`, draft.ID)) {
		t.Error("no edit form for the draft")
	}
}

// TestMoveAndCancelAreConfirmed: the plan page moves or cancels a published stop only with
// its check box ticked (400 naming it otherwise, the form kept); a held stop is not
// cancelled (409); a move onto another stop is refused naming it; each change is audited.
func TestMoveAndCancelAreConfirmed(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-04-17 10:00", lofte.StatusPublished)
	busy := mustStop(t, e, "Åhus", "2018-04-18 10:00", lofte.StatusDraft)
	held := mustStop(t, e, "Åhus", "2018-03-06 10:00", lofte.StatusHeld)
	move := func(date string, confirm bool) url.Values {
		v := url.Values{"date": {date}, "start": {"11:00"}, "end": {"14:00"}, "place": {"Skolan"}}
		if confirm {
			v.Set("confirm", "1")
		}
		return v
	}
	cancel := func(confirm bool) url.Values {
		v := url.Values{"reason": {"Fordonet på service"}}
		if confirm {
			v.Set("confirm", "1")
		}
		return v
	}
	tests := []struct {
		name   string
		who    lofte.Role
		path   string
		form   url.Values
		status int
		says   string
	}{
		{"a move not confirmed", lofte.RoleAdmin, fmt.Sprintf("/plan/%d/move", st.ID), move("2018-04-20", false), 400, "<strong>Bekräftelse:</strong>"},
		{"a move onto another stop", lofte.RoleAdmin, fmt.Sprintf("/plan/%d/move", st.ID), move("2018-04-18", true), 409,
			fmt.Sprintf("krockar med Åhus, Torget, ons 18 april 2018 kl. 10.00–13.00 (utkast, tillfälle %d)", busy.ID)},
		{"a move out of the promise", lofte.RoleAdmin, fmt.Sprintf("/plan/%d/move", st.ID), move("2019-01-15", true), 400, "utanför löftets period"},
		{"a move by an officer", lofte.RoleOfficer, fmt.Sprintf("/plan/%d/move", st.ID), move("2018-04-20", true), 403, ""},
		{"a cancellation not confirmed", lofte.RoleAdmin, fmt.Sprintf("/plan/%d/cancel", st.ID), cancel(false), 400, "<strong>Bekräftelse:</strong>"},
		{"a held stop cancelled", lofte.RoleAdmin, fmt.Sprintf("/plan/%d/cancel", held.ID), cancel(true), 409, "kan inte ställas in"},
		{"a cancellation by an officer", lofte.RoleOfficer, fmt.Sprintf("/plan/%d/cancel", st.ID), cancel(true), 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := takeSnapshot(t, e)
			status, _, page := postForm(e, tt.path, tt.who, tt.form)
			if status != tt.status || !strings.Contains(page, tt.says) {
				t.Fatalf("status %d, want %d saying %q: %.3000s", status, tt.status, tt.says, page)
			}
			before.unchanged(t, e)
		})
	}
	// The forms carry the check box, required so a browser asks before sending.
	_, _, b := e.do(http.MethodGet, "/plan", lofte.RoleAdmin, "")
	if n := strings.Count(string(b), `name="confirm" value="1" required`); n != 2 {
		t.Errorf("%d required confirmations for one coming stop, want 2 (move, cancel)", n)
	}
	if status, _, page := postForm(e, fmt.Sprintf("/plan/%d/move", st.ID), lofte.RoleAdmin, move("2018-04-20", true)); status != 303 {
		t.Fatalf("move: %d %.2000s", status, page)
	}
	if es := audited(t, e, "stop.move", stopRef(st)); len(es) != 1 ||
		es[0].Detail != "Flyttade besöket Tollarp, Torget, tis 17 april 2018 kl. 10.00–13.00 till Tollarp, Skolan, fre 20 april 2018 kl. 11.00–14.00." {
		t.Errorf("move audit %+v", es)
	}
	if status, _, page := postForm(e, fmt.Sprintf("/plan/%d/cancel", st.ID), lofte.RoleAdmin, cancel(true)); status != 303 {
		t.Fatalf("cancel: %d %.2000s", status, page)
	}
	if es := audited(t, e, "stop.cancel", stopRef(st)); len(es) != 1 || !strings.HasSuffix(es[0].Detail, "Skäl: Fordonet på service") {
		t.Errorf("cancel audit %+v", es)
	}
	if got, _ := e.db.FindStopByID(context.Background(), st.ID); got.Status != lofte.StatusCancelled || got.Sequence != 2 {
		t.Errorf("after move and cancel: %s sequence %d", got.Status, got.Sequence)
	}
}

// TestPlanningIsAudited: publishing, deleting a draft, a move and a field log saved through
// the API or the officer's form each write their audit entry, naming the stop.
func TestPlanningIsAudited(t *testing.T) {
	e := newEnv(t)
	d1 := mustStop(t, e, "Tollarp", "2018-04-17 10:00", lofte.StatusDraft)
	d2 := mustStop(t, e, "Tollarp", "2018-04-24 10:00", lofte.StatusDraft)
	d3 := mustStop(t, e, "Åhus", "2018-04-25 10:00", lofte.StatusDraft)
	past := mustStop(t, e, "Åhus", "2018-03-06 10:00", lofte.StatusPublished)
	steps := []struct {
		name, method, path string
		who                lofte.Role
		body               string
		form               bool
		action             string
		stop               *lofte.Stop
	}{
		{"publish on the page", http.MethodPost, "/plan/publish", lofte.RoleAdmin, "id=" + strconv.FormatInt(d1.ID, 10), true, "stop.publish", d1},
		{"publish through the API", http.MethodPost, "/api/v1/stops/publish", lofte.RoleAdmin, fmt.Sprintf(`{"ids":[%d]}`, d2.ID), false, "stop.publish", d2},
		{"delete a draft on the page", http.MethodPost, fmt.Sprintf("/plan/%d/delete", d3.ID), lofte.RoleAdmin, "", true, "stop.delete", d3},
		{"move through the API", http.MethodPatch, fmt.Sprintf("/api/v1/stops/%d", d1.ID), lofte.RoleAdmin,
			`{"starts_at":"2018-04-17T11:00:00+02:00","ends_at":"2018-04-17T14:00:00+02:00"}`, false, "stop.move", d1},
		{"kind through the API", http.MethodPatch, fmt.Sprintf("/api/v1/stops/%d", d1.ID), lofte.RoleAdmin, `{"kind":"event"}`, false, "stop.edit", d1},
		{"field log through the API", http.MethodPatch, fmt.Sprintf("/api/v1/stops/%d", past.ID), lofte.RoleOfficer, `{"staff":2}`, false, "stop.field_log", past},
		{"field log on the officer's form", http.MethodPost, fmt.Sprintf("/field/%d", past.ID), lofte.RoleOfficer, "status=held&staff=2&notes=Lugnt", true, "stop.field_log", past},
		{"cancel through the API", http.MethodPatch, fmt.Sprintf("/api/v1/stops/%d", d2.ID), lofte.RoleAdmin, `{"status":"cancelled","cancel_reason":"Sjukdom"}`, false, "stop.cancel", d2},
	}
	for _, s := range steps {
		var header []string
		if s.form {
			header = formCT
		}
		status, _, b := e.do(s.method, s.path, s.who, s.body, header...)
		if status >= 400 {
			t.Fatalf("%s: %d %.2000s", s.name, status, b)
		}
		es := audited(t, e, s.action, stopRef(s.stop))
		if len(es) == 0 || es[0].Detail == "" || !strings.HasPrefix(es[0].Actor, "token:") {
			t.Errorf("%s: audit %+v", s.name, es)
		}
	}
	if es := audited(t, e, "stop.field_log", stopRef(past)); len(es) != 2 || !strings.Contains(es[0].Detail, "som genomfört") {
		t.Errorf("field log audit %+v", es)
	}
	if es := audited(t, e, "stop.delete", ""); len(es) != 1 || !strings.Contains(es[0].Detail, "Tog bort utkastet Åhus") {
		t.Errorf("delete audit %+v", es)
	}
}

// TestFeedSequenceRisesWithEveryChange: subscribed calendars replace an event only when its
// SEQUENCE rises; every change of a published stop that the feed shows raises it, read
// through GET /schedule.ics, and a field log save does not.
func TestFeedSequenceRisesWithEveryChange(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-04-17 10:00", lofte.StatusPublished)
	uid := fmt.Sprintf("stop-%d@kristianstad-2018.medborgarlofte", st.ID)
	sequence := func() (string, string) {
		status, _, b := e.do(http.MethodGet, "/schedule.ics", "", "")
		cal, err := ics.ParseCalendar(strings.NewReader(string(b)))
		if status != 200 || err != nil {
			t.Fatalf("feed: %d %v", status, err)
		}
		for _, ev := range cal.Events() {
			if ev.Id() == uid {
				return ev.GetProperty(ics.ComponentPropertySequence).Value, ev.GetProperty(ics.ComponentPropertyLocation).Value
			}
		}
		t.Fatalf("stop %d not in the feed", st.ID)
		return "", ""
	}
	if seq, _ := sequence(); seq != "0" {
		t.Fatalf("a published stop starts at SEQUENCE %s", seq)
	}
	api := fmt.Sprintf("/api/v1/stops/%d", st.ID)
	steps := []struct {
		name      string
		who       lofte.Role
		path      string
		body      string
		form      bool
		want      string
		wantPlace string
	}{
		{"moved on the plan page", lofte.RoleAdmin, fmt.Sprintf("/plan/%d/move", st.ID),
			"date=2018-04-18&start=10%3A00&end=13%3A00&place=Torget&confirm=1", true, "1", "Torget, Tollarp"},
		{"another place", lofte.RoleAdmin, api, `{"place":"Skolan"}`, false, "2", "Skolan, Tollarp"},
		{"another basort", lofte.RoleAdmin, api, `{"basort":"Åhus"}`, false, "3", "Skolan, Åhus"},
		{"a later end", lofte.RoleAdmin, api, `{"ends_at":"2018-04-18T14:00:00+02:00"}`, false, "4", ""},
		{"an event", lofte.RoleAdmin, api, `{"kind":"event"}`, false, "5", ""},
		{"the field log", lofte.RoleOfficer, api, `{"notes":"förberett","staff":2}`, false, "5", ""},
		{"cancelled on the plan page", lofte.RoleAdmin, fmt.Sprintf("/plan/%d/cancel", st.ID), "reason=Storm&confirm=1", true, "6", ""},
		{"another reason", lofte.RoleAdmin, api, `{"cancel_reason":"Storm och ishalka"}`, false, "7", ""},
		{"reinstated", lofte.RoleAdmin, api, `{"status":"published"}`, false, "8", ""},
	}
	for _, s := range steps {
		var header []string
		if s.form {
			header = formCT
		}
		method := http.MethodPatch
		if s.form {
			method = http.MethodPost
		}
		if status, _, b := e.do(method, s.path, s.who, s.body, header...); status >= 400 {
			t.Fatalf("%s: %d %.2000s", s.name, status, b)
		}
		seq, place := sequence()
		if seq != s.want || (s.wantPlace != "" && place != s.wantPlace) {
			t.Errorf("%s: SEQUENCE %s, LOCATION %q; want %s, %q", s.name, seq, place, s.want, s.wantPlace)
		}
	}
}
