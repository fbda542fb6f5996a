package report

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/survey"
)

// Sheet names, in the order of the workbook.
const (
	SheetSummary  = "Sammanfattning"
	SheetBasort   = "Per basort"
	SheetStop     = "Per tillfälle"
	SheetMonth    = "Månadsvis"
	SheetDelivery = "Leverans"
	SheetFeedback = "Återkoppling"
	SheetComments = "Synpunkter"
	SheetMethod   = "Så räknas siffrorna"
	SheetAbout    = "Om rapporten"
)

// Sheets lists the workbook's sheets in order. None has a row per response: the admin's raw
// export is the only output that does (docs/access.md, "What leaves the app").
var Sheets = []string{SheetSummary, SheetBasort, SheetStop, SheetMonth, SheetDelivery, SheetFeedback,
	SheetComments, SheetMethod, SheetAbout}

// Suppressed, Undefined, Empty and the notes are how figures without a value are shown: a
// suppressed survey figure has neither value nor n; an undefined delivery figure (a rate over
// nothing) is never shown as 0, and its reason stands in the row's note.
const (
	Suppressed     = "–"
	Undefined      = "–"
	Empty          = "inga svar"
	NoteSuppressed = "för få svar"
	NoteUncertain  = "osäker skattning"
)

// Weighted and Pooled say how a whole-area figure was made (package metrics, "Estimates").
const (
	Weighted = "vägt efter folkmängd"
	Pooled   = "ovägt: folkmängd saknas för någon basort"
)

// Source is what the report reads: the input of the figures and the approved comments,
// never the responses themselves.
type Source interface {
	metrics.Source
	EachComment(ctx context.Context, f lofte.CommentFilter, fn func(*lofte.Comment) error) error
}

// Progress is told how far the writing has come, in steps of a known total; it may be nil.
type Progress func(done, total int)

// book is a workbook being written, with everything the sheets share.
type book struct {
	ctx   context.Context
	f     *excelize.File
	src   Source
	p     *lofte.Promise
	sc    metrics.Scope
	minN  int
	now   time.Time
	cat   *survey.Catalogue
	in    metrics.Input
	st    styles
	total *metrics.Result
	// byBasort, byMonth and byStop are the groupings, computed once by package metrics;
	// eventsByBasort is the summer events', reported on their own.
	byBasort, byMonth, byStop, eventsByBasort *metrics.Result
	eventsByMonth                             *metrics.Result
	outcomes                                  *metrics.OutcomesResult
	// cmp sets the figures beside an earlier promise's same months; nil without.
	cmp *metrics.Comparison

	progress    Progress
	done, steps int
	// wraps are the cells whose text wraps, for fit.
	wraps []wrapped
}

// Write writes the workbook for the scope (its group and kind are ignored: the promise's
// figures count regular stops, summer events are reported on their own; from and to default
// to the promise's period) to w. Nothing is written to w unless the whole workbook was made.
func Write(ctx context.Context, w io.Writer, src Source, p *lofte.Promise, sc metrics.Scope, now time.Time, progress Progress) error {
	return WriteCompared(ctx, w, src, p, nil, sc, now, progress)
}

// WriteCompared is Write with, when earlier is set, the sheet Jämförelse after the summary:
// the figures per basort and for the whole area beside the same months of the earlier promise
// (metrics.EarlierPeriod), each side under its own promise's protection.
func WriteCompared(ctx context.Context, w io.Writer, src Source, p, earlier *lofte.Promise, sc metrics.Scope, now time.Time,
	progress Progress) error {
	if sc.From == nil {
		d := p.Period.From
		sc.From = &d
	}
	if sc.To == nil {
		d := p.Period.To
		sc.To = &d
	}
	sc.Group, sc.Kind = metrics.GroupNone, metrics.KindRegular
	if err := sc.Validate(); err != nil {
		return err
	}
	in, err := metrics.Load(ctx, src, p, sc, now)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	b := &book{ctx: ctx, f: excelize.NewFile(), src: src, p: p, sc: sc, now: now, cat: survey.Default(), in: in,
		progress: progress}
	defer b.f.Close()
	group := func(g string) (*metrics.Result, error) {
		x := sc
		x.Group = g
		return metrics.Compute(in, x)
	}
	if b.total, err = group(metrics.GroupNone); err != nil {
		return err
	}
	if b.byBasort, err = group(metrics.GroupBasort); err != nil {
		return err
	}
	if b.byMonth, err = group(metrics.GroupMonth); err != nil {
		return err
	}
	if b.byStop, err = group(metrics.GroupStop); err != nil {
		return err
	}
	events := sc
	events.Group, events.Kind = metrics.GroupBasort, metrics.KindEvent
	if b.eventsByBasort, err = metrics.Compute(in, events); err != nil {
		return err
	}
	events.Group = metrics.GroupMonth
	if b.eventsByMonth, err = metrics.Compute(in, events); err != nil {
		return err
	}
	b.outcomes = metrics.Judge(in, b.total)
	b.minN = b.total.Scope.MinN
	if earlier != nil {
		if b.cmp, err = metrics.LoadCompare(ctx, src, in, earlier, sc); err != nil {
			return err
		}
	}
	b.steps = len(b.sheets()) + 1
	if err := b.write(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if _, err := b.f.WriteTo(w); err != nil {
		return fmt.Errorf("report: write workbook: %w", err)
	}
	b.step(b.steps - b.done)
	return nil
}

func (b *book) write() error {
	if err := b.f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return err
	}
	for _, name := range b.sheets()[1:] {
		if _, err := b.f.NewSheet(name); err != nil {
			return err
		}
	}
	// Before any sheet is written: SetActiveSheet reads every sheet back, and would decode
	// the streamed Synpunkter, which grows with the answers, into memory whole.
	b.f.SetActiveSheet(0)
	if err := b.newStyles(); err != nil {
		return err
	}
	writers := []func() error{b.summary, b.perBasort, b.perStop, b.monthly, b.delivery, b.feedback,
		b.comments, b.method, b.about}
	if b.cmp != nil {
		writers = slices.Insert(writers, 1, b.comparison)
	}
	for _, write := range writers {
		if err := write(); err != nil {
			return err
		}
		if err := b.ctx.Err(); err != nil {
			return err
		}
	}
	if err := b.fit(); err != nil {
		return err
	}
	return b.f.SetDocProps(&excelize.DocProperties{Title: "BRÅ-rapport: " + b.p.Title, Creator: "medborgarlofte",
		Language: "sv-SE", Created: b.now.UTC().Format(time.RFC3339)})
}

// step moves the progress on by n steps.
func (b *book) step(n int) {
	b.done = min(b.done+n, b.steps)
	if b.progress != nil {
		b.progress(b.done, b.steps)
	}
}

// styles are the workbook's cell styles by use.
type styles struct {
	title, heading, header, text, textBold, note, dash int
	titleWrap, textWrap                                int
	pct, pctUncertain, pctBold                         int
	integer, integerBold, decimal, decimalUncertain    int
	date                                               int
}

func (b *book) newStyles() error {
	grey := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}
	bottom := []excelize.Border{{Type: "bottom", Color: "7F7F7F", Style: 1}}
	pct, dec, day := "0 %", "0.0", "yyyy-mm-dd"
	defs := []struct {
		id    *int
		style excelize.Style
		// text styles carry a quote prefix, so an edited cell stays text (never a formula).
		text bool
	}{
		{&b.st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, NumFmt: 49}, true},
		{&b.st.heading, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}, NumFmt: 49}, true},
		{&b.st.header, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: grey, Border: bottom, NumFmt: 49,
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}, true},
		{&b.st.text, excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "top"}}, true},
		{&b.st.textBold, excelize.Style{NumFmt: 49, Font: &excelize.Font{Bold: true}}, true},
		{&b.st.titleWrap, excelize.Style{NumFmt: 49, Font: &excelize.Font{Bold: true},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}, true},
		{&b.st.textWrap, excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}, true},
		{&b.st.note, excelize.Style{NumFmt: 49, Font: &excelize.Font{Italic: true, Color: "595959"},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}, true},
		{&b.st.dash, excelize.Style{NumFmt: 49, Font: &excelize.Font{Color: "595959"},
			Alignment: &excelize.Alignment{Horizontal: "right"}}, true},
		{&b.st.pct, excelize.Style{CustomNumFmt: &pct}, false},
		{&b.st.pctUncertain, excelize.Style{CustomNumFmt: &pct, Font: &excelize.Font{Italic: true, Color: "7F6000"}}, false},
		{&b.st.pctBold, excelize.Style{CustomNumFmt: &pct, Font: &excelize.Font{Bold: true}}, false},
		{&b.st.integer, excelize.Style{NumFmt: 1}, false},
		{&b.st.integerBold, excelize.Style{NumFmt: 1, Font: &excelize.Font{Bold: true}}, false},
		{&b.st.decimal, excelize.Style{CustomNumFmt: &dec}, false},
		{&b.st.decimalUncertain, excelize.Style{CustomNumFmt: &dec, Font: &excelize.Font{Italic: true, Color: "7F6000"}}, false},
		{&b.st.date, excelize.Style{CustomNumFmt: &day, Alignment: &excelize.Alignment{Horizontal: "left"}}, false},
	}
	yes := true
	for _, d := range defs {
		id, err := b.f.NewStyle(&d.style)
		if err != nil {
			return fmt.Errorf("style: %w", err)
		}
		if d.text {
			// excelize has no Style field for it: set the attribute on the cell format record.
			b.f.Styles.CellXfs.Xf[id].QuotePrefix = &yes
		}
		*d.id = id
	}
	return nil
}

// cell is one value to write with its style: a string is always written as text, never as
// a formula; nil leaves the cell empty.
type cell struct {
	v     any
	style int
}

func (b *book) txt(s string) cell     { return cell{s, b.st.text} }
func (b *book) bold(s string) cell    { return cell{s, b.st.textBold} }
func (b *book) note(s string) cell    { return cell{s, b.st.note} }
func (b *book) num(v float64) cell    { return cell{v, b.st.integer} }
func (b *book) day(d lofte.Date) cell { return cell{d.In(time.UTC), b.st.date} }

// count is a count or a delivery figure, never suppressed: a rate as a percentage, "–" when
// undefined, with the reason added to the row's notes.
func (b *book) count(m metrics.Metrics, code string, ns *notes) cell {
	c := m.Count(code)
	switch {
	case c.Value == nil:
		ns.add(metrics.Label(code), c.Reason)
		return cell{Undefined, b.st.dash}
	case metrics.IsRate(code):
		return cell{*c.Value, b.st.pct}
	case *c.Value != float64(int64(*c.Value)):
		return cell{*c.Value, b.st.decimal}
	}
	return cell{*c.Value, b.st.integer}
}

// share is a figure as two cells, value and n, and the note it needs: "–" and no n when
// suppressed, "inga svar" when empty, italics when uncertain. mean formats it on its own
// scale.
func (b *book) share(f metrics.Figure, mean bool) (value, n cell, note string) {
	if f.N != nil {
		n = cell{*f.N, b.st.integer}
	}
	switch {
	case f.Suppressed:
		return cell{Suppressed, b.st.dash}, cell{}, NoteSuppressed
	case f.Value == nil:
		return cell{Empty, b.st.dash}, n, ""
	}
	style := b.st.pct
	if mean {
		style = b.st.decimal
	}
	if f.Uncertain {
		style, note = b.st.pctUncertain, NoteUncertain
		if mean {
			style = b.st.decimalUncertain
		}
	}
	return cell{*f.Value, style}, n, note
}

// ci is one bound of a figure's interval, on the figure's scale.
func (b *book) ci(f metrics.Figure, i int, mean bool) cell {
	if f.CI == nil {
		return cell{}
	}
	if mean {
		return cell{f.CI[i], b.st.decimal}
	}
	return cell{f.CI[i], b.st.pct}
}

// weighting is the cells saying whether a whole-area figure is weighted by population, and
// the share of the population its basorter hold; nothing for one basort's figure or for a
// figure not shown.
func (b *book) weighting(f metrics.Figure) (weighted, coverage cell) {
	switch {
	case f.Weighted == nil || f.Value == nil:
		return cell{}, cell{}
	case !*f.Weighted:
		return b.txt("nej: folkmängd saknas för någon basort"), cell{}
	}
	return b.txt("ja"), b.coverage(f)
}

// coverage is the population share a shown whole-area figure stands on.
func (b *book) coverage(f metrics.Figure) cell {
	if f.Value == nil {
		return cell{}
	}
	return b.pctPtr(f.Coverage)
}

func (b *book) pctPtr(v *float64) cell {
	if v == nil {
		return cell{}
	}
	return cell{*v, b.st.pct}
}

// notes gathers a row's notes: which figures are suppressed or uncertain, why a delivery
// figure is undefined, each note once with the figures it concerns.
type notes struct {
	order  []string
	labels map[string][]string
}

// add notes a figure's note; an empty note is none, an empty label a note of the row.
func (ns *notes) add(label, note string) {
	if note == "" {
		return
	}
	if ns.labels == nil {
		ns.labels = map[string][]string{}
	}
	if _, ok := ns.labels[note]; !ok {
		ns.order = append(ns.order, note)
	}
	if label != "" {
		ns.labels[note] = append(ns.labels[note], label)
	}
}

func (ns *notes) String() string {
	parts := make([]string, 0, len(ns.order))
	for _, note := range ns.order {
		if labels := ns.labels[note]; len(labels) > 0 {
			note += ": " + strings.Join(labels, ", ")
		}
		parts = append(parts, note)
	}
	return strings.Join(parts, "; ")
}

// set writes cells into a row of a sheet from column col.
func (b *book) set(sheet string, col, row int, cells ...cell) error {
	for i, c := range cells {
		if c.v == nil {
			continue
		}
		ref, err := excelize.CoordinatesToCellName(col+i, row)
		if err != nil {
			return err
		}
		switch v := c.v.(type) {
		case string:
			err = b.f.SetCellStr(sheet, ref, v)
			if b.wrapsText(c.style) && v != "" {
				b.wraps = append(b.wraps, wrapped{sheet: sheet, row: row, col: col + i, span: 1, text: v, header: c.style == b.st.header})
			}
		default:
			err = b.f.SetCellValue(sheet, ref, v)
		}
		if err != nil {
			return err
		}
		if err := b.f.SetCellStyle(sheet, ref, ref, c.style); err != nil {
			return err
		}
	}
	return nil
}

// header writes a header row of a sheet.
func (b *book) header(sheet string, col, row int, heads ...string) error {
	cells := make([]cell, len(heads))
	for i, h := range heads {
		cells[i] = cell{h, b.st.header}
	}
	return b.set(sheet, col, row, cells...)
}

// layout is how a sheet is shown and printed.
type layout struct {
	widths []float64
	// freezeCols and freezeRows stay in view while scrolling; header rows repeat on print.
	freezeCols, freezeRows int
	// filter is the autofilter range, "" for none.
	filter string
}

// setLayout applies column widths, frozen panes, autofilter and print setup to a sheet.
func (b *book) setLayout(sheet string, l layout) error {
	for i, w := range l.widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := b.f.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	if l.freezeRows+l.freezeCols > 0 {
		if err := b.f.SetPanes(sheet, panes(l.freezeCols, l.freezeRows)); err != nil {
			return err
		}
	}
	if l.filter != "" {
		if err := b.f.AutoFilter(sheet, l.filter, nil); err != nil {
			return err
		}
	}
	// After AutoFilter, which replaces the sheet properties.
	return b.printSetup(sheet, l.freezeRows)
}

func panes(cols, rows int) *excelize.Panes {
	top, _ := excelize.CoordinatesToCellName(cols+1, rows+1)
	pane := "bottomRight"
	switch {
	case cols == 0:
		pane = "bottomLeft"
	case rows == 0:
		pane = "topRight"
	}
	return &excelize.Panes{Freeze: true, XSplit: cols, YSplit: rows, TopLeftCell: top, ActivePane: pane,
		Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: pane}}}
}

// printSetup prints the sheet landscape, fitted to the page width, with the header rows
// repeated on every page.
func (b *book) printSetup(sheet string, headerRows int) error {
	landscape, one, zero := "landscape", 1, 0
	fit := true
	if err := b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one,
		FitToHeight: &zero}); err != nil {
		return err
	}
	if err := b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if headerRows == 0 {
		return nil
	}
	return b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("%s!$1:$%d", quoteSheet(sheet), headerRows), Scope: sheet})
}

// quoteSheet quotes a sheet name for a reference.
func quoteSheet(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }

// ref is an absolute reference to a range of a sheet, for charts.
func ref(sheet string, col1, row1, col2, row2 int) string {
	a, _ := excelize.CoordinatesToCellName(col1, row1, true)
	z, _ := excelize.CoordinatesToCellName(col2, row2, true)
	return quoteSheet(sheet) + "!" + a + ":" + z
}

func rangeRef(col1, row1, col2, row2 int) string {
	a, _ := excelize.CoordinatesToCellName(col1, row1)
	z, _ := excelize.CoordinatesToCellName(col2, row2)
	return a + ":" + z
}
