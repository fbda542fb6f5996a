package report

import (
	"math"
	"slices"
	"strconv"

	"medborgarlofte/internal/metrics"
)

// SheetCompare sets the figures beside an earlier promise's; it follows the summary, and
// only a workbook asked to compare has it.
const SheetCompare = "Jämförelse"

// NoteCompare says how the two periods are set side by side and what a change means.
const NoteCompare = "Varje period räknas med sitt eget löftes regler och data: samma skydd (för få svar, slumpade " +
	"antal, osäkra skattningar) gäller också den tidigare perioden. En förändring anges inte när någon av sidorna har " +
	"för få svar, inga svar, en osäker skattning eller saknar värde; skälet står i anmärkningen. Förändringen av en " +
	"andel anges i procentenheter med ett 95 % intervall; innehåller intervallet noll är förändringen inte säkerställd. " +
	"Förändringen av ett antal är skillnaden mellan antalen (antal svar är slumpade på båda sidor)."

// sheets are the workbook's sheets in order: Sheets, with Jämförelse after the summary when
// comparing.
func (b *book) sheets() []string {
	if b.cmp == nil {
		return Sheets
	}
	return slices.Insert(slices.Clone(Sheets), 1, SheetCompare)
}

// comparison writes Jämförelse: the two periods and how the earlier was chosen, then a row
// per place and figure with its value and n then and now, the change and its interval, and
// the notes; the scope (one basort or the whole area) first, then each basort.
func (b *book) comparison() error {
	const sheet = SheetCompare
	c := b.cmp
	then := "ingen: " + c.Outside
	if c.Scope != nil {
		then = c.Scope.From + " – " + c.Scope.To
	}
	now, _ := b.surveyPeriod()
	facts := [][2]string{
		{"Jämförs med", c.Earlier.Title},
		{"Nu", now + " (" + b.p.Title + ")"},
		{"Då", then},
		{"Så valdes perioden", c.Note},
		{"Så jämförs siffrorna", NoteCompare},
	}
	if err := b.set(sheet, 1, 1, cell{"Jämförelse med " + c.Earlier.Title, b.st.title}); err != nil {
		return err
	}
	row := 2
	for _, f := range facts {
		if err := b.set(sheet, 1, row, b.bold(f[0]), cell{f[1], b.st.textWrap}); err != nil {
			return err
		}
		if err := b.f.SetRowHeight(sheet, row, wrappedHeight(f[1], 100)); err != nil {
			return err
		}
		// The text runs over the table's columns, as wide as the table below.
		if err := b.f.MergeCell(sheet, "B"+strconv.Itoa(row), "K"+strconv.Itoa(row)); err != nil {
			return err
		}
		b.spans(sheet, row, 2, 10)
		row++
	}
	row++
	head := row
	if err := b.header(sheet, 1, row, "Plats", "Mått", "Då", "Då, n", "Nu", "Nu, n",
		"Förändring (procentenheter för andelar)", "95 % intervall, från", "95 % intervall, till", "Säkerställd", "Anmärkning"); err != nil {
		return err
	}
	row++
	places := append([]metrics.Place{c.Total}, c.Groups...)
	if b.sc.Basort != "" {
		places = places[:1]
	}
	for _, pl := range places {
		name := pl.Key
		if name == "all" {
			name = b.filterText()
			if b.sc.Basort == "" {
				name = "Hela området"
			}
		}
		for _, ch := range pl.Changes {
			if err := b.set(sheet, 1, row, b.changeCells(name, ch)...); err != nil {
				return err
			}
			row++
		}
	}
	if err := b.setLayout(sheet, layout{widths: []float64{22, 24, 12, 8, 12, 8, 16, 12, 12, 11, 60}, freezeRows: head,
		filter: rangeRef(1, head, 11, row-1)}); err != nil {
		return err
	}
	b.step(1)
	return nil
}

// changeCells is one row of Jämförelse.
func (b *book) changeCells(place string, ch metrics.Change) []cell {
	var ns notes
	thenV, thenN := b.side(ch.Metric, ch.Then, "då", &ns)
	nowV, nowN := b.side(ch.Metric, ch.Now, "nu", &ns)
	cells := []cell{b.txt(place), b.txt(metrics.Label(ch.Metric)), thenV, thenN, nowV, nowN}
	if ch.Change == nil {
		ns = notes{}
		ns.add("", ch.Reason)
		return append(cells, cell{Undefined, b.st.dash}, cell{}, cell{}, cell{}, b.note(ns.String()))
	}
	_, isCount := ch.Now.(metrics.Count)
	change := func(v float64) cell {
		if isCount && !metrics.IsRate(ch.Metric) {
			return cell{v, b.st.integer}
		}
		return cell{math.Round(v*1000) / 10, b.st.decimal} // percentage points
	}
	cells = append(cells, change(*ch.Change))
	if ch.CI == nil {
		return append(cells, cell{}, cell{}, cell{}, b.note(ns.String()))
	}
	settled := "nej"
	if *ch.Settled {
		settled = "ja"
	}
	return append(cells, change(ch.CI[0]), change(ch.CI[1]), b.txt(settled), b.note(ns.String()))
}

// side is one side's value and n: a survey figure as elsewhere in the workbook (nothing but
// "–" when suppressed), a count or delivery figure, or "–" when there is none (a basort that
// did not exist then, a period outside the earlier promise: the row's note says which).
func (b *book) side(code string, v any, when string, ns *notes) (value, n cell) {
	switch x := v.(type) {
	case metrics.Figure:
		value, n, note := b.share(x, false)
		ns.add(when, note)
		return value, n
	case metrics.Count:
		var own notes
		value = b.count(metrics.Metrics{code: x}, code, &own)
		if own.String() != "" {
			ns.add(when, x.Reason)
		}
		return value, cell{}
	}
	return cell{Undefined, b.st.dash}, cell{}
}
