package lofte_test

import (
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
)

// summer2018 is the shape of the built-in promise: 2018, with June–August excluded.
func summer2018(tb testing.TB) *lofte.Promise {
	tb.Helper()
	day := func(s string) lofte.Date {
		d, err := lofte.ParseDate(s)
		if err != nil {
			tb.Fatal(err)
		}
		return d
	}
	return &lofte.Promise{Period: lofte.Period{From: day("2018-01-01"), To: day("2018-12-31")},
		Excluded: []lofte.Period{{From: day("2018-06-01"), To: day("2018-08-31")}}}
}

func TestDefaultKind(t *testing.T) {
	p := summer2018(t)
	tests := []struct {
		name string
		at   time.Time
		want lofte.StopKind
	}{
		{"March", time.Date(2018, 3, 14, 10, 0, 0, 0, lofte.Zone), lofte.KindRegular},
		{"July", time.Date(2018, 7, 14, 11, 0, 0, 0, lofte.Zone), lofte.KindEvent},
		{"first of June, just after local midnight", time.Date(2018, 5, 31, 22, 30, 0, 0, time.UTC), lofte.KindEvent},
		{"last of August, late evening", time.Date(2018, 8, 31, 21, 30, 0, 0, time.UTC), lofte.KindEvent},
		{"first of September, just after local midnight", time.Date(2018, 8, 31, 22, 30, 0, 0, time.UTC), lofte.KindRegular},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lofte.DefaultKind(p, tt.at); got != tt.want {
				t.Errorf("DefaultKind(%v) = %s, want %s", tt.at, got, tt.want)
			}
		})
	}
	if got := lofte.DefaultKind(nil, time.Date(2018, 7, 1, 10, 0, 0, 0, lofte.Zone)); got != lofte.KindRegular {
		t.Errorf("DefaultKind(nil, …) = %s, want regular", got)
	}
}

func TestStopSetDefaults(t *testing.T) {
	p := summer2018(t)
	now := time.Date(2018, 2, 1, 9, 0, 0, 0, time.UTC)
	earlier := now.Add(-time.Hour)
	july := time.Date(2018, 7, 14, 11, 0, 0, 0, lofte.Zone)
	tests := []struct {
		name       string
		in         lofte.Stop
		wantKind   lofte.StopKind
		wantStatus lofte.StopStatus
		wantPub    *time.Time
	}{
		{"nothing given", lofte.Stop{StartsAt: july}, lofte.KindEvent, lofte.StatusDraft, nil},
		{"kind given", lofte.Stop{StartsAt: july, Kind: lofte.KindRegular}, lofte.KindRegular, lofte.StatusDraft, nil},
		{"no start: no kind guessed", lofte.Stop{}, "", lofte.StatusDraft, nil},
		{"published now", lofte.Stop{StartsAt: july, Status: lofte.StatusPublished}, lofte.KindEvent, lofte.StatusPublished, &now},
		{"published earlier", lofte.Stop{StartsAt: july, Status: lofte.StatusHeld, PublishedAt: &earlier}, lofte.KindEvent,
			lofte.StatusHeld, &earlier},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.in
			s.SetDefaults(p, now)
			if s.Kind != tt.wantKind || s.Status != tt.wantStatus {
				t.Errorf("kind %q status %q, want %q %q", s.Kind, s.Status, tt.wantKind, tt.wantStatus)
			}
			if (s.PublishedAt == nil) != (tt.wantPub == nil) || s.PublishedAt != nil && !s.PublishedAt.Equal(*tt.wantPub) {
				t.Errorf("published at %v, want %v", s.PublishedAt, tt.wantPub)
			}
		})
	}
}
