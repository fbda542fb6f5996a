package report

import (
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

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

// shownComments returns the approved comments that may leave the app, sorted by text as a
// Swedish reader expects (å, ä, ö last), then by basort. A comment is judged by the survey
// cell it belongs to: its basort, over the scope's whole months, among the stops of its kind.
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
	shown := map[lofte.StopKind]map[string]bool{
		lofte.KindRegular: commentable(b.byBasort),
		lofte.KindEvent:   commentable(b.eventsByBasort),
	}
	kind := map[int64]lofte.StopKind{}
	for _, s := range b.in.Stops {
		if s.Status.Public() {
			kind[s.ID] = s.Kind
		}
	}
	out := slices.DeleteFunc(cs, func(c *lofte.Comment) bool { return !shown[kind[c.StopID]][c.Basort] })
	col := collate.New(language.Swedish)
	slices.SortStableFunc(out, func(x, y *lofte.Comment) int {
		if n := col.CompareString(x.Text, y.Text); n != 0 {
			return n
		}
		return col.CompareString(x.Basort, y.Basort)
	})
	return out, nil
}

// commentable returns the basorter of a grouping by basort whose perturbed responses allow
// their comments to be shown.
func commentable(byBasort *metrics.Result) map[string]bool {
	out := map[string]bool{}
	for _, g := range byBasort.Groups {
		if metrics.CommentsShown(int(g.Metrics.CountValue("responses"))) {
			out[g.Key] = true
		}
	}
	return out
}
