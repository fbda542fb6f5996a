package report

import (
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// comments writes Synpunkter: the approved comments of the basorter whose cell in the scope
// has at least metrics.CommentsMinResponses perturbed responses, without date, hour or stop,
// alphabetically, so neither the order nor the row places a comment in time (docs/access.md,
// "What leaves the app").
func (b *book) comments() error {
	const sheet = SheetComments
	if err := b.header(sheet, 1, 1, "Basort", "Synpunkt"); err != nil {
		return err
	}
	cs, err := b.shownComments()
	if err != nil {
		return err
	}
	row := 2
	for _, c := range cs {
		if err := b.set(sheet, 1, row, b.txt(c.Basort), b.txt(c.Text)); err != nil {
			return err
		}
		row++
	}
	if err := b.setLayout(sheet, layout{widths: []float64{18, 110}, freezeRows: 1,
		filter: rangeRef(1, 1, 2, max(row-1, 2))}); err != nil {
		return err
	}
	b.step(1)
	return nil
}

// shownComments returns the approved comments that may leave the app (metrics.PublicComments).
func (b *book) shownComments() ([]*lofte.Comment, error) {
	months := b.byBasort.Scope
	from, err := lofte.ParseDate(months.From)
	if err != nil {
		return nil, err
	}
	to, err := lofte.ParseDate(months.To)
	if err != nil {
		return nil, err
	}
	var basorter []string
	if b.sc.Basort != "" {
		basorter = []string{b.sc.Basort}
	}
	cs, err := b.src.FindComments(b.ctx, lofte.CommentFilter{PromiseID: b.p.ID, From: &from, To: &to,
		Basorter: basorter, Status: lofte.CommentApproved})
	if err != nil {
		return nil, err
	}
	return metrics.PublicComments(cs, b.in.Stops, b.byBasort, b.eventsByBasort), nil
}
