// Package chart turns metric results into echarts options with go-echarts. It returns the
// options as JSON data, never as script: pages put them into an attribute through
// html/template escaping, and one small embedded script hands them to echarts, so a basort
// name or topic holding markup stays text. Every chart comes with a data table for screen
// readers and copying.
package chart

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/survey"
)

// Chart is one chart: a fixed element id, its options as JSON and the same data as a table.
type Chart struct {
	ID      string
	Title   string
	Options string
	Table   Table
}

// Table is a chart's data for people who cannot or will not read the chart.
type Table struct {
	Head []string
	Rows [][]string
}

type validator interface {
	Validate()
	JSON() map[string]interface{}
}

// Named functions: option values that web/static/dashboard.js swaps for its own fixed
// functions (formatters, the error-bar renderer). Only these names, and only under the keys
// formatter, valueFormatter and renderItem, are swapped, so data can never become code.
const (
	fnPercent  = "fn:percent"  // 62.3 → "62 %"
	fnNumber   = "fn:number"   // 12.5 → "12,5"
	fnInterval = "fn:interval" // [i, 52.1, 71.4, offset] → "52–71 %"
	fnMapPoint = "fn:mapPoint" // [lon, lat, trust %, visitors] → "förtroende 62 %, 230 besökare"
	fnErrorBar = "fn:errorbar" // draws a whisker from low to high beside its bar
)

// build validates a go-echarts chart and turns it into option JSON; tweaks edit the options
// where go-echarts has no field for what echarts takes (valueFormatter, series tooltips).
func build(id, title string, c validator, t Table, tweaks ...func(map[string]any)) (Chart, error) {
	c.Validate()
	opt := c.JSON()
	// go-echarts adds page-level keys (assets, ids) that are not chart options.
	for _, k := range []string{"initialization", "assets", "ChartID"} {
		delete(opt, k)
	}
	b, err := json.Marshal(opt)
	if err != nil {
		return Chart{}, fmt.Errorf("chart %s: %w", id, err)
	}
	if len(tweaks) > 0 {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return Chart{}, fmt.Errorf("chart %s: %w", id, err)
		}
		for _, tw := range tweaks {
			tw(m)
		}
		if b, err = json.Marshal(m); err != nil {
			return Chart{}, fmt.Errorf("chart %s: %w", id, err)
		}
	}
	return Chart{ID: id, Title: title, Options: string(b), Table: t}, nil
}

// valueFormat sets the tooltip's value formatter to one of the named functions.
func valueFormat(name string) func(map[string]any) {
	return func(m map[string]any) {
		tt, _ := m["tooltip"].(map[string]any)
		if tt == nil {
			tt = map[string]any{}
			m["tooltip"] = tt
		}
		tt["valueFormatter"] = name
	}
}

// seriesTooltip gives the series of the given type their own tooltip value formatter.
func seriesTooltip(typ, name string) func(map[string]any) {
	return func(m map[string]any) {
		series, _ := m["series"].([]any)
		for _, s := range series {
			if sm, ok := s.(map[string]any); ok && sm["type"] == typ {
				sm["tooltip"] = map[string]any{"valueFormatter": name}
			}
		}
	}
}

// everyLabel shows every category's name on the x axis (echarts skips some when crowded),
// slanted when there are many.
func everyLabel(m map[string]any) {
	for _, x := range m["xAxis"].([]any) {
		xm := x.(map[string]any)
		label := map[string]any{"interval": 0}
		if data, _ := xm["data"].([]any); len(data) > 6 {
			label["rotate"] = 30
		}
		xm["axisLabel"] = label
	}
}

// markSuppressed writes "för få svar" upright in the place of a suppressed bar, which has no
// height of its own to carry a label.
func markSuppressed(m map[string]any) {
	for _, s := range m["series"].([]any) {
		sm := s.(map[string]any)
		if sm["type"] != "bar" {
			continue
		}
		data, _ := sm["data"].([]any)
		for _, d := range data {
			dm := d.(map[string]any)
			if label, ok := dm["label"].(map[string]any); ok && label["formatter"] == suppressedLabel {
				dm["value"] = 0
				label["rotate"], label["align"], label["verticalAlign"], label["distance"] = 90, "left", "middle", 4
				label["color"] = "#1b1b1b"
			}
		}
	}
}

// suppressedLabel marks a suppressed cell in a chart, as "–" does in tables.
const suppressedLabel = "för få svar"

// pct is a share on the charts' 0–100 scale, to one decimal.
func pct(v float64) float64 { return math.Round(v*1000) / 10 }

// percentAxis is the value axis of shares: 0–100 with "%" on the labels.
var percentAxis = opts.YAxis{Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value} %"}}

// Bar layout used for the error bars' positions; echarts' own defaults, written out so the
// whiskers land on their bars.
const (
	barGap         = 0.3
	barCategoryGap = 0.2
)

// barOffsets returns where the centre of each of k bars in a category lies, as a fraction of
// the category's width from its middle.
func barOffsets(k int) []float64 {
	inner := 1 - barCategoryGap
	w := inner / (float64(k) + barGap*float64(k-1))
	out := make([]float64, k)
	for i := range out {
		out[i] = -inner/2 + w/2 + float64(i)*w*(1+barGap)
	}
	return out
}

// Percent formats a share the Swedish way: "62 %".
func Percent(v float64) string { return fmt.Sprintf("%.0f %%", math.Round(v*100)) }

// Cell formats a figure for a table: "62 % (52–71 %), n = 100", "– för få svar", "inga svar".
func Cell(f metrics.Figure) string {
	switch {
	case f.Suppressed:
		return "– för få svar"
	case f.Value == nil:
		return "inga svar"
	}
	s := Percent(*f.Value)
	if f.CI != nil {
		s += fmt.Sprintf(" (%s–%s)", strings.TrimSuffix(Percent(f.CI[0]), " %"), Percent(f.CI[1]))
	}
	s += fmt.Sprintf(", n = %d", f.Size())
	if f.Uncertain {
		s += ", osäker skattning"
	}
	return s
}

func base(title string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithTitleOpts(opts.Title{Title: title}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithAnimation(false),
	}
}

// Basorter compares the basorter on the key indicators; suppressed cells show "för få svar".
func Basorter(res *metrics.Result) (Chart, error) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base("Basorterna jämförda"),
		charts.WithYAxisOpts(percentAxis),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}))...)
	var keys []string
	for _, g := range res.Groups {
		keys = append(keys, g.Key)
	}
	bar.SetXAxis(keys)
	t := Table{Head: append([]string{"Basort"}, labels()...)}
	for _, g := range res.Groups {
		row := []string{g.Key}
		for _, code := range metrics.KeyIndicators {
			row = append(row, Cell(g.Metrics.Figure(code)))
		}
		t.Rows = append(t.Rows, row)
	}
	// Each bar gets a whisker for its 95 % interval, drawn by a custom series beside it.
	whiskers := charts.NewCustom()
	offsets := barOffsets(len(metrics.KeyIndicators))
	for i, code := range metrics.KeyIndicators {
		var data []opts.BarData
		ci := []opts.CustomData{}
		for j, g := range res.Groups {
			f := g.Metrics.Figure(code)
			d := opts.BarData{Name: g.Key}
			if f.Value != nil {
				d.Value = pct(*f.Value)
			} else if f.Suppressed {
				d.Label = &opts.Label{Show: opts.Bool(true), Formatter: suppressedLabel, Position: "insideBottom"}
			}
			data = append(data, d)
			if f.CI != nil {
				ci = append(ci, opts.CustomData{Name: g.Key, Value: []any{j, pct(f.CI[0]), pct(f.CI[1]), offsets[i]}})
			}
		}
		bar.AddSeries(metrics.Label(code), data, charts.WithBarChartOpts(opts.BarChart{BarGap: fmt.Sprintf("%.0f%%", barGap*100),
			BarCategoryGap: fmt.Sprintf("%.0f%%", barCategoryGap*100)}))
		whiskers.AddSeries("95 % konfidensintervall", ci, charts.WithCustomChartOpts(opts.CustomChart{RenderItem: fnErrorBar}))
	}
	bar.Overlap(whiskers)
	return build("chart-basorter", "Basorterna jämförda", bar, t, valueFormat(fnPercent), seriesTooltip("custom", fnInterval),
		everyLabel, markSuppressed, func(m map[string]any) {
			for _, s := range m["series"].([]any) {
				if sm := s.(map[string]any); sm["type"] == "custom" {
					sm["encode"] = map[string]any{"x": 0, "y": []int{1, 2}}
					sm["z"] = 10
					sm["itemStyle"] = map[string]any{"color": "#1b1b1b"}
				}
			}
		})
}

func labels() []string {
	var out []string
	for _, code := range metrics.KeyIndicators {
		out = append(out, metrics.Label(code))
	}
	return out
}

// Trend shows the indicators month by month, with the promise's excluded months shaded.
func Trend(p *lofte.Promise, res *metrics.Result) (Chart, error) {
	line := charts.NewLine()
	line.SetGlobalOptions(append(base("Utvecklingen månad för månad"),
		charts.WithYAxisOpts(percentAxis),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}))...)
	var months []string
	for _, g := range res.Groups {
		months = append(months, g.Key)
	}
	line.SetXAxis(months)
	t := Table{Head: append([]string{"Månad"}, labels()...)}
	for _, g := range res.Groups {
		row := []string{g.Key}
		for _, code := range metrics.KeyIndicators {
			row = append(row, Cell(g.Metrics.Figure(code)))
		}
		t.Rows = append(t.Rows, row)
	}
	var areas []opts.MarkAreaNameCoordItem
	for _, e := range p.Excluded {
		areas = append(areas, opts.MarkAreaNameCoordItem{Name: e.Label,
			Coordinate0: []interface{}{e.From.In(lofte.Zone).Format("2006-01")},
			Coordinate1: []interface{}{e.To.In(lofte.Zone).Format("2006-01")},
			ItemStyle:   &opts.ItemStyle{Color: "rgba(200, 200, 200, 0.3)"}})
	}
	for i, code := range metrics.KeyIndicators {
		var data []opts.LineData
		for _, g := range res.Groups {
			f := g.Metrics.Figure(code)
			d := opts.LineData{Name: g.Key}
			if f.Value != nil {
				d.Value = pct(*f.Value)
			} else {
				d.Value = "-" // echarts leaves a gap
			}
			data = append(data, d)
		}
		var so []charts.SeriesOpts
		if i == 0 && len(areas) > 0 {
			so = append(so, charts.WithMarkAreaNameCoordItemOpts(areas...))
		}
		line.AddSeries(metrics.Label(code), data, so...)
	}
	return build("chart-trend", "Utvecklingen månad för månad", line, t, valueFormat(fnPercent))
}

// Delivery shows planned, held and cancelled stops per month.
func Delivery(res *metrics.Result) (Chart, error) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base("Leverans: planerade, genomförda och inställda besök"),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}))...)
	var months []string
	for _, g := range res.Groups {
		months = append(months, g.Key)
	}
	bar.SetXAxis(months)
	t := Table{Head: []string{"Månad", "Planerade", "Genomförda", "Inställda", "Obekräftade", "Sommarevenemang"}}
	series := []struct{ code, label string }{{"stops_planned", "Planerade"}, {"stops_held", "Genomförda"},
		{"stops_cancelled", "Inställda"}, {"events", "Sommarevenemang"}}
	for _, s := range series {
		var data []opts.BarData
		for _, g := range res.Groups {
			data = append(data, opts.BarData{Name: g.Key, Value: g.Metrics.CountValue(s.code)})
		}
		bar.AddSeries(s.label, data)
	}
	for _, g := range res.Groups {
		m := g.Metrics
		t.Rows = append(t.Rows, []string{g.Key, Number(m.CountValue("stops_planned")), Number(m.CountValue("stops_held")),
			Number(m.CountValue("stops_cancelled")), Number(m.CountValue("unconfirmed")), Number(m.CountValue("events"))})
	}
	return build("chart-delivery", "Leverans per månad", bar, t, valueFormat(fnNumber))
}

// Gaps shows, per basort, the median and longest number of active days between visits.
func Gaps(res *metrics.Result) (Chart, error) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base("Dagar mellan besöken per basort"),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}))...)
	var keys []string
	for _, g := range res.Groups {
		keys = append(keys, g.Key)
	}
	bar.SetXAxis(keys)
	t := Table{Head: []string{"Basort", "Median, dagar", "Längsta, dagar", "Genomförda besök"}}
	for _, s := range []struct{ code, label string }{{"gap_days_median", "Median"}, {"gap_days_max", "Längsta uppehåll"}} {
		var data []opts.BarData
		for _, g := range res.Groups {
			data = append(data, opts.BarData{Name: g.Key, Value: g.Metrics.CountValue(s.code)})
		}
		bar.AddSeries(s.label, data)
	}
	for _, g := range res.Groups {
		m := g.Metrics
		t.Rows = append(t.Rows, []string{g.Key, Number(m.CountValue("gap_days_median")), Number(m.CountValue("gap_days_max")),
			Number(m.CountValue("stops_held"))})
	}
	return build("chart-gaps", "Dagar mellan besöken", bar, t, valueFormat(fnNumber))
}

// Map places the basorter by their coordinates, sized by visitors and coloured by trust.
func Map(ls []*lofte.Locality, res *metrics.Result) (Chart, error) {
	sc := charts.NewScatter()
	sc.SetGlobalOptions(append(base("Basorterna på kartan"),
		charts.WithXAxisOpts(opts.XAxis{Name: "longitud", Type: "value", Min: "dataMin", Max: "dataMax"}),
		charts.WithYAxisOpts(opts.YAxis{Name: "latitud", Type: "value", Min: "dataMin", Max: "dataMax"}),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: 0, Max: 100, Dimension: "2",
			Text: []string{"högt förtroende", "lågt"}, InRange: &opts.VisualMapInRange{Color: []string{"#c0392b", "#f1c40f", "#1e8449"}}}))...)
	byKey := map[string]metrics.Metrics{}
	for _, g := range res.Groups {
		byKey[g.Key] = g.Metrics
	}
	t := Table{Head: []string{"Ort", "Latitud", "Longitud", "Besökare", "Högt förtroende"}}
	var data []opts.ScatterData
	for _, l := range ls {
		m, ok := byKey[l.Name]
		if !ok {
			continue
		}
		v := m.CountValue("visitors")
		f := m.Figure("trust_high")
		val := []interface{}{l.Lon, l.Lat, "-", v}
		if f.Value != nil {
			val[2] = pct(*f.Value)
		}
		data = append(data, opts.ScatterData{Name: l.Name, Value: val, SymbolSize: 8 + int(math.Sqrt(v))})
		t.Rows = append(t.Rows, []string{l.Name, fmt.Sprintf("%.3f", l.Lat), fmt.Sprintf("%.3f", l.Lon), Number(v), Cell(f)})
	}
	sc.AddSeries("Basorter", data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: "right"}))
	return build("chart-map", "Basorterna på kartan", sc, t, valueFormat(fnMapPoint))
}

// Distribution shows an item's options as horizontal bars (reasons, problems), in the
// catalogue's order.
func Distribution(id, title string, res *metrics.Result, item string, optionText func(string) string) (Chart, error) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base(title), charts.WithXAxisOpts(opts.XAxis{Min: 0, Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value} %"}}))...)
	dist, _ := res.Total.Metrics[item].(metrics.Distribution)
	var names []string
	var data []opts.BarData
	t := Table{Head: []string{"Svar", "Andel"}}
	for _, code := range survey.Default().Options(item) {
		f := dist[code]
		names = append(names, optionText(code))
		d := opts.BarData{Name: optionText(code)}
		if f.Value != nil {
			d.Value = pct(*f.Value)
		}
		data = append(data, d)
		t.Rows = append(t.Rows, []string{optionText(code), Cell(f)})
	}
	bar.SetXAxis(names).XYReversal()
	bar.AddSeries(title, data)
	return build(id, title, bar, t, valueFormat(fnPercent))
}

// Number formats a count or mean the Swedish way: "2 810", "12,5" (one decimal at most),
// with a no-break space between thousands so a number never wraps.
func Number(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	if v == math.Trunc(v) {
		s = fmt.Sprintf("%.0f", v)
	}
	whole, frac, _ := strings.Cut(s, ".")
	sign := ""
	if strings.HasPrefix(whole, "-") {
		sign, whole = "−", whole[1:]
	}
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(r)
	}
	out := sign + b.String()
	if frac != "" {
		out += "," + frac
	}
	return out
}
