package lofte_test

import (
	"maps"
	"slices"
	"testing"

	"medborgarlofte/internal/lofte"
)

// TestLabels proves every value of the domain's enumerations has its own Swedish name, so no
// page, calendar or sheet shows a code.
func TestLabels(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		label  func(string) string
	}{
		{"StopKind", codes(lofte.StopKinds), func(v string) string { return lofte.StopKind(v).Label() }},
		{"StopStatus", codes(lofte.StopStatuses), func(v string) string { return lofte.StopStatus(v).Label() }},
		{"FeedbackStatus", codes(lofte.FeedbackStatuses), func(v string) string { return lofte.FeedbackStatus(v).Label() }},
		{"FeedbackChannels", slices.Collect(maps.Keys(lofte.FeedbackChannels)), func(v string) string { return lofte.FeedbackChannels[v] }},
		{"AuditActions", slices.Collect(maps.Keys(lofte.AuditActions)), lofte.AuditActionLabel},
		{"OutcomeCodes", lofte.OutcomeCodes, lofte.OutcomeLabel},
		{"AuditObjectKinds", slices.Collect(maps.Keys(lofte.AuditObjectKinds)), func(v string) string { return lofte.AuditObjectKinds[v] }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.values) == 0 {
				t.Fatal("no values")
			}
			seen := map[string]string{}
			for _, v := range tt.values {
				got := tt.label(v)
				if got == "" || got == v {
					t.Errorf("label of %q = %q, want a Swedish name", v, got)
				}
				if other, ok := seen[got]; ok {
					t.Errorf("%q and %q share the label %q", v, other, got)
				}
				seen[got] = v
			}
		})
	}
}

// TestFeedbackChannelsValid proves the channels with labels are the ones an item may have.
func TestFeedbackChannelsValid(t *testing.T) {
	on := lofte.Date{}
	for ch := range lofte.FeedbackChannels {
		f := &lofte.FeedbackItem{Basort: "Tollarp", Topic: "t", Said: "s", Action: "a", Status: lofte.FeedbackClosed,
			FeedbackOn: &on, Channel: ch}
		if err := f.Validate(); err != nil {
			t.Errorf("channel %q: %v", ch, err)
		}
	}
}

func codes[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
