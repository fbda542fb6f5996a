package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"medborgarlofte/internal/lofte"
)

// TestCancelReasonPhoneIsRedactedEverywhere: an officer types a phone number in a cancel
// reason; the start page, the basort page, the stop API and the kiosk's stop list show the
// mark instead.
func TestCancelReasonPhoneIsRedactedEverywhere(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Önnestad", "2018-03-12 10:00", lofte.StatusPublished)
	form := url.Values{"status": {"cancelled"}, "cancel_reason": {"Sjuk, ring Anna på 070–123 45 67"}}.Encode()
	if status, _, b := e.do(http.MethodPost, fmt.Sprintf("/field/%d", st.ID), lofte.RoleOfficer, form, formCT...); status != http.StatusSeeOther {
		t.Fatalf("cancel: %d %s", status, b)
	}
	for _, tt := range []struct {
		where, path string
		who         lofte.Role
	}{
		{"start page", "/", ""},
		{"basort page", "/basort/%C3%96nnestad", ""},
		{"stop API", "/api/v1/stops", ""},
		{"kiosk stop list", "/api/v1/stops?from=2018-03-11&to=2018-03-13", lofte.RoleKiosk},
		{"staff stop API", "/api/v1/stops", lofte.RoleOfficer},
	} {
		status, _, b := e.do(http.MethodGet, tt.path, tt.who, "")
		body := string(b)
		if status != http.StatusOK || !strings.Contains(body, "Sjuk, ring Anna på [borttaget]") || strings.Contains(body, "45 67") {
			t.Errorf("%s: %d, want the reason with [borttaget] and no number:\n%.2000s", tt.where, status, body)
		}
	}
}

// TestStaffFreeTextIsRedacted: each free-text field staff type, through the form or API that
// takes it, is stored and shown redacted.
func TestStaffFreeTextIsRedacted(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-09 10:00", lofte.StatusPublished)
	later := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusPublished)
	fb := &lofte.FeedbackItem{PromiseID: e.p.ID, Basort: "Tollarp", Topic: "traffic", Said: "Buskörning"}
	if err := e.db.CreateFeedback(t.Context(), fb); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		field             string
		method, path, req string
		who               lofte.Role
		form              bool
		show              string // where the field is read back
		showAs            lofte.Role
	}{
		{"notes (field form)", http.MethodPost, fmt.Sprintf("/field/%d", st.ID), url.Values{"notes": {"Pratade med 811218 9876"}}.Encode(),
			lofte.RoleOfficer, true, "/api/v1/stops", lofte.RoleOfficer},
		{"notes (API)", http.MethodPatch, fmt.Sprintf("/api/v1/stops/%d", st.ID), `{"notes":"Pratade med 811218 9876"}`,
			lofte.RoleOfficer, false, "/api/v1/stops", lofte.RoleOfficer},
		{"cancel reason (plan page)", http.MethodPost, fmt.Sprintf("/plan/%d/cancel", later.ID), url.Values{"reason": {"Ring 0701234567"}, "confirm": {"1"}}.Encode(),
			lofte.RoleAdmin, true, "/api/v1/stops", ""},
		{"place (API)", http.MethodPost, "/api/v1/stops",
			`{"basort":"Tollarp","place":"Vid bil ABC 123","starts_at":"2018-03-20T10:00:00+01:00","ends_at":"2018-03-20T13:00:00+01:00","status":"published"}`,
			lofte.RoleAdmin, false, "/", ""},
		{"said (field form)", http.MethodPost, fmt.Sprintf("/field/%d/feedback", st.ID), url.Values{"topic": {"traffic"}, "said": {"Mejla åsa@example.se"}}.Encode(),
			lofte.RoleOfficer, true, "/api/v1/feedback", lofte.RoleOfficer},
		{"said (API)", http.MethodPost, "/api/v1/feedback", `{"basort":"Tollarp","topic":"traffic","said":"Mejla åsa@example.se"}`,
			lofte.RoleOfficer, false, "/api/v1/feedback", lofte.RoleOfficer},
		{"action (API), public", http.MethodPatch, fmt.Sprintf("/api/v1/feedback/%d", fb.ID),
			`{"action":"Vi ringde 070-123 45 67","status":"closed","feedback_on":"2018-03-09","channel":"web"}`,
			lofte.RoleAdmin, false, "/api/v1/feedback", ""},
		{"baseline source (API)", http.MethodPost, "/api/v1/baselines",
			`{"baselines":[{"metric":"trust_high","value":0.55,"source":"Enkät, svar till anna@example.se"}]}`,
			lofte.RoleAdmin, false, "/api/v1/baselines", lofte.RoleCouncil},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			var ct []string
			if tt.form {
				ct = formCT
			}
			if status, _, b := e.do(tt.method, tt.path, tt.who, tt.req, ct...); status >= 400 {
				t.Fatalf("%s %s: %d %s", tt.method, tt.path, status, b)
			}
			_, _, b := e.do(http.MethodGet, tt.show, tt.showAs, "")
			body := string(b)
			if !strings.Contains(body, "[borttaget]") {
				t.Errorf("%s does not show the mark", tt.show)
			}
			for _, secret := range []string{"9876", "0701234567", "45 67", "ABC 123", "example.se"} {
				if strings.Contains(body, secret) {
					t.Errorf("%s shows %q", tt.show, secret)
				}
			}
		})
	}
	var list struct{ Items []lofte.FeedbackItem }
	_, _, b := e.do(http.MethodGet, "/api/v1/feedback", "", "")
	if err := json.Unmarshal(b, &list); err != nil || len(list.Items) != 1 || list.Items[0].Action != "Vi ringde [borttaget]" {
		t.Errorf("public feedback: %s", b)
	}
}
