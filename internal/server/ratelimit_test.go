package server_test

import (
	"testing"
	"time"

	"medborgarlofte/internal/server"
)

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		wait time.Duration
		want string
	}{
		{0, "1"},
		{300 * time.Millisecond, "1"},
		{time.Second, "1"},
		{1200 * time.Millisecond, "2"},
		{12 * time.Second, "12"},
	}
	for _, tt := range tests {
		if got := server.RetryAfter(tt.wait); got != tt.want {
			t.Errorf("RetryAfter(%v) = %q, want %q", tt.wait, got, tt.want)
		}
	}
}
