package metrics_test

import (
	"math"
	"math/rand/v2"
	"strings"
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
	return &lofte.Promise{ID: 1, MinN: 5, StatusMinN: 20, Period: lofte.Period{From: d("2018-01-01"), To: d("2018-12-31")},
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

// keyedTally is tally with record-key sums drawn from rng, as the store keeps them.
func keyedTally(rng *rand.Rand, s *lofte.Stop, opts map[string]map[string]int) *lofte.Tally {
	t := tally(s, opts)
	t.ResponsesKey = rng.Uint32()
	t.OptionKeys = map[string]map[string]uint32{}
	for item, o := range opts {
		t.OptionKeys[item] = map[string]uint32{}
		for k := range o {
			t.OptionKeys[item][k] = rng.Uint32()
		}
	}
	return t
}

// places are localities A–E, each a basort with the given population, and a central town
// that is not a basort.
func places(pops ...int) []*lofte.Locality {
	out := []*lofte.Locality{{Name: "Centralorten", Population: 50000}}
	for i, p := range pops {
		out = append(out, &lofte.Locality{Name: string(rune('A' + i)), Population: p, Basort: true})
	}
	return out
}

// exact is a perturbation table that adds no noise, so that estimates can be checked by hand.
func exact(t *testing.T) *metrics.PTable {
	t.Helper()
	pt, err := metrics.ParsePTable(strings.NewReader("i,v,p,lb,ub\n0,0,1,0,1\n1,0,1,0,1\n2,0,1,0,1\n"))
	if err != nil {
		t.Fatal(err)
	}
	return pt
}

func compute(t *testing.T, in metrics.Input, sc metrics.Scope) *metrics.Result {
	t.Helper()
	res, err := metrics.Compute(in, sc)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func group(t *testing.T, res *metrics.Result, key string) metrics.Metrics {
	t.Helper()
	for _, g := range res.Groups {
		if g.Key == key {
			return g.Metrics
		}
	}
	t.Fatalf("no group %q in %d groups", key, len(res.Groups))
	return nil
}

func value(t *testing.T, m metrics.Metrics, code string) float64 {
	t.Helper()
	c, ok := m[code].(metrics.Count)
	if !ok || c.Value == nil {
		t.Fatalf("%s = %+v, want a defined count", code, m[code])
	}
	return *c.Value
}

var endOf2018 = time.Date(2019, 1, 15, 0, 0, 0, 0, time.UTC)

func fig(t *testing.T, m metrics.Metrics, code string) metrics.Figure {
	t.Helper()
	f, ok := m[code].(metrics.Figure)
	if !ok {
		t.Fatalf("%s is %T, not a figure", code, m[code])
	}
	return f
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

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
			sc := metrics.Scope{From: tt.from, To: tt.to, Basort: "Tollarp", Kind: "event"}
			got := sc.WithPeriodDefault(period)
			if [2]string{got.From.String(), got.To.String()} != tt.want || got.Basort != "Tollarp" || got.Kind != "event" {
				t.Errorf("got %v–%v %v, want %v", got.From, got.To, got.Basort, tt.want)
			}
			if sc.From != tt.from || sc.To != tt.to {
				t.Error("the scope given was changed")
			}
		})
	}
}
