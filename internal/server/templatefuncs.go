package server

import (
	"fmt"
	"html/template"
	"time"

	"medborgarlofte/internal/chart"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/web"
)

// templateFuncs are the functions the page templates call: Swedish formats of times and
// figures, labels, and the content-hashed paths of assets.
func templateFuncs(assets *web.Assets) template.FuncMap {
	return template.FuncMap{
		"asset":   assets.URL,
		"when":    formatWhen,
		"isotime": func(t time.Time) string { return t.In(lofte.Zone).Format(time.RFC3339) },
		"clock":   func(t time.Time) string { return t.In(lofte.Zone).Format("15:04") },
		"stamp":   formatStamp,
		"day":     func(t time.Time) string { return lofte.LocalDate(t).String() },
		"list":    func(xs ...string) []string { return xs },
		"inc":     func(i int) int { return i + 1 },
		"percent": chart.Percent,
		"pct": func(v *float64) string {
			if v == nil {
				return "–"
			}
			return chart.Percent(*v)
		},
		"metricLabel": metrics.Label,
		"statusLabel": metrics.StatusLabel,
		"cell":        chart.Cell,
	}
}

var (
	weekdaysSV = [...]string{"sön", "mån", "tis", "ons", "tors", "fre", "lör"}
	monthsSV   = [...]string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
		"september", "oktober", "november", "december"}
)

// monthsShortSV are the months as Swedish abbreviates them in running text.
var monthsShortSV = [...]string{"jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec"}

// formatStamp writes when something happened, to the minute: "3 dec 2026 14:05".
func formatStamp(t time.Time) string {
	l := t.In(lofte.Zone)
	return fmt.Sprintf("%d %s %d %02d:%02d", l.Day(), monthsShortSV[l.Month()-1], l.Year(), l.Hour(), l.Minute())
}

// formatWhen writes a stop's time the Swedish way: "ons 14 mars 2018 kl. 10.00–13.00".
func formatWhen(start, end time.Time) string {
	s, e := start.In(lofte.Zone), end.In(lofte.Zone)
	out := fmt.Sprintf("%s %d %s %d kl. %02d.%02d–", weekdaysSV[s.Weekday()], s.Day(), monthsSV[s.Month()-1],
		s.Year(), s.Hour(), s.Minute())
	if lofte.DateOf(s) != lofte.DateOf(e) {
		out += fmt.Sprintf("%d %s ", e.Day(), monthsSV[e.Month()-1])
	}
	return out + fmt.Sprintf("%02d.%02d", e.Hour(), e.Minute())
}
