package lofte_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
)

func TestMarkSuspect(t *testing.T) {
	t0 := time.Date(2018, 3, 14, 10, 22, 5, 0, lofte.Zone)
	sec := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }
	tests := []struct {
		name     string
		at       []time.Time
		last     time.Time
		want     []bool
		wantLast time.Time
	}{
		{"first answer of a device", []time.Time{sec(0)}, time.Time{}, []bool{false}, sec(0)},
		{"2 s apart, sent in one burst", []time.Time{sec(0), sec(2), sec(4), sec(64)}, time.Time{},
			[]bool{false, true, true, false}, sec(64)},
		{"order of completion, not of sending", []time.Time{sec(60), sec(0)}, time.Time{}, []bool{false, false}, sec(60)},
		{"soon after the previous request", []time.Time{sec(3)}, sec(0), []bool{true}, sec(3)},
		{"exactly the gap is fine", []time.Time{sec(5)}, sec(0), []bool{false}, sec(5)},
		{"a backlog older than the last answer", []time.Time{sec(-30)}, sec(0), []bool{false}, sec(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := make([]*lofte.Response, len(tt.at))
			for i := range rs {
				rs[i] = &lofte.Response{}
			}
			last := lofte.MarkSuspect(rs, tt.at, tt.last)
			got := make([]bool, len(rs))
			for i, r := range rs {
				got[i] = r.Suspect
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("suspect (-want +got)\n%s", d)
			}
			if !last.Equal(tt.wantLast) {
				t.Errorf("last = %v, want %v", last, tt.wantLast)
			}
		})
	}
}
