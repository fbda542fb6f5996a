package lofte_test

import (
	"strings"
	"testing"

	"medborgarlofte/internal/lofte"
)

func TestStopDoubts(t *testing.T) {
	held := func(staff, visitors int, c lofte.Contacts) *lofte.Stop {
		return &lofte.Stop{Status: lofte.StatusHeld, FieldLog: lofte.FieldLog{Staff: staff, Visitors: visitors, Contacts: c}}
	}
	tests := []struct {
		name string
		stop *lofte.Stop
		want []string // a word of each doubt, in order
	}{
		{"ordinary", held(2, 23, lofte.Contacts{CrimeReport: 1, Tip: 2, Advice: 5}), nil},
		{"50 reports, 7 visitors", held(2, 7, lofte.Contacts{CrimeReport: 50}), []string{"50 kontakter men 7 besökare"}},
		{"more contacts than visitors", held(2, 3, lofte.Contacts{Tip: 2, Advice: 2}), []string{"4 kontakter"}},
		{"most visitors reporting", held(2, 12, lofte.Contacts{CrimeReport: 8}), []string{"8 anmälningar av 12"}},
		{"few reports of few", held(2, 4, lofte.Contacts{CrimeReport: 3}), nil},
		{"many staff", held(25, 30, lofte.Contacts{}), []string{"25 poliser"}},
		{"many visitors", held(2, 2300, lofte.Contacts{}), []string{"2300 besökare"}},
		{"held without staff", held(0, 10, lofte.Contacts{}), []string{"antal poliser är 0"}},
		{"cancelled with visitors", &lofte.Stop{Status: lofte.StatusCancelled, FieldLog: lofte.FieldLog{Visitors: 3}},
			[]string{"inställt"}},
		{"published, nothing logged", &lofte.Stop{Status: lofte.StatusPublished}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.stop.Doubts()
			if len(got) != len(tt.want) {
				t.Fatalf("doubts %q, want %d", got, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("doubt %d: %q, want it to say %q", i, got[i], w)
				}
			}
		})
	}
}
