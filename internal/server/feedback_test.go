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

	"golang.org/x/net/html"

	"medborgarlofte/internal/lofte"
)

func TestFeedbackAPI(t *testing.T) {
	e := newEnv(t)
	held := mustStop(t, e, "Tollarp", "2018-03-07 10:00", lofte.StatusHeld)
	elsewhere := mustStop(t, e, "Åhus", "2018-03-07 10:00", lofte.StatusHeld)
	draft := mustStop(t, e, "Tollarp", "2018-03-21 10:00", lofte.StatusDraft)
	linked := func(id int64) string {
		return fmt.Sprintf(`{"basort":"Tollarp","topic":"drugs","said":"Langning","stop_id":%d}`, id)
	}
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
		{"a stop of its basort", linked(held.ID), 201, ""},
		{"a stop in another basort", linked(elsewhere.ID), 400, "stop_id"},
		{"a draft, which nobody visited", linked(draft.ID), 400, "stop_id"},
	}
	count := func() int {
		items, err := e.db.FindFeedback(context.Background(), lofte.FeedbackFilter{PromiseID: e.p.ID})
		if err != nil {
			t.Fatal(err)
		}
		return len(items)
	}
	for _, tt := range tests {
		before := count()
		status, _, b := e.do(http.MethodPost, "/api/v1/feedback", lofte.RoleOfficer, tt.body)
		if status != tt.status || (status >= 400 && apiError(t, b).Field != tt.field) {
			t.Errorf("%s: %d %s", tt.name, status, b)
		}
		if after := count(); status >= 400 && after != before {
			t.Errorf("%s: a refused item was stored (%d items, then %d)", tt.name, before, after)
		}
	}
	if status, _, b := e.do(http.MethodPatch, "/api/v1/feedback/1", lofte.RoleAdmin, `{"status":"closed","action":"Kontroller","feedback_on":"2018-05-02","channel":"fax"}`); status != 400 || apiError(t, b).Field != "channel" {
		t.Errorf("unknown channel: %d %s", status, b)
	}
}

// TestFeedbackCloseShowsThePublicText: closing an item on the staff page first shows, redacted,
// exactly what the public will see, publishes only when that is confirmed, and shows it again
// when the text changed in between.
func TestFeedbackCloseShowsThePublicText(t *testing.T) {
	e := newEnv(t)
	status, _, b := e.do(http.MethodPost, "/api/v1/feedback", lofte.RoleOfficer,
		`{"basort":"Tollarp","topic":"traffic","said":"Bilar kör fort, ring 070-123 45 67"}`)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, b)
	}
	var item lofte.FeedbackItem
	if err := json.Unmarshal(b, &item); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/feedback/%d", item.ID)
	closing := url.Values{"action": {"Kontroller i april; svar till anna@example.se"}, "status": {"closed"},
		"feedback_on": {"2018-03-09"}, "channel": {"web"}}.Encode()
	status, _, b = e.do(http.MethodPost, path, lofte.RoleAdmin, closing, formCT...)
	if status != http.StatusOK {
		t.Fatalf("closing: %d, want the confirmation: %s", status, b)
	}
	preview, confirm := publishPreview(t, b)
	want := "Tollarp, Trafik och buskörning: ”Bilar kör fort, ring [borttaget]” Vi gjorde: Kontroller i april; svar till [borttaget] Återkopplat 2018-03-09"
	if preview != want {
		t.Errorf("preview\n %q\nwant %q", preview, want)
	}
	if strings.Contains(string(b), "anna@example.se") {
		t.Error("the confirmation shows the address")
	}
	if _, _, b := e.do(http.MethodGet, "/api/v1/feedback", "", ""); strings.Contains(string(b), "Kontroller") {
		t.Fatalf("public before it was confirmed: %s", b)
	}
	// The said changes before the confirmation arrives: the new text is shown first.
	if status, _, b := e.do(http.MethodPatch, fmt.Sprintf("/api/v1/feedback/%d", item.ID), lofte.RoleOfficer,
		`{"said":"Bilar kör fort vid skolan"}`); status != http.StatusOK {
		t.Fatalf("edit: %d %s", status, b)
	}
	status, _, b = e.do(http.MethodPost, path, lofte.RoleAdmin, confirm.Encode(), formCT...)
	if status != http.StatusOK {
		t.Fatalf("confirming an outdated text: %d, want it shown again", status)
	}
	preview, confirm = publishPreview(t, b)
	if !strings.Contains(preview, "”Bilar kör fort vid skolan”") {
		t.Errorf("preview after the edit: %q", preview)
	}
	if status, _, b := e.do(http.MethodPost, path, lofte.RoleAdmin, confirm.Encode(), formCT...); status != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", status, b)
	}
	// What is public is what was shown.
	_, _, page := e.do(http.MethodGet, "/basort/Tollarp", "", "")
	if got, _ := publicFeedback(t, page, ""); got != preview {
		t.Errorf("the basort page shows\n %q\nthe confirmation showed\n %q", got, preview)
	}
	// Saving the published item unchanged needs no second confirmation.
	if status, _, _ := e.do(http.MethodPost, path, lofte.RoleAdmin, confirm.Encode(), formCT...); status != http.StatusSeeOther {
		t.Errorf("re-saving a published item: %d", status)
	}
}

// publishPreview returns the public text shown in a feedback page's confirmation, and the
// confirmation form's values.
func publishPreview(t *testing.T, page []byte) (string, url.Values) {
	t.Helper()
	preview, form := publicFeedback(t, page, "publicera")
	if form == nil || form.Get("confirm") != "publish" {
		t.Fatalf("no confirmation form: %v", form)
	}
	return preview, form
}

// publicFeedback returns the text of the page's public feedback list (within the element of
// id within, when set) and the values of the form beside it.
func publicFeedback(t *testing.T, page []byte, within string) (string, url.Values) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var list string
	var form url.Values
	var walk func(n *html.Node, in bool)
	walk = func(n *html.Node, in bool) {
		if n.Type == html.ElementNode {
			if id, _ := attr(n, "id"); within == "" || id == within {
				in = true
			}
			switch {
			case in && n.Data == "ul" && hasClass(n, "feedback"):
				list = strings.Join(strings.Fields(text(n)), " ")
			case in && within != "" && n.Data == "input":
				if form == nil {
					form = url.Values{}
				}
				name, _ := attr(n, "name")
				v, _ := attr(n, "value")
				form.Set(name, v)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
	}
	walk(doc, false)
	return list, form
}
