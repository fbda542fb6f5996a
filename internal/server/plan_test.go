package server_test

import (
	"context"
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
