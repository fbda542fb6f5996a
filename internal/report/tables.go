package report

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/xuri/excelize/v2"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// basortShares and basortMeans are the survey figures shown per basort: every share and mean
// of package metrics (its documentation, internal/metrics/doc.go, defines them).
var (
	basortShares = []string{"trust_high", "cares_agree", "unsafe", "never_out", "worried", "satisfied", "got_help",
		"knew_in_advance", "travel_avoided", "reached_new", "easier_contact", "residents"}
	basortMeans = []string{"trust_mean", "cares_mean", "satisfaction_mean"}
)

// keyShares are the figures shown per month: the dashboard's indicators and whether
// visitors got help.
func keyShares() []string {
	return append(slices.Clone(metrics.KeyIndicators), "got_help")
}

// isMean reports whether a metric is a mean on its item's scale, shown as a decimal.
func isMean(code string) bool { return slices.Contains(basortMeans, code) }

// figureHeads are the headings of the figures' value and n columns, and of their coverage
// when they are whole-area figures.
func figureHeads(coverage bool, codes ...string) []string {
	var out []string
	for _, c := range codes {
		out = append(out, metrics.Label(c), "n")
		if coverage {
			out = append(out, "Täckning")
		}
	}
	return out
}

// figureCells are a row's value and n cells of the figures (and their coverage, when asked),
// noting which are suppressed or uncertain.
func (b *book) figureCells(m metrics.Metrics, codes []string, coverage bool, ns *notes) []cell {
	var out []cell
	for _, code := range codes {
		f := m.Figure(code)
		v, n, note := b.share(f, isMean(code))
		ns.add(metrics.Label(code), note)
		out = append(out, v, n)
		if coverage {
			out = append(out, b.coverage(f))
		}
	}
	return out
}

// weightingNote notes how a row's whole-area figures are made; nothing for one basort's.
func weightingNote(m metrics.Metrics, codes []string, ns *notes) {
	for _, code := range codes {
		if w := m.Figure(code).Weighted; w != nil && m.Figure(code).Shown() {
			if *w {
				ns.add("", Weighted)
			} else {
				ns.add("", Pooled)
			}
			return
		}
	}
}

// basortGroups are the groups of a grouping by basort that are basorter: a stop elsewhere
// counts in the delivery, in no survey cell.
func (b *book) basortGroups(res *metrics.Result) []metrics.Group {
	var out []metrics.Group
	for _, g := range res.Groups {
		if l := lofte.LocalityNamed(b.in.Localities, g.Key); l != nil && l.Basort {
			out = append(out, g)
		}
	}
	return out
}

func (b *book) population(name string) cell {
	for _, l := range b.in.Localities {
		if l.Name == name && l.Population > 0 {
			return b.num(float64(l.Population))
		}
	}
	return cell{}
}

// Rows of the whole area below the basorter of Per basort.
const (
	RowTotal    = "Hela urvalet"
	RowPooled   = "Hela urvalet, ovägt"
	RowCoverage = "Täckning (andel av invånarna)"
)

// perBasort writes every survey figure per basort and for the whole selection; for the whole
// area also the pooled (unweighted) figures and the population share each weighted figure
// stands on.
func (b *book) perBasort() error {
	const sheet = SheetBasort
	codes := append(slices.Clone(basortShares), basortMeans...)
	heads := append([]string{"Basort", "Invånare", metrics.Label("responses"), metrics.Label("suspect"),
		metrics.Label("stops_held"), metrics.Label("visitors")}, figureHeads(false, codes...)...)
	heads = append(heads, "Anmärkning")
	if err := b.header(sheet, 1, 1, heads...); err != nil {
		return err
	}
	row := 2
	groups := b.basortGroups(b.byBasort)
	for _, g := range groups {
		if err := b.basortRow(row, b.txt(g.Key), b.population(g.Key), g.Metrics, codes, true); err != nil {
			return err
		}
		row++
	}
	last := max(row-1, 2)
	row, err := b.basortTotal(row+1, codes)
	if err != nil {
		return err
	}
	if err := b.setLayout(sheet, layout{widths: basortWidths(len(heads)), freezeCols: 1, freezeRows: 1,
		filter: rangeRef(1, 1, len(heads), last)}); err != nil {
		return err
	}
	if _, err := b.indicatorChart(sheet, row+2, "Basort", groups, excelize.Col, "Basorterna jämförda"); err != nil {
		return err
	}
	b.step(1)
	return nil
}

// basortRow writes one row of Per basort: the counts (left blank without counts), the figures
// and the notes on them.
func (b *book) basortRow(row int, name, population cell, m metrics.Metrics, codes []string, counts bool) error {
	var ns notes
	cells := []cell{name, population, {}, {}, {}, {}}
	if counts {
		cells = []cell{name, population, b.count(m, "responses", &ns), b.count(m, "suspect", &ns),
			b.count(m, "stops_held", &ns), b.count(m, "visitors", &ns)}
	}
	cells = append(cells, b.figureCells(m, codes, false, &ns)...)
	weightingNote(m, codes, &ns)
	return b.set(SheetBasort, 1, row, append(cells, b.note(ns.String()))...)
}

// basortTotal writes the whole selection's rows of Per basort from row on: its figures, and
// when they are weighted, the pooled figures and the coverage. It returns the next free row.
func (b *book) basortTotal(row int, codes []string) (int, error) {
	total := b.byBasort.Total.Metrics
	if err := b.basortRow(row, b.bold(RowTotal), cell{}, total, codes, true); err != nil {
		return 0, err
	}
	row++
	pooled, ok := pooledOf(total, codes)
	if !ok {
		return row, nil
	}
	if err := b.basortRow(row, b.txt(RowPooled), cell{}, pooled, codes, false); err != nil {
		return 0, err
	}
	row++
	cells := []cell{b.txt(RowCoverage), {}, {}, {}, {}, {}}
	for _, code := range codes {
		cells = append(cells, b.coverage(total.Figure(code)), cell{})
	}
	if err := b.set(SheetBasort, 1, row, cells...); err != nil {
		return 0, err
	}
	return row + 1, nil
}

// basortWidths are the widths of Per basort's columns: the name and counts, then the figures'
// value and n columns in pairs, and the note.
func basortWidths(columns int) []float64 {
	widths := []float64{18, 10, 8, 10, 11, 10}
	for range columns - 7 {
		widths = append(widths, 11)
	}
	widths = append(widths, 50)
	for i := 7; i < columns-1; i += 2 {
		widths[i] = 6 // the n columns
	}
	widths[0] = 28
	return widths
}

// pooledOf returns the pooled (unweighted) figures beside a whole area's weighted ones; ok is
// false when there are none (one basort's figures, or the pooled figure is the figure).
func pooledOf(m metrics.Metrics, codes []string) (metrics.Metrics, bool) {
	out := metrics.Metrics{}
	for _, code := range codes {
		if p := m.Figure(code).Pooled; p != nil {
			out[code] = *p
		}
	}
	return out, len(out) > 0
}

// indicatorChart writes the dashboard's indicators per group as a block of plain numbers
// (blank where a figure is not shown, so a chart leaves a gap rather than plotting zero) and
// a native chart of them below; it returns the next free row.
func (b *book) indicatorChart(sheet string, row int, keyHead string, groups []metrics.Group, typ excelize.ChartType, title string) (int, error) {
	if err := b.set(sheet, 1, row, cell{"Underlag för diagrammet: " + title + " (tomt = för få svar eller inga svar)", b.st.heading}); err != nil {
		return 0, err
	}
	row++
	heads := []string{keyHead}
	for _, code := range metrics.KeyIndicators {
		heads = append(heads, metrics.Label(code))
	}
	if err := b.header(sheet, 1, row, heads...); err != nil {
		return 0, err
	}
	headRow := row
	for _, g := range groups {
		row++
		cells := []cell{b.txt(g.Key)}
		for _, code := range metrics.KeyIndicators {
			c := cell{}
			if f := g.Metrics.Figure(code); f.Value != nil {
				c = cell{*f.Value, b.st.pct}
			}
			cells = append(cells, c)
		}
		if err := b.set(sheet, 1, row, cells...); err != nil {
			return 0, err
		}
	}
	if len(groups) == 0 {
		return row + 2, nil
	}
	series := columnSeries(sheet, headRow, row, len(metrics.KeyIndicators), "circle")
	zero, one, vary := 0.0, 1.0, false
	anchor, _ := excelize.CoordinatesToCellName(1, row+2)
	err := b.f.AddChart(sheet, anchor, &excelize.Chart{Type: typ, Series: series, VaryColors: &vary,
		Title:        excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}},
		Legend:       excelize.ChartLegend{Position: "bottom"},
		YAxis:        excelize.ChartAxis{Minimum: &zero, Maximum: &one, MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0 %"}},
		Dimension:    excelize.ChartDimension{Width: 960, Height: 400},
		ShowBlanksAs: "gap",
	})
	return row + 24, err
}

// columnSeries are the series of a chart of a block whose headings are in headRow: the
// categories in column 1 and the series in the next n columns down to lastRow, each in its
// colour of the palette, its points marked with symbol ("" for none).
func columnSeries(sheet string, headRow, lastRow, n int, symbol string) []excelize.ChartSeries {
	var out []excelize.ChartSeries
	for i := range n {
		out = append(out, seriesLook(i, excelize.ChartSeries{Name: ref(sheet, i+2, headRow, i+2, headRow),
			Categories: ref(sheet, 1, headRow+1, 1, lastRow), Values: ref(sheet, i+2, headRow+1, i+2, lastRow),
			Marker: excelize.ChartMarker{Symbol: symbol}}))
	}
	return out
}

// stopStatus is a stop's status in Swedish, telling a past unconfirmed stop from a coming one.
func (b *book) stopStatus(s *lofte.Stop) string {
	if s.Status == lofte.StatusPublished && s.StartsAt.Before(b.now) {
		return "Ej bekräftat"
	}
	return s.Status.Label()
}

// perStop writes each stop's delivery: when and where, held or cancelled, staff and visitors.
// It has no survey figure, not even a count of answers: a stop's answers are too few to show
// without pointing at the people who gave them.
func (b *book) perStop() error {
	const sheet = SheetStop
	heads := []string{"Tillfälle", "Datum", "Tid", "Basort", "Plats", "Typ", "Status", "Orsak till inställt",
		"Personal", "Besökare"}
	if err := b.header(sheet, 1, 1, heads...); err != nil {
		return err
	}
	stops := map[string]*lofte.Stop{}
	for _, s := range b.in.Stops {
		stops[strconv.FormatInt(s.ID, 10)] = s
	}
	groups := slices.Clone(b.byStop.Groups)
	slices.SortStableFunc(groups, func(x, y metrics.Group) int {
		return stops[x.Key].StartsAt.Compare(stops[y.Key].StartsAt)
	})
	row := 2
	for _, g := range groups {
		s := stops[g.Key]
		if err := b.set(sheet, 1, row, b.num(float64(s.ID)), b.day(lofte.LocalDate(s.StartsAt)),
			b.txt(s.StartsAt.In(lofte.Zone).Format("15:04")+"–"+s.EndsAt.In(lofte.Zone).Format("15:04")),
			b.txt(s.Basort), b.txt(s.Place), b.txt(s.Kind.Label()), b.txt(b.stopStatus(s)), b.txt(s.CancelReason),
			b.num(float64(s.Staff)), b.num(float64(s.Visitors))); err != nil {
			return err
		}
		row++
	}
	if err := b.setLayout(sheet, layout{widths: []float64{9, 11, 12, 16, 22, 16, 13, 20, 9, 9}, freezeCols: 2,
		freezeRows: 1, filter: rangeRef(1, 1, len(heads), max(row-1, 2))}); err != nil {
		return err
	}
	b.step(1)
	return nil
}

// monthCounts are the counts of Månadsvis, before its events and figures: all of regular
// stops.
var monthCounts = []string{"stops_planned", "stops_held", "stops_cancelled", "visitors", "responses", "suspect"}

// Headings of Månadsvis's event columns: the summer events' visitors and answers, on their
// own, so that a summer month's 0 visitors at regular stops does not stand beside the events'
// answers.
const (
	HeadEventVisitors  = "Besökare vid evenemang"
	HeadEventResponses = "Svar vid evenemang"
)

// monthly writes the delivery and the key figures per month: whole-area figures with their
// coverage, or one basort's.
func (b *book) monthly() error {
	const sheet = SheetMonth
	whole := b.sc.Basort == ""
	heads := []string{"Månad"}
	for _, code := range monthCounts {
		heads = append(heads, metrics.Label(code))
	}
	heads = append(heads, metrics.Label("events"), HeadEventVisitors, HeadEventResponses)
	heads = append(heads, figureHeads(whole, keyShares()...)...)
	heads = append(heads, "Anmärkning")
	if err := b.header(sheet, 1, 1, heads...); err != nil {
		return err
	}
	row := 2
	events := b.eventsByMonth.ByKey()
	for _, g := range b.byMonth.Groups {
		var ns notes
		m := g.Metrics
		cells := []cell{b.txt(g.Key)}
		for _, code := range monthCounts {
			cells = append(cells, b.count(m, code, &ns))
		}
		ev := events[g.Key]
		cells = append(cells, b.count(m, "events", &ns), b.num(ev.CountValue("visitors")), b.num(ev.CountValue("responses")))
		cells = append(cells, b.figureCells(m, keyShares(), whole, &ns)...)
		weightingNote(m, keyShares(), &ns)
		if err := b.set(sheet, 1, row, append(cells, b.note(ns.String()))...); err != nil {
			return err
		}
		row++
	}
	widths := []float64{10, 10, 11, 10, 10, 9, 9, 11, 12, 11}
	for range keyShares() {
		widths = append(widths, 11, 6)
		if whole {
			widths = append(widths, 9)
		}
	}
	widths = append(widths, 50)
	if err := b.setLayout(sheet, layout{widths: widths, freezeCols: 1, freezeRows: 1,
		filter: rangeRef(1, 1, len(heads), max(row-1, 2))}); err != nil {
		return err
	}
	if _, err := b.indicatorChart(sheet, row+2, "Månad", b.byMonth.Groups, excelize.Line, "Utvecklingen månad för månad"); err != nil {
		return err
	}
	b.step(1)
	return nil
}

// deliveryCodes are the figures of Leverans per locality visited, and deliveryUnits the unit
// a heading names where the label does not.
var (
	deliveryCodes = []string{"stops_planned", "stops_held", "stops_cancelled", "unconfirmed", "delivery_rate",
		"announce_days_median", "announced_7d", "gap_days_median", "gap_days_max", "visitors", "visitors_per_stop",
		"visitors_per_hour", "response_rate", "contacts_crime_report", "contacts_tip", "contacts_advice",
		"contacts_other", "events"}
	deliveryUnits = map[string]string{"announce_days_median": " (dagar)", "gap_days_max": " (dagar)"}
)

// deliveryMonthCodes are the counts of Leverans per month, the first three charted.
var deliveryMonthCodes = []string{"stops_planned", "stops_held", "stops_cancelled", "unconfirmed", "events"}

// delivery writes the schedule's figures per locality visited and for the whole selection,
// and per month with a chart.
func (b *book) delivery() error {
	row, err := b.deliveryPerPlace()
	if err != nil {
		return err
	}
	if err := b.deliveryPerMonth(row + 2); err != nil {
		return err
	}
	b.step(1)
	return nil
}

// deliveryPerPlace writes Leverans's table per locality visited and for the whole selection;
// it returns the next free row.
func (b *book) deliveryPerPlace() (int, error) {
	const sheet = SheetDelivery
	heads := []string{"Basort"}
	for _, code := range deliveryCodes {
		heads = append(heads, metrics.Label(code)+deliveryUnits[code])
	}
	heads = append(heads, "Anmärkning")
	if err := b.header(sheet, 1, 1, heads...); err != nil {
		return 0, err
	}
	row := 2
	for _, g := range b.byBasort.Groups {
		if err := b.deliveryRow(row, b.txt(g.Key), g.Metrics); err != nil {
			return 0, err
		}
		row++
	}
	last := max(row-1, 2)
	row++
	if err := b.deliveryRow(row, b.bold(RowTotal), b.byBasort.Total.Metrics); err != nil {
		return 0, err
	}
	row++
	widths := []float64{18}
	for range deliveryCodes {
		widths = append(widths, 12)
	}
	widths = append(widths, 50)
	if err := b.setLayout(sheet, layout{widths: widths, freezeCols: 1, freezeRows: 1,
		filter: rangeRef(1, 1, len(heads), last)}); err != nil {
		return 0, err
	}
	return row, nil
}

// deliveryRow writes one row of Leverans's table per place, noting the basorter never
// visited, whose gap is not measured.
func (b *book) deliveryRow(row int, name cell, m metrics.Metrics) error {
	var ns notes
	cells := []cell{name}
	for _, code := range deliveryCodes {
		cells = append(cells, b.count(m, code, &ns))
	}
	for _, basort := range m.Count("gap_days_max").NoVisit {
		ns.add(basort, "inget genomfört besök")
	}
	return b.set(SheetDelivery, 1, row, append(cells, b.note(ns.String()))...)
}

// deliveryPerMonth writes Leverans's table per month from row on, with a chart of the
// planned, held and cancelled stops below it.
func (b *book) deliveryPerMonth(row int) error {
	const sheet = SheetDelivery
	if err := b.set(sheet, 1, row, cell{"Leverans per månad (ordinarie besök; evenemang för sig)", b.st.heading}); err != nil {
		return err
	}
	row++
	headRow := row
	heads := []string{"Månad"}
	for _, code := range deliveryMonthCodes {
		heads = append(heads, metrics.Label(code))
	}
	if err := b.header(sheet, 1, row, heads...); err != nil {
		return err
	}
	for _, g := range b.byMonth.Groups {
		row++
		var ns notes // these counts are always defined
		cells := []cell{b.txt(g.Key)}
		for _, code := range deliveryMonthCodes {
			cells = append(cells, b.count(g.Metrics, code, &ns))
		}
		if err := b.set(sheet, 1, row, cells...); err != nil {
			return err
		}
	}
	if len(b.byMonth.Groups) == 0 {
		return nil
	}
	series := columnSeries(sheet, headRow, row, 3, "")
	anchor, _ := excelize.CoordinatesToCellName(1, row+2)
	vary := false
	return b.f.AddChart(sheet, anchor, &excelize.Chart{Type: excelize.Col, Series: series, VaryColors: &vary,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Leverans: planerade, genomförda och inställda besök"}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		YAxis:     excelize.ChartAxis{MajorGridLines: true},
		Dimension: excelize.ChartDimension{Width: 960, Height: 400},
	})
}

func (b *book) feedback() error {
	const sheet = SheetFeedback
	heads := []string{"Basort", "Skapat", "Tillfälle", "Ämne", "Vad som sades", "Vad som gjordes", "Status",
		"Återkopplat", "Kanal"}
	if err := b.header(sheet, 1, 1, heads...); err != nil {
		return err
	}
	items := b.in.ScopeFeedback(b.sc)
	slices.SortStableFunc(items, func(x, y *lofte.FeedbackItem) int {
		return cmp.Or(x.CreatedAt.Compare(y.CreatedAt), cmp.Compare(x.ID, y.ID))
	})
	row := 2
	for _, f := range items {
		stop, told := cell{}, cell{}
		if f.StopID != nil {
			stop = b.num(float64(*f.StopID))
		}
		if f.FeedbackOn != nil {
			told = b.day(*f.FeedbackOn)
		}
		if err := b.set(sheet, 1, row, b.txt(f.Basort), b.day(lofte.LocalDate(f.CreatedAt)), stop,
			b.txt(b.cat.OptionText("sv", "problems", f.Topic)), b.txt(f.Said), b.txt(f.Action),
			b.txt(f.Status.Label()), told, b.txt(lofte.FeedbackChannels[f.Channel])); err != nil {
			return err
		}
		row++
	}
	if err := b.setLayout(sheet, layout{widths: []float64{16, 11, 9, 22, 50, 50, 18, 11, 16}, freezeRows: 1,
		filter: rangeRef(1, 1, len(heads), max(row-1, 2))}); err != nil {
		return err
	}
	row++
	var ns notes
	ns.add("", "av ärendena i urvalet")
	closed := b.count(b.total.Total.Metrics, "feedback_closed", &ns)
	if err := b.set(sheet, 1, row, b.bold(metrics.Label("feedback_closed")), closed, cell{len(items), b.st.integer},
		b.note(ns.String())); err != nil {
		return err
	}
	b.step(1)
	return nil
}
