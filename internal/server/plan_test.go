package server_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

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

// TestPlanPageOffersBasorterInUse: the plan page's forms offer the promise's basorter in use,
// neither a retired basort nor the central town, which is no basort.
func TestPlanPageOffersBasorterInUse(t *testing.T) {
	e := newEnv(t)
	retired := time.Now()
	if err := e.db.CreateLocality(context.Background(), e.p.ID, &lofte.Locality{Name: "Gamla byn", Population: 300, Lat: 56, Lon: 14,
		Basort: true, Coordinates: "approximate", RetiredAt: &retired}); err != nil {
		t.Fatal(err)
	}
	_, _, page := e.do(http.MethodGet, "/plan", lofte.RoleAdmin, "")
	for place, want := range map[string]int{"Tollarp": 2, "Åhus": 2, "Gamla byn": 0, "Kristianstad": 0} {
		if got := strings.Count(string(page), "<option>"+place+"</option>"); got != want {
			t.Errorf("%s is offered %d times, want %d (the single stop's and the series' forms)", place, got, want)
		}
	}
}

func TestMoveAStopRaisesItsSequence(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-20 10:00", lofte.StatusPublished)
	form := url.Values{"date": {"2018-03-21"}, "start": {"14:00"}, "end": {"17:00"}, "place": {"Biblioteket"}, "confirm": {"1"}}.Encode()
	status, h, b := e.do(http.MethodPost, fmt.Sprintf("/plan/%d/move", st.ID), lofte.RoleAdmin, form, formCT...)
	if status != http.StatusSeeOther {
		t.Fatalf("move: %d %s", status, b)
	}
	// The confirmation says what happened to what.
	if notice, _ := url.QueryUnescape(strings.TrimPrefix(h.Get("Location"), "/plan?klart=")); notice != "Besöket i Tollarp är flyttat till ons 21 mars 2018 kl. 14.00–17.00, Biblioteket" {
		t.Errorf("notice %q", notice)
	}
	got, _ := e.db.FindStopByID(context.Background(), st.ID)
	if got.Place != "Biblioteket" || got.StartsAt.In(lofte.Zone).Format("2006-01-02 15:04") != "2018-03-21 14:00" || got.Sequence != 1 {
		t.Errorf("moved stop %+v", got)
	}
	// An end before the start shows the plan page again with the reason and the form as typed,
	// open beside its stop; nothing changes.
	bad := url.Values{"date": {"2018-03-22"}, "start": {"14:00"}, "end": {"13:00"}, "place": {"Skolan"}, "confirm": {"1"}}.Encode()
	status, _, b = e.do(http.MethodPost, fmt.Sprintf("/plan/%d/move", st.ID), lofte.RoleAdmin, bad, formCT...)
	page := string(b)
	if status != 400 || !strings.Contains(page, `role="alert"`) || !strings.Contains(page, "<details open>") ||
		!strings.Contains(page, `value="2018-03-22"`) || !strings.Contains(page, `value="Skolan"`) || !strings.Contains(page, "Planera besök") {
		t.Errorf("end before start: %d\n%.3000s", status, page)
	}
	if again, _ := e.db.FindStopByID(context.Background(), st.ID); again.Place != "Biblioteket" || again.Sequence != 1 {
		t.Errorf("a refused move changed the stop: %+v", again)
	}
	// A coming visit moved into the past (the clock is 10 March) is refused the same way.
	past := url.Values{"date": {"2018-03-05"}, "start": {"10:00"}, "end": {"13:00"}, "place": {"Biblioteket"}, "confirm": {"1"}}.Encode()
	status, _, b = e.do(http.MethodPost, fmt.Sprintf("/plan/%d/move", st.ID), lofte.RoleAdmin, past, formCT...)
	if status != 400 || !strings.Contains(string(b), "har redan passerat") || !strings.Contains(string(b), `value="2018-03-05"`) {
		t.Errorf("moved into the past: %d\n%.3000s", status, b)
	}
	if again, _ := e.db.FindStopByID(context.Background(), st.ID); again.StartsAt.In(lofte.Zone).Format("2006-01-02") != "2018-03-21" || again.Sequence != 1 {
		t.Errorf("a move into the past changed the stop: %+v", again)
	}
	// Cancelling says which visit was cancelled.
	cancel := url.Values{"reason": {"Storm"}, "confirm": {"1"}}.Encode()
	status, h, _ = e.do(http.MethodPost, fmt.Sprintf("/plan/%d/cancel", st.ID), lofte.RoleAdmin, cancel, formCT...)
	if notice, _ := url.QueryUnescape(strings.TrimPrefix(h.Get("Location"), "/plan?klart=")); status != http.StatusSeeOther ||
		notice != "Besöket i Tollarp ons 21 mars 2018 kl. 14.00–17.00 är inställt" {
		t.Errorf("cancel: %d, notice %q", status, notice)
	}
}

// TestPlanPageDeletesADraft: each draft under review has a "Ta bort utkast" button in a form
// of its own; it deletes that draft alone. A published stop cannot be deleted this way.
func TestPlanPageDeletesADraft(t *testing.T) {
	e := newEnv(t)
	keep, drop, pub := mustDeletable(t, e)
	status, _, b := e.do(http.MethodGet, "/plan", lofte.RoleAdmin, "")
	if status != 200 {
		t.Fatalf("%d", status)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	forms := map[string]string{} // form id → action
	var buttons []string         // form attribute of each delete button
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "form" {
			id, _ := attr(n, "id")
			action, _ := attr(n, "action")
			forms[id] = action
		}
		if n.Type == html.ElementNode && n.Data == "button" && strings.HasPrefix(text(n), "Ta bort utkast") {
			f, _ := attr(n, "form")
			buttons = append(buttons, f)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	var actions []string
	for _, f := range buttons {
		actions = append(actions, forms[f])
	}
	want := []string{fmt.Sprintf("/plan/%d/delete", keep.ID), fmt.Sprintf("/plan/%d/delete", drop.ID)}
	if diff := cmp.Diff(want, actions); diff != "" {
		t.Errorf("delete buttons' forms (-want +got)\n%s", diff)
	}
	if status, _, b := e.do(http.MethodPost, fmt.Sprintf("/plan/%d/delete", drop.ID), lofte.RoleAdmin, "", formCT...); status != http.StatusSeeOther {
		t.Fatalf("delete: %d %s", status, b)
	}
	if _, err := e.db.FindStopByID(context.Background(), drop.ID); lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
		t.Errorf("the deleted draft: %v", err)
	}
	if _, err := e.db.FindStopByID(context.Background(), keep.ID); err != nil {
		t.Errorf("the other draft: %v", err)
	}
	if status, _, _ := e.do(http.MethodPost, fmt.Sprintf("/plan/%d/delete", pub.ID), lofte.RoleAdmin, "", formCT...); status != http.StatusConflict {
		t.Errorf("delete a published stop: %d, want 409", status)
	}
	if status, _, _ := e.do(http.MethodPost, fmt.Sprintf("/plan/%d/delete", keep.ID), lofte.RoleOfficer, "", formCT...); status != http.StatusForbidden {
		t.Errorf("an officer deletes a draft: %d, want 403", status)
	}
	if status, _, _ := e.do(http.MethodPost, fmt.Sprintf("/plan/%d/cancel", keep.ID), lofte.RoleAdmin, "reason=Storm", formCT...); status != http.StatusConflict {
		t.Errorf("cancel a draft on the plan page: %d, want 409", status)
	}
	if got, _ := e.db.FindStopByID(context.Background(), keep.ID); got == nil || got.Status != lofte.StatusDraft || got.PublishedAt != nil {
		t.Errorf("the draft after a refused cancel: %+v", got)
	}
}
