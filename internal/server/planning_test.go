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

var formCT = []string{"Content-Type", "application/x-www-form-urlencoded"}

func TestPlanPageMakesAndPublishesDrafts(t *testing.T) {
	e := newEnv(t)
	form := url.Values{"basort": {"Fjälkinge"}, "place": {"ICA-parkeringen"}, "weekday": {"4"}, "every_weeks": {"1"},
		"start": {"14:00"}, "end": {"17:00"}, "from": {"2018-04-01"}, "until": {"2018-04-30"}}.Encode()
	if status, _, b := e.do(http.MethodPost, "/plan", lofte.RoleAdmin, form, formCT...); status != http.StatusSeeOther {
		t.Fatalf("plan: %d %s", status, b)
	}
	drafts, _, _ := e.db.FindStops(context.Background(), lofte.StopFilter{Statuses: []lofte.StopStatus{lofte.StatusDraft}})
	if len(drafts) != 4 { // Thursdays 5, 12, 19, 26 April
		t.Fatalf("%d drafts", len(drafts))
	}
	_, _, page := e.do(http.MethodGet, "/plan", lofte.RoleAdmin, "")
	if strings.Count(string(page), `name="id"`) != 4 {
		t.Error("the plan page does not list the four drafts for review")
	}
	v := url.Values{}
	for _, d := range drafts[:3] {
		v.Add("id", fmt.Sprint(d.ID))
	}
	if status, _, _ := e.do(http.MethodPost, "/plan/publish", lofte.RoleAdmin, v.Encode(), formCT...); status != http.StatusSeeOther {
		t.Fatalf("publish: %d", status)
	}
	_, n, _ := e.db.FindStops(context.Background(), lofte.StopFilter{Statuses: []lofte.StopStatus{lofte.StatusPublished}})
	if n != 3 {
		t.Errorf("%d published, want 3", n)
	}
	bad := url.Values{"basort": {"Fjälkinge"}, "place": {"Torget"}, "weekday": {"4"}, "every_weeks": {"1"},
		"start": {"14:00"}, "end": {"13:00"}, "from": {"2018-04-01"}, "until": {"2018-04-30"}}.Encode()
	status, _, b := e.do(http.MethodPost, "/plan", lofte.RoleAdmin, bad, formCT...)
	if status != 400 || !strings.Contains(string(b), "sluttiden måste ligga efter starttiden") {
		t.Errorf("end before start: %d", status)
	}
}

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
		"feedback_on": {"2018-04-20"}, "channel": {"next_stop"}}.Encode()
	if status, _, b := e.do(http.MethodPost, fmt.Sprintf("/feedback/%d", id), lofte.RoleOfficer, done, formCT...); status != http.StatusSeeOther {
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

func TestFeedbackAPI(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, body string
		status     int
		field      string
	}{
		{"ok", `{"basort":"Tollarp","topic":"drugs","said":"Langning vid busstationen"}`, 201, ""},
		{"unknown basort", `{"basort":"Atlantis","topic":"drugs","said":"x"}`, 400, "basort"},
		{"unknown topic", `{"basort":"Tollarp","topic":"aliens","said":"x"}`, 400, "topic"},
		{"nothing said", `{"basort":"Tollarp","topic":"drugs","said":" "}`, 400, "said"},
		{"unknown stop", `{"basort":"Tollarp","topic":"drugs","said":"x","stop_id":999}`, 400, "stop_id"},
	}
	for _, tt := range tests {
		status, _, b := e.do(http.MethodPost, "/api/v1/feedback", lofte.RoleOfficer, tt.body)
		if status != tt.status || (status >= 400 && apiError(t, b).Field != tt.field) {
			t.Errorf("%s: %d %s", tt.name, status, b)
		}
	}
	if status, _, b := e.do(http.MethodPatch, "/api/v1/feedback/1", lofte.RoleAdmin, `{"status":"closed","action":"Kontroller","feedback_on":"2018-05-02","channel":"fax"}`); status != 400 || apiError(t, b).Field != "channel" {
		t.Errorf("unknown channel: %d %s", status, b)
	}
}

func TestMoveAStopRaisesItsSequence(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-20 10:00", lofte.StatusPublished)
	form := url.Values{"date": {"2018-03-21"}, "start": {"14:00"}, "end": {"17:00"}, "place": {"Biblioteket"}}.Encode()
	if status, _, b := e.do(http.MethodPost, fmt.Sprintf("/plan/%d/move", st.ID), lofte.RoleAdmin, form, formCT...); status != http.StatusSeeOther {
		t.Fatalf("move: %d %s", status, b)
	}
	got, _ := e.db.FindStopByID(context.Background(), st.ID)
	if got.Place != "Biblioteket" || got.StartsAt.In(lofte.Zone).Format("2006-01-02 15:04") != "2018-03-21 14:00" || got.Sequence != 1 {
		t.Errorf("moved stop %+v", got)
	}
	bad := url.Values{"date": {"2018-03-21"}, "start": {"14:00"}, "end": {"13:00"}, "place": {"Biblioteket"}}.Encode()
	if status, _, _ := e.do(http.MethodPost, fmt.Sprintf("/plan/%d/move", st.ID), lofte.RoleAdmin, bad, formCT...); status != 400 {
		t.Errorf("end before start: %d", status)
	}
}
