package server

import (
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
		"moment":  formatMoment,
		"isotime": func(t time.Time) string { return t.In(lofte.Zone).Format(time.RFC3339) },
		"clock":   func(t time.Time) string { return t.In(lofte.Zone).Format("15:04") },
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

// formatMoment writes a point in time the Swedish way: "lör 10 mars 2018 kl. 12.00".
func formatMoment(t time.Time) string { return lofte.Moment(t) }

// formatWhen writes a stop's time the Swedish way: "ons 14 mars 2018 kl. 10.00–13.00".
func formatWhen(start, end time.Time) string { return lofte.When(start, end) }
