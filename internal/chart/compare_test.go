package chart_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/chart"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// series returns the chart's series by name.
func series(t *testing.T, c chart.Chart) map[string]map[string]any {
	t.Helper()
	var opt struct {
		Series []map[string]any `json:"series"`
	}
	if err := json.Unmarshal([]byte(c.Options), &opt); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, s := range opt.Series {
		out[s["name"].(string)] = s
	}
	return out
}

func TestBasorterCompared(t *testing.T) {
	shown := metrics.Figure{Value: ptr(0.6), N: n(50), CI: &[2]float64{0.46, 0.72}}
	now := &metrics.Result{Groups: []metrics.Group{
		{Key: "Tollarp", Metrics: metrics.Metrics{"trust_high": shown}},
		{Key: "Nyby", Metrics: metrics.Metrics{"trust_high": shown}},
	}, Total: metrics.Group{Key: "all", Metrics: metrics.Metrics{"trust_high": shown}}}
	then := &metrics.Result{Groups: []metrics.Group{
		{Key: "Tollarp", Metrics: metrics.Metrics{"trust_high": metrics.Figure{Suppressed: true}}},
	}, Total: metrics.Group{Key: "all", Metrics: metrics.Metrics{"trust_high": metrics.Figure{Value: ptr(0.5), N: n(90), CI: &[2]float64{0.4, 0.6}}}}}
	c, err := chart.BasorterCompared(now, &chart.Earlier{Label: "2018", Now: "2019", Years: 1, Result: then})
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]string
	for _, r := range c.Table.Rows {
		got = append(got, [2]string{r[0], r[1]})
	}
	want := [][2]string{{"Tollarp, 2019", "60 % (46–72 %), n = 50"}, {"Tollarp, 2018", "för få svar"},
		{"Nyby, 2019", "60 % (46–72 %), n = 50"}, {"Nyby, 2018", metrics.MissingBasort},
		{"Hela området, 2019", "60 % (46–72 %), n = 50"}, {"Hela området, 2018", "50 % (40–60 %), n = 90"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got)\n%s", diff)
	}
	// Only shown earlier figures get a dash: the whole area's, at its category.
	ticks := series(t, c)["2018 (streck)"]
	if ticks == nil || ticks["renderItem"] != "fn:tick" || ticks["tooltip"].(map[string]any)["valueFormatter"] != "fn:earlier" {
		t.Fatalf("tick series %v", ticks)
	}
	data := ticks["data"].([]any)
	if len(data) != 1 {
		t.Fatalf("ticks %v, want the whole area's only", data)
	}
	if v := data[0].(map[string]any)["value"].([]any); v[0] != 2.0 || v[1] != 50.0 {
		t.Errorf("tick %v, want at category 2, 50 %%", v)
	}
}

func TestTrendAndDeliveryCompared(t *testing.T) {
	m := func(trust, held float64) metrics.Metrics {
		return metrics.Metrics{"trust_high": metrics.Figure{Value: ptr(trust), N: n(50), CI: &[2]float64{trust - 0.1, trust + 0.1}},
			"stops_held": metrics.Count{Value: ptr(held)}}
	}
	now := &metrics.Result{Groups: []metrics.Group{{Key: "2019-03", Metrics: m(0.6, 3)}, {Key: "2019-04", Metrics: m(0.7, 4)}}}
	then := &metrics.Result{Groups: []metrics.Group{{Key: "2018-04", Metrics: m(0.5, 2)}, {Key: "2018-05", Metrics: m(0.4, 1)}}}
	e := &chart.Earlier{Label: "2018-03 – 2018-05", Now: "2019-03 – 2019-05", Years: 1, Result: then}
	c, err := chart.TrendCompared(&lofte.Promise{}, now, e)
	if err != nil {
		t.Fatal(err)
	}
	s := series(t, c)
	values := func(name string) []any {
		var out []any
		for _, d := range s[name]["data"].([]any) {
			out = append(out, d.(map[string]any)["value"])
		}
		return out
	}
	// The months of both, the earlier set beside the same month a year on; a gap where a side has none.
	if diff := cmp.Diff([]any{60.0, 70.0, "-"}, values("Högt förtroende")); diff != "" {
		t.Errorf("now (-want +got)\n%s", diff)
	}
	earlier := s["Högt förtroende, 2018-03 – 2018-05"]
	if diff := cmp.Diff([]any{"-", 50.0, 40.0}, values("Högt förtroende, 2018-03 – 2018-05")); diff != "" {
		t.Errorf("earlier (-want +got)\n%s", diff)
	}
	if earlier["lineStyle"].(map[string]any)["type"] != "dashed" || earlier["itemStyle"].(map[string]any)["color"] != s["Högt förtroende"]["itemStyle"].(map[string]any)["color"] {
		t.Errorf("the earlier line is not its indicator's colour, dashed: %v", earlier)
	}
	if len(c.Table.Rows) != 4 || c.Table.Rows[2][0] != "2018-04" {
		t.Errorf("table rows %q, want the earlier months after the chosen ones", c.Table.Rows)
	}

	d, err := chart.DeliveryCompared(now, e)
	if err != nil {
		t.Fatal(err)
	}
	s = series(t, d)
	if diff := cmp.Diff([]any{0.0, 2.0, 1.0}, values("Genomförda, 2018-03 – 2018-05")); diff != "" {
		t.Errorf("earlier held (-want +got)\n%s", diff)
	}
}

func TestChangeCell(t *testing.T) {
	yes, no := true, false
	for _, tt := range []struct {
		c    metrics.Change
		want string
	}{
		{metrics.Change{Metric: "trust_high", Now: metrics.Figure{}, Change: ptr(0.052), CI: &[2]float64{0.012, 0.092}, Settled: &yes},
			"+5 procentenheter (+1 till +9), säkerställd ökning"},
		{metrics.Change{Metric: "unsafe", Now: metrics.Figure{}, Change: ptr(-0.03), CI: &[2]float64{-0.09, 0.03}, Settled: &no},
			"−3 procentenheter (−9 till +3), inte säkerställd"},
		{metrics.Change{Metric: "delivery_rate", Now: metrics.Count{}, Change: ptr(0.1)}, "+10 procentenheter"},
		{metrics.Change{Metric: "visitors", Now: metrics.Count{}, Change: ptr(-1200)}, "−1\u00a0200"},
		{metrics.Change{Metric: "stops_held", Now: metrics.Count{}, Change: ptr(0)}, "0"},
		{metrics.Change{Metric: "trust_high", Reason: "för få svar då: ingen förändring anges"}, "för få svar då: ingen förändring anges"},
	} {
		if got := chart.ChangeCell(tt.c); got != tt.want {
			t.Errorf("ChangeCell(%s %v) = %q, want %q", tt.c.Metric, tt.c.Change, got, tt.want)
		}
	}
	if got := chart.ValueCell("delivery_rate", metrics.Count{Value: ptr(0.9)}); got != "90 %" {
		t.Errorf("ValueCell(delivery_rate) = %q", got)
	}
	if got := chart.ValueCell("trust_high", nil); got != "–" {
		t.Errorf("ValueCell(nil) = %q", got)
	}
}
