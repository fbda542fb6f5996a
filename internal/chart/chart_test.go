package chart_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/chart"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/survey"
)

func ptr(x float64) *float64 { return &x }

func n(x int) *int { return &x }

func TestCell(t *testing.T) {
	tests := []struct {
		f    metrics.Figure
		want string
	}{
		{metrics.Figure{Value: ptr(0.62), N: n(100), CI: &[2]float64{0.52, 0.71}}, "62 % (52–71 %), n = 100"},
		{metrics.Figure{Value: ptr(0.5), N: n(12), CI: &[2]float64{0.25, 0.75}, Uncertain: true}, "50 % (25–75 %), n = 12, osäker skattning"},
		{metrics.Figure{Suppressed: true}, "– för få svar"},
		{metrics.Figure{}, "inga svar"},
	}
	for _, tt := range tests {
		if got := chart.Cell(tt.f); got != tt.want {
			t.Errorf("Cell = %q, want %q", got, tt.want)
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
	res := &metrics.Result{Groups: []metrics.Group{
		{Key: "Tollarp", Metrics: metrics.Metrics{"trust_high": metrics.Figure{Value: ptr(0.6), N: n(50), CI: &[2]float64{0.46, 0.72}}}},
		{Key: evil, Metrics: metrics.Metrics{"trust_high": metrics.Figure{Suppressed: true}}},
	}}
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
	if len(c.Table.Rows) != 2 || c.Table.Rows[1][0] != evil {
		t.Errorf("table rows %v", c.Table.Rows)
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
			}
		}
	}
	if bars != len(metrics.KeyIndicators) || whiskers != len(metrics.KeyIndicators) {
		t.Errorf("%d bar and %d whisker series, want %d of each", bars, whiskers, len(metrics.KeyIndicators))
	}
	if opt["tooltip"].(map[string]any)["valueFormatter"] != "fn:percent" {
		t.Errorf("tooltip %v does not format values as Swedish percentages", opt["tooltip"])
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
