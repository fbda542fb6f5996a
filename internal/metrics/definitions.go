package metrics

import "medborgarlofte/internal/survey"

// shareDef is a share as the package documentation (doc.go) defines it: numerator options
// over valid options of one item. The codes are the catalogue's (internal/survey), as the
// tests check; which of them count is this package's to say.
type shareDef struct {
	Code, Item string
	Num, Valid []string
}

var shareDefs = []shareDef{
	{"trust_high", "trust", []string{"very_high", "fairly_high"}, []string{"very_high", "fairly_high", "neither", "fairly_low", "very_low"}},
	{"cares_agree", "cares", []string{"agree_fully", "agree_partly"}, []string{"agree_fully", "agree_partly", "neither", "disagree_partly", "disagree_fully"}},
	{"unsafe", "safety", []string{"fairly_unsafe", "very_unsafe", "never_out"}, []string{"very_safe", "fairly_safe", "fairly_unsafe", "very_unsafe", "never_out"}},
	{"never_out", "safety", []string{"never_out"}, []string{"very_safe", "fairly_safe", "fairly_unsafe", "very_unsafe", "never_out"}},
	{"worried", "worry", []string{"often", "sometimes"}, []string{"often", "sometimes", "rarely", "never"}},
	{"satisfied", "satisfaction", []string{"4", "5"}, []string{"1", "2", "3", "4", "5"}},
	{"got_help", "got_help", []string{"yes"}, []string{"yes", "partly", "no"}},
	{"knew_in_advance", "knew_in_advance", []string{"yes"}, []string{"yes", "no"}},
	{"travel_avoided", "alternative", []string{"travel_to_station"}, []string{"travel_to_station", "phone_or_web", "would_not_have_contacted"}},
	{"reached_new", "alternative", []string{"would_not_have_contacted"}, []string{"travel_to_station", "phone_or_web", "would_not_have_contacted"}},
	{"easier_contact", "easier_contact", []string{"yes", "somewhat"}, []string{"yes", "somewhat", "no"}},
	{"residents", "resident", []string{"lives_here"}, []string{"lives_here", "elsewhere_in_municipality", "outside_municipality"}},
}

// meanDef is a mean on an item's own scale.
type meanDef struct {
	Code, Item string
	Scale      map[string]float64
}

var meanDefs = []meanDef{
	{"trust_mean", "trust", map[string]float64{"very_high": 5, "fairly_high": 4, "neither": 3, "fairly_low": 2, "very_low": 1}},
	{"cares_mean", "cares", map[string]float64{"agree_fully": 5, "agree_partly": 4, "neither": 3, "disagree_partly": 2, "disagree_fully": 1}},
	{"satisfaction_mean", "satisfaction", map[string]float64{"1": 1, "2": 2, "3": 3, "4": 4, "5": 5}},
}

// distItems are the items shown as distributions. Age band and gender are shown
// only this way, aggregated and suppressed, never per person.
var distItems = []string{"reason", "channel", "problems", "age_band", "gender"}

// distDef is a distribution with its options from the catalogue; a Multi one shares among
// respondents, since each may give several options.
type distDef struct {
	Item    string
	Multi   bool
	Options []string
}

var distDefs = distributionsOf(survey.Default(), distItems)

// distributionsOf reads the distributions' options from the catalogue; an item missing there
// gets no options, which the tests report.
func distributionsOf(c *survey.Catalogue, items []string) []distDef {
	out := make([]distDef, len(items))
	for i, code := range items {
		it, _ := c.Item(code)
		out[i] = distDef{Item: code, Multi: it.Kind == survey.Many, Options: it.Codes()}
	}
	return out
}

// Distributions lists the items shown as distributions, in the catalogue's order, with their
// options.
func Distributions() []struct {
	Item    string
	Options []string
} {
	out := make([]struct {
		Item    string
		Options []string
	}, len(distDefs))
	for i, d := range distDefs {
		out[i].Item, out[i].Options = d.Item, d.Options
	}
	return out
}

// Definition explains one metric in Swedish, for pages and the report.
type Definition struct {
	Code, Label, Text string
}

// Definitions lists every metric with its Swedish label and definition.
var Definitions = []Definition{
	{"responses", "Antal svar", "Enkätsvar i urvalet, utom svar satta åt sidan som misstänkta."},
	{"suspect", "Satta åt sidan", "Svar lämnade inom 5 s från ett annat svar på samma platta eller utanför tillfällets öppettid (±30 min), och inte släppta av polisen efter granskning; räknas inte i någon siffra."},
	{"trust_high", "Högt förtroende", "Andel som har mycket eller ganska stort förtroende för polisen, av dem som tagit ställning (utom ”ingen uppfattning”)."},
	{"cares_agree", "Polisen bryr sig", "Andel som helt eller delvis instämmer i att polisen bryr sig om de lokala problemen, av dem som tagit ställning."},
	{"unsafe", "Otrygga", "Andel som känner sig ganska eller mycket otrygga ute ensamma sent en kväll eller aldrig går ut av otrygghet, av alla som svarat utom ”vet inte” (som i Brås nationella trygghetsundersökning)."},
	{"never_out", "Går aldrig ut", "Andel som aldrig går ut ensamma sent, av alla som svarat utom ”vet inte”."},
	{"worried", "Oroliga för brott", "Andel som ofta eller ibland varit oroliga för brott där de bor senaste 12 månaderna, utom ”vet inte”."},
	{"satisfied", "Nöjda med besöket", "Andel som svarat 4 eller 5 på skalan 1–5."},
	{"got_help", "Fick hjälp", "Andel som fick hjälp med det de kom för (ja), av ja, delvis och nej."},
	{"knew_in_advance", "Visste i förväg", "Andel som visste i förväg att polisen skulle komma."},
	{"travel_avoided", "Slapp åka in", "Andel som annars hade åkt till polisstationen i centralorten, utom ”vet inte”."},
	{"reached_new", "Nådde nya", "Andel som annars inte hade kontaktat polisen alls, utom ”vet inte”."},
	{"easier_contact", "Lättare kontakt", "Andel som tycker att besöket gjort det lättare att kontakta polisen (ja eller lite), utom ”vet inte”."},
	{"residents", "Bor på orten", "Andel som bor på orten där besöket var."},
	{"trust_mean", "Förtroende, medel", "Medelvärde 1–5 (mycket litet = 1 … mycket stort = 5)."},
	{"cares_mean", "Bryr sig, medel", "Medelvärde 1–5 (stämmer inte alls = 1 … stämmer helt = 5)."},
	{"satisfaction_mean", "Nöjdhet, medel", "Medelvärde på skalan 1–5."},
	{"reason", "Skäl till besöket", "Fördelning av skälen, av dem som svarat."},
	{"channel", "Hur man fick veta", "Fördelning av kanalerna, av dem som visste i förväg och svarade."},
	{"problems", "Problem att prioritera", "Andel som nämnt varje problem, av dem som svarat på frågan (högst tre val)."},
	{"age_band", "Ålder", "Fördelning av åldersgrupperna, av dem som svarat; visas bara sammanräknat, aldrig per svar."},
	{"gender", "Kön", "Fördelning av svaren på frågan om kön, av dem som svarat; visas bara sammanräknat, aldrig per svar."},
	{"stops_planned", "Planerade besök", "Publicerade ordinarie besök vars starttid har passerats."},
	{"stops_held", "Genomförda besök", "Ordinarie besök loggade som genomförda."},
	{"stops_cancelled", "Inställda besök", "Ordinarie besök loggade som inställda."},
	{"unconfirmed", "Obekräftade besök", "Passerade besök som fortfarande bara är publicerade."},
	{"delivery_rate", "Leveransgrad", "Genomförda besök / planerade besök."},
	{"announce_days_median", "Framförhållning, median", "Median av antal dagar mellan publicering och start, för genomförda besök."},
	{"announced_7d", "Annonserade minst 7 dagar före", "Andel genomförda besök som publicerades minst 7 dagar före start."},
	{"gap_days_median", "Dagar mellan besök, median", "Per ort: dagar mellan två genomförda besök, bara dagar i löftets aktiva period räknas."},
	{"gap_days_max", "Längsta uppehåll", "Längsta antal aktiva dagar mellan två genomförda besök på en ort."},
	{"visitors", "Besökare", "Polisens räkning av besökare, summerat över genomförda ordinarie besök."},
	{"visitors_per_stop", "Besökare per besök", "Besökare per genomfört ordinarie besök."},
	{"visitors_per_hour", "Besökare per timme", "Besökare per timme som kontoret stod öppet."},
	{"response_rate", "Svarsandel", "Enkätsvar / besökare (kan bli över 1 om besökare inte räknats)."},
	{"contacts_crime_report", "Anmälningar", "Anmälningar som polisen loggat."},
	{"contacts_tip", "Tips", "Tips som polisen loggat."},
	{"contacts_advice", "Råd", "Rådgivningar som polisen loggat."},
	{"contacts_other", "Andra kontakter", "Andra kontakter som polisen loggat."},
	{"events", "Evenemang", "Genomförda besök på evenemang (som sommarens), redovisas för sig."},
	{"feedback_closed", "Återkopplade ärenden", "Andel ärenden (ni sa – vi gjorde) som stängts med återkoppling till invånarna."},
}

// KeyIndicators are the survey shares that the dashboard and the report show per basort,
// per month and per stop.
var KeyIndicators = []string{"trust_high", "cares_agree", "unsafe", "satisfied", "knew_in_advance"}

// rateCounts are the counted figures (not survey estimates) whose values are shares of
// stops, feedback items or visitors. Indicator marks the delivery indicators an outcome is
// judged on (spec §5); the response rate is none, and can exceed 1 when visitors go uncounted.
var rateCounts = []struct {
	Code      string
	Indicator bool
}{
	{"delivery_rate", true},
	{"announced_7d", true},
	{"feedback_closed", true},
	{"response_rate", false},
}

// IsRate tells whether a counted figure is a share (delivery_rate, announced_7d,
// feedback_closed, response_rate): shown as a percentage, its changes in percentage points.
func IsRate(code string) bool {
	for _, r := range rateCounts {
		if r.Code == code {
			return true
		}
	}
	return false
}

// isDeliveryIndicator tells whether code is a delivery indicator (spec §5).
func isDeliveryIndicator(code string) bool {
	for _, r := range rateCounts {
		if r.Code == code {
			return r.Indicator
		}
	}
	return false
}

// isShare tells whether code is a survey share.
func isShare(code string) bool {
	for _, d := range shareDefs {
		if d.Code == code {
			return true
		}
	}
	return false
}

// BaselineMetrics lists the metrics a baseline can be given for: the shares, survey and
// delivery alike, whose values lie between 0 and 1.
func BaselineMetrics() []string {
	out := make([]string, 0, len(shareDefs)+len(rateCounts))
	for _, d := range shareDefs {
		out = append(out, d.Code)
	}
	for _, r := range rateCounts {
		if r.Indicator {
			out = append(out, r.Code)
		}
	}
	return out
}

// Label returns a metric's Swedish label, or the code itself when it has none.
func Label(code string) string {
	for _, d := range Definitions {
		if d.Code == code {
			return d.Label
		}
	}
	return code
}
