package chart

import (
	"fmt"
	"math"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/palette"
)

// Outline is the land the map is drawn on: a static file (web/static) of Sweden and its
// neighbours from Natural Earth, made by scripts/fetch-map, and the name echarts knows it by.
const (
	Outline     = "map/norden.json"
	OutlineName = "norden"
)

// MapKey is what the map's colours and symbols mean, shown under the map (a legend drawn
// inside it covered places): the colour scale of the trust figure from Low to High, the grey
// diamond of a place whose figure is withheld, the hollow diamond of a place where nobody
// answered (Empty, filled with EmptyColour), and what a symbol's size means.
type MapKey struct {
	Scale                 []ScaleStop
	Low, High, Suppressed string
	SuppressedColour      string
	Empty, EmptyColour    string
	Size                  string
}

// ScaleStop is one colour of the key's scale at its offset along it ("50%").
type ScaleStop struct{ Offset, Colour string }

func scaleStops(colours []string) []ScaleStop {
	out := make([]ScaleStop, len(colours))
	for i, c := range colours {
		out[i] = ScaleStop{fmt.Sprintf("%.0f%%", 100*float64(i)/float64(max(len(colours)-1, 1))), c}
	}
	return out
}

// Map places the basorter on the land outline in true proportions (a degree of longitude is
// cos(latitude) of a degree of latitude), framed on the basorter: each symbol is sized by
// visitors and coloured by the share with high trust; a basort whose trust figure is withheld
// is a grey diamond, one where nobody answered (n = 0, or no figures) a hollow diamond, each
// with its own key entry, never a colour of the scale (spec §7: "för få svar" ≠ "inga svar").
func Map(ls []*lofte.Locality, res *metrics.Result) (Chart, error) {
	const title = "Basorterna på kartan"
	shown, grey, empty := []any{}, []any{}, []any{}
	t := Table{Head: []string{"Ort", "Latitud", "Longitud", "Besökare", "Högt förtroende"}}
	var lons, lats []float64
	others := []any{}
	groups := res.ByKey()
	for _, l := range ls {
		if !l.Basort {
			// Drawn small, for orientation (the central town), without figures.
			others = append(others, map[string]any{"name": l.Name, "value": []any{l.Lon, l.Lat}})
			continue
		}
		m := groups[l.Name] // nil (no figures) for a basort outside a one-basort scope
		if m == nil && res.Scope.Basort != nil {
			continue
		}
		v := m.CountValue("visitors")
		f := m.Figure("trust_high")
		lons, lats = append(lons, l.Lon), append(lats, l.Lat)
		point := map[string]any{"name": l.Name, "symbolSize": 10 + math.Sqrt(v)}
		// The fifth value is the tooltip's words for a place without a colour.
		switch {
		case f.Value != nil:
			point["value"] = []any{l.Lon, l.Lat, pct(*f.Value), v}
			shown = append(shown, point)
		case f.Suppressed:
			point["value"] = []any{l.Lon, l.Lat, "-", v, suppressedLabel}
			grey = append(grey, point)
		default:
			point["value"] = []any{l.Lon, l.Lat, "-", v, emptyLabel}
			empty = append(empty, point)
		}
		t.Rows = append(t.Rows, []string{l.Name, degrees(l.Lat, "N", "S"), degrees(l.Lon, "Ö", "V"), Number(v), Cell(f)})
	}
	label := map[string]any{"show": true, "formatter": "{b}", "position": "right", "color": "#1b1b1b",
		"textBorderColor": "#fff", "textBorderWidth": 3, "fontSize": 13}
	series := func(name string, data []any, style map[string]any) map[string]any {
		return map[string]any{"name": name, "type": "scatter", "coordinateSystem": "geo", "data": data, "label": label,
			"labelLayout": map[string]any{"moveOverlap": "shiftY"}, "itemStyle": style,
			"emphasis": map[string]any{"scale": 1.2}, "tooltip": map[string]any{"formatter": fnMapTip}}
	}
	opt := map[string]any{
		"title":           map[string]any{"text": title, "show": false},
		"backgroundColor": palette.Sea,
		"animation":       false,
		"tooltip":         map[string]any{"trigger": "item"},
		"legend":          map[string]any{"show": false},
		"geo":             geo(lons, lats),
		"visualMap": []any{map[string]any{"type": "continuous", "show": false, "min": 0, "max": 100, "dimension": 2,
			"seriesIndex": 0, "inRange": map[string]any{"color": palette.Scale}}},
		"series": []any{
			series("Basorter", shown, map[string]any{"borderColor": palette.Whisker, "borderWidth": 1, "opacity": 0.9}),
			diamonds(series(mapSuppressed, grey, map[string]any{"color": palette.Suppressed, "borderColor": palette.Whisker, "borderWidth": 1})),
			diamonds(series(mapEmpty, empty, map[string]any{"color": mapEmptyFill, "borderColor": palette.Whisker, "borderWidth": 1.5})),
			map[string]any{"name": "Övriga orter", "type": "scatter", "coordinateSystem": "geo", "data": others, "symbolSize": 6,
				"itemStyle": map[string]any{"color": palette.Whisker}, "silent": true,
				"label": map[string]any{"show": true, "formatter": "{b}", "position": "left", "color": "#444", "fontStyle": "italic",
					"textBorderColor": "#fff", "textBorderWidth": 3, "fontSize": 12}},
		},
	}
	c, err := marshal("chart-map", title, opt, t)
	c.Map, c.MapName = Outline, OutlineName
	c.Key = &MapKey{Scale: scaleStops(palette.Scale), Low: "0 %", High: "100 % med högt förtroende", Suppressed: mapSuppressed,
		SuppressedColour: palette.Suppressed, Empty: mapEmpty, EmptyColour: mapEmptyFill, Size: "Större symbol: fler besökare"}
	return c, err
}

// diamonds draws a series' places as diamonds, the places without a trust colour.
func diamonds(s map[string]any) map[string]any {
	s["symbol"] = "diamond"
	return s
}

// mapSuppressed names the basorter whose trust figure is withheld, mapEmpty those where
// nobody answered; mapEmptyFill fills the latter's diamond (hollow, told apart by shape too).
const (
	mapSuppressed = "för få svar om förtroendet"
	mapEmpty      = "inga svar om förtroendet"
	mapEmptyFill  = "#ffffff"
)

// geo frames the outline on the places (with a margin, more to the east where their names
// are written, and at least about 20 km across so one basort is not drawn at street level),
// scaled so that distances are true at their middle latitude.
func geo(lons, lats []float64) map[string]any {
	regions := []any{}
	// Sweden is drawn as land; its neighbours paler, as context.
	for _, n := range []string{"Danmark", "Norge", "Finland"} {
		regions = append(regions, map[string]any{"name": n, "itemStyle": map[string]any{"areaColor": palette.Neighbour}})
	}
	g := map[string]any{"map": OutlineName, "roam": false, "silent": true,
		"left": 16, "right": 16, "top": 16, "bottom": 16,
		"itemStyle": map[string]any{"areaColor": palette.Land, "borderColor": palette.Border, "borderWidth": 0.8},
		"label":     map[string]any{"show": false}, "emphasis": map[string]any{"disabled": true},
		"regions": regions}
	if len(lons) == 0 {
		return g
	}
	w, e := minMax(lons)
	s, n := minMax(lats)
	mid := (s + n) / 2
	k := math.Cos(mid * math.Pi / 180)
	// Half-sizes in degrees of latitude; longitude spans shrink by k.
	half := max((n-s)/2, (e-w)*k/2, 0.1) * 1.35
	cx := (w + e) / 2
	g["aspectScale"] = k
	g["boundingCoords"] = [][]float64{{cx - half/k, mid + half}, {cx + 1.4*half/k, mid - half}}
	return g
}

func minMax(xs []float64) (lo, hi float64) {
	lo, hi = xs[0], xs[0]
	for _, x := range xs[1:] {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}

// degrees writes a coordinate the Swedish way: "55,9330° N", "13,9830° Ö".
func degrees(v float64, pos, neg string) string {
	side := pos
	if v < 0 {
		side, v = neg, -v
	}
	return lofte.Decimal(v, 4) + "° " + side
}
