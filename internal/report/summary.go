package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// keyFigures are the figures of the summary, beside their targets and baselines where the
// promise has them.
var keyFigures = []string{"responses", "suspect", "stops_planned", "stops_held", "stops_cancelled", "delivery_rate",
	"announced_7d", "visitors", "response_rate", "trust_high", "cares_agree", "unsafe", "satisfied", "got_help",
	"knew_in_advance", "feedback_closed"}

// NoteSample says what kind of sample the kiosk answers are (docs/survey.md, "A
// self-selected sample").
const NoteSample = "Svaren kommer från besökare som själva valt att svara på enkäten vid polisens mobila kontor " +
	"(ett självvalt urval). De beskriver besökarna, inte alla invånare, och kan inte jämföras rakt av med " +
	"Brås Nationella trygghetsundersökning eller Polisens trygghetsmätning; baslinjen visas som sammanhang."

func (b *book) noteSuppression() string {
	return fmt.Sprintf("– betyder för få svar: en andel, ett medelvärde eller en fördelning med färre än %d giltiga "+
		"svar visas inte, inte heller dess n. ”inga svar” betyder att ingen svarat på frågan. Kursiv stil: osäker "+
		"skattning (intervallet är bredare än ±10 procentenheter). Antalen svar är lätt slumpade för att skydda "+
		"besökarna, så summor kan skilja några från sina delar. Besökare och besök visas alltid som de loggats.",
		b.minN)
}

func (b *book) filterText() string {
	if b.sc.Basort == "" {
		return "Alla basorter"
	}
	return b.sc.Basort
}

// summary writes the summary sheet: the selection, the four outcomes, the key figures, the
// distributions and how to read them, each section below the last after a blank row.
func (b *book) summary() error {
	const sheet = SheetSummary
	row, err := b.summaryFacts(sheet)
	if err != nil {
		return err
	}
	sections := []func(sheet string, row int) (next int, err error){b.outcomeRows, b.keyFigureRows, b.distributions, b.readingNotes}
	for _, section := range sections {
		if row, err = section(sheet, row+1); err != nil {
			return err
		}
	}
	if err := b.setLayout(sheet, layout{widths: []float64{34, 16, 30, 10, 7, 10, 10, 10, 10, 10, 18, 44}}); err != nil {
		return err
	}
	b.step(1)
	return nil
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
		{"Urval", b.filterText()},
		{"Minsta antal svar för att visa en siffra", fmt.Sprint(b.minN)},
		{"Skapad", b.now.In(lofte.Zone).Format("2006-01-02 15:04")},
	}
	row := 3
	for _, f := range facts {
		if err := b.set(sheet, 1, row, b.bold(f[0]), b.txt(f[1])); err != nil {
			return 0, err
		}
		row++
	}
	return row, nil
}

// outcomeRows writes the four outcomes, a row per indicator, from row; it returns the next
// free row.
func (b *book) outcomeRows(sheet string, row int) (int, error) {
	if err := b.set(sheet, 1, row, cell{"De fyra utfallen", b.st.heading}); err != nil {
		return 0, err
	}
	row++
	if err := b.header(sheet, 1, row, "Utfall", "Status", "Indikator", "Värde", "n", "KI nedre", "KI övre", "Riktning",
		"Mål", "Baslinje", "Indikatorns status", "Anmärkning"); err != nil {
		return 0, err
	}
	row++
	for _, o := range b.outcomes.Outcomes {
		for i, ind := range o.Indicators {
			name, status := cell{}, cell{}
			if i == 0 {
				name, status = b.bold(o.Title), b.bold(metrics.StatusLabel(o.Status))
			}
			v, n, note := b.share(ind.Value, false)
			if ind.Value.N == nil && ind.Value.Value != nil {
				n = cell{} // a count has no n
			}
			var extra []string
			if note != "" {
				extra = append(extra, note)
			}
			if ind.BaselineSource != "" {
				extra = append(extra, "baslinje: "+ind.BaselineSource)
			}
			if err := b.set(sheet, 1, row, name, status, b.txt(metrics.Label(ind.Metric)), v, n, ci(b, ind.Value, 0),
				ci(b, ind.Value, 1), b.txt(direction(ind.Direction)), pctPtr(b, ind.Target), pctPtr(b, ind.Baseline),
				b.txt(metrics.StatusLabel(ind.Status)), b.note(strings.Join(extra, "; "))); err != nil {
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
	if err := b.set(sheet, 1, row, cell{"Nyckeltal för hela urvalet", b.st.heading}); err != nil {
		return 0, err
	}
	row++
	if err := b.header(sheet, 1, row, "Mått", "Värde", "n", "KI nedre", "KI övre", "Mål", "Baslinje", "Anmärkning"); err != nil {
		return 0, err
	}
	row++
	m := b.total.Total.Metrics
	for _, code := range keyFigures {
		cells := []cell{b.txt(metrics.Label(code))}
		switch v := m[code].(type) {
		case metrics.Figure:
			target, baseline := b.targetOf(code)
			val, n, note := b.share(v, false)
			cells = append(cells, val, n, ci(b, v, 0), ci(b, v, 1), pctPtr(b, target), pctPtr(b, baseline), b.note(note))
		case metrics.Count:
			c := b.count(m, code)
			if code == "response_rate" {
				c = b.rate(m, code)
			}
			cells = append(cells, c)
		}
		if err := b.set(sheet, 1, row, cells...); err != nil {
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
	for _, text := range []string{NoteSample, b.noteSuppression(), commentsNote, privacyNote,
		"Svar lämnade orimligt snabbt efter föregående svar på samma platta sätts åt sidan och räknas inte i " +
			"någon siffra; de räknas bara som antal (Satta åt sidan).",
		"Hur siffrorna räknas, hur besökarna skyddas och vad statusarna betyder står på bladet " + SheetMethod +
			"; definitionerna av varje mått på bladet " + SheetAbout + "."} {
		if err := b.set(sheet, 1, row, b.note(text)); err != nil {
			return 0, err
		}
		a, _ := excelize.CoordinatesToCellName(1, row)
		z, _ := excelize.CoordinatesToCellName(12, row)
		if err := b.f.MergeCell(sheet, a, z); err != nil {
			return 0, err
		}
		if err := b.f.SetRowHeight(sheet, row, 45); err != nil {
			return 0, err
		}
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
	if err := b.header(sheet, 1, row, "Fråga", "Svar", "Andel", "n", "KI nedre", "KI övre", "Anmärkning"); err != nil {
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
			if err := b.set(sheet, 1, row, question, b.txt(b.cat.OptionText("sv", d.Item, o)), v, n, ci(b, f, 0), ci(b, f, 1),
				b.note(note)); err != nil {
				return 0, err
			}
			row++
		}
	}
	return row, nil
}

func ci(b *book, f metrics.Figure, i int) cell {
	if f.CI == nil {
		return cell{}
	}
	return cell{f.CI[i], b.st.pct}
}

func pctPtr(b *book, v *float64) cell {
	if v == nil {
		return cell{}
	}
	return cell{*v, b.st.pct}
}

func direction(d lofte.Direction) string {
	if d == lofte.AtMost {
		return "högst"
	}
	return "minst"
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
		{"Urval", "Ett svar hör till urvalet genom sitt tillfälle: tillfällets datum (svensk tid) ligger i perioden " +
			b.sc.From.String() + " – " + b.sc.To.String() + " och orten är bland de valda (" + b.filterText() + ")."},
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
