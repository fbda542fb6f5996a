package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/survey"
)

// Withheld are the items Rådata leaves out besides free text: a workbook passed around a
// council shows them only aggregated, under the suppression rules.
var Withheld = []string{"age_band", "gender"}

// sheetItems splits the catalogue's items, in the order they are asked, into those Rådata
// shows and the free-text ones that Synpunkter shows.
func (b *book) sheetItems() (raw, free []survey.Item) {
	for _, it := range b.cat.Items() {
		switch {
		case it.Kind == survey.Text:
			free = append(free, it)
		case !slices.Contains(Withheld, it.Code):
			raw = append(raw, it)
		}
	}
	return raw, free
}

// stream starts a streamed sheet: print setup first (the sheet properties are written when
// the stream starts), then widths, frozen header and the header row, which must all come
// before any other row.
func (b *book) stream(sheet string, widths []float64, freezeCols int, heads []string) (*excelize.StreamWriter, error) {
	if err := b.printSetup(sheet, 1); err != nil {
		return nil, err
	}
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	if err := sw.SetPanes(panes(freezeCols, 1)); err != nil {
		return nil, err
	}
	row := make([]any, len(heads))
	for i, h := range heads {
		row[i] = excelize.Cell{StyleID: b.st.header, Value: h}
	}
	return sw, sw.SetRow("A1", row)
}

// finish sets a streamed sheet's autofilter over its rows and flushes it. The filter must
// come before Flush: excelize drops changes made to a streamed sheet after it.
func (b *book) finish(sw *excelize.StreamWriter, cols, rows int) error {
	if err := b.f.AutoFilter(sw.Sheet, rangeRef(1, 1, cols, max(rows, 2)), nil); err != nil {
		return err
	}
	return sw.Flush()
}

// responses writes Synpunkter and Rådata in one pass over the stored responses, a page at a
// time, so memory stays bounded however long the period.
func (b *book) responses() error {
	commentable := map[string]bool{}
	for _, g := range b.byBasort.Groups {
		if metrics.CommentsShown(int(g.Metrics.CountValue("responses"))) {
			commentable[g.Key] = true
		}
	}
	items, free := b.sheetItems()
	rawHeads := []string{"Svar-id", "Tillfälle", "Basort", "Datum", "Språk"}
	widths := []float64{38, 9, 16, 11, 6}
	for _, it := range items {
		rawHeads = append(rawHeads, b.cat.ItemHead("sv", it.Code))
		widths = append(widths, 20)
	}
	rawHeads = append(rawHeads, "Satt åt sidan")
	widths = append(widths, 10)

	comments, err := b.stream(SheetComments, []float64{18, 110}, 0, []string{"Basort", "Synpunkt"})
	if err != nil {
		return err
	}
	raw, err := b.stream(SheetRaw, widths, 1, rawHeads)
	if err != nil {
		return err
	}
	text := func(s string) excelize.Cell { return excelize.Cell{StyleID: b.st.text, Value: s} }
	rawRow, commentRow := 1, 1
	var basorter []string
	if b.sc.Basort != "" {
		basorter = []string{b.sc.Basort}
	}
	f := lofte.ResponseFilter{PromiseID: b.p.ID, From: b.sc.From, To: b.sc.To, Basorter: basorter, Limit: pageSize}
	for {
		rs, next, err := b.src.FindResponses(b.ctx, f)
		if err != nil {
			return err
		}
		for _, r := range rs {
			rawRow++
			row := []any{text(r.ID), excelize.Cell{StyleID: b.st.integer, Value: r.StopID}, text(r.Basort),
				excelize.Cell{StyleID: b.st.date, Value: r.Date.In(time.UTC)}, text(r.Lang)}
			for _, it := range items {
				row = append(row, b.answer(it, r.Answers[it.Code]))
			}
			suspect := ""
			if r.Suspect {
				suspect = "Ja"
			}
			row = append(row, text(suspect))
			if err := raw.SetRow(cellName(1, rawRow), row); err != nil {
				return err
			}
			for _, it := range free {
				if c := commentOf(r.Answers[it.Code]); c != "" && !r.Suspect && commentable[r.Basort] {
					commentRow++
					if err := comments.SetRow(cellName(1, commentRow), []any{text(r.Basort), text(c)}); err != nil {
						return err
					}
				}
			}
		}
		b.step(len(rs))
		if err := b.ctx.Err(); err != nil {
			return err
		}
		if next == "" {
			break
		}
		f.After = next
	}
	if err := b.finish(comments, 2, commentRow); err != nil {
		return err
	}
	if err := b.finish(raw, len(rawHeads), rawRow); err != nil {
		return err
	}
	b.step(2)
	return nil
}

func cellName(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// commentOf is a free-text answer as a comment ("" when there is none).
func commentOf(v any) string {
	s, _ := v.(string)
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}

// answer is one answer as a cell: the option's Swedish text, the number of a scale, the
// options of a multiple choice joined; nil when skipped.
func (b *book) answer(it survey.Item, v any) any {
	text := func(s string) excelize.Cell { return excelize.Cell{StyleID: b.st.text, Value: s} }
	switch v := v.(type) {
	case nil:
		return nil
	case int:
		return excelize.Cell{StyleID: b.st.integer, Value: v}
	case string:
		return text(b.cat.OptionText("sv", it.Code, v))
	case []string:
		var out []string
		for _, o := range v {
			out = append(out, b.cat.OptionText("sv", it.Code, o))
		}
		return text(strings.Join(out, "; "))
	}
	return text(fmt.Sprint(v))
}
