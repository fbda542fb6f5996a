package metrics_test

import (
	"strings"
	"testing"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// TestScaleOnlyForIndicators: only the shares, the means and the three delivery rates can be
// an outcome's indicator (spec §5); a count would be judged and shown as a percentage.
func TestScaleOnlyForIndicators(t *testing.T) {
	rate, mean := lofte.Scale{Min: 0, Max: 1}, lofte.Scale{Min: 1, Max: 5}
	for _, tc := range []struct {
		code string
		want lofte.Scale
		ok   bool
	}{
		{"trust_high", rate, true},
		{"unsafe", rate, true},
		{"satisfied", rate, true},
		{"delivery_rate", rate, true},
		{"announced_7d", rate, true},
		{"feedback_closed", rate, true},
		{"trust_mean", mean, true},
		{"visitors", lofte.Scale{}, false},
		{"responses", lofte.Scale{}, false},
		{"suspect", lofte.Scale{}, false},
		{"gap_days_max", lofte.Scale{}, false},
		{"stops_held", lofte.Scale{}, false},
		{"response_rate", lofte.Scale{}, false},
		{"reason", lofte.Scale{}, false},
		{"no_such_metric", lofte.Scale{}, false},
	} {
		got, ok := metrics.Scale(tc.code)
		if ok != tc.ok || got != tc.want {
			t.Errorf("Scale(%q) = %v, %v; want %v, %v", tc.code, got, ok, tc.want, tc.ok)
		}
	}
}

// TestCountIndicatorIsNotJudged: a count stored as an indicator before Scale refused it is
// no delivery rate and gets no percentage reason.
func TestCountIndicatorIsNotJudged(t *testing.T) {
	p := promise()
	p.Outcomes[0].Indicators = append(p.Outcomes[0].Indicators,
		lofte.Indicator{Metric: "visitors", Direction: lofte.AtLeast, Kind: lofte.TargetAbsolute, Target: 100})
	s := stop("A", "2018-03-01", lofte.StatusHeld, 230)
	in := metrics.Input{Promise: p, Localities: places(1000), Stops: []*lofte.Stop{s}, Now: endOf2018, PTable: exact(t)}
	res, err := metrics.Outcomes(in, metrics.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	got := res.Outcomes[0].Indicators[2]
	if got.Status != metrics.InsufficientData || strings.Contains(got.Reason, "%") {
		t.Errorf("visitors judged %s: %q", got.Status, got.Reason)
	}
}
