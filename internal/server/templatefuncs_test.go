package server_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"
	"time"

	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/server"
	"medborgarlofte/web"
)

// TestTemplateFuncs runs each template function as a page calls it.
func TestTemplateFuncs(t *testing.T) {
	assets, err := web.NewAssets()
	if err != nil {
		t.Fatal(err)
	}
	funcs := server.TemplateFuncs(assets)
	at := func(s string) time.Time {
		x, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	share, low, high, visitors, hundred := 0.62, 0.52, 0.71, 1234.0, 100
	figures := metrics.Metrics{
		"trust":    metrics.Figure{Value: &share, N: &hundred, CI: &[2]float64{low, high}},
		"visitors": metrics.Count{Value: &visitors},
		"unknown":  metrics.Count{},
	}
	first := metrics.Definitions[0]
	tests := []struct {
		name, fn, tmpl string
		data           any
		want           string
		// pattern means want is a regular expression.
		pattern bool
	}{
		{name: "asset", fn: "asset", tmpl: `{{asset "app.css"}}`, want: `^/static/app\.[0-9a-f]+\.css$`, pattern: true},
		{name: "when on one day", fn: "when", tmpl: `{{when .A .B}}`,
			data: map[string]time.Time{"A": at("2018-03-14T09:00:00Z"), "B": at("2018-03-14T12:00:00Z")},
			want: "ons 14 mars 2018 kl. 10.00–13.00"},
		{name: "when past midnight", fn: "when", tmpl: `{{when .A .B}}`,
			data: map[string]time.Time{"A": at("2018-03-14T21:00:00Z"), "B": at("2018-03-15T00:30:00Z")},
			want: "ons 14 mars 2018 kl. 22.00–15 mars 01.30"},
		{name: "moment in summer", fn: "moment", tmpl: `{{moment .}}`, data: at("2018-06-01T08:05:00Z"),
			want: "fre 1 juni 2018 kl. 10.05"},
		{name: "isotime in winter", fn: "isotime", tmpl: `{{isotime .}}`, data: at("2018-03-14T09:00:00Z"),
			want: "2018-03-14T10:00:00+01:00"},
		{name: "isotime in summer", fn: "isotime", tmpl: `{{isotime .}}`, data: at("2018-06-01T08:00:00Z"),
			want: "2018-06-01T10:00:00+02:00"},
		{name: "moment in winter", fn: "moment", tmpl: `{{moment .}}`, data: at("2026-12-03T13:05:00Z"), want: "tors 3 december 2026 kl. 14.05"},
		{name: "moment past midnight in summer", fn: "moment", tmpl: `{{moment .}}`, data: at("2018-06-30T22:30:00Z"), want: "sön 1 juli 2018 kl. 00.30"},
		{name: "clock", fn: "clock", tmpl: `{{clock .}}`, data: at("2018-03-14T09:05:00Z"), want: "10:05"},
		{name: "day in Swedish time", fn: "day", tmpl: `{{day .}}`, data: at("2018-03-14T23:30:00Z"), want: "2018-03-15"},
		{name: "list", fn: "list", tmpl: `{{range list "a" "b"}}{{.}};{{end}}`, want: "a;b;"},
		{name: "inc", fn: "inc", tmpl: `{{inc 1}}`, want: "2"},
		{name: "percent", fn: "percent", tmpl: `{{percent .}}`, data: 0.62, want: "62 %"},
		{name: "pct of a value", fn: "pct", tmpl: `{{pct .}}`, data: &share, want: "62 %"},
		{name: "pct of nothing", fn: "pct", tmpl: `{{pct .}}`, data: (*float64)(nil), want: "–"},
		{name: "metricLabel", fn: "metricLabel", tmpl: `{{metricLabel .}}`, data: first.Code, want: first.Label},
		{name: "metricLabel unknown", fn: "metricLabel", tmpl: `{{metricLabel "nosuch"}}`, want: "nosuch"},
		{name: "statusLabel", fn: "statusLabel", tmpl: `{{statusLabel .}}`, data: metrics.Met, want: "Uppfyllt"},
		{name: "cell", fn: "cell", tmpl: `{{cell .}}`, data: figures["trust"], want: "62 % (52–71 %), n = 100"},
		{name: "cell of an empty figure", fn: "cell", tmpl: `{{cell .}}`, data: metrics.Figure{}, want: "inga svar"},
	}
	var tested []string
	for _, tt := range tests {
		tested = append(tested, tt.fn)
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := template.New(tt.name).Funcs(template.FuncMap(funcs)).Parse(tt.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := tmpl.Execute(&b, tt.data); err != nil {
				t.Fatal(err)
			}
			if got := b.String(); tt.pattern && !regexp.MustCompile(tt.want).MatchString(got) || !tt.pattern && got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	for name := range funcs {
		if !slices.Contains(tested, name) {
			t.Errorf("template function %q has no test", name)
		}
	}
}
