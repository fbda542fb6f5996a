package chart

import (
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

// Earlier is the same months of an earlier promise, drawn beside the chosen period as a
// second series: Result is grouped as the chart's own result, computed by package metrics
// under the earlier promise's own protection. The …Compared charts given a nil *Earlier are
// the plain charts.
type Earlier struct {
	// Label names the earlier series ("2018-03 – 2018-05"); Now names the chosen period.
	Label, Now string
	// Years is how far back the earlier period lies: its months are set beside the same
	// months of the chosen period.
	Years  int
	Result *metrics.Result
}

// fnEarlier formats a dash of the earlier period: [i, 55.2, 55.2, offset] → "55 %".
const fnEarlier = "fn:earlier"

// fnTick draws the dash of an earlier figure across its bar.
const fnTick = "fn:tick"

// BasorterCompared is Basorter with the earlier period's figures as a dash across each bar
// and as a row under each basort in the table ("fanns inte som basort då" for a basort the
// earlier promise did not have).
func BasorterCompared(res *metrics.Result, e *Earlier) (Chart, error) { return basorter(res, e) }

// TrendCompared is Trend with the earlier period's months as dashed lines.
func TrendCompared(p *lofte.Promise, res *metrics.Result, e *Earlier) (Chart, error) {
	return trend(p, res, e)
}

// DeliveryCompared is Delivery with the stops held in the earlier period as one more series.
func DeliveryCompared(res *metrics.Result, e *Earlier) (Chart, error) { return delivery(res, e) }

// DistributionCompared is Distribution with the earlier period's shares as a second series.
func DistributionCompared(id, title string, res *metrics.Result, item string, optionText func(string) string, e *Earlier) (Chart, error) {
	return distribution(id, title, res, item, optionText, e)
}

// shift moves a month key (YYYY-MM) years on; other keys stay.
func shift(key string, years int) string {
	var y, m int
	if _, err := fmt.Sscanf(key, "%04d-%02d", &y, &m); err != nil || len(key) != len("2006-01") {
		return key
	}
	return fmt.Sprintf("%04d-%02d", y+years, m)
}

// back is the earlier period's month set beside month key of the chosen period.
func (e *Earlier) back(key string) string { return shift(key, -e.Years) }

// months are the month keys of res and, moved on to the chosen period, of the earlier one.
func (e *Earlier) months(res *metrics.Result) []string {
	var out []string
	for _, g := range res.Groups {
		out = append(out, g.Key)
	}
	if e != nil {
		for _, g := range e.Result.Groups {
			if k := shift(g.Key, e.Years); !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
		slices.Sort(out)
	}
	return out
}

// lineData is one indicator month by month; a month without a value is a gap.
func lineData(months []string, code string, at func(string) metrics.Metrics) []opts.LineData {
	var data []opts.LineData
	for _, k := range months {
		d := opts.LineData{Name: k, Value: "-"} // echarts leaves a gap
		if f := at(k).Figure(code); f.Value != nil {
			d.Value = pct(*f.Value)
		}
		data = append(data, d)
	}
	return data
}

// columns are the earlier result's groups (month keys name their own year).
func (e *Earlier) columns() []column { return columns(e.Result, false) }

// then returns a lookup of the earlier figures of a column of the chosen period, false when
// the place was no basort then; the groups are indexed once, not per column.
func (e *Earlier) then() func(key string) (metrics.Metrics, bool) {
	groups := e.Result.ByKey()
	return func(key string) (metrics.Metrics, bool) {
		if key == WholeArea {
			return e.Result.Total.Metrics, true
		}
		m, ok := groups[key]
		return m, ok
	}
}

// basortRows are the key table's rows with, under each place, the earlier period's.
func (e *Earlier) basortRows(cols []column) [][]string {
	var rows [][]string
	then := e.then()
	for _, c := range cols {
		m, ok := then(c.key)
		now := []string{c.key + ", " + e.Now}
		before := []string{c.key + ", " + e.Label}
		for _, code := range metrics.KeyIndicators {
			now = append(now, TableCell(c.m.Figure(code)))
			if ok {
				before = append(before, TableCell(m.Figure(code)))
			} else {
				before = append(before, metrics.MissingBasort)
			}
		}
		rows = append(rows, now, before)
	}
	return rows
}

// ticks are the earlier figures as dashes across the bars of the chosen ones.
func (e *Earlier) ticks(cols []column) *charts.Custom {
	c := charts.NewCustom()
	offsets := barOffsets(len(metrics.KeyIndicators))
	data := []opts.CustomData{}
	then := e.then()
	for i, code := range metrics.KeyIndicators {
		for j, col := range cols {
			m, ok := then(col.key)
			if f := m.Figure(code); ok && f.Value != nil {
				v := pct(*f.Value)
				data = append(data, opts.CustomData{Name: col.key, Value: []any{j, v, v, offsets[i]}})
			}
		}
	}
	c.AddSeries(e.Label+" (streck)", data, charts.WithCustomChartOpts(opts.CustomChart{RenderItem: fnTick}))
	return c
}

// tickStyle draws the dashes above the bars and whiskers, with their own tooltip.
func (e *Earlier) tickStyle(m map[string]any) {
	if e == nil {
		return
	}
	for _, s := range m["series"].([]any) {
		if sm := s.(map[string]any); sm["renderItem"] == fnTick {
			sm["encode"] = map[string]any{"x": 0, "y": []int{1, 2}}
			sm["z"] = 11
			sm["itemStyle"] = map[string]any{"color": palette.Earlier}
			sm["tooltip"] = map[string]any{"valueFormatter": fnEarlier}
		}
	}
}

// dashed gives each earlier line its indicator's colour, dashed.
func (e *Earlier) dashed(m map[string]any) {
	if e == nil {
		return
	}
	k := len(metrics.KeyIndicators)
	for i, s := range m["series"].([]any) {
		sm := s.(map[string]any)
		colour := palette.Colour(i % k)
		sm["itemStyle"] = map[string]any{"color": colour}
		if i >= k {
			sm["lineStyle"] = map[string]any{"type": "dashed", "color": colour}
			sm["symbol"] = "emptyCircle"
		}
	}
}

// distribution adds the earlier shares to a distribution chart and its table.
func (e *Earlier) distribution(bar *charts.Bar, t *Table, item string, optionText func(string) string) {
	dist, _ := e.Result.Total.Metrics[item].(metrics.Distribution)
	var data []opts.BarData
	t.Head = append(t.Head, "Andel, "+e.Label)
	for i, code := range survey.Default().Options(item) {
		f := dist[code]
		d := opts.BarData{Name: optionText(code)}
		if f.Value != nil {
			d.Value = pct(*f.Value)
		}
		data = append(data, d)
		t.Rows[i] = append(t.Rows[i], TableCell(f))
	}
	bar.MultiSeries[0].Name = e.Now
	bar.AddSeries(e.Label, data)
	bar.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}))
}

// ValueCell formats one side of a comparison: a survey figure as Cell, a count or delivery
// figure as CountCell (a rate, metrics.IsRate, as a percentage); nil (no earlier figure) is "–".
func ValueCell(code string, v any) string {
	switch x := v.(type) {
	case metrics.Figure:
		return Cell(x)
	case metrics.Count:
		if metrics.IsRate(code) {
			return CountCell(x, Percent)
		}
		return CountCell(x, Number)
	}
	return "–"
}

// ChangeCell formats a change: "+5 procentenheter (−2 till +12), inte säkerställd" for a
// survey share, "+5 procentenheter" for a rate (delivery_rate), "+12" for a count; a change not
// given is its reason.
func ChangeCell(c metrics.Change) string {
	if c.Change == nil {
		return c.Reason
	}
	if _, ok := c.Now.(metrics.Count); ok {
		if metrics.IsRate(c.Metric) {
			return points(*c.Change) + " procentenheter"
		}
		return signed(Number(math.Abs(*c.Change)), *c.Change)
	}
	s := fmt.Sprintf("%s procentenheter (%s till %s)", points(*c.Change), points(c.CI[0]), points(c.CI[1]))
	switch {
	case c.Settled == nil || !*c.Settled:
		return s + ", inte säkerställd"
	case *c.Change > 0:
		return s + ", säkerställd ökning"
	}
	return s + ", säkerställd minskning"
}

// points writes a change of a share in whole percentage points with its sign.
func points(v float64) string {
	p := math.Round(v * 100)
	return signed(fmt.Sprintf("%.0f", math.Abs(p)), p)
}

func signed(abs string, v float64) string {
	switch {
	case v > 0:
		return "+" + abs
	case v < 0:
		return "−" + abs
	}
	return strings.TrimPrefix(abs, "−")
}
