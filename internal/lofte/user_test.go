package lofte_test

import (
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
)

func TestTokenExpiry(t *testing.T) {
	made := time.Date(2018, 3, 1, 9, 0, 0, 0, time.UTC)
	used := made.AddDate(0, 0, 10)
	day := 24 * time.Hour
	tests := []struct {
		name    string
		role    lofte.Role
		used    *time.Time
		now     time.Time
		expired bool
	}{
		{"new kiosk token", lofte.RoleKiosk, nil, made.Add(29 * day), false},
		{"never used for 30 days", lofte.RoleKiosk, nil, made.Add(30 * day), true},
		{"used 29 days ago", lofte.RoleKiosk, &used, used.Add(29 * day), false},
		{"unused for 31 days", lofte.RoleKiosk, &used, used.Add(31 * day), true},
		{"a script's token never expires", lofte.RoleAdmin, nil, made.Add(400 * day), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := &lofte.Token{Role: tt.role, CreatedAt: made, LastUsedAt: tt.used}
			if got := tok.Expired(tt.now); got != tt.expired {
				t.Errorf("Expired = %v, want %v (expires %v)", got, tt.expired, tok.ExpiresAt())
			}
		})
	}
}

func TestTokenUseAt(t *testing.T) {
	last := time.Date(2018, 3, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		last   *time.Time
		now    time.Time
		want   time.Time
		record bool
	}{
		{"first use", nil, last.Add(95 * time.Minute), last.Add(time.Hour), true},
		{"again within the hour", &last, last.Add(59 * time.Minute), last, false},
		{"the next hour", &last, last.Add(61 * time.Minute), last.Add(time.Hour), true},
		{"a clock gone back", &last, last.Add(-3 * time.Hour), last.Add(-3 * time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, record := (&lofte.Token{LastUsedAt: tt.last}).UseAt(tt.now)
			if !at.Equal(tt.want) || record != tt.record {
				t.Errorf("UseAt = %v %v, want %v %v", at, record, tt.want, tt.record)
			}
		})
	}
}
