package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"medborgarlofte/internal/lofte"
)

func TestFieldLogAndFeedbackToThePublic(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Önnestad", "2018-03-09 10:00", lofte.StatusPublished)
	form := url.Values{"status": {"held"}, "actual_start": {"10:05"}, "actual_end": {"13:10"}, "staff": {"2"}, "visitors": {"17"}, "visitors_from": {"0"},
		"contacts.crime_report": {"1"}, "contacts.tip": {"2"}, "contacts.advice": {"4"}, "contacts.other": {"0"},
		"topics": {"traffic", "youth_disorder"}, "notes": {"Bra dag"}}.Encode()
	path := fmt.Sprintf("/field/%d", st.ID)
	if status, _, b := e.do(http.MethodPost, path, lofte.RoleOfficer, form, formCT...); status != http.StatusSeeOther {
		t.Fatalf("field log: %d %s", status, b)
	}
	got, _ := e.db.FindStopByID(context.Background(), st.ID)
	if got.Status != lofte.StatusHeld || got.Visitors != 17 || got.Contacts.Advice != 4 || len(got.Topics) != 2 ||
		got.ActualStart.In(lofte.Zone).Format("15:04") != "10:05" {
		t.Errorf("stored %+v", got)
	}
	bad := url.Values{"staff": {"-1"}}.Encode()
	if status, _, _ := e.do(http.MethodPost, path, lofte.RoleOfficer, bad, formCT...); status != 400 {
		t.Errorf("negative staff: %d", status)
	}
	// A topic becomes a feedback item ...
	fb := url.Values{"topic": {"traffic"}, "said": {"Bilar kör för fort vid skolan"}}.Encode()
	if status, _, b := e.do(http.MethodPost, path+"/feedback", lofte.RoleOfficer, fb, formCT...); status != http.StatusSeeOther {
		t.Fatalf("feedback: %d %s", status, b)
	}
	items, _ := e.db.FindFeedback(context.Background(), lofte.FeedbackFilter{PromiseID: e.p.ID})
	if len(items) != 1 {
		t.Fatalf("%d items", len(items))
	}
	id := items[0].ID
	// ... not public while open ...
	_, _, b := e.do(http.MethodGet, "/api/v1/feedback", "", "")
	if strings.Contains(string(b), "skolan") {
		t.Error("an open item is public")
	}
	// ... cannot be closed without saying what was done and how it was told ...
	closeOnly := url.Values{"status": {"closed"}, "action": {""}}.Encode()
	if status, _, _ := e.do(http.MethodPost, fmt.Sprintf("/feedback/%d", id), lofte.RoleOfficer, closeOnly, formCT...); status != 400 {
		t.Errorf("closing without action: %d", status)
	}
	done := url.Values{"status": {"closed"}, "action": {"Hastighetskontroller vid skolan i april"},
		"feedback_on": {"2018-04-20"}, "channel": {"next_stop"}}
	// ... is shown as the public will see it before it is published ...
	if status, _, b := e.do(http.MethodPost, fmt.Sprintf("/feedback/%d", id), lofte.RoleOfficer, done.Encode(), formCT...); status != http.StatusOK ||
		!strings.Contains(string(b), "Vi gjorde: Hastighetskontroller vid skolan i april") {
		t.Fatalf("close without confirming: %d %s", status, b)
	}
	done.Set("confirm", "publish")
	done.Set("said_seen", "Bilar kör för fort vid skolan")
	if status, _, b := e.do(http.MethodPost, fmt.Sprintf("/feedback/%d", id), lofte.RoleOfficer, done.Encode(), formCT...); status != http.StatusSeeOther {
		t.Fatalf("close: %d %s", status, b)
	}
	// ... and then residents see what came of it.
	_, _, page := e.do(http.MethodGet, "/basort/%C3%96nnestad", "", "")
	if !strings.Contains(string(page), "Hastighetskontroller vid skolan i april") || !strings.Contains(string(page), "Trafik och buskörning") {
		t.Errorf("the basort page does not show the closed item")
	}
	_, _, b = e.do(http.MethodGet, "/api/v1/feedback?basort=%C3%96nnestad", "", "")
	var list struct{ Items []lofte.FeedbackItem }
	json.Unmarshal(b, &list)
	if len(list.Items) != 1 || !list.Items[0].Told() {
		t.Errorf("public API: %s", b)
	}
	if status, _, _ := e.do(http.MethodGet, "/basort/Atlantis", "", "", "Accept", "text/html"); status != 404 {
		t.Errorf("unknown basort page: %d", status)
	}
}

// TestFieldFormMistakes: the phone form is parsed whole; the first field typed wrong is shown
// with the form again, and nothing is stored.
func TestFieldFormMistakes(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Önnestad", "2018-03-09 10:00", lofte.StatusPublished)
	path := fmt.Sprintf("/field/%d", st.ID)
	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"count not a number", url.Values{"visitors": {"5"}, "visitors_from": {"0"}, "contacts.tip": {"två"}}, "skriv ett heltal"},
		{"time not TT:MM", url.Values{"visitors": {"5"}, "visitors_from": {"0"}, "actual_start": {"10.5"}}, "tid skrivs TT:MM"},
		{"status other than held or cancelled", url.Values{"visitors": {"5"}, "visitors_from": {"0"}, "status": {"draft"}}, "välj genomfört eller inställt"},
		{"first mistake wins", url.Values{"visitors": {"5"}, "visitors_from": {"0"}, "actual_end": {"x"}, "staff": {"x"}}, "skriv ett heltal"},
		{"unknown topic", url.Values{"visitors": {"5"}, "visitors_from": {"0"}, "topics": {"weather"}}, "okänt ämne"},
		{"a correction that does not say what it replaces", url.Values{"visitors": {"5"}}, "vilket antal den ersätter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, b := e.do(http.MethodPost, path, lofte.RoleOfficer, tt.form.Encode(), formCT...)
			if status != http.StatusBadRequest || !strings.Contains(string(b), tt.want) {
				t.Errorf("status %d, want 400 with %q", status, tt.want)
			}
			if got, _ := e.db.FindStopByID(context.Background(), st.ID); got.Visitors != 0 {
				t.Errorf("stored %d visitors from a refused form", got.Visitors)
			}
		})
	}
	if status, _, b := e.do(http.MethodPost, path, lofte.RoleOfficer, url.Values{}.Encode(), formCT...); status != http.StatusSeeOther {
		t.Errorf("an empty form (counts 0, times unset): %d %s", status, b)
	}
}

// loadForm opens path as role and returns what the browser would send from the form posting
// back to path, untouched: its inputs, the ticked boxes and radios, and its text areas.
func loadForm(t *testing.T, e *env, role lofte.Role, path string) url.Values {
	t.Helper()
	status, _, b := e.do(http.MethodGet, path, role, "")
	if status != http.StatusOK {
		t.Fatalf("%s: %d", path, status)
	}
	return formOf(t, b, path)
}

// formOf returns the values the form of page posting to action sends as shown.
func formOf(t *testing.T, page []byte, action string) url.Values {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var form url.Values
	var walk func(n *html.Node, in bool)
	walk = func(n *html.Node, in bool) {
		if n.Type == html.ElementNode {
			name, _ := attr(n, "name")
			value, _ := attr(n, "value")
			typ, _ := attr(n, "type")
			_, checked := attr(n, "checked")
			switch {
			case n.Data == "form":
				a, _ := attr(n, "action")
				in = a == action
				if in {
					form = url.Values{}
				}
			case in && n.Data == "input" && ((typ != "radio" && typ != "checkbox") || checked):
				form.Add(name, value)
			case in && n.Data == "textarea":
				form.Add(name, text(n))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
	}
	walk(doc, false)
	if form == nil {
		t.Fatalf("no form posting to %s", action)
	}
	return form
}

// TestFieldFormKeepsColleaguesWork: two officers open the same stop's form on their phones.
// One taps +1 three times; the other saves notes: the count keeps the taps. Then both edit
// the notes: the second save is shown the colleague's notes beside its own, stores nothing,
// and saving again from that page stores it knowingly. A correction of the count from a
// count taps have changed since is refused the same way.
func TestFieldFormKeepsColleaguesWork(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Önnestad", "2018-03-10 10:00", lofte.StatusPublished)
	path := fmt.Sprintf("/field/%d", st.ID)
	stored := func() *lofte.Stop {
		got, err := e.db.FindStopByID(context.Background(), st.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	post := func(form url.Values) (int, []byte) {
		status, _, b := e.do(http.MethodPost, path, lofte.RoleOfficer, form.Encode(), formCT...)
		return status, b
	}
	anna, per := loadForm(t, e, lofte.RoleOfficer, path), loadForm(t, e, lofte.RoleOfficer, path)
	if anna.Get("version") != "1" || anna.Get("visitors_from") != "0" || anna.Get("visitors") != "" {
		t.Fatalf("the form as loaded: %v", anna)
	}
	for range 3 {
		if status, _, b := e.do(http.MethodPost, fmt.Sprintf("/api/v1/stops/%d/visitors", st.ID), lofte.RoleOfficer, `{"add":1}`); status != 200 {
			t.Fatalf("tap: %d %s", status, b)
		}
	}
	per.Set("notes", "Lugnt vid torget")
	per.Set("staff", "2")
	if status, b := post(per); status != http.StatusSeeOther {
		t.Fatalf("saving notes: %d %s", status, b)
	}
	if got := stored(); got.Visitors != 3 || got.Notes != "Lugnt vid torget" || got.Version != 2 {
		t.Errorf("after three taps and a save: %d visitors, notes %q, version %d", got.Visitors, got.Notes, got.Version)
	}

	// Anna's form is still the one loaded at version 1.
	anna.Set("notes", "Många frågor om inbrott")
	before := stored()
	status, b := post(anna)
	if status != http.StatusConflict {
		t.Fatalf("a save from an older version: %d, want 409", status)
	}
	if diff := cmp.Diff(before, stored()); diff != "" {
		t.Errorf("a refused save changed the stop (-before +after)\n%s", diff)
	}
	page := string(b)
	for _, want := range []string{"En kollega sparade fältloggen", "Lugnt vid torget", "Många frågor om inbrott"} {
		if !strings.Contains(page, want) {
			t.Errorf("the conflict page lacks %q", want)
		}
	}
	again := formOf(t, b, path)
	if again.Get("notes") != "Många frågor om inbrott" || again.Get("version") != "2" || again.Get("staff") != "0" {
		t.Errorf("the conflict page's form: %v, want Anna's values at version 2", again)
	}
	if status, b := post(again); status != http.StatusSeeOther {
		t.Fatalf("saving again from the conflict page: %d %s", status, b)
	}
	if got := stored(); got.Notes != "Många frågor om inbrott" || got.Visitors != 3 || got.Version != 3 {
		t.Errorf("after saving again: %+v", got)
	}

	// A correction states the count it replaces; taps since make it stale.
	fix := loadForm(t, e, lofte.RoleOfficer, path)
	if _, _, b := e.do(http.MethodPost, fmt.Sprintf("/api/v1/stops/%d/visitors", st.ID), lofte.RoleOfficer, `{"add":1}`); !strings.Contains(string(b), `"visitors":4`) {
		t.Fatalf("tap: %s", b)
	}
	fix.Set("visitors", "10")
	before = stored()
	status, b = post(fix)
	if status != http.StatusConflict || !strings.Contains(string(b), "antalet besökare är nu 4, inte 3") {
		t.Fatalf("a stale correction: %d, want 409 naming the counts", status)
	}
	if diff := cmp.Diff(before, stored()); diff != "" {
		t.Errorf("a refused correction changed the stop (-before +after)\n%s", diff)
	}
	again = formOf(t, b, path)
	if again.Get("visitors") != "10" || again.Get("visitors_from") != "4" {
		t.Errorf("the form after a stale correction: %v", again)
	}
	if status, b := post(again); status != http.StatusSeeOther {
		t.Fatalf("correcting from the count shown: %d %s", status, b)
	}
	if got := stored(); got.Visitors != 10 {
		t.Errorf("corrected to %d, want 10", got.Visitors)
	}
}

// TestFieldFormRefusesAnOutcomeTooEarly: the phone form cannot log a stop held before it has
// begun, nor cancel a held one; the form comes back (409) as typed, with the reason.
func TestFieldFormRefusesAnOutcomeTooEarly(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		start  string
		from   lofte.StopStatus
		form   url.Values
		reason string
	}{
		{"2018-03-14 10:00", lofte.StatusPublished, url.Values{"status": {"held"}, "notes": {"Förberett"}}, "först när det har börjat"},
		{"2018-03-08 10:00", lofte.StatusHeld, url.Values{"status": {"cancelled"}, "cancel_reason": {"Storm"}, "notes": {"Förberett"}}, "kan inte ställas in"},
	} {
		st := mustStop(t, e, "Önnestad", tt.start, tt.from)
		path := fmt.Sprintf("/field/%d", st.ID)
		before, _ := e.db.FindStopByID(context.Background(), st.ID)
		status, _, b := e.do(http.MethodPost, path, lofte.RoleOfficer, tt.form.Encode(), formCT...)
		if status != http.StatusConflict || !strings.Contains(string(b), tt.reason) {
			t.Errorf("%s → %s: %d, want 409 with %q", tt.from, tt.form.Get("status"), status, tt.reason)
		}
		if got := formOf(t, b, path); got.Get("notes") != "Förberett" || got.Get("status") != tt.form.Get("status") {
			t.Errorf("the form came back as %v", got)
		}
		after, _ := e.db.FindStopByID(context.Background(), st.ID)
		if diff := cmp.Diff(before, after); diff != "" {
			t.Errorf("a refused save changed the stop (-before +after)\n%s", diff)
		}
	}
}

// TestFieldLogDoubts: figures that look mistyped (50 crime reports from 7 visitors) are
// saved as typed and questioned on the page; feedback items show their topic's name.
func TestFieldLogDoubts(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-10 10:00", lofte.StatusPublished)
	path := fmt.Sprintf("/field/%d", st.ID)
	form := url.Values{"status": {"held"}, "staff": {"2"}, "visitors": {"7"}, "visitors_from": {"0"},
		"contacts.crime_report": {"50"}}
	if status, _, b := e.do(http.MethodPost, path, lofte.RoleOfficer, form.Encode(), formCT...); status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", status, b)
	}
	got, _ := e.db.FindStopByID(context.Background(), st.ID)
	if got.Contacts.CrimeReport != 50 || got.Visitors != 7 {
		t.Fatalf("stored %+v, want the figures as typed", got.FieldLog)
	}
	f := &lofte.FeedbackItem{PromiseID: e.p.ID, Basort: "Tollarp", StopID: &st.ID, Topic: "fraud", Said: "Samtal från falska poliser"}
	if err := e.db.CreateFeedback(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	_, _, page := e.do(http.MethodGet, path+"?sparat=1", lofte.RoleOfficer, "")
	doubts := nodes(t, page, withClass("div", "doubts"))
	if len(doubts) != 1 || !strings.Contains(text(doubts[0]), "50 kontakter men 7 besökare") {
		t.Errorf("doubts: %v", doubts)
	}
	if strings.Contains(string(page), "fraud:") || !strings.Contains(string(page), "Bedrägerier: ”Samtal från falska poliser”") {
		t.Error("the feedback item shows its topic's code, not its name")
	}
}
