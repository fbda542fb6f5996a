package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"medborgarlofte/internal/lofte"
)

func TestPlanPublishSubscribeCancel(t *testing.T) {
	e := newEnv(t)
	// An admin plans a term in one action: every other Tuesday at Tollarp until 30 November.
	rule := `{"basort":"Tollarp","place":"Torget","weekday":2,"every_weeks":2,"start":"10:00","end":"13:00",
		"from":"2018-03-13","until":"2018-11-30"}`
	status, _, b := e.do(http.MethodPost, "/api/v1/stops/plan", lofte.RoleAdmin, rule)
	if status != 201 {
		t.Fatalf("plan: %d %s", status, b)
	}
	var planned struct{ Stops []struct{ ID int64 } }
	json.Unmarshal(b, &planned)
	if len(planned.Stops) != 12 { // every other Tuesday 13 Mar–20 Nov: 19, 7 of them in June–August
		t.Errorf("%d drafts planned", len(planned.Stops))
	}
	// Drafts are not public yet.
	_, _, feed := e.do(http.MethodGet, "/schedule.ics?basort=Tollarp", "", "")
	if strings.Contains(string(feed), "BEGIN:VEVENT") {
		t.Error("drafts in the public feed")
	}
	var ids []string
	for _, s := range planned.Stops {
		ids = append(ids, fmt.Sprint(s.ID))
	}
	if status, _, b := e.do(http.MethodPost, "/api/v1/stops/publish", lofte.RoleAdmin, `{"ids":[`+strings.Join(ids, ",")+`]}`); status != 200 {
		t.Fatalf("publish: %d %s", status, b)
	}
	status, h, feed := e.do(http.MethodGet, "/schedule.ics?basort=Tollarp", "", "")
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/calendar") {
		t.Fatalf("feed: %d %s", status, h.Get("Content-Type"))
	}
	cal, err := ics.ParseCalendar(strings.NewReader(string(feed)))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cal.Events()); n != len(planned.Stops) {
		t.Errorf("%d events in the feed, want %d", n, len(planned.Stops))
	}
	// The first stop is cancelled: the phone sees it cancelled, with a higher SEQUENCE.
	first := planned.Stops[0].ID
	if status, _, b := e.do(http.MethodPatch, fmt.Sprintf("/api/v1/stops/%d", first), lofte.RoleAdmin,
		`{"status":"cancelled","cancel_reason":"Personalbrist"}`); status != 200 {
		t.Fatalf("cancel: %d %s", status, b)
	}
	_, _, feed = e.do(http.MethodGet, "/schedule.ics?basort=Tollarp", "", "")
	cal, err = ics.ParseCalendar(strings.NewReader(string(feed)))
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, ev := range cal.Events() {
		if ev.Id() == fmt.Sprintf("stop-%d@kristianstad-2018.medborgarlofte", first) {
			found = true
			if ev.GetProperty(ics.ComponentPropertyStatus).Value != "CANCELLED" || ev.GetProperty(ics.ComponentPropertySequence).Value != "1" {
				t.Errorf("cancelled stop: status %s sequence %s", ev.GetProperty(ics.ComponentPropertyStatus).Value,
					ev.GetProperty(ics.ComponentPropertySequence).Value)
			}
		}
	}
	if !found {
		t.Error("the cancelled stop left the feed; subscribed phones would not see the cancellation")
	}
}
