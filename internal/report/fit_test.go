package report_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/palette"
	"medborgarlofte/internal/report"
)

// TestTextFitsItsCells reads the demo year's workbook back cell by cell: every header's
// column is wider than its longest word (no header breaks inside a word, "Genomförd a"), and
// every row holding a header or a note is tall enough for its lines, so nothing runs over
// the rows below or is cut off.
func TestTextFitsItsCells(t *testing.T) {
	db, p, _ := mustDemo(t)
	f, _ := mustWrite(t, db, p, year())
	for _, sheet := range f.GetSheetList() {
		rows := mustRows(t, f, sheet)
		for r, row := range rows {
			for c, v := range row {
				if v == "" {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				style, err := f.GetCellStyle(sheet, ref)
				if err != nil {
					t.Fatal(err)
				}
				st, err := f.GetStyle(style)
				if err != nil {
					t.Fatal(err)
				}
				if st.Alignment == nil || !st.Alignment.WrapText {
					continue
				}
				if merged, _ := inMerged(f, sheet, ref); merged {
					continue // a merged note's width is the merge's; its height is checked below
				}
				col, _ := excelize.ColumnNumberToName(c + 1)
				width, _ := f.GetColWidth(sheet, col)
				height, _ := f.GetRowHeight(sheet, r+1)
				if st.Font != nil && st.Font.Bold && st.Fill.Type != "" { // a header
					if longest := longestWord(v); width < float64(longest) {
						t.Errorf("%s!%s: header %q (longest word %d) in a column %.1f wide breaks inside a word", sheet, ref, v, longest, width)
					}
				}
				// At most about 0.9 width characters fit a line; a line is 15 points.
				minLines := (utf8.RuneCountInString(v) + int(width*0.9) - 1) / int(width*0.9)
				if height < float64(minLines*15) && height < 409 {
					t.Errorf("%s!%s: %q needs %d lines at width %.1f, the row is %.0f pt", sheet, ref, short(v), minLines, width, height)
				}
			}
		}
	}
	// The summary's reading notes, merged over the table, have rows their own height.
	rows := mustRows(t, f, report.SheetSummary)
	for r, row := range rows {
		if len(row) > 0 && row[0] == report.NotePerturbed {
			if h, _ := f.GetRowHeight(report.SheetSummary, r+1); h < 15 {
				t.Errorf("the note %q has a row %.0f pt tall", short(row[0]), h)
			}
		}
	}
}

func inMerged(f *excelize.File, sheet, ref string) (bool, error) {
	cells, err := f.GetMergeCells(sheet)
	if err != nil {
		return false, err
	}
	for _, m := range cells {
		c1, r1, _ := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, _ := excelize.CellNameToCoordinates(m.GetEndAxis())
		c, r, _ := excelize.CellNameToCoordinates(ref)
		if c >= c1 && c <= c2 && r >= r1 && r <= r2 {
			return true, nil
		}
	}
	return false, nil
}

func longestWord(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		n = max(n, utf8.RuneCountInString(w))
	}
	return n
}

func short(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:40]) + "…"
	}
	return s
}

// TestMonthlyEventsOnTheirOwn: Månadsvis gives the summer events' visitors and answers in
// columns of their own, equal to the figures of kind=event; the regular columns of a summer
// month count regular stops only (0 visitors), never beside the events' answers.
func TestMonthlyEventsOnTheirOwn(t *testing.T) {
	db, p, _ := mustDemo(t)
	f, _ := mustWrite(t, db, p, year())
	rows := mustRows(t, f, report.SheetMonth)
	head := rows[0]
	visitors, responses := column(t, head, label("visitors")), column(t, head, label("responses"))
	events, evVisitors, evResponses := column(t, head, label("events")), column(t, head, report.HeadEventVisitors), column(t, head, report.HeadEventResponses)
	if !(responses < events && events < evVisitors && evVisitors < evResponses) {
		t.Errorf("header %q: the events' columns do not stand together after the regular counts", head)
	}
	sc := year()
	sc.Group, sc.Kind = metrics.GroupMonth, metrics.KindEvent
	res := mustCompute(t, db, p, sc)
	rowOf := byKey(rows)
	summer := 0
	for _, g := range res.Groups {
		r := rowOf[g.Key]
		if r == nil {
			t.Fatalf("no row for %s", g.Key)
		}
		if !sameNumber(r[evVisitors], g.Metrics.CountValue("visitors")) || !sameNumber(r[evResponses], g.Metrics.CountValue("responses")) {
			t.Errorf("%s: events' visitors %q and answers %q, want %v and %v", g.Key, r[evVisitors], r[evResponses],
				g.Metrics.CountValue("visitors"), g.Metrics.CountValue("responses"))
		}
		if g.Metrics.CountValue("responses") > 0 && strings.Compare(g.Key, "2018-06") >= 0 && strings.Compare(g.Key, "2018-08") <= 0 {
			summer++
			if r[visitors] != "0" || r[responses] != "0" {
				t.Errorf("%s: regular visitors %q and answers %q in a summer month, want 0 and 0", g.Key, r[visitors], r[responses])
			}
		}
	}
	if summer == 0 {
		t.Error("the demo year has no answers at summer events to check")
	}
}

// TestChartsUseThePalette: the workbook's native charts colour their series with the
// dashboard's palette, series by series.
func TestChartsUseThePalette(t *testing.T) {
	db, p, _ := mustDemo(t)
	_, b := mustWrite(t, db, p, year())
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	charts := 0
	for _, zf := range z.File {
		if !strings.HasPrefix(zf.Name, "xl/charts/chart") {
			continue
		}
		charts++
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		x, _ := io.ReadAll(rc)
		rc.Close()
		for i := range 3 {
			if !strings.Contains(string(x), `srgbClr val="`+palette.Hex(i)+`"`) {
				t.Errorf("%s lacks series %d's colour %s", zf.Name, i, palette.Hex(i))
			}
		}
	}
	if charts < 3 {
		t.Errorf("%d charts in the workbook, want at least 3", charts)
	}
}
