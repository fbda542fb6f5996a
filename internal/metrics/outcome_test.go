package metrics_test

import (
	"testing"

	"medborgarlofte/internal/metrics"
)

// TestStatusLabel proves every status has a Swedish name, so no page or sheet shows a code.
func TestStatusLabel(t *testing.T) {
	seen := map[string]bool{}
	for _, st := range metrics.Statuses {
		got := metrics.StatusLabel(st)
		if got == "" || got == st {
			t.Errorf("StatusLabel(%q) = %q, want a Swedish name", st, got)
		}
		if seen[got] {
			t.Errorf("StatusLabel(%q) = %q, shared with another status", st, got)
		}
		seen[got] = true
	}
}
