package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"medborgarlofte/internal/lofte"
)

// selected is the value of the chosen option of the select with this id.
func selected(t *testing.T, page []byte, id string) string {
	t.Helper()
	sel := nodes(t, page, func(n *html.Node) bool { v, _ := attr(n, "id"); return n.Data == "select" && v == id })
	if len(sel) != 1 {
		t.Fatalf("no select #%s", id)
	}
	for _, o := range nodes(t, []byte(renderNode(sel[0])), tagged("option")) {
		if _, ok := attr(o, "selected"); ok {
			v, ok := attr(o, "value")
			if !ok {
				v = text(o)
			}
			return v
		}
	}
	return ""
}

// TestFeedbackPageKeepsTheChoice: a refused save shows the form as it was filled in, not as
// stored, and brings the reader back to the item; the list filters by basort and status,
// and a save keeps the filter.
func TestFeedbackPageKeepsTheChoice(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mk := func(basort, said string) *lofte.FeedbackItem {
		f := &lofte.FeedbackItem{PromiseID: e.p.ID, Basort: basort, Topic: "traffic", Said: said}
		if err := e.db.CreateFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	tollarp := mk("Tollarp", "Bilar kör fort")
	mk("Åhus", "Klotter vid hamnen")
	mustClosedFeedback(t, e, "Åhus", "Mopeder på torget", "Kontroller")
	anchor := fmt.Sprintf("#f-%d", tollarp.ID)

	tests := []struct {
		name     string
		form     url.Values
		query    string
		status   int
		location string
		field    string // named in the error shown
	}{
		{"closing without an action", url.Values{"status": {"closed"}, "channel": {"web"}, "action": {""}}, "", 400, "", ""},
		{"a date typed wrong", url.Values{"status": {"in_progress"}, "channel": {"web"}, "action": {"Ska kolla"},
			"feedback_on": {"14/3"}}, "", 400, "", "Återkopplat den"},
		{"saved from a filtered list", url.Values{"status": {"in_progress"}, "channel": {""}, "action": {"Ska kolla"}},
			"?basort=Tollarp&status=open", 303, "/feedback?basort=Tollarp&status=open" + anchor, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := e.db.FindFeedback(ctx, lofte.FeedbackFilter{PromiseID: e.p.ID, Basorter: []string{"Tollarp"}})
			status, h, page := e.do(http.MethodPost, fmt.Sprintf("/feedback/%d%s", tollarp.ID, tt.query), lofte.RoleOfficer, tt.form.Encode(), formCT...)
			if status != tt.status || h.Get("Location") != tt.location {
				t.Fatalf("%d to %q, want %d to %q: %s", status, h.Get("Location"), tt.status, tt.location, page)
			}
			if status != 400 {
				return
			}
			after, _ := e.db.FindFeedback(ctx, lofte.FeedbackFilter{PromiseID: e.p.ID, Basorter: []string{"Tollarp"}})
			if *after[0] != *before[0] {
				t.Errorf("a refused save changed the item: %+v", after[0])
			}
			id := fmt.Sprint(tollarp.ID)
			if got := selected(t, page, "status-"+id); got != tt.form.Get("status") {
				t.Errorf("status shows %q, want the chosen %q", got, tt.form.Get("status"))
			}
			if got := selected(t, page, "ch-"+id); got != tt.form.Get("channel") {
				t.Errorf("channel shows %q, want the chosen %q", got, tt.form.Get("channel"))
			}
			if !strings.Contains(string(page), `action="/feedback/`+id+anchor+`"`) {
				t.Error("the form does not lead back to the item")
			}
			alert := nodes(t, page, withClass("p", "error"))
			if len(alert) != 1 || !strings.Contains(text(alert[0]), tt.field) {
				t.Errorf("error %v, want one naming %q", alert, tt.field)
			}
		})
	}

	filters := []struct {
		query string
		want  []string
	}{
		{"", []string{"Bilar kör fort", "Klotter vid hamnen", "Mopeder på torget"}},
		{"?basort=%C3%85hus", []string{"Klotter vid hamnen", "Mopeder på torget"}},
		{"?basort=%C3%85hus&status=closed", []string{"Mopeder på torget"}},
		{"?status=in_progress", []string{"Bilar kör fort"}},
		{"?basort=Atlantis&status=nonsense", []string{"Bilar kör fort", "Klotter vid hamnen", "Mopeder på torget"}},
	}
	for _, f := range filters {
		t.Run("filter "+f.query, func(t *testing.T) {
			status, _, page := e.do(http.MethodGet, "/feedback"+f.query, lofte.RoleOfficer, "")
			if status != 200 {
				t.Fatalf("status %d", status)
			}
			var got []string
			for _, s := range nodes(t, page, withClass("section", "fb")) {
				for _, p := range nodes(t, []byte(renderNode(s)), tagged("p")) {
					if strings.HasPrefix(text(p), "”") {
						got = append(got, strings.Trim(text(p), "”"))
					}
				}
			}
			if strings.Join(slices.Sorted(slices.Values(got)), "|") != strings.Join(f.want, "|") {
				t.Errorf("items %q, want %q", got, f.want)
			}
		})
	}
}
