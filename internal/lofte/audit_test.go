package lofte_test

import (
	"testing"

	"medborgarlofte/internal/lofte"
)

// TestAuditObjectID: an object named by AuditObjectID splits back into its kind and id.
func TestAuditObjectID(t *testing.T) {
	for _, tc := range []struct {
		kind string
		id   int64
		want string
	}{
		{"stop", 42, "stop:42"},
		{"promise", 2, "promise:2"},
		{"user", 0, "user:0"},
	} {
		got := lofte.AuditObjectID(tc.kind, tc.id)
		if got != tc.want {
			t.Errorf("AuditObjectID(%q, %d) = %q, want %q", tc.kind, tc.id, got, tc.want)
		}
		if kind, id := lofte.AuditObject(got); kind != tc.kind || id != tc.want[len(tc.kind)+1:] {
			t.Errorf("AuditObject(%q) = %q, %q", got, kind, id)
		}
	}
}
