package metrics_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

func d(s string) lofte.Date {
	x, err := lofte.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return x
}

func promise() *lofte.Promise {
	return &lofte.Promise{ID: 1, MinN: 5, Period: lofte.Period{From: d("2018-01-01"), To: d("2018-12-31")},
		Excluded: []lofte.Period{{From: d("2018-06-01"), To: d("2018-08-31")}},
		Outcomes: []lofte.Outcome{
			{Code: "service", Indicators: []lofte.Indicator{
				{Metric: "delivery_rate", Direction: lofte.AtLeast, Kind: lofte.TargetAbsolute, Target: 0.9},
				{Metric: "satisfied", Direction: lofte.AtLeast, Kind: lofte.TargetAbsolute, Target: 0.8}}},
			{Code: "legitimacy", Indicators: []lofte.Indicator{
				{Metric: "trust_high", Direction: lofte.AtLeast, Kind: lofte.TargetBaselineDelta, Target: 0.05}}},
			{Code: "safety", Indicators: []lofte.Indicator{
				{Metric: "unsafe", Direction: lofte.AtMost, Kind: lofte.TargetBaselineDelta, Target: -0.05}}},
			{Code: "dialogue", Indicators: []lofte.Indicator{
				{Metric: "feedback_closed", Direction: lofte.AtLeast, Kind: lofte.TargetAbsolute, Target: 0.8}}},
		}}
}

var stopSeq int64

func stop(basort, day string, status lofte.StopStatus, visitors int) *lofte.Stop {
	stopSeq++
	start, _ := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", lofte.Zone)
	pub := start.AddDate(0, 0, -10)
	return &lofte.Stop{ID: stopSeq, Basort: basort, Place: "Torget", StartsAt: start, EndsAt: start.Add(3 * time.Hour),
		Kind: lofte.KindRegular, Status: status, PublishedAt: &pub, FieldLog: lofte.FieldLog{Visitors: visitors}}
}

func tally(s *lofte.Stop, opts map[string]map[string]int) *lofte.Tally {
	// Every test respondent answers each item given, so responses = the largest item total.
	n := 0
	for _, o := range opts {
		sum := 0
		for k, v := range o {
			if k != "*" {
				sum += v
			}
		}
		n = max(n, sum)
	}
	return &lofte.Tally{StopID: s.ID, Responses: n, Options: opts}
}

func fig(t *testing.T, m metrics.Metrics, code string) metrics.Figure {
	t.Helper()
	f, ok := m[code].(metrics.Figure)
	if !ok {
		t.Fatalf("%s is %T, not a figure", code, m[code])
	}
	return f
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestWilson(t *testing.T) {
	tests := []struct {
		x, n   int
		lo, hi float64
	}{
		{62, 100, 0.5220975521761144, 0.7090240081193264},
		{5, 7, 0.3589344495310541, 0.9177810767507166},
		{0, 10, 0, 0.2775328030260577},
		{10, 10, 0.7224671969739421, 1},
	}
	for _, tt := range tests {
		got := metrics.Wilson(tt.x, tt.n)
		if !near(got[0], tt.lo) || !near(got[1], tt.hi) {
			t.Errorf("Wilson(%d, %d) = %v, want [%v, %v]", tt.x, tt.n, got, tt.lo, tt.hi)
		}
	}
}

func TestSharesMeansAndSuppression(t *testing.T) {
	a := stop("Tollarp", "2018-03-14", lofte.StatusHeld, 20)
	b := stop("Åhus", "2018-03-15", lofte.StatusHeld, 10)
	in := metrics.Input{Promise: promise(), Stops: []*lofte.Stop{a, b}, Now: time.Date(2018, 12, 31, 0, 0, 0, 0, time.UTC),
		Tallies: []*lofte.Tally{
			// Tollarp: trust 3 very_high, 2 fairly_high, 1 neither, 1 very_low, 2 no_opinion → 5 of 7 valid.
			tally(a, map[string]map[string]int{"trust": {"very_high": 3, "fairly_high": 2, "neither": 1, "very_low": 1, "no_opinion": 2}}),
			// Åhus: 3 valid trust answers, below min_n 5.
			tally(b, map[string]map[string]int{"trust": {"very_high": 1, "neither": 2}}),
		}}
	only, err := metrics.Compute(in, metrics.Scope{Basorter: []string{"Tollarp"}})
	if err != nil {
		t.Fatal(err)
	}
	tol := fig(t, only.Total.Metrics, "trust_high")
	// 5/7 = 0.714…, Wilson [0.3589, 0.9178], n 7 < 30: uncertain.
	if tol.Value == nil || !near(*tol.Value, 5.0/7) || tol.N != 7 || !near(tol.CI[0], 0.3589344495310541) || !tol.Uncertain {
		t.Errorf("Tollarp trust_high %+v", tol)
	}
	// trust_mean: (3·5 + 2·4 + 1·3 + 1·1) / 7 = 27/7, sample SD over n−1.
	tm := fig(t, only.Total.Metrics, "trust_mean")
	if tm.Value == nil || !near(*tm.Value, 27.0/7) || !near(tm.CI[0], 2.7727274384048464) || !near(tm.CI[1], 4.941558275880868) {
		t.Errorf("trust_mean %+v", tm)
	}
	res, err := metrics.Compute(in, metrics.Scope{Group: metrics.GroupBasort})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Groups) != 2 || res.Groups[0].Key != "Tollarp" || res.Groups[1].Key != "Åhus" {
		t.Fatalf("groups %v", res.Groups)
	}
	ahus := fig(t, res.Groups[1].Metrics, "trust_high")
	if !ahus.Suppressed || ahus.Value != nil || ahus.CI != nil || ahus.N != 3 {
		t.Errorf("Åhus trust_high with n=3 %+v, want suppressed with n kept", ahus)
	}
	// The total (6 of 10) is shown; hiding Åhus alone would give it away (total − Tollarp),
	// so Tollarp is suppressed too.
	total := fig(t, res.Total.Metrics, "trust_high")
	if total.Value == nil || !near(*total.Value, 0.6) || total.N != 10 {
		t.Errorf("total %+v", total)
	}
	if f := fig(t, res.Groups[0].Metrics, "trust_high"); !f.Suppressed || f.N != 7 {
		t.Errorf("secondary suppression did not hide Tollarp: %+v", f)
	}
	// Empty: nobody answered worry.
	if w := fig(t, res.Total.Metrics, "worried"); w.N != 0 || w.Value != nil || w.Suppressed {
		t.Errorf("empty figure %+v", w)
	}
	// Counts are never suppressed.
	if c := res.Groups[1].Metrics["responses"].(metrics.Count); *c.Value != 3 {
		t.Errorf("responses %v", *c.Value)
	}
}

func TestSecondarySuppressionPicksTheSmallestOther(t *testing.T) {
	var stops []*lofte.Stop
	var tallies []*lofte.Tally
	for _, c := range []struct {
		basort string
		n      int
	}{{"A", 3}, {"B", 12}, {"C", 8}, {"D", 40}} {
		s := stop(c.basort, "2018-04-10", lofte.StatusHeld, 50)
		stops = append(stops, s)
		tallies = append(tallies, tally(s, map[string]map[string]int{"knew_in_advance": {"yes": c.n}}))
	}
	res, err := metrics.Compute(metrics.Input{Promise: promise(), Stops: stops, Tallies: tallies, Now: time.Now()}, metrics.Scope{Group: "basort"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, g := range res.Groups {
		got[g.Key] = fig(t, g.Metrics, "knew_in_advance").Suppressed
	}
	want := map[string]bool{"A": true, "B": false, "C": true, "D": false}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s suppressed = %v, want %v", k, got[k], v)
		}
	}
}

func TestDelivery(t *testing.T) {
	p := promise()
	s1 := stop("Tollarp", "2018-01-09", lofte.StatusHeld, 20)
	s2 := stop("Tollarp", "2018-01-23", lofte.StatusHeld, 10)
	s3 := stop("Tollarp", "2018-09-04", lofte.StatusHeld, 30) // across the summer
	s4 := stop("Åhus", "2018-02-01", lofte.StatusCancelled, 0)
	s4.CancelReason = "Storm"
	s5 := stop("Åhus", "2018-02-15", lofte.StatusPublished, 0) // past, never confirmed
	s6 := stop("Åhus", "2018-12-20", lofte.StatusPublished, 0) // future
	late := s2.StartsAt.AddDate(0, 0, -3)
	s2.PublishedAt = &late // announced only 3 days ahead
	ev := stop("Åhus", "2018-07-07", lofte.StatusHeld, 80)
	ev.Kind = lofte.KindEvent
	draft := stop("Tollarp", "2018-03-01", lofte.StatusDraft, 0)
	now := time.Date(2018, 12, 1, 0, 0, 0, 0, lofte.Zone)
	res, err := metrics.Compute(metrics.Input{Promise: p, Stops: []*lofte.Stop{s1, s2, s3, s4, s5, s6, ev, draft}, Now: now,
		Tallies: []*lofte.Tally{{StopID: s1.ID, Responses: 12}, {StopID: ev.ID, Responses: 30}}}, metrics.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Total.Metrics
	cnt := func(code string) float64 {
		c, ok := m[code].(metrics.Count)
		if !ok || c.Value == nil {
			t.Fatalf("%s = %v", code, m[code])
		}
		return *c.Value
	}
	// Planned: s1–s5 (past, published); held 3; cancelled 1; unconfirmed 1; the event apart.
	for code, want := range map[string]float64{"stops_planned": 5, "stops_held": 3, "stops_cancelled": 1, "unconfirmed": 1,
		"events": 1, "visitors": 60, "visitors_per_stop": 20, "visitors_per_hour": 60.0 / 9, "response_rate": 12.0 / 60,
		// Lead times 10, 3, 10 days → median 10.
		"announce_days_median": 10,
		// Gaps at Tollarp: 9→23 Jan = 14 days; 23 Jan→4 Sep = 224 days less 92 summer days = 132.
		"gap_days_median": 73, "gap_days_max": 132,
	} {
		if got := cnt(code); !near(got, want) {
			t.Errorf("%s = %v, want %v", code, got, want)
		}
	}
	if dr := fig(t, m, "delivery_rate"); !near(*dr.Value, 3.0/5) || dr.Suppressed || dr.N != 5 {
		t.Errorf("delivery_rate %+v", dr)
	}
	if a7 := fig(t, m, "announced_7d"); !near(*a7.Value, 2.0/3) {
		t.Errorf("announced_7d %+v", a7)
	}
}

func TestGapDays(t *testing.T) {
	p := promise()
	tests := []struct {
		name string
		days []string
		want []int
	}{
		{"one week", []string{"2018-03-06", "2018-03-13"}, []int{7}},
		{"unsorted", []string{"2018-03-20", "2018-03-06", "2018-03-13"}, []int{7, 7}},
		{"across the summer", []string{"2018-05-29", "2018-09-04"}, []int{6}},
		{"same day twice", []string{"2018-03-06", "2018-03-06"}, nil},
		{"one stop", []string{"2018-03-06"}, nil},
	}
	for _, tt := range tests {
		var ds []lofte.Date
		for _, s := range tt.days {
			ds = append(ds, d(s))
		}
		got := metrics.GapDays(p, ds)
		if len(got) != len(tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			}
		}
	}
}

func TestOutcomes(t *testing.T) {
	p := promise()
	var stops []*lofte.Stop
	var tallies []*lofte.Tally
	for i := range 10 {
		s := stop("Tollarp", "2018-03-"+[]string{"01", "02", "05", "06", "07", "08", "09", "12", "13", "14"}[i], lofte.StatusHeld, 10)
		stops = append(stops, s)
		tallies = append(tallies, tally(s, map[string]map[string]int{
			"satisfaction": {"5": 3, "4": 0, "2": 1}, // 30 of 40 satisfied overall: 0.75 < 0.80
			"trust":        {"very_high": 3, "neither": 1},
			"safety":       {"very_safe": 4},
		}))
	}
	in := metrics.Input{Promise: p, Stops: stops, Tallies: tallies, Now: time.Date(2018, 12, 1, 0, 0, 0, 0, time.UTC),
		Baselines: []*lofte.Baseline{{Metric: "trust_high", Value: 0.6, Source: "test"}}}
	res, err := metrics.Outcomes(in, metrics.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"service":    metrics.Partly,           // delivery 10/10 met, satisfied 0.75 not met
		"legitimacy": metrics.Met,              // trust 0.75 ≥ 0.60 + 0.05
		"safety":     metrics.InsufficientData, // unsafe 0 but no baseline to compare with
		"dialogue":   metrics.InsufficientData, // no feedback items
	}
	for _, o := range res.Outcomes {
		if o.Status != want[o.Code] {
			t.Errorf("%s: %s, want %s (%+v)", o.Code, o.Status, want[o.Code], o.Indicators)
		}
	}
	leg := res.Outcomes[1].Indicators[0]
	if leg.Target == nil || !near(*leg.Target, 0.65) || leg.Baseline == nil || *leg.Baseline != 0.6 {
		t.Errorf("legitimacy target %v baseline %v", leg.Target, leg.Baseline)
	}
}

// TestProperties checks, over random tallies, that shares stay in [0, 1], intervals hold
// their value, and no suppressed cell can be recovered from the total and the shown cells.
func TestProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		var stops []*lofte.Stop
		var tallies []*lofte.Tally
		for i := range 1 + rng.IntN(6) {
			s := stop(string(rune('A'+i)), "2018-04-10", lofte.StatusHeld, 30)
			stops = append(stops, s)
			tallies = append(tallies, tally(s, map[string]map[string]int{
				"trust": {"very_high": rng.IntN(6), "fairly_low": rng.IntN(6), "no_opinion": rng.IntN(3)}}))
		}
		res, err := metrics.Compute(metrics.Input{Promise: promise(), Stops: stops, Tallies: tallies, Now: time.Now()},
			metrics.Scope{Group: "basort"})
		if err != nil {
			t.Fatal(err)
		}
		tot := fig(t, res.Total.Metrics, "trust_high")
		hidden, shownN := 0, 0
		for _, g := range res.Groups {
			f := fig(t, g.Metrics, "trust_high")
			if f.Value != nil {
				if *f.Value < 0 || *f.Value > 1 || f.CI[0] > *f.Value+1e-12 || f.CI[1] < *f.Value-1e-12 {
					t.Fatalf("round %d: %+v", round, f)
				}
				shownN += f.N
			} else if f.Suppressed {
				hidden++
			}
		}
		if tot.Value != nil && hidden == 1 {
			t.Fatalf("round %d: exactly one hidden cell beside a shown total", round)
		}
	}
}

func TestCommentsShown(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want bool
	}{{0, false}, {9, false}, {10, true}, {250, true}} {
		if got := metrics.CommentsShown(tt.n); got != tt.want {
			t.Errorf("CommentsShown(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

func TestScopeWithPeriodDefault(t *testing.T) {
	period := lofte.Period{From: d("2018-01-01"), To: d("2018-12-31")}
	may, june := d("2018-05-01"), d("2018-06-30")
	tests := []struct {
		name     string
		from, to *lofte.Date
		want     [2]string
	}{
		{"neither given", nil, nil, [2]string{"2018-01-01", "2018-12-31"}},
		{"from given", &may, nil, [2]string{"2018-05-01", "2018-12-31"}},
		{"to given", nil, &june, [2]string{"2018-01-01", "2018-06-30"}},
		{"both given", &may, &june, [2]string{"2018-05-01", "2018-06-30"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := metrics.Scope{From: tt.from, To: tt.to, Basorter: []string{"Tollarp"}, MinN: 5}
			got := sc.WithPeriodDefault(period)
			if [2]string{got.From.String(), got.To.String()} != tt.want || len(got.Basorter) != 1 || got.MinN != 5 {
				t.Errorf("got %v–%v %v, want %v", got.From, got.To, got.Basorter, tt.want)
			}
			if sc.From != tt.from || sc.To != tt.to {
				t.Error("the scope given was changed")
			}
		})
	}
}
