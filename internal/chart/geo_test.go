package chart_test

import (
	"encoding/json"
	"math"
	"testing"

	"medborgarlofte/internal/chart"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// TestMapPlacesEveryBasort: every basort is on the map, those with a trust figure coloured by
// it and those without as diamonds of their own series; the central town is a dot for
// orientation; the view is framed on the basorter in true proportions.
func TestMapPlacesEveryBasort(t *testing.T) {
	ls := []*lofte.Locality{
		{Name: "Kristianstad", Lat: 56.03, Lon: 14.16},
		{Name: "Tollarp", Lat: 55.93, Lon: 13.98, Basort: true},
		{Name: "Åhus", Lat: 55.92, Lon: 14.28, Basort: true},
		{Name: "Arkelstorp", Lat: 56.15, Lon: 14.3, Basort: true},
	}
	res := &metrics.Result{Groups: []metrics.Group{
		{Key: "Tollarp", Metrics: metrics.Metrics{"visitors": metrics.Count{Value: ptr(100)}, "trust_high": metrics.Figure{Value: ptr(0.62), N: n(80)}}},
		{Key: "Åhus", Metrics: metrics.Metrics{"visitors": metrics.Count{Value: ptr(9)}, "trust_high": metrics.Figure{Suppressed: true}}},
	}}
	c, err := chart.Map(ls, res)
	if err != nil {
		t.Fatal(err)
	}
	if c.Map != chart.Outline || c.MapName != chart.OutlineName || c.Key == nil || c.Empty != "" {
		t.Errorf("map %q named %q, key %v, empty %q", c.Map, c.MapName, c.Key, c.Empty)
	}
	var opt struct {
		Geo struct {
			Map            string       `json:"map"`
			AspectScale    float64      `json:"aspectScale"`
			BoundingCoords [][2]float64 `json:"boundingCoords"`
		} `json:"geo"`
		Series []struct {
			Name string `json:"name"`
			Data []struct {
				Name  string `json:"name"`
				Value []any  `json:"value"`
			} `json:"data"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(c.Options), &opt); err != nil {
		t.Fatal(err)
	}
	names := map[string][]string{}
	for _, s := range opt.Series {
		for _, d := range s.Data {
			names[s.Name] = append(names[s.Name], d.Name)
		}
	}
	if got := names["Basorter"]; len(got) != 1 || got[0] != "Tollarp" {
		t.Errorf("coloured places %q, want Tollarp", got)
	}
	// Åhus is suppressed, Arkelstorp has no figures at all: neither a colour, and told apart.
	if got := names["för få svar om förtroendet"]; len(got) != 1 || got[0] != "Åhus" {
		t.Errorf("grey places %q, want Åhus", got)
	}
	if got := names["inga svar om förtroendet"]; len(got) != 1 || got[0] != "Arkelstorp" {
		t.Errorf("places without answers %q, want Arkelstorp", got)
	}
	if got := names["Övriga orter"]; len(got) != 1 || got[0] != "Kristianstad" {
		t.Errorf("other places %q", got)
	}
	if opt.Geo.Map != chart.OutlineName || math.Abs(opt.Geo.AspectScale-math.Cos(56.035*math.Pi/180)) > 0.001 {
		t.Errorf("geo %+v: want the outline at cos(mid latitude)", opt.Geo)
	}
	if b := opt.Geo.BoundingCoords; len(b) != 2 || b[0][0] > 13.98 || b[1][0] < 14.3 || b[0][1] < 56.15 || b[1][1] > 55.92 {
		t.Errorf("the view %v does not hold every basort", b)
	}
	if len(c.Table.Rows) != 3 || c.Table.Rows[0][1] != "55,9300° N" || c.Table.Rows[0][2] != "13,9800° Ö" {
		t.Errorf("table %q", c.Table.Rows)
	}
}

// TestMapTellsNoAnswersFromTooFew (spec §7): a place where nobody answered (n = 0) is not
// drawn as one whose figure is withheld: its own series, a hollow diamond rather than a grey
// one, its own key entry, and its own words for the tooltip.
func TestMapTellsNoAnswersFromTooFew(t *testing.T) {
	ls := []*lofte.Locality{
		{Name: "Tollarp", Lat: 55.93, Lon: 13.98, Basort: true},
		{Name: "Åhus", Lat: 55.92, Lon: 14.28, Basort: true},
	}
	res := &metrics.Result{Groups: []metrics.Group{
		{Key: "Tollarp", Metrics: metrics.Metrics{"visitors": metrics.Count{Value: ptr(40)}, "trust_high": metrics.Figure{N: n(0)}}},
		{Key: "Åhus", Metrics: metrics.Metrics{"visitors": metrics.Count{Value: ptr(9)}, "trust_high": metrics.Figure{Suppressed: true}}},
	}}
	c, err := chart.Map(ls, res)
	if err != nil {
		t.Fatal(err)
	}
	var opt struct {
		Series []struct {
			Name      string            `json:"name"`
			Symbol    string            `json:"symbol"`
			ItemStyle map[string]any    `json:"itemStyle"`
			Data      []json.RawMessage `json:"data"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(c.Options), &opt); err != nil {
		t.Fatal(err)
	}
	type point struct {
		Name  string `json:"name"`
		Value []any  `json:"value"`
	}
	fills := map[string]any{}
	for _, tc := range []struct{ series, place, words string }{
		{"för få svar om förtroendet", "Åhus", "för få svar"},
		{"inga svar om förtroendet", "Tollarp", "inga svar"},
	} {
		found := false
		for _, s := range opt.Series {
			if s.Name != tc.series {
				continue
			}
			found = true
			if len(s.Data) != 1 {
				t.Fatalf("%s: %d places, want %s", tc.series, len(s.Data), tc.place)
			}
			var p point
			if err := json.Unmarshal(s.Data[0], &p); err != nil {
				t.Fatal(err)
			}
			if p.Name != tc.place || len(p.Value) != 5 || p.Value[2] != "-" || p.Value[4] != tc.words {
				t.Errorf("%s: %+v, want %s without a value, tooltip %q", tc.series, p, tc.place, tc.words)
			}
			if s.Symbol != "diamond" {
				t.Errorf("%s drawn as %q", tc.series, s.Symbol)
			}
			fills[tc.series] = s.ItemStyle["color"]
		}
		if !found {
			t.Errorf("no series %q", tc.series)
		}
	}
	if fills["för få svar om förtroendet"] == fills["inga svar om förtroendet"] {
		t.Errorf("both diamonds filled %v: not told apart", fills)
	}
	k := c.Key
	if k == nil || k.Empty != "inga svar om förtroendet" || k.Suppressed != "för få svar om förtroendet" ||
		k.EmptyColour != fills["inga svar om förtroendet"] || k.SuppressedColour != fills["för få svar om förtroendet"] {
		t.Errorf("key %+v does not match the series %v", k, fills)
	}
	if got := c.Table.Rows[0][4]; got != "inga svar" {
		t.Errorf("Tollarp's table cell %q, want inga svar", got)
	}
}

// TestEmptyStates: a chart with nothing to draw says why in words instead of empty axes.
func TestEmptyStates(t *testing.T) {
	none := &metrics.Result{Groups: []metrics.Group{{Key: "2018-07", Metrics: metrics.Metrics{"trust_high": metrics.Figure{N: n(0)},
		"stops_planned": metrics.Count{Value: ptr(0)}}}}}
	few := &metrics.Result{Groups: []metrics.Group{{Key: "Tollarp", Metrics: metrics.Metrics{"trust_high": metrics.Figure{Suppressed: true}}}}}
	b1, _ := chart.Basorter(few)
	d, _ := chart.Delivery(none)
	tr, _ := chart.Trend(&lofte.Promise{}, none)
	ok, _ := chart.Basorter(&metrics.Result{Groups: []metrics.Group{{Key: "Tollarp", Metrics: metrics.Metrics{"trust_high": metrics.Figure{Value: ptr(0.5), N: n(20)}}}}})
	for _, tt := range []struct {
		name string
		c    chart.Chart
		want string
	}{
		{"every figure withheld", b1, "För få enkätsvar i urvalet för att visa något att jämföra."},
		{"no stop has passed", d, "Inga planerade besök har passerats i urvalet."},
		{"no answers", tr, "Inga enkätsvar i urvalet, inget att visa månad för månad."},
		{"figures", ok, ""},
	} {
		if tt.c.Empty != tt.want {
			t.Errorf("%s: empty %q, want %q", tt.name, tt.c.Empty, tt.want)
		}
	}
}
