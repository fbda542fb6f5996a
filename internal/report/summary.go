package report

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// keyFigures are the figures of the summary, beside their targets and baselines where the
// promise has them.
var keyFigures = []string{"responses", "suspect", "stops_planned", "stops_held", "stops_cancelled", "delivery_rate",
	"announced_7d", "visitors", "response_rate", "trust_high", "cares_agree", "unsafe", "satisfied", "got_help",
	"knew_in_advance", "feedback_closed"}

// eventFigures are the summary's figures of the summer events, reported on their own.
var eventFigures = append([]string{"stops_held", "visitors", "responses", "response_rate"}, keyShares()...)

// NotePerturbed is said once in the summary: survey counts are perturbed (package metrics, "The cell key method").
const NotePerturbed = "Antalen enkätsvar är lätt slumpade, med några få upp eller ner, för att skydda besökarna: " +
	"därför kan summor skilja sig något från sina delar. Besök, besökare och ärenden visas som de loggats."

// NoteEvents says where the events (such as the summer's) are.
const NoteEvents = "Svar och besök från evenemang (som sommarens) redovisas för sig, under Evenemang, och ingår inte i " +
	"löftets siffror eller mål."

func (b *book) noteSuppression() string {
	return fmt.Sprintf("– vid en andel, ett medelvärde eller en fördelning betyder för få svar: med färre än %d "+
		"giltiga svar visas varken värdet eller dess n. ”inga svar” betyder att ingen svarat på frågan. – vid ett "+
		"leveransmått betyder att det inte går att räkna (till exempel leveransgrad utan planerade besök); skälet "+
		"står i anmärkningen. Kursiv stil: osäker skattning (intervallet är bredare än ±10 procentenheter, ±0,5 för "+
		"ett medelvärde).", b.minN)
}

// noteWeighting explains the whole area's figures.
const noteWeighting = "Siffrorna för hela området väger varje basort efter hur många som bor där, eftersom de orter " +
	"som besöks mest annars får för stor vikt. Täckning är den andel av invånarna som bor i de basorter som har " +
	"tillräckligt många svar för att räknas in. Den ovägda siffran, alla svar tillsammans, står bredvid (Ovägt)."

func (b *book) filterText() string {
	if b.sc.Basort == "" {
		return "Alla basorter"
	}
	return b.sc.Basort
}

// summary writes the summary sheet: the selection, the four outcomes, the key figures, the
// summer events, the distributions and how to read them, each section below the last after a
// blank row.
func (b *book) summary() error {
	const sheet = SheetSummary
	row, err := b.summaryFacts(sheet)
	if err != nil {
		return err
	}
	sections := []func(sheet string, row int) (next int, err error){b.outcomeRows, b.keyFigureRows, b.eventRows,
		b.distributions, b.readingNotes}
	for _, section := range sections {
		if row, err = section(sheet, row+1); err != nil {
			return err
		}
	}
	if err := b.setLayout(sheet, layout{widths: []float64{34, 16, 26, 10, 7, 10, 10, 10, 10, 10, 16, 44, 44, 40}}); err != nil {
		return err
	}
	b.step(1)
	return nil
}

// surveyPeriod is the survey figures' whole months, and whether they are wider than the
// period asked (the delivery figures keep its days).
func (b *book) surveyPeriod() (string, bool) {
	sc := b.total.Scope
	return sc.From + " – " + sc.To, sc.Widened
}

// summaryFacts writes the title and what the report covers; it returns the next free row.
func (b *book) summaryFacts(sheet string) (int, error) {
	if err := b.set(sheet, 1, 1, cell{"BRÅ-rapport: " + b.p.Title, b.st.title}); err != nil {
		return 0, err
	}
	facts := [][2]string{
		{"Kommun", b.p.Municipality},
		{"Polisområde", b.p.PoliceArea},
		{"Period", b.sc.From.String() + " – " + b.sc.To.String()},
	}
	if months, widened := b.surveyPeriod(); widened {
		facts = append(facts, [2]string{"Enkätsiffrorna avser hela månader", months})
	}
	facts = append(facts,
		[2]string{"Urval", b.filterText()},
		[2]string{"Minsta antal svar för att visa en siffra", fmt.Sprint(b.minN)},
		[2]string{"Minsta antal svar för en status", fmt.Sprint(b.total.Scope.StatusMinN)},
		[2]string{"Skapad", b.now.In(lofte.Zone).Format("2006-01-02 15:04")},
	)
	row := 3
	for _, f := range facts {
		if err := b.set(sheet, 1, row, b.bold(f[0]), b.txt(f[1])); err != nil {
			return 0, err
		}
		row++
	}
	return row, nil
}

// Headings of the summary's status columns.
const (
	HeadStatus = "Indikatorns status"
	HeadReason = "Skäl"
	HeadCaveat = "Förbehåll"
)

// outcomeRows writes the four outcomes, a row per indicator with its status, the reason for
// it and the caveat beside it, from row; it returns the next free row.
func (b *book) outcomeRows(sheet string, row int) (int, error) {
	if err := b.set(sheet, 1, row, cell{"De fyra utfallen", b.st.heading}); err != nil {
		return 0, err
	}
	row++
	if err := b.header(sheet, 1, row, "Utfall", "Status", "Indikator", "Värde", "n", "KI nedre", "KI övre", "Riktning",
		"Mål", "Baslinje", HeadStatus, HeadReason, HeadCaveat, "Anmärkning"); err != nil {
		return 0, err
	}
	row++
	for _, o := range b.outcomes.Outcomes {
		for i, ind := range o.Indicators {
			name, status := cell{}, cell{}
			if i == 0 {
				name, status = b.bold(o.Title), b.bold(metrics.StatusLabel(o.Status))
			}
			var ns notes
			mean := isMean(ind.Metric)
			v, n, note := b.share(ind.Value, mean)
			ns.add("", note)
			if !ind.Survey { // a delivery figure: a count of everything, with no n
				v, n = b.pctPtr(ind.Value.Value), cell{}
				if ind.Value.Value == nil {
					v = cell{Undefined, b.st.dash}
				}
			}
			switch w := ind.Value.Weighted; {
			case w == nil || !ind.Value.Shown():
			case *w && ind.Value.Coverage != nil:
				ns.add("", fmt.Sprintf("%s, täckning %.0f %%", Weighted, *ind.Value.Coverage*100))
			case !*w:
				ns.add("", Pooled)
			}
			if ind.BaselineSource != "" {
				ns.add("", "baslinje: "+ind.BaselineSource)
			}
			if err := b.set(sheet, 1, row, name, status, b.txt(metrics.Label(ind.Metric)), v, n, b.ci(ind.Value, 0, mean),
				b.ci(ind.Value, 1, mean), b.txt(direction(ind.Direction)), b.pctPtr(ind.Target), b.pctPtr(ind.Baseline),
				b.bold(metrics.StatusLabel(ind.Status)), b.note(ind.Reason), b.note(metrics.Caveat),
				b.note(ns.String())); err != nil {
				return 0, err
			}
			row++
		}
	}
	return row, nil
}

// keyFigureRows writes the key figures of the whole selection, beside their targets and
// baselines, from row; it returns the next free row.
func (b *book) keyFigureRows(sheet string, row int) (int, error) {
	return b.figureRows(sheet, row, "Nyckeltal för hela urvalet (ordinarie besök)", b.total.Total.Metrics, keyFigures, true)
}

// eventRows writes the summer events' figures, on their own, from row; it returns the next
// free row.
func (b *book) eventRows(sheet string, row int) (int, error) {
	return b.figureRows(sheet, row, "Evenemang, för sig (ingår inte i löftets siffror eller mål)",
		b.eventsByBasort.Total.Metrics, eventFigures, false)
}

// figureRows writes a section of figures, a row each, from row: a count or delivery figure
// with its value, a survey figure with its n and interval, how it is weighted and its
// coverage, the pooled figure in its own columns, and targets and baselines when asked; it
// returns the next free row.
func (b *book) figureRows(sheet string, row int, title string, m metrics.Metrics, codes []string, targets bool) (int, error) {
	if err := b.set(sheet, 1, row, cell{title, b.st.heading}); err != nil {
		return 0, err
	}
	row++
	heads := []string{"Mått", "Värde", "n", "KI nedre", "KI övre", "Vägt efter folkmängd", "Täckning", "Ovägt värde",
		"Ovägt n", "Ovägt KI nedre", "Ovägt KI övre"}
	if targets {
		heads = append(heads, "Mål", "Baslinje")
	}
	if err := b.header(sheet, 1, row, append(heads, "Anmärkning")...); err != nil {
		return 0, err
	}
	row++
	for _, code := range codes {
		var ns notes
		cells := []cell{b.txt(metrics.Label(code))}
		var target, baseline *float64
		if targets {
			target, baseline = b.targetOf(code)
		}
		switch v := m[code].(type) {
		case metrics.Figure:
			mean := isMean(code)
			val, n, note := b.share(v, mean)
			ns.add("", note)
			cells = append(cells, val, n, b.ci(v, 0, mean), b.ci(v, 1, mean))
			weighted, coverage := b.weighting(v)
			cells = append(cells, weighted, coverage)
			if v.Pooled != nil {
				pv, pn, _ := b.share(*v.Pooled, mean)
				cells = append(cells, pv, pn, b.ci(*v.Pooled, 0, mean), b.ci(*v.Pooled, 1, mean))
			} else {
				cells = append(cells, cell{}, cell{}, cell{}, cell{})
			}
		case metrics.Count:
			cells = append(cells, b.count(m, code, &ns), cell{}, cell{}, cell{}, cell{}, cell{}, cell{}, cell{}, cell{}, cell{})
		}
		if targets {
			cells = append(cells, b.pctPtr(target), b.pctPtr(baseline))
		}
		if err := b.set(sheet, 1, row, append(cells, b.note(ns.String()))...); err != nil {
			return 0, err
		}
		row++
	}
	return row, nil
}

// targetOf returns the target and baseline an outcome's indicator gives metric code, if any.
func (b *book) targetOf(code string) (target, baseline *float64) {
	for _, o := range b.outcomes.Outcomes {
		for _, ind := range o.Indicators {
			if ind.Metric == code {
				target, baseline = ind.Target, ind.Baseline
			}
		}
	}
	return target, baseline
}

// readingNotes writes how to read the figures, a merged row per note, from row; it returns
// the next free row.
func (b *book) readingNotes(sheet string, row int) (int, error) {
	if err := b.set(sheet, 1, row, cell{"Att läsa siffrorna", b.st.heading}); err != nil {
		return 0, err
	}
	row++
	texts := []string{NotePerturbed, b.noteSuppression()}
	if b.sc.Basort == "" {
		texts = append(texts, noteWeighting)
	}
	texts = append(texts, NoteEvents, commentsNote, privacyNote,
		"Svar lämnade orimligt tätt på samma platta eller utanför besökets öppettider sätts åt sidan och räknas inte "+
			"i någon siffra; de räknas bara som antal (Satta åt sidan).",
		"Hur siffrorna räknas, hur besökarna skyddas och vad statusarna betyder står på bladet "+SheetMethod+
			"; definitionerna av varje mått på bladet "+SheetAbout+".")
	for _, text := range texts {
		if err := b.set(sheet, 1, row, b.note(text)); err != nil {
			return 0, err
		}
		a, _ := excelize.CoordinatesToCellName(1, row)
		z, _ := excelize.CoordinatesToCellName(12, row)
		if err := b.f.MergeCell(sheet, a, z); err != nil {
			return 0, err
		}
		b.spans(sheet, row, 1, 12) // fit makes the row as tall as the note needs
		row++
	}
	return row, nil
}

var commentsNote = fmt.Sprintf("Synpunkter (fritext) visas bara sedan polis granskat och godkänt dem, och bara för "+
	"basorter med minst %d svar i urvalet, utan datum, tid och tillfälle och i bokstavsordning; personnummer, "+
	"telefonnummer och e-postadresser har tagits bort innan svaren sparades.", metrics.CommentsMinResponses)

// privacyNote says why the workbook has no row per response.
const privacyNote = "Arbetsboken har ingen rad per svar och inga enkätsiffror per tillfälle: den sprids, och " +
	"enskilda svar eller små grupper av svar skulle kunna peka ut den som svarat. Ålder och kön finns bara " +
	"sammanräknade, med samma röjandekontroll, under Vad besökarna svarade."

// distributions writes, for the whole selection, the share giving each option of the items
// shown as distributions (reasons, channels, problems, age, gender), from row; it returns
// the next free row.
func (b *book) distributions(sheet string, row int) (int, error) {
	if err := b.set(sheet, 1, row, cell{"Vad besökarna svarade", b.st.heading}); err != nil {
		return 0, err
	}
	row++
	if err := b.header(sheet, 1, row, "Fråga", "Svar", "Andel", "n", "KI nedre", "KI övre", "Vägt efter folkmängd",
		"Täckning", "Anmärkning"); err != nil {
		return 0, err
	}
	row++
	for _, d := range metrics.Distributions() {
		dist, _ := b.total.Total.Metrics[d.Item].(metrics.Distribution)
		for i, o := range d.Options {
			f := dist[o]
			question := cell{}
			if i == 0 {
				question = b.bold(metrics.Label(d.Item))
			}
			v, n, note := b.share(f, false)
			how, coverage := b.weighting(f)
			if err := b.set(sheet, 1, row, question, b.txt(b.cat.OptionText("sv", d.Item, o)), v, n, b.ci(f, 0, false),
				b.ci(f, 1, false), how, coverage, b.note(note)); err != nil {
				return 0, err
			}
			row++
		}
	}
	return row, nil
}

func direction(d lofte.Direction) string {
	if d == lofte.AtMost {
		return "högst"
	}
	return "minst"
}

// scopeRule says which answers and stops the workbook counts.
func (b *book) scopeRule() string {
	months, _ := b.surveyPeriod()
	return "Ett svar hör till urvalet genom sitt tillfälle: ett ordinarie besök vars datum (svensk tid) ligger i " +
		"enkätsiffrornas hela månader " + months + ", på en basort bland de valda (" + b.filterText() + "). " +
		"Leveransen räknar besöken i perioden " + b.sc.From.String() + " – " + b.sc.To.String() + "."
}

func (b *book) about() error {
	const sheet = SheetAbout
	if err := b.header(sheet, 1, 1, "Mått", "Kod", "Definition"); err != nil {
		return err
	}
	row := 2
	for _, d := range metrics.Definitions {
		if err := b.set(sheet, 1, row, b.bold(d.Label), b.txt(d.Code), b.txt(d.Text)); err != nil {
			return err
		}
		row++
	}
	row++
	rules := [][2]string{
		{"Urval", b.scopeRule()},
		{"Giltiga svar", "En andel räknas bland dem som tagit ställning: överhoppade frågor och ”vet inte” räknas inte."},
		{"Metod", "Urval, skydd av besökarna, vägning, osäkerhet, status för målen och leveransen: se bladet " +
			SheetMethod + "."},
		{"Synpunkter", commentsNote},
		{"Inga svar per person", privacyNote},
		{"Källa", "Siffrorna räknas av samma kod som instrumentpanelen och API:t (medborgarlofte), så de stämmer " +
			"överens. Visade värden är avrundade; cellerna har full precision."},
	}
	for _, r := range rules {
		if err := b.set(sheet, 1, row, b.bold(r[0]), cell{}, b.txt(r[1])); err != nil {
			return err
		}
		row++
	}
	if err := b.setLayout(sheet, layout{widths: []float64{30, 22, 110}, freezeRows: 1}); err != nil {
		return err
	}
	b.step(1)
	return nil
}
