package lofte_test

import (
	"testing"

	"medborgarlofte/internal/lofte"
)

func TestRetentionDue(t *testing.T) {
	d := func(s string) lofte.Date {
		day, err := lofte.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return day
	}
	tests := []struct {
		end         string
		months      int
		day         string
		text, resps bool
	}{
		{"2018-12-31", 12, "2019-12-31", false, false},
		{"2018-12-31", 12, "2020-01-01", true, false},
		{"2018-12-31", 12, "2020-12-31", true, false},
		{"2018-12-31", 12, "2021-01-01", true, true},
		{"2018-12-31", 0, "2100-01-01", false, false},
		{"2018-12-31", 1, "2019-02-01", true, false},
		{"2018-12-31", 1, "2019-03-01", true, false}, // 2019-02-31 runs on to 2019-03-03
		{"2018-12-31", 1, "2019-03-04", true, true},
		{"2018-08-31", 6, "2019-03-03", false, false},
		{"2018-08-31", 6, "2019-03-04", true, false},
	}
	for _, tt := range tests {
		p := &lofte.Promise{Period: lofte.Period{From: d("2018-01-01"), To: d(tt.end)}, RetentionMonths: tt.months}
		text, resps := p.RetentionDue(d(tt.day))
		if text != tt.text || resps != tt.resps {
			t.Errorf("end %s, %d months, on %s: free text %v, responses %v; want %v, %v",
				tt.end, tt.months, tt.day, text, resps, tt.text, tt.resps)
		}
	}
}
