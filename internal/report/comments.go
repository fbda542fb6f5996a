package report

import (
	"github.com/xuri/excelize/v2"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// comments writes Synpunkter: the approved comments of the basorter whose cell in the scope
// has at least metrics.CommentsMinResponses perturbed responses, without date, hour or stop,
// alphabetically, so neither the order nor the row places a comment in time (docs/access.md,
// "What leaves the app").
//
// It is the one sheet that grows with the answers, so nothing of it is held in memory: the
// store hands the comments over one at a time, already in order (lofte.CommentStore.
// EachComment), and the rows are streamed, which excelize keeps as XML in a buffer (on disk
// past 16 MiB) rather than as cells.
func (b *book) comments() error {
	const sheet = SheetComments
	// The stream writer keeps what the sheet had before its first row, so the layout goes
	// first; the filter's range, known at the end, is set again before the stream is closed.
	l := layout{widths: []float64{18, 110}, freezeRows: 1, filter: rangeRef(1, 1, 2, 2)}
	if err := b.setLayout(sheet, l); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	header := []any{excelize.Cell{StyleID: b.st.header, Value: "Basort"}, excelize.Cell{StyleID: b.st.header, Value: "Synpunkt"}}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	row := 1
	err = b.eachShownComment(func(c *lofte.Comment) error {
		row++
		ref, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		return sw.SetRow(ref, []any{excelize.Cell{StyleID: b.st.text, Value: c.Basort}, excelize.Cell{StyleID: b.st.text, Value: c.Text}})
	})
	if err != nil {
		return err
	}
	if err := b.f.AutoFilter(sheet, rangeRef(1, 1, 2, max(row, 2)), nil); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	b.step(1)
	return nil
}

// eachShownComment calls fn with each approved comment that may leave the app, in the order
// of metrics.PublicComments and by its rule.
func (b *book) eachShownComment(fn func(*lofte.Comment) error) error {
	months := b.byBasort.Scope
	from, err := lofte.ParseDate(months.From)
	if err != nil {
		return err
	}
	to, err := lofte.ParseDate(months.To)
	if err != nil {
		return err
	}
	var basorter []string
	if b.sc.Basort != "" {
		basorter = []string{b.sc.Basort}
	}
	public := metrics.CommentPublic(b.in.Stops, b.byBasort, b.eventsByBasort)
	return b.src.EachComment(b.ctx, lofte.CommentFilter{PromiseID: b.p.ID, From: &from, To: &to, Basorter: basorter,
		Status: lofte.CommentApproved}, func(c *lofte.Comment) error {
		if !public(c) {
			return nil
		}
		return fn(c)
	})
}
