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

// figureHeads are the headings of value and n columns of the figures.
func figureHeads(codes ...string) []string {
	var out []string
	for _, c := range codes {
		out = append(out, metrics.Label(c), "n")
	}
	return out
}

// figureCells are a row's value and n cells of the figures, and the row's note.
func (b *book) figureCells(m metrics.Metrics, shares, means []string) ([]cell, string) {
	var (
		out []cell
		ns  notes
	)
	for _, codes := range [][]string{shares, means} {
		for _, code := range codes {
			v, n, note := b.share(m.Figure(code), len(means) > 0 && slices.Contains(means, code))
			ns.add(metrics.Label(code), note)
			out = append(out, v, n)
		}
	}
	return out, ns.String()
}

func (b *book) population(name string) cell {
	for _, l := range b.in.Localities {
		if l.Name == name && l.Population > 0 {
			return b.num(float64(l.Population))
		}
	}
	return cell{}
}

func (b *book) perBasort() error {
	const sheet = SheetBasort
	heads := append([]string{"Basort", "Invånare", "Svar", "Satta åt sidan", "Genomförda besök", "Besökare"},
		figureHeads(append(slices.Clone(basortShares), basortMeans...)...)...)
	heads = append(heads, "Anmärkning")
	if err := b.header(sheet, 1, 1, heads...); err != nil {
		return err
	}
	row := 2
	write := func(key string, name cell, m metrics.Metrics) error {
		figs, note := b.figureCells(m, basortShares, basortMeans)
		cells := append([]cell{name, b.population(key), b.count(m, "responses"), b.count(m, "suspect"),
			b.count(m, "stops_held"), b.count(m, "visitors")}, figs...)
		cells = append(cells, b.note(note))
		err := b.set(sheet, 1, row, cells...)
		row++
		return err
	}
	for _, g := range b.byBasort.Groups {
		if err := write(g.Key, b.txt(g.Key), g.Metrics); err != nil {
			return err
		}
	}
	last := max(row-1, 2)
	row++
	if err := write("", b.bold("Hela urvalet"), b.byBasort.Total.Metrics); err != nil {
		return err
	}
	widths := []float64{18, 10, 8, 10, 11, 10}
	for range len(heads) - 7 {
		widths = append(widths, 11)
	}
	widths = append(widths, 50)
	for i := 7; i < len(heads)-1; i += 2 {
		widths[i] = 6 // the n columns
	}
	if err := b.setLayout(sheet, layout{widths: widths, freezeCols: 1, freezeRows: 1,
		filter: rangeRef(1, 1, len(heads), last)}); err != nil {
		return err
	}
	if _, err := b.indicatorChart(sheet, row+2, "Basort", b.byBasort.Groups, excelize.Col, "Basorterna jämförda"); err != nil {
		return err
	}
	b.step(1)
	return nil
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
	var series []excelize.ChartSeries
	for i := range metrics.KeyIndicators {
		series = append(series, excelize.ChartSeries{Name: ref(sheet, i+2, headRow, i+2, headRow),
			Categories: ref(sheet, 1, headRow+1, 1, row), Values: ref(sheet, i+2, headRow+1, i+2, row),
			Marker: excelize.ChartMarker{Symbol: "circle"}})
	}
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

func (b *book) monthly() error {
	const sheet = SheetMonth
	heads := append([]string{"Månad", "Planerade besök", "Genomförda", "Inställda", "Sommarevenemang", "Besökare",
		"Svar", "Satta åt sidan"}, figureHeads(keyShares()...)...)
	heads = append(heads, "Anmärkning")
	if err := b.header(sheet, 1, 1, heads...); err != nil {
		return err
	}
	row := 2
	for _, g := range b.byMonth.Groups {
		figs, note := b.figureCells(g.Metrics, keyShares(), nil)
		m := g.Metrics
		cells := []cell{b.txt(g.Key), b.count(m, "stops_planned"), b.count(m, "stops_held"), b.count(m, "stops_cancelled"),
			b.count(m, "events"), b.count(m, "visitors"), b.count(m, "responses"), b.count(m, "suspect")}
		cells = append(append(cells, figs...), b.note(note))
		if err := b.set(sheet, 1, row, cells...); err != nil {
			return err
		}
		row++
	}
	widths := []float64{10, 10, 11, 10, 12, 10, 8, 9}
	for range keyShares() {
		widths = append(widths, 11, 6)
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

// deliveryShare is a share about stops or feedback items: never suppressed, empty over nothing.
func (b *book) deliveryShare(m metrics.Metrics, code string) cell { return b.rate(m, code) }

func (b *book) rate(m metrics.Metrics, code string) cell {
	c, _ := m[code].(metrics.Count)
	if c.Value == nil {
		return cell{}
	}
	return cell{*c.Value, b.st.pct}
}

func (b *book) delivery() error {
	const sheet = SheetDelivery
	heads := []string{"Basort", metrics.Label("stops_planned"), metrics.Label("stops_held"), metrics.Label("stops_cancelled"), metrics.Label("unconfirmed"),
		metrics.Label("delivery_rate"), metrics.Label("announce_days_median") + " (dagar)", metrics.Label("announced_7d"),
		metrics.Label("gap_days_median"), metrics.Label("gap_days_max") + " (dagar)", metrics.Label("visitors"), metrics.Label("visitors_per_stop"),
		metrics.Label("visitors_per_hour"), metrics.Label("response_rate"), metrics.Label("contacts_crime_report"), metrics.Label("contacts_tip"),
		metrics.Label("contacts_advice"), metrics.Label("contacts_other"), metrics.Label("events")}
	if err := b.header(sheet, 1, 1, heads...); err != nil {
		return err
	}
	row := 2
	write := func(name cell, m metrics.Metrics) error {
		err := b.set(sheet, 1, row, name, b.count(m, "stops_planned"), b.count(m, "stops_held"),
			b.count(m, "stops_cancelled"), b.count(m, "unconfirmed"), b.deliveryShare(m, "delivery_rate"),
			b.dec(countPtr(m, "announce_days_median")), b.deliveryShare(m, "announced_7d"),
			b.dec(countPtr(m, "gap_days_median")), b.count(m, "gap_days_max"), b.count(m, "visitors"),
			b.dec(countPtr(m, "visitors_per_stop")), b.dec(countPtr(m, "visitors_per_hour")), b.rate(m, "response_rate"),
			b.count(m, "contacts_crime_report"), b.count(m, "contacts_tip"), b.count(m, "contacts_advice"),
			b.count(m, "contacts_other"), b.count(m, "events"))
		row++
		return err
	}
	for _, g := range b.byBasort.Groups {
		if err := write(b.txt(g.Key), g.Metrics); err != nil {
			return err
		}
	}
	last := max(row-1, 2)
	row++
	if err := write(b.bold("Hela urvalet"), b.byBasort.Total.Metrics); err != nil {
		return err
	}
	widths := []float64{18}
	for range len(heads) - 1 {
		widths = append(widths, 12)
	}
	if err := b.setLayout(sheet, layout{widths: widths, freezeCols: 1, freezeRows: 1,
		filter: rangeRef(1, 1, len(heads), last)}); err != nil {
		return err
	}

	row += 2
	if err := b.set(sheet, 1, row, cell{"Leverans per månad (ordinarie besök; sommarevenemang för sig)", b.st.heading}); err != nil {
		return err
	}
	row++
	headRow := row
	series := []string{"stops_planned", "stops_held", "stops_cancelled", "unconfirmed", "events"}
	mh := []string{"Månad"}
	for _, code := range series {
		mh = append(mh, metrics.Label(code))
	}
	if err := b.header(sheet, 1, row, mh...); err != nil {
		return err
	}
	for _, g := range b.byMonth.Groups {
		row++
		cells := []cell{b.txt(g.Key)}
		for _, code := range series {
			cells = append(cells, b.count(g.Metrics, code))
		}
		if err := b.set(sheet, 1, row, cells...); err != nil {
			return err
		}
	}
	if len(b.byMonth.Groups) > 0 {
		var cs []excelize.ChartSeries
		for i := range series[:3] {
			cs = append(cs, excelize.ChartSeries{Name: ref(sheet, i+2, headRow, i+2, headRow),
				Categories: ref(sheet, 1, headRow+1, 1, row), Values: ref(sheet, i+2, headRow+1, i+2, row)})
		}
		anchor, _ := excelize.CoordinatesToCellName(1, row+2)
		vary := false
		if err := b.f.AddChart(sheet, anchor, &excelize.Chart{Type: excelize.Col, Series: cs, VaryColors: &vary,
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Leverans: planerade, genomförda och inställda besök"}}},
			Legend:    excelize.ChartLegend{Position: "bottom"},
			YAxis:     excelize.ChartAxis{MajorGridLines: true},
			Dimension: excelize.ChartDimension{Width: 960, Height: 400},
		}); err != nil {
			return err
		}
	}
	b.step(1)
	return nil
}

func countPtr(m metrics.Metrics, code string) *float64 {
	c, _ := m[code].(metrics.Count)
	return c.Value
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
	m := b.total.Total.Metrics
	closed := b.deliveryShare(m, "feedback_closed")
	if err := b.set(sheet, 1, row, b.bold(metrics.Label("feedback_closed")), closed, cell{len(b.in.ScopeFeedback(b.sc)), b.st.integer},
		b.note("av ärendena i urvalet")); err != nil {
		return err
	}
	b.step(1)
	return nil
}
