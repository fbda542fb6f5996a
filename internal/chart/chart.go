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
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/palette"
	"medborgarlofte/internal/survey"
)

// Chart is one chart: a fixed element id, its options as JSON and the same data as a table.
// Empty, when set, says in words why there is nothing to draw: the page shows it instead of
// empty axes. Map names the outline a map chart is drawn on (a static file), "" for others;
// MapName is the name the options give that outline; Key is what its colours and symbols
// mean, shown beside the chart rather than over it. Renderer is echarts' renderer ("svg" for
// print), "" for the default canvas.
type Chart struct {
	ID       string
	Title    string
	Options  string
	Table    Table
	Empty    string
	Map      string
	MapName  string
	Key      *MapKey
	Renderer string
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
	fnErrorBar = "fn:errorbar" // draws a whisker from low to high beside its bar
	// fnSuppressed is a suppressed bar's tooltip: "för få svar", never its drawn height 0.
	fnSuppressed = "fn:suppressed"
	fnNoAnswers  = "fn:noAnswers" // a bar where nobody answered: "inga svar", never 0 %
	fnMapTip     = "fn:mapTip"    // a place on the map: "Tollarp: högt förtroende 62 %, 230 besökare"
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
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return Chart{}, fmt.Errorf("chart %s: %w", id, err)
	}
	for _, tw := range append([]func(map[string]any){frame}, tweaks...) {
		tw(m)
	}
	return marshal(id, title, m, t)
}

// marshal turns finished options into a Chart.
func marshal(id, title string, m map[string]any, t Table) (Chart, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return Chart{}, fmt.Errorf("chart %s: %w", id, err)
	}
	return Chart{ID: id, Title: title, Options: string(b), Table: t}, nil
}

// frame lays out every chart alike: the palette shared with the workbook, no title in the
// drawing (the page's heading above it names the chart, and a title drawn inside collided
// with marks and legends), the legend at the top, and a plot area that holds its axis labels whole (containLabel), so no label is cut off.
func frame(m map[string]any) {
	m["color"] = palette.Series
	if t, ok := m["title"].(map[string]any); ok {
		t["show"] = false
	}
	top := 24
	if l, ok := m["legend"].(map[string]any); ok && l["show"] == true {
		l["type"], l["top"], l["left"] = "plain", 0, "center"
		top = 56 // dashboard.js makes room for as many lines as the legend takes
	}
	m["grid"] = map[string]any{"containLabel": true, "left": 8, "right": 24, "top": top, "bottom": 8}
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

// everyLabel shows every category's name on the x axis (echarts skips some when crowded);
// dashboard.js slants them when they do not fit side by side at the chart's width.
func everyLabel(m map[string]any) {
	for _, x := range m["xAxis"].([]any) {
		x.(map[string]any)["axisLabel"] = map[string]any{"interval": 0, "hideOverlap": false}
	}
}

// unitAxis names the value axis's unit ("dagar") and writes its numbers the Swedish way.
func unitAxis(unit string) func(map[string]any) {
	return func(m map[string]any) {
		for _, y := range m["yAxis"].([]any) {
			ym := y.(map[string]any)
			ym["name"], ym["nameLocation"], ym["nameGap"] = unit, "end", 12
			ym["nameTextStyle"] = map[string]any{"align": "left"}
			ym["axisLabel"] = map[string]any{"formatter": fnNumber}
			ym["minInterval"] = 1
		}
	}
}

// markSuppressed writes "för få svar" (or "inga svar") upright in the place of a bar without a
// value, which has no height of its own to carry a label; where no bar of a category has a
// value and all say the same, once, on the middle one, so that five labels do not lie on top
// of each other (bars that say different things each keep their own).
func markSuppressed(m map[string]any) {
	var bars []map[string]any
	for _, s := range m["series"].([]any) {
		if sm := s.(map[string]any); sm["type"] == "bar" {
			bars = append(bars, sm)
		}
	}
	// text is what a bar without a value says in its place, "" for a bar with one.
	text := func(d any) any {
		label, ok := d.(map[string]any)["label"].(map[string]any)
		if ok && (label["formatter"] == suppressedLabel || label["formatter"] == emptyLabel) {
			return label["formatter"]
		}
		return ""
	}
	for i, sm := range bars {
		data, _ := sm["data"].([]any)
		for j, d := range data {
			says := text(d)
			if says == "" {
				continue
			}
			dm := d.(map[string]any)
			label := dm["label"].(map[string]any)
			dm["value"] = 0
			label["rotate"], label["align"], label["verticalAlign"], label["distance"] = 90, "left", "middle", 4
			label["color"] = palette.Whisker
			// Its height is 0 only to carry the label: the tooltip says why.
			dm["tooltip"] = map[string]any{"valueFormatter": fnSuppressed}
			if label["formatter"] == emptyLabel {
				dm["tooltip"] = map[string]any{"valueFormatter": fnNoAnswers}
			}
			all := true
			for _, other := range bars {
				od, _ := other["data"].([]any)
				all = all && j < len(od) && text(od[j]) == says
			}
			if all && i != len(bars)/2 {
				label["show"] = false
			}
		}
	}
}

// suppressedLabel marks a suppressed cell in a chart, as "–" does in tables; emptyLabel a
// cell nobody answered.
const (
	suppressedLabel = "för få svar"
	emptyLabel      = "inga svar"
)

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

// Cell formats a survey figure: "62 % (52–71 %), n = 100", with ", osäker skattning" when
// its interval is wide and, for the whole area, how it stands on the basorter: "vägd efter
// folkmängd, täcker 85 % av invånarna", or "ovägd" when a basort lacks a population. A
// suppressed figure is "för få svar" and nothing more (its n is withheld too); an empty one
// "inga svar".
func Cell(f metrics.Figure) string {
	switch {
	case f.Suppressed:
		return suppressedLabel
	case f.Value == nil:
		return "inga svar"
	}
	s := Percent(*f.Value)
	if f.CI != nil {
		s += fmt.Sprintf(" (%s–%s)", strings.TrimSuffix(Percent(f.CI[0]), " %"), Percent(f.CI[1]))
	}
	s += fmt.Sprintf(", n = %s", Number(float64(f.Size())))
	if f.Uncertain {
		s += ", osäker skattning"
	}
	if w := Weighting(f); w != "" {
		s += ", " + w
	}
	return s
}

// Weighting says how a whole-area figure is made: "vägd efter folkmängd, täcker 85 % av
// invånarna" (the population share of the basorter it stands on), "ovägd", or "" for one
// basort's figure.
func Weighting(f metrics.Figure) string {
	switch {
	case f.Weighted == nil:
		return ""
	case !*f.Weighted:
		return "ovägd"
	case f.Coverage == nil:
		return "vägd efter folkmängd"
	}
	return "vägd efter folkmängd, täcker " + Percent(*f.Coverage) + " av invånarna"
}

// TableCell is Cell with a whole-area figure's pooled (unweighted, all answers together)
// figure beside it, as the charts' data tables give it: "…; ovägd: 60 % (55–65 %), n = 120";
// when neither has a value there is nothing to set beside.
func TableCell(f metrics.Figure) string {
	s := Cell(f)
	if f.Pooled != nil && (f.Shown() || f.Pooled.Shown()) {
		s += "; ovägd: " + Cell(*f.Pooled)
	}
	return s
}

// CountCell formats a count or delivery figure with format; an undefined one (a rate over
// nothing) is "–" and its reason, never 0.
func CountCell(c metrics.Count, format func(float64) string) string {
	if c.Value == nil {
		if c.Reason == "" {
			return "–"
		}
		return "– (" + c.Reason + ")"
	}
	return format(*c.Value)
}

func base(title string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithTitleOpts(opts.Title{Title: title}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithAnimation(false),
	}
}

// WholeArea names the whole area (every basort of the promise) in charts and tables.
const WholeArea = "Hela området"

// column is one category of a chart: a basort, a month, or the whole area.
type column struct {
	key string
	m   metrics.Metrics
}

// columns are the groups of a result, and the whole area after them when withArea is set and
// the result is for the whole area rather than one basort.
func columns(res *metrics.Result, withArea bool) []column {
	var out []column
	for _, g := range res.Groups {
		out = append(out, column{g.Key, g.Metrics})
	}
	if withArea && res.Scope.Basort == nil {
		out = append(out, column{WholeArea, res.Total.Metrics})
	}
	return out
}

// keyTable is a table of the key indicators, one row per column.
func keyTable(first string, cols []column) Table {
	t := Table{Head: append([]string{first}, labels()...)}
	for _, c := range cols {
		row := []string{c.key}
		for _, code := range metrics.KeyIndicators {
			row = append(row, TableCell(c.m.Figure(code)))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Indicators is a table of the key indicators of one cell (the whole area, with the pooled
// figure beside the weighted one, or one basort), for figures shown without a chart.
func Indicators(m metrics.Metrics) Table {
	t := Table{Head: []string{"Mått", "Värde"}}
	for _, code := range metrics.KeyIndicators {
		t.Rows = append(t.Rows, []string{metrics.Label(code), TableCell(m.Figure(code))})
	}
	return t
}

// Basorter compares the basorter on the key indicators, and with the whole area when the
// result is for it (weighted by population, with the pooled figure beside it in the table);
// suppressed cells show "för få svar".
func Basorter(res *metrics.Result) (Chart, error) { return basorter(res, nil) }

// basorter is Basorter with, when e is set, the earlier period's figures as a dash across each
// bar and as rows of the table.
func basorter(res *metrics.Result, e *Earlier) (Chart, error) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base("Basorterna jämförda"),
		charts.WithYAxisOpts(percentAxis),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}))...)
	cols := columns(res, true)
	var keys []string
	for _, c := range cols {
		keys = append(keys, c.key)
	}
	bar.SetXAxis(keys)
	t := keyTable("Basort", cols)
	if e != nil {
		t.Rows = e.basortRows(cols)
	}
	// Each bar gets a whisker for its 95 % interval, drawn by a custom series beside it.
	whiskers := charts.NewCustom()
	offsets := barOffsets(len(metrics.KeyIndicators))
	for i, code := range metrics.KeyIndicators {
		var data []opts.BarData
		ci := []opts.CustomData{}
		for j, c := range cols {
			f := c.m.Figure(code)
			d := opts.BarData{Name: c.key}
			if f.Value != nil {
				d.Value = pct(*f.Value)
			} else if f.Suppressed {
				d.Label = &opts.Label{Show: opts.Bool(true), Formatter: suppressedLabel, Position: "insideBottom"}
			} else {
				d.Label = &opts.Label{Show: opts.Bool(true), Formatter: emptyLabel, Position: "insideBottom"}
			}
			data = append(data, d)
			if f.CI != nil {
				ci = append(ci, opts.CustomData{Name: c.key, Value: []any{j, pct(f.CI[0]), pct(f.CI[1]), offsets[i]}})
			}
		}
		bar.AddSeries(metrics.Label(code), data, charts.WithBarChartOpts(opts.BarChart{BarGap: fmt.Sprintf("%.0f%%", barGap*100),
			BarCategoryGap: fmt.Sprintf("%.0f%%", barCategoryGap*100)}))
		whiskers.AddSeries("95 % konfidensintervall", ci, charts.WithCustomChartOpts(opts.CustomChart{RenderItem: fnErrorBar}))
	}
	if e != nil {
		bar.Overlap(whiskers, e.ticks(cols))
	} else {
		bar.Overlap(whiskers)
	}
	return orEmpty(surveyEmpty(cols, metrics.KeyIndicators, "att jämföra"))(build("chart-basorter", "Basorterna jämförda", bar, t, valueFormat(fnPercent), seriesTooltip("custom", fnInterval),
		everyLabel, markSuppressed, e.tickStyle, func(m map[string]any) {
			for _, s := range m["series"].([]any) {
				if sm := s.(map[string]any); sm["type"] == "custom" && sm["renderItem"] == fnErrorBar {
					sm["encode"] = map[string]any{"x": 0, "y": []int{1, 2}}
					sm["z"] = 10
					sm["itemStyle"] = map[string]any{"color": palette.Whisker}
				}
			}
		}))
}

// orEmpty sets a chart's empty state: why, in words, nothing is drawn ("" draws it).
func orEmpty(why string) func(Chart, error) (Chart, error) {
	return func(c Chart, err error) (Chart, error) {
		c.Empty = why
		return c, err
	}
}

// surveyEmpty says why a chart of survey figures has nothing to draw: no column has a value
// for any of the codes ("för få svar" when some were withheld, "inga enkätsvar" when none
// came), or "" when something is drawn. what ends the sentence ("att jämföra").
func surveyEmpty(cols []column, codes []string, what string) string {
	withheld := false
	for _, c := range cols {
		for _, code := range codes {
			f := c.m.Figure(code)
			if f.Value != nil {
				return ""
			}
			withheld = withheld || f.Suppressed
		}
	}
	if withheld {
		return "För få enkätsvar i urvalet för att visa något " + what + "."
	}
	return "Inga enkätsvar i urvalet, inget " + what + "."
}

func labels() []string {
	var out []string
	for _, code := range metrics.KeyIndicators {
		out = append(out, metrics.Label(code))
	}
	return out
}

// Trend shows the indicators month by month, with the promise's excluded months shaded.
func Trend(p *lofte.Promise, res *metrics.Result) (Chart, error) { return trend(p, res, nil) }

// trend is Trend with, when e is set, the earlier period's months drawn dashed beside the
// chosen ones (the same month of the year on the same place of the axis).
func trend(p *lofte.Promise, res *metrics.Result, e *Earlier) (Chart, error) {
	line := charts.NewLine()
	line.SetGlobalOptions(append(base("Utvecklingen månad för månad"),
		charts.WithYAxisOpts(percentAxis),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}))...)
	months := e.months(res)
	line.SetXAxis(months)
	t := keyTable("Månad", columns(res, false))
	if e != nil {
		t.Rows = append(t.Rows, keyTable("", e.columns()).Rows...)
	}
	now := res.ByKey()
	var areas []opts.MarkAreaNameCoordItem
	for _, e := range p.Excluded {
		areas = append(areas, opts.MarkAreaNameCoordItem{Name: e.Label,
			Coordinate0: []interface{}{e.From.In(lofte.Zone).Format("2006-01")},
			Coordinate1: []interface{}{e.To.In(lofte.Zone).Format("2006-01")},
			ItemStyle:   &opts.ItemStyle{Color: palette.Excluded}})
	}
	for i, code := range metrics.KeyIndicators {
		var so []charts.SeriesOpts
		if i == 0 && len(areas) > 0 {
			so = append(so, charts.WithMarkAreaNameCoordItemOpts(areas...))
		}
		line.AddSeries(metrics.Label(code), lineData(months, code, func(k string) metrics.Metrics { return now[k] }), so...)
	}
	if e != nil {
		then := e.Result.ByKey()
		for _, code := range metrics.KeyIndicators {
			line.AddSeries(metrics.Label(code)+", "+e.Label, lineData(months, code, func(k string) metrics.Metrics { return then[e.back(k)] }))
		}
	}
	empty := surveyEmpty(columns(res, false), metrics.KeyIndicators, "att visa månad för månad")
	if e != nil && empty != "" && surveyEmpty(e.columns(), metrics.KeyIndicators, "") == "" {
		empty = "" // the earlier period has lines to draw
	}
	return orEmpty(empty)(build("chart-trend", "Utvecklingen månad för månad", line, t, valueFormat(fnPercent), e.dashed, excludedLabel, everyLabel))
}

// excludedLabel writes the excluded months' name ("Sommarevenemang") inside the shaded
// area, upright along it, where no line is drawn (the months have no regular stops).
func excludedLabel(m map[string]any) {
	for _, s := range m["series"].([]any) {
		if ma, ok := s.(map[string]any)["markArea"].(map[string]any); ok {
			ma["label"] = map[string]any{"show": true, "position": "inside", "rotate": 90, "color": "#444"}
			ma["silent"] = true
		}
	}
}

// Delivery shows the promise's planned, held and cancelled stops per month (regular stops:
// summer events are reported on their own).
func Delivery(res *metrics.Result) (Chart, error) { return delivery(res, nil) }

// delivery is Delivery with, when e is set, the stops held in the earlier period's same months
// as one more series, and its months as rows of the table.
func delivery(res *metrics.Result, e *Earlier) (Chart, error) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(base("Leverans: planerade, genomförda och inställda besök"),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}))...)
	months := e.months(res)
	bar.SetXAxis(months)
	t := Table{Head: []string{"Månad", "Planerade", "Genomförda", "Inställda", "Obekräftade"}}
	now := res.ByKey()
	series := []struct{ code, label string }{{"stops_planned", "Planerade"}, {"stops_held", "Genomförda"},
		{"stops_cancelled", "Inställda"}}
	for _, s := range series {
		var data []opts.BarData
		for _, k := range months {
			data = append(data, opts.BarData{Name: k, Value: now[k].CountValue(s.code)})
		}
		bar.AddSeries(s.label, data)
	}
	groups := res.Groups
	if e != nil {
		then := e.Result.ByKey()
		var data []opts.BarData
		for _, k := range months {
			data = append(data, opts.BarData{Name: k, Value: then[e.back(k)].CountValue("stops_held")})
		}
		bar.AddSeries("Genomförda, "+e.Label, data)
		groups = append(slices.Clone(groups), e.Result.Groups...)
	}
	for _, g := range groups {
		m := g.Metrics
		row := []string{g.Key}
		for _, code := range []string{"stops_planned", "stops_held", "stops_cancelled", "unconfirmed"} {
			row = append(row, CountCell(m.Count(code), Number))
		}
		t.Rows = append(t.Rows, row)
	}
	empty := "Inga planerade besök har passerats i urvalet."
	for _, g := range groups {
		if g.Metrics.CountValue("stops_planned")+g.Metrics.CountValue("stops_held") > 0 {
			empty = ""
		}
	}
	return orEmpty(empty)(build("chart-delivery", "Leverans per månad", bar, t, valueFormat(fnNumber), unitAxis("besök"), everyLabel))
}

// Gaps shows, per basort, the median and longest number of active days between visits; an
// undefined gap (no active day in the scope) is left out of the chart and given with its
// reason in the table.
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
			d := opts.BarData{Name: g.Key, Value: "-"} // echarts draws no bar
			if c := g.Metrics.Count(s.code); c.Value != nil {
				d.Value = *c.Value
			}
			data = append(data, d)
		}
		bar.AddSeries(s.label, data)
	}
	for _, g := range res.Groups {
		m := g.Metrics
		t.Rows = append(t.Rows, []string{g.Key, CountCell(m.Count("gap_days_median"), Number), CountCell(m.Count("gap_days_max"), Number),
			CountCell(m.Count("stops_held"), Number)})
	}
	empty := "Inga basorter i urvalet."
	if len(res.Groups) > 0 {
		empty = "Inga dagar mellan besök att mäta i urvalet: perioden har inga aktiva dagar."
	}
	for _, g := range res.Groups {
		if g.Metrics.Count("gap_days_max").Value != nil {
			empty = ""
		}
	}
	return orEmpty(empty)(build("chart-gaps", "Dagar mellan besöken", bar, t, valueFormat(fnNumber), unitAxis("dagar"), everyLabel))
}

// Distribution shows an item's options as horizontal bars (reasons, problems), in the
// catalogue's order.
func Distribution(id, title string, res *metrics.Result, item string, optionText func(string) string) (Chart, error) {
	return distribution(id, title, res, item, optionText, nil)
}

// distribution is Distribution with, when e is set, the earlier period's shares as a second
// series and a column of the table.
func distribution(id, title string, res *metrics.Result, item string, optionText func(string) string, e *Earlier) (Chart, error) {
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
		t.Rows = append(t.Rows, []string{optionText(code), TableCell(f)})
	}
	bar.SetXAxis(names).XYReversal()
	bar.AddSeries(title, data)
	cols := []column{{WholeArea, res.Total.Metrics}}
	if e != nil {
		e.distribution(bar, &t, item, optionText)
		cols = append(cols, column{e.Label, e.Result.Total.Metrics})
	}
	var empty string
	if !slices.ContainsFunc(cols, func(c column) bool { return shown(c.m, item) }) {
		empty = "Ingen har svarat på frågan i urvalet."
		if slices.ContainsFunc(cols, func(c column) bool { return withheld(c.m, item) }) {
			empty = "För få svar på frågan i urvalet för att visa fördelningen."
		}
	}
	return orEmpty(empty)(build(id, title, bar, t, valueFormat(fnPercent), wrapCategories))
}

// shown reports whether any option of a distribution has a value; withheld whether any was
// suppressed.
func shown(m metrics.Metrics, item string) bool {
	dist, _ := m[item].(metrics.Distribution)
	for _, f := range dist {
		if f.Value != nil {
			return true
		}
	}
	return false
}

func withheld(m metrics.Metrics, item string) bool {
	dist, _ := m[item].(metrics.Distribution)
	for _, f := range dist {
		if f.Suppressed {
			return true
		}
	}
	return false
}

// wrapCategories writes the answers of a horizontal bar chart whole, wrapped onto lines
// (150 px wide here; dashboard.js widens them on a wide screen), top to bottom in the
// catalogue's order.
func wrapCategories(m map[string]any) {
	// One series is named by the page's heading: no legend for it.
	if series, _ := m["series"].([]any); len(series) == 1 {
		m["legend"] = map[string]any{"show": false}
		m["grid"].(map[string]any)["top"] = 16
	}
	for _, y := range m["yAxis"].([]any) {
		ym := y.(map[string]any)
		ym["inverse"] = true
		ym["axisLabel"] = map[string]any{"interval": 0, "width": 150, "overflow": "break", "lineHeight": 14}
	}
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
