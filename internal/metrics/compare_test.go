package metrics_test

import (
	"errors"
	"strings"
	"testing"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// promiseOf is the test promise with its own id and period.
func promiseOf(id int64, from, to string) *lofte.Promise {
	p := promise()
	p.ID, p.Title, p.Period, p.Excluded = id, "Löfte "+from[:4], lofte.Period{From: d(from), To: d(to)}, nil
	return p
}

func TestEarlierPeriod(t *testing.T) {
	y2019 := promiseOf(2, "2019-01-01", "2019-12-31")
	for _, tt := range []struct {
		name             string
		now, then        *lofte.Promise
		from, to         string
		years            int
		wantFrom, wantTo string // "" when outside
		note             string
	}{
		{"spring a year back", y2019, promiseOf(1, "2018-01-01", "2018-12-31"), "2019-03-01", "2019-05-31", 1,
			"2018-03-01", "2018-05-31", "Samma dagar ett år tidigare: 2018-03-01 – 2018-05-31"},
		{"two years back", y2019, promiseOf(1, "2017-01-01", "2017-12-31"), "2019-03-01", "2019-05-31", 2,
			"2017-03-01", "2017-05-31", "Samma dagar 2 år tidigare"},
		{"promise years from July", promiseOf(2, "2019-07-01", "2020-06-30"), promiseOf(1, "2018-07-01", "2019-06-30"),
			"2020-01-01", "2020-02-29", 1, "2019-01-01", "2019-02-28", "2019-01-01 – 2019-02-28"},
		{"clipped to the earlier period", y2019, promiseOf(1, "2018-03-01", "2018-12-31"), "2019-01-01", "2019-04-30", 1,
			"2018-03-01", "2018-04-30", "Bara 2018-03-01 – 2018-04-30 ligger inom"},
		{"outside the earlier period", y2019, promiseOf(1, "2018-07-01", "2018-12-31"), "2019-01-01", "2019-03-31", 1,
			"", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			from, to := d(tt.from), d(tt.to)
			e, err := metrics.EarlierPeriod(tt.now, tt.then, metrics.Scope{From: &from, To: &to, Basort: "A"})
			if err != nil {
				t.Fatal(err)
			}
			if e.Years != tt.years || e.Promise != tt.then || e.Scope.Basort != "A" {
				t.Errorf("years %d, promise %v, basort %q; want %d", e.Years, e.Promise.ID, e.Scope.Basort, tt.years)
			}
			if tt.wantFrom == "" {
				if e.Outside == "" || !strings.Contains(e.Outside, "utanför") {
					t.Errorf("outside %q, want it said in words", e.Outside)
				}
				return
			}
			if e.Outside != "" || e.Scope.From.String() != tt.wantFrom || e.Scope.To.String() != tt.wantTo {
				t.Errorf("earlier %v – %v (outside %q), want %s – %s", e.Scope.From, e.Scope.To, e.Outside, tt.wantFrom, tt.wantTo)
			}
			if !strings.Contains(e.Note, tt.note) {
				t.Errorf("note %q, want it to say %q", e.Note, tt.note)
			}
		})
	}
	// Only an earlier promise can be compared with.
	sc := metrics.Scope{}.WithPeriodDefault(y2019.Period)
	for _, then := range []*lofte.Promise{y2019, promiseOf(3, "2020-01-01", "2020-12-31")} {
		var le *lofte.Error
		if _, err := metrics.EarlierPeriod(y2019, then, sc); !errors.As(err, &le) || le.Field != "compare" {
			t.Errorf("compared with promise %d: %v, want refused naming compare", then.ID, err)
		}
	}
}

// TestCompareUnderTheSameProtection: each side is computed under its own promise's rules, so
// a basort with too few answers then has its figure suppressed and no change; a basort that
// did not exist then says so; a change of two shown figures has an interval.
func TestCompareUnderTheSameProtection(t *testing.T) {
	then, now := promiseOf(1, "2018-01-01", "2018-12-31"), promiseOf(2, "2019-01-01", "2019-12-31")
	fewA := stop("A", "2018-03-06", lofte.StatusHeld, 20)
	manyB := stop("B", "2018-03-07", lofte.StatusHeld, 40)
	thenIn := metrics.Input{Promise: then, Localities: places(1000, 3000), Stops: []*lofte.Stop{fewA, manyB}, Now: endOf2018,
		PTable: exact(t), Tallies: []*lofte.Tally{
			tally(fewA, map[string]map[string]int{"trust": {"very_high": 3}}),
			tally(manyB, map[string]map[string]int{"trust": {"very_high": 100, "very_low": 100}}),
		}}
	var stops []*lofte.Stop
	var tallies []*lofte.Tally
	for _, b := range []string{"A", "B", "C"} {
		s := stop(b, "2019-03-06", lofte.StatusHeld, 40)
		stops = append(stops, s)
		tallies = append(tallies, tally(s, map[string]map[string]int{"trust": {"very_high": 150, "very_low": 50}}))
	}
	nowIn := metrics.Input{Promise: now, Localities: places(1000, 3000, 500), Stops: stops, Tallies: tallies,
		Now: endOf2018.AddDate(1, 0, 0), PTable: exact(t)}
	from, to := d("2019-03-01"), d("2019-05-31")
	sc := metrics.Scope{From: &from, To: &to}
	e, err := metrics.EarlierPeriod(now, then, sc)
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := metrics.Compare(e, nowIn, thenIn, sc)
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Scope == nil || cmp.Scope.From != "2018-03-01" || cmp.Scope.To != "2018-05-31" || cmp.Scope.MinN != 5 {
		t.Fatalf("earlier scope %+v", cmp.Scope)
	}
	places := map[string]metrics.Place{}
	for _, p := range cmp.Groups {
		places[p.Key] = p
	}
	if len(places) != 3 {
		t.Fatalf("groups %v, want A, B and C", cmp.Groups)
	}
	a, _ := places["A"].Change("trust_high")
	if f, _ := a.Then.(metrics.Figure); !f.Suppressed || f.Value != nil || a.Change != nil || !strings.Contains(a.Reason, "för få svar då") {
		t.Errorf("A: then %+v, change %v, reason %q; want suppressed then and no change", a.Then, a.Change, a.Reason)
	}
	b, _ := places["B"].Change("trust_high")
	if b.Change == nil || !near(*b.Change, 0.25) || b.CI == nil || b.CI[0] >= 0.25 || b.CI[1] <= 0.25 || b.Settled == nil || !*b.Settled {
		t.Errorf("B: change %v ci %v settled %v, want +0.25 with an interval around it", b.Change, b.CI, b.Settled)
	}
	if held, _ := places["B"].Change("stops_held"); held.Change == nil || *held.Change != 0 {
		t.Errorf("B: stops held change %+v, want 0", held)
	}
	c := places["C"]
	if c.Missing != metrics.MissingBasort {
		t.Errorf("C: missing %q, want %q", c.Missing, metrics.MissingBasort)
	}
	for _, ch := range c.Changes {
		if ch.Then != nil || ch.Change != nil || ch.Reason != metrics.MissingBasort || ch.Now == nil {
			t.Errorf("C %s: %+v, want only now and the reason", ch.Metric, ch)
		}
	}
	if !strings.Contains(cmp.Note, "omfattade då 2 basorter, nu 3") {
		t.Errorf("note %q does not say the whole area changed", cmp.Note)
	}
	// The whole area stands, then, on B alone (A suppressed).
	total, _ := cmp.Total.Change("trust_high")
	if f, _ := total.Then.(metrics.Figure); f.Value == nil || !near(*f.Value, 0.5) || f.Coverage == nil || !near(*f.Coverage, 0.75) {
		t.Errorf("whole area then %+v", total.Then)
	}

	// One basort that did not exist then: the total says so.
	sc.Basort = "C"
	e, _ = metrics.EarlierPeriod(now, then, sc)
	if cmp, err = metrics.Compare(e, nowIn, thenIn, sc); err != nil {
		t.Fatal(err)
	}
	if cmp.Total.Missing != metrics.MissingBasort || len(cmp.Groups) != 1 {
		t.Errorf("basort C alone: total %+v, groups %d", cmp.Total, len(cmp.Groups))
	}

	// A period outside the earlier promise: words, no figures, not zeros.
	janMar, mar := d("2019-01-01"), d("2019-03-31")
	short := promiseOf(1, "2018-07-01", "2018-12-31")
	sc = metrics.Scope{From: &janMar, To: &mar}
	e, _ = metrics.EarlierPeriod(now, short, sc)
	if cmp, err = metrics.Compare(e, nowIn, metrics.Input{Promise: short}, sc); err != nil {
		t.Fatal(err)
	}
	if cmp.Scope != nil || cmp.Outside == "" {
		t.Errorf("outside: scope %+v, outside %q", cmp.Scope, cmp.Outside)
	}
	for _, ch := range cmp.Total.Changes {
		if ch.Then != nil || ch.Change != nil || ch.Reason == "" {
			t.Errorf("outside %s: %+v, want no earlier figure and a reason", ch.Metric, ch)
		}
	}
}

func TestChangeWithheld(t *testing.T) {
	shown := func(v, half float64, uncertain bool) metrics.Figure {
		n := 200
		return metrics.Figure{Value: &v, N: &n, CI: &[2]float64{v - half, v + half}, Uncertain: uncertain}
	}
	zero := 0
	for _, tt := range []struct {
		name      string
		then, now metrics.Figure
		reason    string
	}{
		{"both shown", shown(0.5, 0.05, false), shown(0.6, 0.05, false), ""},
		{"suppressed now", shown(0.5, 0.05, false), metrics.Figure{Suppressed: true}, "för få svar nu"},
		{"suppressed both", metrics.Figure{Suppressed: true}, metrics.Figure{Suppressed: true}, "för få svar då och nu"},
		{"empty then", metrics.Figure{N: &zero}, shown(0.6, 0.05, false), "inga svar då"},
		{"uncertain then", shown(0.5, 0.2, true), shown(0.6, 0.05, false), "osäker skattning då"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := metrics.ChangeOf("trust_high", tt.then, tt.now)
			if tt.reason == "" {
				if c.Change == nil || !near(*c.Change, 0.1) || c.Reason != "" {
					t.Errorf("%+v, want a change of 0.1", c)
				}
				return
			}
			if c.Change != nil || c.CI != nil || !strings.HasPrefix(c.Reason, tt.reason) {
				t.Errorf("%+v, want no change and the reason %q", c, tt.reason)
			}
		})
	}
	// A delivery rate undefined then (no planned stop) gives no change, with its reason.
	rate := 0.9
	c := metrics.ChangeOf("delivery_rate", metrics.Count{Reason: "inget planerat besök"}, metrics.Count{Value: &rate})
	if c.Change != nil || c.Reason != "inget värde då (inget planerat besök): ingen förändring anges" {
		t.Errorf("%+v", c)
	}
}

// TestChangeIntervalFromUnclippedReach: a mean's interval clipped at the scale's top is
// wider than it shows; the change's interval is built from its unclipped reach, so the
// clipping does not make the change look surer.
func TestChangeIntervalFromUnclippedReach(t *testing.T) {
	n := 200
	fig := func(v, lo, hi float64) metrics.Figure {
		return metrics.Figure{Value: &v, N: &n, CI: &[2]float64{lo, hi}}
	}
	then := fig(4.6, 4.3, 4.9)
	clipped := fig(4.9, 4.6, 5.0) // 4.9 ± 0.3, clipped at 5
	whole := fig(4.9, 4.6, 5.2)   // the same, had the scale gone on
	got := metrics.ChangeOf("satisfaction_mean", then, clipped)
	want := metrics.ChangeOf("satisfaction_mean", then, whole)
	if got.CI == nil || want.CI == nil || !near(got.CI[0], want.CI[0]) || !near(got.CI[1], want.CI[1]) {
		t.Errorf("change interval %v with the clipped side, want %v as unclipped", got.CI, want.CI)
	}
	// ±0.3 on both sides: the change of 0.3 is not settled (its interval reaches below 0).
	if got.Settled == nil || *got.Settled {
		t.Errorf("settled %v, want not settled", got.Settled)
	}
}
