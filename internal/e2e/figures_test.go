package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// loginAs makes a user with role, logs the browser in as them and waits for the dashboard.
func (a *app) loginAs(t *testing.T, ctx context.Context, name string, role lofte.Role) {
	t.Helper()
	a.loginTo(t, ctx, name, role, "/dashboard", "#outcome-service")
}

// loginTo makes a user with role, logs in from the login page asked for by next, and waits
// until the element wait shows.
func (a *app) loginTo(t *testing.T, ctx context.Context, name string, role lofte.Role, next, wait string) {
	t.Helper()
	const password = "ett långt lösenord"
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.db.CreateUser(context.Background(), &lofte.User{Name: name, Role: role, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	a.logIn(t, ctx, name, password, next)
	run(t, ctx, "after login", chromedp.WaitVisible(wait, chromedp.ByQuery))
}

// submit clicks a form's button and waits until the page it leads to has loaded, so that
// no later step acts on nodes of the page being left.
func (a *app) submit(t *testing.T, ctx context.Context, what, button string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(tctx, chromedp.Click(button, chromedp.ByQuery))
	if err != nil || resp.Status != 200 {
		t.Fatalf("%s: %v (response %+v)", what, err, resp)
	}
}

// apiFigure is what the page's figures are compared with: n is null when suppressed.
type apiFigure struct {
	Value      *float64 `json:"value"`
	N          *int     `json:"n"`
	Suppressed bool     `json:"suppressed"`
}

var (
	percentRe = regexp.MustCompile(`^(\d+) %`)
	nRe       = regexp.MustCompile(`n = ([\d\x{00a0}]+)`)
)

// sameFigure checks that a page cell ("62 % (52–71 %), n = 100" or "för få svar") shows the
// API's figure; a suppressed figure gives nothing away on the page, not even its n.
func sameFigure(t *testing.T, what, cell string, f apiFigure) {
	t.Helper()
	cell = strings.TrimSpace(cell)
	switch {
	case f.Suppressed:
		if cell != "för få svar" || f.N != nil || f.Value != nil {
			t.Errorf("%s: page says %q for a suppressed figure (API value %v, n %v)", what, cell, f.Value, f.N)
		}
		return
	case f.Value == nil:
		if !strings.HasPrefix(cell, "inga svar") {
			t.Errorf("%s: page says %q for an empty figure", what, cell)
		}
		return
	}
	m := percentRe.FindStringSubmatch(cell)
	// Half away from zero, as the page rounds (fmt's %.0f alone rounds 62,5 to even).
	if want := fmt.Sprintf("%.0f", math.Round(*f.Value*100)); m == nil || m[1] != want {
		t.Errorf("%s: page says %q, API has %s %%", what, cell, want)
	}
	if f.N == nil {
		t.Errorf("%s: the API shows a value without n: %+v", what, f)
	} else if n := nRe.FindStringSubmatch(cell); n == nil || strings.ReplaceAll(n[1], "\u00a0", "") != strconv.Itoa(*f.N) {
		t.Errorf("%s: page says %q, API has n = %d", what, cell, *f.N)
	}
}

// tableRows reads the rows of a chart's data table.
func tableRows(t *testing.T, ctx context.Context, chartID string) [][]string {
	t.Helper()
	var rows [][]string
	run(t, ctx, chartID+" table", chromedp.Evaluate(`Array.from(document.querySelectorAll("#`+chartID+
		` ~ details tbody tr")).map(tr => Array.from(tr.cells).map(td => td.textContent))`, &rows))
	return rows
}

// filter uses the dashboard's form as a person would: months picked, a place chosen, Visa
// pressed; it returns the address the page ends up at.
func (a *app) filter(t *testing.T, ctx context.Context, from, to, basort string) string {
	t.Helper()
	run(t, ctx, "filter", chromedp.SetValue(`#from`, from, chromedp.ByID), chromedp.SetValue(`#to`, to, chromedp.ByID),
		chromedp.SetValue(`#basort`, basort, chromedp.ByID))
	a.submit(t, ctx, "Visa", `form.filters button[type=submit]`)
	run(t, ctx, "filtered page", chromedp.WaitVisible(`#outcome-service`, chromedp.ByID))
	var location string
	run(t, ctx, "location", chromedp.Location(&location))
	return location
}

// TestDashboardFiguresEqualTheAPI is a council member's check that the dashboard and the API
// agree: on the demo year, filter the dashboard to Tollarp in spring with the form, and every
// figure shown equals what the API gives for the same scope; a basort with three answers
// shows "för få svar" and no n.
func TestDashboardFiguresEqualTheAPI(t *testing.T) {
	a := startApp(t)
	ctx := a.browser(t)
	bg := context.Background()
	sqlitetest.MustFillDemo(t, a.db, a.p)
	// Vä, a basort of its own here, gets one held stop in April with three answers, and no other.
	if err := a.db.CreateLocality(bg, a.p.ID, &lofte.Locality{Name: "Vä", Population: 500, Lat: 56.0, Lon: 14.1, Basort: true,
		Coordinates: "approximate"}); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2018, 4, 17, 10, 0, 0, 0, lofte.Zone)
	pub := start.AddDate(0, 0, -14)
	st := &lofte.Stop{PromiseID: a.p.ID, Basort: "Vä", Place: "Skolan", StartsAt: start, EndsAt: start.Add(2 * time.Hour), Kind: lofte.KindRegular,
		Status: lofte.StatusHeld, PublishedAt: &pub, FieldLog: lofte.FieldLog{Visitors: 4}}
	if err := a.db.CreateStop(bg, st); err != nil {
		t.Fatal(err)
	}
	var rs []*lofte.Response
	for i, trust := range []string{"very_high", "fairly_low", "neither"} {
		rs = append(rs, &lofte.Response{ID: fmt.Sprintf("00000000-0000-4000-8000-1000000000%02d", i), StopID: st.ID, Date: lofte.LocalDate(start),
			Hour: 10, Lang: "sv", Answers: lofte.Answers{"trust": trust, "satisfaction": 5}})
	}
	if _, err := a.db.CreateResponses(bg, rs); err != nil {
		t.Fatal(err)
	}
	a.loginAs(t, ctx, "lisa", lofte.RoleCouncil)

	// The form offers months and one place; the months become whole months in the address.
	location := a.filter(t, ctx, "2018-03", "2018-05", "Tollarp")
	if !strings.Contains(location, "basort=Tollarp") || !strings.Contains(location, "from=2018-03-01") || !strings.Contains(location, "to=2018-05-31") {
		t.Fatalf("the filter did not apply: %s", location)
	}
	q := "from=2018-03-01&to=2018-05-31&basort=Tollarp"
	var total struct {
		Total struct {
			Metrics map[string]json.RawMessage `json:"metrics"`
		} `json:"total"`
	}
	var outcomes struct {
		Outcomes []struct {
			Code       string `json:"code"`
			Indicators []struct {
				Metric string    `json:"metric"`
				Value  apiFigure `json:"value"`
				Status string    `json:"status"`
				Reason string    `json:"reason"`
				Survey bool      `json:"survey"`
			} `json:"indicators"`
		} `json:"outcomes"`
	}
	type groups struct {
		Groups []struct {
			Key     string                     `json:"key"`
			Metrics map[string]json.RawMessage `json:"metrics"`
		} `json:"groups"`
	}
	var byBasort, byMonth groups
	fetch := func(path string, v any) chromedp.Action {
		return chromedp.Evaluate(`fetch(`+strconv.Quote(path)+`, {credentials: "same-origin"}).then(r => r.json())`, v,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) })
	}
	run(t, ctx, "API", fetch("/api/v1/metrics?"+q, &total), fetch("/api/v1/outcomes?"+q, &outcomes),
		fetch("/api/v1/metrics?group=basort&"+q, &byBasort), fetch("/api/v1/metrics?group=month&"+q, &byMonth))
	if len(outcomes.Outcomes) != 4 {
		t.Fatalf("API outcomes: %+v", outcomes)
	}
	figure := func(raw json.RawMessage) apiFigure {
		var f apiFigure
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatalf("API figure %s: %v", raw, err)
		}
		return f
	}

	var responses string
	run(t, ctx, "key figures", chromedp.Text(`#kf-responses`, &responses, chromedp.ByID))
	apiResponses := figure(total.Total.Metrics["responses"]).Value
	if apiResponses == nil || strings.ReplaceAll(responses, "\u00a0", "") != fmt.Sprintf("%.0f", *apiResponses) || *apiResponses == 0 {
		t.Errorf("page shows %s responses, API %v", responses, apiResponses)
	}
	compared := 0
	for _, o := range outcomes.Outcomes {
		var cells [][]string
		run(t, ctx, "outcome "+o.Code, chromedp.Evaluate(fmt.Sprintf(
			`Array.from(document.querySelectorAll("#outcome-%s tbody tr")).map(tr => [tr.cells[1].textContent, tr.querySelector(".indicator-status").textContent])`,
			o.Code), &cells))
		if len(cells) != len(o.Indicators) {
			t.Errorf("outcome %s: %d rows on the page, %d in the API", o.Code, len(cells), len(o.Indicators))
			continue
		}
		for i, ind := range o.Indicators {
			what := o.Code + "/" + ind.Metric
			if ind.Survey {
				sameFigure(t, what, cells[i][0], ind.Value)
			} else if ind.Value.Value == nil && cells[i][0] != "–" {
				t.Errorf("%s: page says %q for an undefined delivery figure", what, cells[i][0])
			}
			if status, want := strings.Join(strings.Fields(cells[i][1]), " "), metrics.StatusLabel(ind.Status)+": "+ind.Reason; !strings.HasPrefix(status, want) {
				t.Errorf("%s: status %q, want the API's %q", what, status, want)
			}
			compared++
		}
	}
	// The basorter chart's data table holds Tollarp alone, as the API grouped by basort; the
	// trend table has Tollarp's months as the API grouped by month.
	rows := tableRows(t, ctx, "chart-basorter")
	if len(rows) != 1 || len(byBasort.Groups) != 1 || rows[0][0] != "Tollarp" {
		t.Fatalf("basort table %v, API groups %+v", rows, byBasort.Groups)
	}
	for i, code := range []string{"trust_high", "cares_agree", "unsafe", "satisfied", "knew_in_advance"} {
		sameFigure(t, "Tollarp/"+code, rows[0][i+1], figure(byBasort.Groups[0].Metrics[code]))
		compared++
	}
	rows = tableRows(t, ctx, "chart-trend")
	if len(rows) != len(byMonth.Groups) || len(rows) == 0 {
		t.Fatalf("trend table %v, API months %d", rows, len(byMonth.Groups))
	}
	for j, g := range byMonth.Groups {
		if rows[j][0] != g.Key {
			t.Errorf("trend row %d is %s, API %s", j, rows[j][0], g.Key)
		}
		for i, code := range []string{"trust_high", "cares_agree", "unsafe", "satisfied", "knew_in_advance"} {
			sameFigure(t, "Tollarp/"+g.Key+"/"+code, rows[j][i+1], figure(g.Metrics[code]))
			compared++
		}
	}
	t.Logf("%d figures on the page equal the API's", compared)
	a.axe(t, ctx, "dashboard, Tollarp in spring")

	// Vä in April through the form: three answers are too few to show anything, n included.
	a.filter(t, ctx, "2018-04", "2018-04", "Vä")
	var va groups
	run(t, ctx, "API Vä", fetch("/api/v1/metrics?group=basort&from=2018-04-01&to=2018-04-30&basort=V%C3%A4", &va))
	rows = tableRows(t, ctx, "chart-basorter")
	if len(rows) != 1 || rows[0][0] != "Vä" || len(va.Groups) != 1 {
		t.Fatalf("Vä's basort table %v, API %+v", rows, va.Groups)
	}
	for i, code := range []string{"trust_high", "cares_agree", "unsafe", "satisfied", "knew_in_advance"} {
		f := figure(va.Groups[0].Metrics[code])
		sameFigure(t, "Vä/"+code, rows[0][i+1], f)
		if code == "trust_high" && !f.Suppressed {
			t.Errorf("Vä's trust on three answers is not suppressed: %+v", f)
		}
	}
	a.axe(t, ctx, "dashboard, Vä in April")

	// The whole spring, every basort: Vä's three answers are hidden beside the others.
	// (Version 2 protects by perturbing every count, so no second figure is hidden to stop
	// subtraction.)
	a.filter(t, ctx, "2018-03", "2018-05", "")
	rows = tableRows(t, ctx, "chart-basorter")
	var vaShown bool
	for _, r := range rows {
		if r[0] == "Vä" {
			vaShown = true
			if r[1] != "för få svar" {
				t.Errorf("Vä's trust with 3 answers is shown: %v", r)
			}
		}
	}
	if !vaShown || rows[len(rows)-1][0] != "Hela området" {
		t.Errorf("the spring's basort table %v lacks Vä or the whole area", rows)
	}
	var png []byte
	run(t, ctx, "chart screenshot", chromedp.ScrollIntoView(`#chart-basorter`, chromedp.ByID), chromedp.Screenshot(`#chart-basorter`, &png, chromedp.ByID))
	if err := os.WriteFile(filepath.Join(a.shots, "basorter-chart.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
