package chart_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/chart"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/survey"
)

func ptr(x float64) *float64 { return &x }

func n(x int) *int { return &x }

func yes(b bool) *bool { return &b }

func TestCell(t *testing.T) {
	weighted := metrics.Figure{Value: ptr(0.62), N: n(1234), CI: &[2]float64{0.55, 0.69}, Weighted: yes(true), Coverage: ptr(0.853),
		Pooled: &metrics.Figure{Value: ptr(0.6), N: n(1300), CI: &[2]float64{0.57, 0.63}}}
	tests := []struct {
		name      string
		f         metrics.Figure
		cell, tab string
	}{
		{"one basort", metrics.Figure{Value: ptr(0.62), N: n(100), CI: &[2]float64{0.52, 0.71}}, "62 % (52–71 %), n = 100", ""},
		{"uncertain", metrics.Figure{Value: ptr(0.5), N: n(12), CI: &[2]float64{0.25, 0.75}, Uncertain: true},
			"50 % (25–75 %), n = 12, osäker skattning", ""},
		// A suppressed figure gives away nothing, not even its n.
		{"suppressed", metrics.Figure{Suppressed: true}, "för få svar", ""},
		{"empty", metrics.Figure{N: n(0)}, "inga svar", ""},
		{"whole area, weighted", weighted,
			"62 % (55–69 %), n = 1\u00a0234, vägd efter folkmängd, täcker 85 % av invånarna",
			"62 % (55–69 %), n = 1\u00a0234, vägd efter folkmängd, täcker 85 % av invånarna; ovägd: 60 % (57–63 %), n = 1\u00a0300"},
		{"whole area, a basort without population", metrics.Figure{Value: ptr(0.6), N: n(40), CI: &[2]float64{0.45, 0.75}, Uncertain: true, Weighted: yes(false)},
			"60 % (45–75 %), n = 40, osäker skattning, ovägd", ""},
		{"whole area, nothing shown", metrics.Figure{Suppressed: true, Weighted: yes(true), Coverage: ptr(0), Pooled: &metrics.Figure{Suppressed: true}},
			"för få svar", ""},
		{"whole area, empty", metrics.Figure{N: n(0), Weighted: yes(true), Coverage: ptr(0), Pooled: &metrics.Figure{N: n(0)}}, "inga svar", ""},
		// Every basort below the threshold, but together enough for the pooled figure.
		{"whole area, no basort shown", metrics.Figure{Suppressed: true, Weighted: yes(true), Coverage: ptr(0),
			Pooled: &metrics.Figure{Value: ptr(0.6), N: n(15), CI: &[2]float64{0.36, 0.8}, Uncertain: true}},
			"för få svar", "för få svar; ovägd: 60 % (36–80 %), n = 15, osäker skattning"},
	}
	for _, tt := range tests {
		if got := chart.Cell(tt.f); got != tt.cell {
			t.Errorf("%s: Cell = %q, want %q", tt.name, got, tt.cell)
		}
		if tt.tab == "" {
			tt.tab = tt.cell
		}
		if got := chart.TableCell(tt.f); got != tt.tab {
			t.Errorf("%s: TableCell = %q, want %q", tt.name, got, tt.tab)
		}
	}
}

func TestCountCell(t *testing.T) {
	for _, tt := range []struct {
		c    metrics.Count
		want string
	}{
		{metrics.Count{Value: ptr(0.9)}, "90 %"},
		{metrics.Count{Value: ptr(0)}, "0 %"},
		// An undefined rate is a dash and its reason, never 0.
		{metrics.Count{Reason: "inga planerade besök har passerats"}, "– (inga planerade besök har passerats)"},
		{metrics.Count{}, "–"},
	} {
		if got := chart.CountCell(tt.c, chart.Percent); got != tt.want {
			t.Errorf("CountCell(%+v) = %q, want %q", tt.c, got, tt.want)
		}
	}
}

func TestNumber(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{{0, "0"}, {7, "7"}, {12.5, "12,5"}, {999, "999"}, {2810, "2\u00a0810"}, {1234567, "1\u00a0234\u00a0567"}, {-1500, "−1\u00a0500"}, {3.14159, "3,1"}} {
		if got := chart.Number(tt.v); got != tt.want {
			t.Errorf("Number(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestBasorterOptionsAreData(t *testing.T) {
	evil := `</script><script>alert(1)</script>`
	area := metrics.Figure{Value: ptr(0.58), N: n(50), CI: &[2]float64{0.44, 0.72}, Uncertain: true, Weighted: yes(true), Coverage: ptr(0.7),
		Pooled: &metrics.Figure{Value: ptr(0.57), N: n(56), CI: &[2]float64{0.44, 0.7}, Uncertain: true}}
	res := &metrics.Result{Groups: []metrics.Group{
		{Key: "Tollarp", Metrics: metrics.Metrics{"trust_high": metrics.Figure{Value: ptr(0.6), N: n(50), CI: &[2]float64{0.46, 0.72}}}},
		{Key: evil, Metrics: metrics.Metrics{"trust_high": metrics.Figure{Suppressed: true}}},
	}, Total: metrics.Group{Key: "all", Metrics: metrics.Metrics{"trust_high": area}}}
	c, err := chart.Basorter(res)
	if err != nil {
		t.Fatal(err)
	}
	var opt map[string]any
	if err := json.Unmarshal([]byte(c.Options), &opt); err != nil {
		t.Fatalf("options are not JSON: %v", err)
	}
	for _, k := range []string{"series", "xAxis", "yAxis", "title"} {
		if _, ok := opt[k]; !ok {
			t.Errorf("options lack %s", k)
		}
	}
	if strings.Contains(c.Options, "<script>") {
		t.Error("the options carry raw markup; json.Marshal should escape < and >")
	}
	if !strings.Contains(c.Options, "för få svar") {
		t.Error("a suppressed cell is not labelled för få svar")
	}
	// The whole area closes the comparison, weighted, with the pooled figure beside it.
	if len(c.Table.Rows) != 3 || c.Table.Rows[1][0] != evil || c.Table.Rows[1][1] != "för få svar" || c.Table.Rows[2][0] != "Hela området" ||
		c.Table.Rows[2][1] != chart.TableCell(area) || !strings.Contains(c.Table.Rows[2][1], "ovägd: 57 %") {
		t.Errorf("table rows %q", c.Table.Rows)
	}
	// Shares are drawn on a 0–100 scale with "%" labels, and each shown share has its
	// interval as a whisker beside its bar.
	if y := opt["yAxis"].([]any)[0].(map[string]any); y["max"] != 100.0 || y["axisLabel"].(map[string]any)["formatter"] != "{value} %" {
		t.Errorf("y axis %v", y)
	}
	var bars, whiskers int
	for _, s := range opt["series"].([]any) {
		sm := s.(map[string]any)
		data := sm["data"].([]any)
		switch sm["type"] {
		case "bar":
			bars++
			if sm["name"] == "Högt förtroende" && data[0].(map[string]any)["value"] != 60.0 {
				t.Errorf("Tollarp's bar is %v, want 60", data[0])
			}
		case "custom":
			whiskers++
			if sm["renderItem"] != "fn:errorbar" || sm["tooltip"].(map[string]any)["valueFormatter"] != "fn:interval" {
				t.Errorf("whisker series %v", sm)
			}
			if sm["z"] == nil || sm["encode"] == nil {
				t.Errorf("whiskers are not drawn on top of the bars: %v", sm)
			}
			if len(data) > 0 {
				v := data[0].(map[string]any)["value"].([]any)
				if v[0] != 0.0 || v[1] != 46.0 || v[2] != 72.0 || v[3].(float64) >= 0 {
					t.Errorf("Tollarp's trust whisker %v, want [0 46 72 <0] (the first bar lies left of the middle)", v)
				}
				if sm["name"] == "95 % konfidensintervall" && len(data) == 2 {
					if v := data[1].(map[string]any)["value"].([]any); v[0] != 2.0 || v[1] != 44.0 {
						t.Errorf("the whole area's whisker %v, want it at the third category from 44", v)
					}
				}
			}
		}
	}
	if bars != len(metrics.KeyIndicators) || whiskers != len(metrics.KeyIndicators) {
		t.Errorf("%d bar and %d whisker series, want %d of each", bars, whiskers, len(metrics.KeyIndicators))
	}
	if opt["tooltip"].(map[string]any)["valueFormatter"] != "fn:percent" {
		t.Errorf("tooltip %v does not format values as Swedish percentages", opt["tooltip"])
	}

	// One basort's result compares that basort alone.
	basort := "Tollarp"
	res.Scope.Basort = &basort
	res.Groups = res.Groups[:1]
	if c, err := chart.Basorter(res); err != nil || len(c.Table.Rows) != 1 || c.Table.Rows[0][0] != "Tollarp" {
		t.Errorf("one basort: rows %q (%v)", c.Table.Rows, err)
	}
}

// TestBarsWithoutValueKeepTheirWords: where no bar of a category has a value, the label is
// written once (on the middle bar) only when every bar says the same; bars that say different
// things ("för få svar", "inga svar") each keep theirs.
func TestBarsWithoutValueKeepTheirWords(t *testing.T) {
	mixed, same := metrics.Metrics{}, metrics.Metrics{}
	for i, code := range metrics.KeyIndicators {
		same[code] = metrics.Figure{Suppressed: true}
		mixed[code] = metrics.Figure{N: n(0)}
		if i%2 == 0 {
			mixed[code] = metrics.Figure{Suppressed: true}
		}
	}
	res := &metrics.Result{Groups: []metrics.Group{{Key: "Mixed", Metrics: mixed}, {Key: "Same", Metrics: same}}}
	c, err := chart.Basorter(res)
	if err != nil {
		t.Fatal(err)
	}
	var opt struct {
		Series []struct {
			Type string `json:"type"`
			Data []struct {
				Label map[string]any `json:"label"`
			} `json:"data"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(c.Options), &opt); err != nil {
		t.Fatal(err)
	}
	shown := map[int][]any{} // category → the words of the bars whose label is shown
	for _, s := range opt.Series {
		if s.Type != "bar" {
			continue
		}
		for j, d := range s.Data[:2] {
			if d.Label["show"] != false {
				shown[j] = append(shown[j], d.Label["formatter"])
			}
		}
	}
	if got := shown[0]; len(got) != len(metrics.KeyIndicators) || !slices.Contains(got, "inga svar") || !slices.Contains(got, "för få svar") {
		t.Errorf("mixed category shows %q, want every bar's own words", got)
	}
	if got := shown[1]; len(got) != 1 || got[0] != "för få svar" {
		t.Errorf("category where all say the same shows %q, want för få svar once", got)
	}
}

// TestDeliveryIsRegularStops: summer events are reported on their own, not as a series of the
// promise's delivery chart.
func TestDeliveryIsRegularStops(t *testing.T) {
	m := metrics.Metrics{"stops_planned": metrics.Count{Value: ptr(4)}, "stops_held": metrics.Count{Value: ptr(3)},
		"stops_cancelled": metrics.Count{Value: ptr(1)}, "unconfirmed": metrics.Count{Value: ptr(0)}, "events": metrics.Count{Value: ptr(2)}}
	c, err := chart.Delivery(&metrics.Result{Groups: []metrics.Group{{Key: "2018-04", Metrics: m}}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]string{{"2018-04", "4", "3", "1", "0"}}, c.Table.Rows); diff != "" || slices.Contains(c.Table.Head, "Sommarevenemang") {
		t.Errorf("head %q, rows (-want +got)\n%s", c.Table.Head, diff)
	}
	if strings.Contains(c.Options, "Sommarevenemang") {
		t.Error("summer events are drawn among the promise's stops")
	}
}

// TestGapsUndefined: a gap that cannot be measured is no bar and "–" with its reason in the
// table, never 0.
func TestGapsUndefined(t *testing.T) {
	none := metrics.Count{Reason: "inga aktiva dagar i perioden"}
	res := &metrics.Result{Groups: []metrics.Group{
		{Key: "Tollarp", Metrics: metrics.Metrics{"gap_days_median": metrics.Count{Value: ptr(12.5)}, "gap_days_max": metrics.Count{Value: ptr(30)},
			"stops_held": metrics.Count{Value: ptr(3)}}},
		{Key: "Åhus", Metrics: metrics.Metrics{"gap_days_median": none, "gap_days_max": none, "stops_held": metrics.Count{Value: ptr(0)}}},
	}}
	c, err := chart.Gaps(res)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"Tollarp", "12,5", "30", "3"}, {"Åhus", "– (inga aktiva dagar i perioden)", "– (inga aktiva dagar i perioden)", "0"}}
	if diff := cmp.Diff(want, c.Table.Rows); diff != "" {
		t.Errorf("rows (-want +got)\n%s", diff)
	}
	var opt struct {
		Series []struct {
			Data []struct{ Value any } `json:"data"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(c.Options), &opt); err != nil {
		t.Fatal(err)
	}
	for _, s := range opt.Series {
		if len(s.Data) != 2 || s.Data[1].Value != "-" {
			t.Errorf("Åhus's undefined gap is drawn as %v, want no bar (\"-\")", s.Data)
		}
	}
}

func TestDistributionInCatalogueOrder(t *testing.T) {
	cat := survey.Default()
	res := &metrics.Result{Total: metrics.Group{Metrics: metrics.Metrics{"reason": metrics.Distribution{
		"curious": metrics.Figure{Value: ptr(0.4), N: n(50)}, "tip": metrics.Figure{Value: ptr(0.1), N: n(50)}}}}}
	c, err := chart.Distribution("chart-reason", "Varför folk kom", res, "reason",
		func(code string) string { return cat.OptionText("sv", "reason", code) })
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range c.Table.Rows {
		got = append(got, row[0])
	}
	var want []string
	for _, code := range cat.Options("reason") {
		want = append(want, cat.OptionText("sv", "reason", code))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got)\n%s", diff)
	}
	if c.Table.Rows[1][1] != "10 %, n = 50" {
		t.Errorf("tip's row %v", c.Table.Rows[1])
	}
}

func TestIndicators(t *testing.T) {
	area := metrics.Figure{Value: ptr(0.7), N: n(40), CI: &[2]float64{0.6, 0.8}, Weighted: yes(false)}
	tab := chart.Indicators(metrics.Metrics{"trust_high": area, "unsafe": metrics.Figure{Suppressed: true}})
	if len(tab.Rows) != len(metrics.KeyIndicators) {
		t.Fatalf("rows %q, want one per key indicator", tab.Rows)
	}
	got := map[string]string{}
	for _, r := range tab.Rows {
		got[r[0]] = r[1]
	}
	want := map[string]string{"Högt förtroende": "70 % (60–80 %), n = 40, ovägd", "Otrygga": "för få svar", "Visste i förväg": "inga svar"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
}
