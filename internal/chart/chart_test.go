package chart_test

import (
	"encoding/json"
	"strings"
	"testing"

	"medborgarlofte/internal/chart"
	"medborgarlofte/internal/metrics"
)

func ptr(x float64) *float64 { return &x }

func TestCell(t *testing.T) {
	tests := []struct {
		f    metrics.Figure
		want string
	}{
		{metrics.Figure{Value: ptr(0.62), N: 100, CI: &[2]float64{0.52, 0.71}}, "62 % (52–71 %), n = 100"},
		{metrics.Figure{Value: ptr(0.5), N: 12, CI: &[2]float64{0.25, 0.75}, Uncertain: true}, "50 % (25–75 %), n = 12, osäker skattning"},
		{metrics.Figure{N: 3, Suppressed: true, Uncertain: true}, "– för få svar (n = 3)"},
		{metrics.Figure{}, "inga svar"},
	}
	for _, tt := range tests {
		if got := chart.Cell(tt.f); got != tt.want {
			t.Errorf("Cell = %q, want %q", got, tt.want)
		}
	}
}

func TestBasorterOptionsAreData(t *testing.T) {
	evil := `</script><script>alert(1)</script>`
	res := &metrics.Result{Groups: []metrics.Group{
		{Key: "Tollarp", Metrics: metrics.Metrics{"trust_high": metrics.Figure{Value: ptr(0.6), N: 50, CI: &[2]float64{0.46, 0.72}}}},
		{Key: evil, Metrics: metrics.Metrics{"trust_high": metrics.Figure{N: 3, Suppressed: true}}},
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
}
