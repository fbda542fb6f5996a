package report

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"medborgarlofte/internal/palette"
)

// wrapped is a cell whose text wraps (a header, a note, a long text): the row must be tall
// enough for all its lines, or Excel cuts it off and LibreOffice lets it run over the rows
// below. span is how many columns the cell covers (merged), from col.
type wrapped struct {
	sheet          string
	row, col, span int
	text           string
	header         bool
}

// Line height of the workbook's 11 pt text in points, and the room above and below.
const (
	lineHeight = 15
	rowPadding = 4
	// maxRowHeight is the tallest row a workbook may have.
	maxRowHeight = 409
)

// fit sizes the sheets to their text once everything is written: a column is at least as wide
// as the longest word of its headers (no header is broken inside a word, "Genomförd a"), and
// each row holding wrapped text is as tall as its tallest cell needs.
func (b *book) fit() error {
	for _, w := range b.wraps {
		if !w.header || w.span != 1 {
			continue
		}
		col, _ := excelize.ColumnNumberToName(w.col)
		have, err := b.f.GetColWidth(w.sheet, col)
		if err != nil {
			return err
		}
		// Bold text is about a tenth wider than the width unit (a digit of the normal font).
		if need := float64(longestWord(w.text))*1.1 + 1.5; have < need {
			if err := b.f.SetColWidth(w.sheet, col, col, need); err != nil {
				return err
			}
		}
	}
	type key struct {
		sheet string
		row   int
	}
	heights := map[key]float64{}
	var order []key
	for _, w := range b.wraps {
		width := 0.0
		for c := w.col; c < w.col+w.span; c++ {
			col, _ := excelize.ColumnNumberToName(c)
			cw, err := b.f.GetColWidth(w.sheet, col)
			if err != nil {
				return err
			}
			width += cw
		}
		k := key{w.sheet, w.row}
		if _, ok := heights[k]; !ok {
			order = append(order, k)
		}
		heights[k] = max(heights[k], float64(lines(w.text, width))*lineHeight+rowPadding)
	}
	for _, k := range order {
		have, err := b.f.GetRowHeight(k.sheet, k.row)
		if err != nil {
			return err
		}
		if h := min(heights[k], maxRowHeight); h > have {
			if err := b.f.SetRowHeight(k.sheet, k.row, h); err != nil {
				return err
			}
		}
	}
	return nil
}

// spans records that the wrapped cell at (sheet, row, col) is merged over span columns.
func (b *book) spans(sheet string, row, col, span int) {
	for i := range b.wraps {
		if w := &b.wraps[i]; w.sheet == sheet && w.row == row && w.col == col {
			w.span = span
		}
	}
}

func longestWord(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		n = max(n, utf8.RuneCountInString(w))
	}
	return n
}

// lines is how many lines text takes wrapped at word breaks in a column width characters
// wide (a line holds a little less than the width: text is wider than the width's digits).
func lines(text string, width float64) int {
	capacity := max(int(width*0.9)-1, 4)
	n := 0
	for _, para := range strings.Split(text, "\n") {
		n++
		used := 0
		for _, w := range strings.Fields(para) {
			l := utf8.RuneCountInString(w)
			switch {
			case used == 0:
			case used+1+l <= capacity:
				used++
			default:
				n++
				used = 0
			}
			for l > capacity { // a word longer than a line breaks inside it
				n++
				l -= capacity
			}
			used += l
		}
	}
	return max(n, 1)
}

// seriesLook colours a workbook chart's series i as the dashboard colours it (package
// palette): the fill of a bar, the line and markers of a line.
func seriesLook(i int, s excelize.ChartSeries) excelize.ChartSeries {
	fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{palette.Hex(i)}}
	s.Fill = fill
	s.Marker.Fill = fill
	s.Marker.Border = excelize.LineOptions{Fill: fill}
	return s
}

// wrapsText reports whether a style wraps its text.
func (b *book) wrapsText(style int) bool {
	return slices.Contains([]int{b.st.header, b.st.note, b.st.textWrap, b.st.titleWrap}, style)
}
