package metrics_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

func TestOneBasortShareWithDesignEffect(t *testing.T) {
	a := stop("A", "2018-03-06", lofte.StatusHeld, 20)
	b := stop("A", "2018-03-13", lofte.StatusHeld, 20)
	in := metrics.Input{Promise: promise(), Localities: places(1000), Stops: []*lofte.Stop{a, b}, Now: endOf2018, PTable: exact(t),
		Tallies: []*lofte.Tally{
			tally(a, map[string]map[string]int{"trust": {"very_high": 6, "neither": 2, "no_opinion": 1}}),
			tally(b, map[string]map[string]int{"trust": {"very_high": 2, "fairly_low": 6}}),
		}}
	f := fig(t, compute(t, in, metrics.Scope{Basort: "A"}).Total.Metrics, "trust_high")
	// 8 of 16 valid. Per stop (6, 8) and (2, 8), p0 = 0.5: v_clu = 2/1 · (2² + 2²)/16² = 0.0625,
	// v_srs = 0.25/16 = 0.015625, deff = 4, so the interval is Wilson's on n′ = 4.
	want := metrics.WilsonEff(0.5, 4)
	if f.Value == nil || !near(*f.Value, 0.5) || f.Size() != 16 || f.CI == nil || *f.CI != want || !f.Uncertain || f.Suppressed {
		t.Errorf("trust_high = %+v (ci %v), want 0.5, n 16, ci %v, uncertain", f, f.CI, want)
	}
	if f.Weighted != nil || f.Pooled != nil {
		t.Errorf("one basort's figure carries whole-area fields: %+v", f)
	}
}

func TestSuppressedAndEmptyFigures(t *testing.T) {
	a := stop("A", "2018-03-06", lofte.StatusHeld, 20)
	in := metrics.Input{Promise: promise(), Localities: places(1000), Stops: []*lofte.Stop{a}, Now: endOf2018, PTable: exact(t),
		Tallies: []*lofte.Tally{tally(a, map[string]map[string]int{"trust": {"very_high": 3, "neither": 1}})}}
	m := compute(t, in, metrics.Scope{Basort: "A"}).Total.Metrics
	if f := fig(t, m, "trust_high"); !f.Suppressed || f.Value != nil || f.N != nil || f.CI != nil {
		t.Errorf("4 answers below min_n 5: %+v, want value, n and ci withheld", f)
	}
	if f := fig(t, m, "worried"); f.Suppressed || f.Value != nil || f.N == nil || *f.N != 0 {
		t.Errorf("nobody answered: %+v, want n 0, not suppressed", f)
	}
}

func TestCountsArePerturbedByTheTable(t *testing.T) {
	a := stop("A", "2018-03-06", lofte.StatusHeld, 20)
	// One response whose record key puts the cell key at 0.8: the row of i = 1 with
	// 0.703870577723 ≤ 0.8 < 0.898064711138 adds 1. A key of 0 takes the first row, −1.
	for _, tt := range []struct {
		key  uint32
		want float64
	}{{3435973836, 2}, {0, 0}} {
		tl := &lofte.Tally{StopID: a.ID, Responses: 1, ResponsesKey: tt.key}
		in := metrics.Input{Promise: promise(), Localities: places(1000), Stops: []*lofte.Stop{a}, Tallies: []*lofte.Tally{tl}, Now: endOf2018}
		if got := value(t, compute(t, in, metrics.Scope{Basort: "A"}).Total.Metrics, "responses"); got != tt.want {
			t.Errorf("key %d: responses %v, want %v", tt.key, got, tt.want)
		}
	}
}

func TestWholeAreaIsWeightedByPopulation(t *testing.T) {
	a := stop("A", "2018-03-06", lofte.StatusHeld, 20)
	b := stop("B", "2018-03-07", lofte.StatusHeld, 20)
	tallies := []*lofte.Tally{
		tally(a, map[string]map[string]int{"trust": {"very_high": 8, "very_low": 2}}),
		tally(b, map[string]map[string]int{"trust": {"very_high": 2, "very_low": 8}}),
	}
	in := metrics.Input{Promise: promise(), Localities: places(1000, 3000, 1000), Stops: []*lofte.Stop{a, b}, Tallies: tallies,
		Now: endOf2018, PTable: exact(t)}
	f := fig(t, compute(t, in, metrics.Scope{}).Total.Metrics, "trust_high")
	// A 0.8 and B 0.2 weighted 1000:3000 → 0.35; variance 0.25²·0.16/10 + 0.75²·0.16/10 = 0.01;
	// C has no answers, so the figure covers 4000 of 5000 inhabitants.
	if f.Value == nil || !near(*f.Value, 0.35) || f.Size() != 20 || !near(f.CI[0], 0.35-0.1959964) || !near(f.CI[1], 0.35+0.1959964) {
		t.Errorf("weighted %+v ci %v", f, f.CI)
	}
	if f.Weighted == nil || !*f.Weighted || f.Coverage == nil || !near(*f.Coverage, 0.8) || !f.Uncertain {
		t.Errorf("weighted flags %+v", f)
	}
	if f.Pooled == nil || f.Pooled.Value == nil || !near(*f.Pooled.Value, 0.5) || f.Pooled.Size() != 20 {
		t.Errorf("pooled %+v", f.Pooled)
	}
	// Without a population for C the whole area is the pooled figure, and says so.
	in.Localities = places(1000, 3000, 0)
	f = fig(t, compute(t, in, metrics.Scope{}).Total.Metrics, "trust_high")
	if f.Value == nil || !near(*f.Value, 0.5) || f.Weighted == nil || *f.Weighted || f.Pooled != nil {
		t.Errorf("unweighted %+v", f)
	}
}

func TestSurveyCellsAreWholeMonthsOfBasorterAndOneKind(t *testing.T) {
	inMonth := stop("A", "2018-03-05", lofte.StatusHeld, 10)
	asked := stop("A", "2018-03-15", lofte.StatusHeld, 10)
	town := stop("Centralorten", "2018-03-16", lofte.StatusHeld, 10)
	event := stop("A", "2018-03-17", lofte.StatusHeld, 10)
	event.Kind = lofte.KindEvent
	var tallies []*lofte.Tally
	for _, s := range []*lofte.Stop{inMonth, asked, town, event} {
		tallies = append(tallies, tally(s, map[string]map[string]int{"knew_in_advance": {"yes": 6}}))
	}
	in := metrics.Input{Promise: promise(), Localities: places(1000), Stops: []*lofte.Stop{inMonth, asked, town, event},
		Tallies: tallies, Now: endOf2018, PTable: exact(t)}
	from, to := d("2018-03-14"), d("2018-03-20")
	res := compute(t, in, metrics.Scope{From: &from, To: &to})
	sc := res.Scope
	if sc.From != "2018-03-01" || sc.To != "2018-03-31" || !sc.Widened || sc.DeliveryFrom != "2018-03-14" || sc.Kind != "regular" {
		t.Errorf("scope %+v", sc)
	}
	// Survey: the two regular stops at the basort (whole March); not the town, not the event.
	if f := fig(t, res.Total.Metrics, "knew_in_advance"); f.Size() != 12 {
		t.Errorf("regular survey n %d, want 12", f.Size())
	}
	// Delivery keeps the days: asked and the town's stop are held regular stops in 14–20 March.
	if got := value(t, res.Total.Metrics, "stops_held"); got != 2 {
		t.Errorf("stops_held %v, want 2", got)
	}
	ev := compute(t, in, metrics.Scope{From: &from, To: &to, Kind: "event"})
	if f := fig(t, ev.Total.Metrics, "knew_in_advance"); f.Size() != 6 {
		t.Errorf("event survey n %d, want 6", f.Size())
	}
	if got := value(t, ev.Total.Metrics, "stops_held"); got != 1 {
		t.Errorf("event stops_held %v, want 1", got)
	}
}

func TestGroupings(t *testing.T) {
	a := stop("A", "2018-02-06", lofte.StatusHeld, 10)
	b := stop("A", "2018-04-10", lofte.StatusHeld, 10)
	in := metrics.Input{Promise: promise(), Localities: places(1000, 500), Stops: []*lofte.Stop{a, b}, Now: endOf2018, PTable: exact(t),
		Tallies: []*lofte.Tally{tally(a, map[string]map[string]int{"trust": {"very_high": 6}}), tally(b, map[string]map[string]int{"trust": {"very_high": 6}})}}
	q := compute(t, in, metrics.Scope{Group: metrics.GroupQuarter})
	if len(q.Groups) != 2 || q.Groups[0].Key != "2018-Q1" || q.Groups[1].Key != "2018-Q2" {
		t.Errorf("quarters %v", q.Groups)
	}
	if none := compute(t, in, metrics.Scope{}); len(none.Groups) != 0 || none.Groups == nil || none.Total.Key != "all" {
		t.Errorf("group=none: groups %v, total %q; want no groups and the total", none.Groups, none.Total.Key)
	}
	bs := compute(t, in, metrics.Scope{Group: metrics.GroupBasort})
	if len(bs.Groups) != 2 {
		t.Fatalf("basort groups %d, want A and B (never visited)", len(bs.Groups))
	}
	if g := group(t, bs, "B").Count("gap_days_max"); len(g.NoVisit) != 1 || g.NoVisit[0] != "B" {
		t.Errorf("B's gap %+v, want no_visit", g)
	}
	st := compute(t, in, metrics.Scope{Group: metrics.GroupStop})
	for _, g := range st.Groups {
		if _, ok := g.Metrics["trust_high"]; ok {
			t.Errorf("stop %s has a survey figure", g.Key)
		}
		if _, ok := g.Metrics["stops_held"]; !ok {
			t.Errorf("stop %s lacks delivery", g.Key)
		}
	}
	if _, err := metrics.Compute(in, metrics.Scope{Group: "week"}); err == nil {
		t.Error("group=week accepted")
	}
	if _, err := metrics.Compute(in, metrics.Scope{Kind: "other"}); err == nil {
		t.Error("kind=other accepted")
	}
}

// TestTheSameCellThroughAnyRouteHasTheSameFigure asks one basort's month through the
// basort grouping, the month grouping and the total: the cell key makes them equal.
func TestTheSameCellThroughAnyRouteHasTheSameFigure(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 100 {
		var stops []*lofte.Stop
		var tallies []*lofte.Tally
		for i := range 2 + rng.IntN(5) {
			s := stop(string(rune('A'+rng.IntN(3))), "2018-04-"+[]string{"03", "10", "17", "24", "26", "27"}[i], lofte.StatusHeld, 30)
			stops = append(stops, s)
			tallies = append(tallies, keyedTally(rng, s, map[string]map[string]int{
				"trust": {"very_high": rng.IntN(6), "fairly_low": rng.IntN(6), "no_opinion": rng.IntN(3)}}))
		}
		in := metrics.Input{Promise: promise(), Localities: places(1000, 2000, 3000), Stops: stops, Tallies: tallies, Now: endOf2018}
		from, to := d("2018-04-01"), d("2018-04-30")
		byBasort := compute(t, in, metrics.Scope{From: &from, To: &to, Group: metrics.GroupBasort})
		for _, g := range byBasort.Groups {
			alone := compute(t, in, metrics.Scope{From: &from, To: &to, Basort: g.Key})
			byMonth := compute(t, in, metrics.Scope{From: &from, To: &to, Basort: g.Key, Group: metrics.GroupMonth})
			a, b := fig(t, g.Metrics, "trust_high"), fig(t, alone.Total.Metrics, "trust_high")
			if !sameFigure(a, b) || len(byMonth.Groups) > 0 && !sameFigure(a, fig(t, byMonth.Groups[0].Metrics, "trust_high")) {
				t.Fatalf("round %d, %s: %+v vs %+v", round, g.Key, a, b)
			}
			if a.Value != nil && (*a.Value < 0 || *a.Value > 1 || a.CI[0] > *a.Value+1e-12 || a.CI[1] < *a.Value-1e-12) {
				t.Fatalf("round %d: %+v", round, a)
			}
			if g.Metrics.CountValue("responses") < 0 {
				t.Fatalf("round %d: negative count", round)
			}
		}
	}
}

func sameFigure(a, b metrics.Figure) bool {
	switch {
	case (a.Value == nil) != (b.Value == nil), a.Suppressed != b.Suppressed, a.Size() != b.Size():
		return false
	case a.Value != nil:
		return *a.Value == *b.Value && *a.CI == *b.CI
	}
	return true
}

// TestAskingAgainGivesTheSameFigures computes one input many times: every figure, to the
// last bit, is the same each time (floating-point sums in a fixed order).
func TestAskingAgainGivesTheSameFigures(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var stops []*lofte.Stop
	var tallies []*lofte.Tally
	for i, day := range []string{"2018-04-03", "2018-04-10", "2018-04-17", "2018-04-24", "2018-05-08"} {
		s := stop(string(rune('A'+i%3)), day, lofte.StatusHeld, 40)
		stops = append(stops, s)
		tallies = append(tallies, keyedTally(rng, s, map[string]map[string]int{
			"trust":        {"very_high": 3 + rng.IntN(6), "fairly_high": rng.IntN(6), "neither": rng.IntN(6), "fairly_low": rng.IntN(6), "very_low": rng.IntN(4)},
			"satisfaction": {"1": rng.IntN(4), "2": rng.IntN(4), "3": rng.IntN(6), "4": rng.IntN(8), "5": rng.IntN(8)}}))
	}
	in := metrics.Input{Promise: promise(), Localities: places(1000, 2000, 3000), Stops: stops, Tallies: tallies, Now: endOf2018}
	first, err := json.Marshal(compute(t, in, metrics.Scope{Group: metrics.GroupBasort}))
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		again, _ := json.Marshal(compute(t, in, metrics.Scope{Group: metrics.GroupBasort}))
		if !bytes.Equal(first, again) {
			t.Fatalf("asked again, the figures differ:\n%s\n%s", first, again)
		}
	}
}

// TestResultByKey: the groups by key, a key without a group nil.
func TestResultByKey(t *testing.T) {
	one := metrics.Metrics{"visitors": metrics.Count{}}
	res := &metrics.Result{Groups: []metrics.Group{{Key: "Tollarp", Metrics: one}}, Total: metrics.Group{Key: "all"}}
	got := res.ByKey()
	if len(got) != 1 || got["Tollarp"] == nil || got["Åhus"] != nil {
		t.Errorf("ByKey = %v, want Tollarp alone", got)
	}
}
