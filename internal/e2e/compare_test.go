package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// TestCouncilComparesYears: with the demo year 2018 and a copied 2019 (without Tollarp, with
// a new basort Nyby), the council opens 2019's dashboard, chooses spring and "Jämför med" 2018
// in the form, and sees the figures side by side: 2018's as its API gives them, Nyby said to
// have been no basort then, the charts drawn with the earlier series, and the report link
// carrying the comparison.
func TestCouncilComparesYears(t *testing.T) {
	a := startApp(t)
	ctx := a.browser(t)
	sqlitetest.MustFillDemo(t, a.db, a.p)
	p19 := sqlitetest.MustAddNextYear(t, a.db, a.p, []string{"Tollarp"},
		&lofte.Locality{Name: "Nyby", Population: 900, Lat: 55.9, Lon: 14.1, Basort: true, Coordinates: "approximate"})
	a.loginTo(t, ctx, "lisa", lofte.RoleCouncil, fmt.Sprintf("/dashboard?promise=%d", p19.ID), "#outcome-service")

	run(t, ctx, "filter", chromedp.SetValue(`#from`, "2019-03", chromedp.ByID), chromedp.SetValue(`#to`, "2019-05", chromedp.ByID),
		chromedp.SetValue(`#compare`, strconv.FormatInt(a.p.ID, 10), chromedp.ByID))
	a.submit(t, ctx, "Visa", `form.filters button[type=submit]`)
	run(t, ctx, "compared page", chromedp.WaitVisible(`#compare-table`, chromedp.ByID))
	var location string
	run(t, ctx, "location", chromedp.Location(&location))
	for _, want := range []string{fmt.Sprintf("promise=%d", p19.ID), fmt.Sprintf("compare=%d", a.p.ID), "from=2019-03-01"} {
		if !strings.Contains(location, want) {
			t.Errorf("address %s lacks %s", location, want)
		}
	}

	// The headline table: 2018's whole-area trust as 2018's own API gives it.
	var row []string
	run(t, ctx, "trust row", chromedp.Evaluate(`Array.from(document.querySelector("#cmp-trust_high").cells).map(c => c.textContent)`, &row))
	var api struct {
		Total struct {
			Metrics map[string]apiFigure `json:"metrics"`
		} `json:"total"`
	}
	run(t, ctx, "API", chromedp.Evaluate(`fetch("/api/v1/metrics?from=2018-03-01&to=2018-05-31", {credentials: "same-origin"}).then(r => r.json())`,
		&api, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if len(row) != 4 {
		t.Fatalf("trust row %q", row)
	}
	sameFigure(t, "2018 trust, whole area", row[1], api.Total.Metrics["trust_high"])
	if !strings.Contains(row[3], "procentenheter") && !strings.Contains(row[3], "ingen förändring anges") {
		t.Errorf("change %q is neither a change nor a reason", row[3])
	}

	// Per basort, Nyby is said to have been no basort then.
	var places string
	run(t, ctx, "open per basort", chromedp.Click(`#compare-places summary`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("#compare-places").textContent`, &places))
	if !strings.Contains(places, "Nyby ("+metrics.MissingBasort+")") {
		t.Errorf("per basort does not say Nyby %s", metrics.MissingBasort)
	}

	// Every chart draws, the basorter chart with the earlier dashes.
	var drawn, total int
	waitCharts(t, ctx)
	run(t, ctx, "charts", chromedp.Evaluate(`document.querySelectorAll(".chart canvas").length`, &drawn),
		chromedp.Evaluate(`document.querySelectorAll(".chart").length`, &total))
	if total != 7 || drawn < total {
		t.Errorf("%d of %d charts drawn, want 7", drawn, total)
	}
	var series []string
	run(t, ctx, "series", chromedp.Evaluate(`window.mlfCharts[0].getOption().series.map(s => s.name)`, &series))
	if !strings.Contains(strings.Join(series, "|"), "2018-03 – 2018-05 (streck)") {
		t.Errorf("basorter chart series %q, want the earlier dashes", series)
	}
	var report string
	run(t, ctx, "report link", chromedp.AttributeValue(`#report-link`, "href", &report, nil, chromedp.ByID))
	if !strings.Contains(report, fmt.Sprintf("compare=%d", a.p.ID)) || !strings.Contains(report, fmt.Sprintf("promise=%d", p19.ID)) {
		t.Errorf("report link %q does not carry the comparison", report)
	}
	a.axe(t, ctx, "the compared dashboard")
	a.shot(t, ctx, "dashboard-compared")
}
