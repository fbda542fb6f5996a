package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"medborgarlofte/internal/lofte"
)

func TestFieldLogAndFeedbackToThePublic(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Önnestad", "2018-03-09 10:00", lofte.StatusPublished)
	form := url.Values{"status": {"held"}, "actual_start": {"10:05"}, "actual_end": {"13:10"}, "staff": {"2"}, "visitors": {"17"},
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
		{"count not a number", url.Values{"visitors": {"5"}, "contacts.tip": {"två"}}, "skriv ett heltal"},
		{"time not TT:MM", url.Values{"visitors": {"5"}, "actual_start": {"10.5"}}, "tid skrivs TT:MM"},
		{"status other than held or cancelled", url.Values{"visitors": {"5"}, "status": {"draft"}}, "välj genomfört eller inställt"},
		{"first mistake wins", url.Values{"visitors": {"5"}, "actual_end": {"x"}, "staff": {"x"}}, "skriv ett heltal"},
		{"unknown topic", url.Values{"visitors": {"5"}, "topics": {"weather"}}, "okänt ämne"},
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
