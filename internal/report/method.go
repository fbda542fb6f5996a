package report

import (
	"unicode/utf8"

	"medborgarlofte/internal/metrics"
)

// methodTextWidth is the width of the method sheet's text column, in characters.
const methodTextWidth = 110

// method writes "Så räknas siffrorna": how the figures are made, in the same plain Swedish as
// the dashboard's method page (metrics.Method), a row per section.
func (b *book) method() error {
	const sheet = SheetMethod
	if err := b.header(sheet, 1, 1, "Del", "Så räknas det"); err != nil {
		return err
	}
	row := 2
	for _, s := range metrics.Method(b.p) {
		if err := b.set(sheet, 1, row, cell{s.Title, b.st.titleWrap}, cell{s.Text, b.st.textWrap}); err != nil {
			return err
		}
		// Rows are not fitted to wrapped text when a file is opened, so give each its lines.
		if err := b.f.SetRowHeight(sheet, row, wrappedHeight(s.Text, methodTextWidth)); err != nil {
			return err
		}
		row++
	}
	if err := b.setLayout(sheet, layout{widths: []float64{30, methodTextWidth}, freezeRows: 1}); err != nil {
		return err
	}
	b.step(1)
	return nil
}

// wrappedHeight is the height in points of a row whose text wraps in a column width
// characters wide, with room to spare: a line holds somewhat fewer characters than the width.
func wrappedHeight(text string, width int) float64 {
	perLine := width * 85 / 100
	lines := (utf8.RuneCountInString(text) + perLine - 1) / perLine
	return float64(max(lines, 1))*15 + 4
}
