package metrics_test

import (
	"strings"
	"testing"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// TestOutcomesAreJudgedOnTheInterval builds one basort whose answers put each indicator on a
// known side of its target, with the exact table so the figures can be checked by hand.
func TestOutcomesAreJudgedOnTheInterval(t *testing.T) {
	p := promise() // status_min_n 20
	var stops []*lofte.Stop
	var tallies []*lofte.Tally
	for i := range 10 {
		s := stop("A", "2018-03-"+[]string{"01", "02", "05", "06", "07", "08", "09", "12", "13", "14"}[i], lofte.StatusHeld, 10)
		stops = append(stops, s)
		tallies = append(tallies, tally(s, map[string]map[string]int{
			// satisfied 30 of 40 = 0.75 against ≥ 0.80: the interval straddles it.
			"satisfaction": {"5": 3, "2": 1},
			// trust 40 of 40 against ≥ baseline 0.60 + 0.05: the whole interval is above.
			"trust": {"very_high": 4},
			// unsafe: only 10 valid answers, below status_min_n 20.
			"safety": {"very_safe": 1},
		}))
	}
	in := metrics.Input{Promise: p, Localities: places(1000), Stops: stops, Tallies: tallies, Now: endOf2018, PTable: exact(t),
		Baselines: []*lofte.Baseline{{Metric: "trust_high", Value: 0.6, Source: "test"}}}
	res, err := metrics.Outcomes(in, metrics.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"service":    metrics.Partly,           // delivery 10/10 met; satisfied not established
		"legitimacy": metrics.Met,              // trust interval above 0.65
		"safety":     metrics.InsufficientData, // too few answers, and no baseline
		"dialogue":   metrics.InsufficientData, // no feedback items
	}
	for _, o := range res.Outcomes {
		if o.Status != want[o.Code] {
			t.Errorf("%s: %s, want %s (%+v)", o.Code, o.Status, want[o.Code], o.Indicators)
		}
		for _, ind := range o.Indicators {
			if ind.Reason == "" {
				t.Errorf("%s/%s has no reason", o.Code, ind.Metric)
			}
		}
	}
	sat := res.Outcomes[0].Indicators[1]
	if sat.Status != metrics.NotEstablished || !strings.Contains(sat.Reason, "80") {
		t.Errorf("satisfied %s: %q", sat.Status, sat.Reason)
	}
	if del := res.Outcomes[0].Indicators[0]; del.Status != metrics.Met || del.Survey {
		t.Errorf("delivery_rate %+v, want met on its value", del)
	}
	leg := res.Outcomes[1].Indicators[0]
	if leg.Target == nil || !near(*leg.Target, 0.65) || leg.Baseline == nil || *leg.Baseline != 0.6 || !leg.Survey {
		t.Errorf("legitimacy target %v baseline %v", leg.Target, leg.Baseline)
	}
	if res.Caveat == "" {
		t.Error("no self-selection caveat")
	}
	// Five answers never decide anything.
	in.Stops, in.Tallies = stops[:1], tallies[:1]
	small, err := metrics.Outcomes(in, metrics.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if got := small.Outcomes[1].Status; got != metrics.InsufficientData {
		t.Errorf("legitimacy on 4 answers: %s", got)
	}
}

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
