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
		"when":    lofte.When,
		"moment":  lofte.Moment,
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
