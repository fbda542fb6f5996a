package lofte_test

import (
	"strings"
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
)

// phone is what an officer might type into any free-text field.
const phone = "ring Anna 070–123 45 67"

// TestValidateRedactsStaffText: every free text staff type is redacted by Validate, which the
// store runs before every write, so no handler can forget it.
func TestValidateRedactsStaffText(t *testing.T) {
	start := time.Date(2018, 3, 9, 10, 0, 0, 0, lofte.Zone)
	pub := start.Add(-48 * time.Hour)
	stop := &lofte.Stop{Basort: "Tollarp", Place: "Torget, " + phone, StartsAt: start, EndsAt: start.Add(3 * time.Hour),
		Kind: lofte.KindRegular, Status: lofte.StatusCancelled, PublishedAt: &pub, CancelReason: phone,
		FieldLog: lofte.FieldLog{Notes: "Mejla åsa@example.se"}}
	fb := &lofte.FeedbackItem{Basort: "Tollarp", Topic: "traffic", Said: phone, Action: "Bil ABC 123 kontrollerad",
		Status: lofte.FeedbackOpen}
	base := &lofte.Baseline{Metric: "trust_high", Value: 0.5, Source: "Enkät, frågor till 811218-9876"}
	edited := phone
	review := &lofte.CommentReview{Status: lofte.CommentApproved, Text: &edited, By: "admin", At: start}
	for _, v := range []interface{ Validate() error }{stop, fb, base, review} {
		if err := v.Validate(); err != nil {
			t.Fatalf("%T: %v", v, err)
		}
	}
	for field, got := range map[string]string{
		"place": stop.Place, "cancel_reason": stop.CancelReason, "notes": stop.Notes,
		"said": fb.Said, "action": fb.Action, "source": base.Source, "edited comment": *review.Text,
	} {
		if !strings.Contains(got, "[borttaget]") || strings.ContainsAny(got, "0123456789@") {
			t.Errorf("%s = %q, want it redacted", field, got)
		}
	}
	if edited != phone {
		t.Errorf("Validate changed the caller's string: %q", edited)
	}
}

func TestFeedbackApply(t *testing.T) {
	on := lofte.Date{}
	f := &lofte.FeedbackItem{Said: "Buskörning", Action: "", Status: lofte.FeedbackOpen}
	action, status, channel := "Kontroller", lofte.FeedbackClosed, "web"
	f.Apply(lofte.FeedbackUpdate{Action: &action, Status: &status, Channel: &channel, FeedbackOn: &on})
	if f.Said != "Buskörning" || f.Action != action || f.Status != status || f.Channel != channel || f.FeedbackOn == nil {
		t.Errorf("applied: %+v", f)
	}
	if f.FeedbackOn == &on {
		t.Error("Apply keeps the caller's date pointer")
	}
}
