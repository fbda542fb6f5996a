package e2e

import (
	"context"
	"fmt"
	"net/url"
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
	hash, err := auth.HashPassword("ett långt lösenord")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.db.CreateUser(context.Background(), &lofte.User{Name: name, Role: role, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "log in", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(a.url+"/login?next="+url.QueryEscape(next)),
		chromedp.WaitVisible(`#name`, chromedp.ByID),
		chromedp.SendKeys(`#name`, name, chromedp.ByID), chromedp.SendKeys(`#password`, "ett långt lösenord", chromedp.ByID))
	a.submit(t, ctx, "log in", `form.stack button[type=submit]`)
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

// apiFigure is what the page's figures are compared with.
type apiFigure struct {
	Value      *float64 `json:"value"`
	N          int      `json:"n"`
	Suppressed bool     `json:"suppressed"`
}

var (
	percentRe = regexp.MustCompile(`^(\d+) %`)
	nRe       = regexp.MustCompile(`n = (\d+)`)
)

// sameFigure checks that a page cell ("62 % (52–71 %), n = 100" or "– för få svar (n = 3)")
// shows the API's figure.
func sameFigure(t *testing.T, what, cell string, f apiFigure) {
	t.Helper()
	cell = strings.TrimSpace(cell)
	if m := nRe.FindStringSubmatch(cell); f.N > 0 && (m == nil || m[1] != strconv.Itoa(f.N)) {
		t.Errorf("%s: page says %q, API has n = %d", what, cell, f.N)
	}
	switch {
	case f.Suppressed:
		if !strings.Contains(cell, "för få svar") {
			t.Errorf("%s: page says %q for a suppressed figure", what, cell)
		}
	case f.Value == nil:
		if !strings.Contains(cell, "inga svar") {
			t.Errorf("%s: page says %q for an empty figure", what, cell)
		}
	default:
		m := percentRe.FindStringSubmatch(cell)
		want := fmt.Sprintf("%.0f", *f.Value*100)
		if m == nil || m[1] != want {
			t.Errorf("%s: page says %q, API has %s %%", what, cell, want)
		}
	}
}

// TestDashboardFiguresEqualTheAPI is a council member's check that the dashboard and the API
// agree: on the demo year, filter the dashboard to Tollarp in spring with the form, and every
// figure shown equals what the API gives for the same filter; a basort with three answers
// shows "för få svar" and the figures beside it do not give it away.
func TestDashboardFiguresEqualTheAPI(t *testing.T) {
	a := startApp(t)
	ctx := a.browser(t)
	bg := context.Background()
	sqlitetest.MustFillDemo(t, a.db, a.p)
	// Linderöd gets one held stop in April with three answers, and no other.
	start := time.Date(2018, 4, 17, 10, 0, 0, 0, lofte.Zone)
	pub := start.AddDate(0, 0, -14)
	st := &lofte.Stop{PromiseID: a.p.ID, Basort: "Linderöd", Place: "Skolan", StartsAt: start, EndsAt: start.Add(2 * time.Hour), Kind: lofte.KindRegular,
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

	// The filter, used as a person would: dates typed, one basort ticked, Visa pressed.
	run(t, ctx, "filter", chromedp.SetValue(`#from`, "2018-03-01", chromedp.ByID), chromedp.SetValue(`#to`, "2018-05-31", chromedp.ByID),
		chromedp.Click(`input[name=basort][value=Tollarp]`, chromedp.ByQuery))
	a.submit(t, ctx, "Visa", `form.filters button[type=submit]`)
	run(t, ctx, "filtered page", chromedp.WaitVisible(`#outcome-service`, chromedp.ByID))
	var location string
	run(t, ctx, "location", chromedp.Location(&location))
	if !strings.Contains(location, "basort=Tollarp") || !strings.Contains(location, "from=2018-03-01") {
		t.Fatalf("the filter did not apply: %s", location)
	}
	q := "from=2018-03-01&to=2018-05-31&basort=Tollarp"
	var metrics struct {
		Total struct {
			Metrics map[string]any `json:"metrics"`
		} `json:"total"`
	}
	var outcomes struct {
		Outcomes []struct {
			Code       string `json:"code"`
			Indicators []struct {
				Metric string    `json:"metric"`
				Value  apiFigure `json:"value"`
			} `json:"indicators"`
		} `json:"outcomes"`
	}
	var byBasort struct {
		Groups []struct {
			Key     string               `json:"key"`
			Metrics map[string]apiFigure `json:"metrics"`
		} `json:"groups"`
	}
	fetch := func(path string, v any) chromedp.Action {
		return chromedp.Evaluate(`fetch(`+strconv.Quote(path)+`, {credentials: "same-origin"}).then(r => r.json())`, v,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) })
	}
	run(t, ctx, "API", fetch("/api/v1/metrics?"+q, &metrics), fetch("/api/v1/outcomes?"+q, &outcomes),
		fetch("/api/v1/metrics?group=basort&"+q, &byBasort))
	if len(outcomes.Outcomes) != 4 {
		t.Fatalf("API outcomes: %+v", outcomes)
	}

	var responses string
	run(t, ctx, "key figures", chromedp.Text(`#kf-responses`, &responses, chromedp.ByID))
	apiResponses := metrics.Total.Metrics["responses"].(map[string]any)["value"].(float64)
	if strings.ReplaceAll(responses, "\u00a0", "") != fmt.Sprintf("%.0f", apiResponses) || apiResponses == 0 {
		t.Errorf("page shows %s responses, API %v", responses, apiResponses)
	}
	compared := 0
	for _, o := range outcomes.Outcomes {
		var cells []string
		run(t, ctx, "outcome "+o.Code, chromedp.Evaluate(fmt.Sprintf(
			`Array.from(document.querySelectorAll("#outcome-%s tbody tr td:nth-child(2)")).map(td => td.textContent)`, o.Code), &cells))
		if len(cells) != len(o.Indicators) {
			t.Errorf("outcome %s: %d rows on the page, %d in the API", o.Code, len(cells), len(o.Indicators))
			continue
		}
		for i, ind := range o.Indicators {
			sameFigure(t, o.Code+"/"+ind.Metric, cells[i], ind.Value)
			compared++
		}
	}
	// The basorter chart's data table, Tollarp's row, against the API grouped by basort.
	var rows [][]string
	run(t, ctx, "basort table", chromedp.Evaluate(`Array.from(document.querySelectorAll("#chart-basorter ~ details tbody tr")).map(tr => Array.from(tr.cells).map(td => td.textContent))`, &rows))
	if len(rows) != 1 || len(byBasort.Groups) != 1 || rows[0][0] != "Tollarp" {
		t.Fatalf("basort table %v, API groups %+v", rows, byBasort.Groups)
	}
	for i, code := range []string{"trust_high", "cares_agree", "unsafe", "satisfied", "knew_in_advance"} {
		sameFigure(t, "Tollarp/"+code, rows[0][i+1], byBasort.Groups[0].Metrics[code])
		compared++
	}
	t.Logf("%d figures on the page equal the API's", compared)
	a.axe(t, ctx, "dashboard, Tollarp in spring")

	// The whole spring, every basort: Linderöd's three answers are hidden, and so is the
	// next-smallest basort's figure, so the total cannot be used to work them out.
	run(t, ctx, "spring", chromedp.Navigate(a.url+"/dashboard?from=2018-03-01&to=2018-05-31"), chromedp.WaitVisible(`#outcome-service`, chromedp.ByID))
	rows = nil
	run(t, ctx, "basort table", chromedp.Evaluate(`Array.from(document.querySelectorAll("#chart-basorter ~ details tbody tr")).map(tr => Array.from(tr.cells).map(td => td.textContent))`, &rows))
	hidden := map[string]bool{}
	for _, r := range rows {
		if strings.Contains(r[1], "för få svar") {
			hidden[r[0]] = true
		}
	}
	if !hidden["Linderöd"] {
		t.Errorf("Linderöd's trust with 3 answers is shown: %v", rows)
	}
	if len(hidden) < 2 {
		t.Errorf("only %v hidden; with the total shown, Linderöd's figure could be worked out by subtraction", hidden)
	}
	var png []byte
	run(t, ctx, "chart screenshot", chromedp.ScrollIntoView(`#chart-basorter`, chromedp.ByID), chromedp.Screenshot(`#chart-basorter`, &png, chromedp.ByID))
	if err := os.WriteFile(filepath.Join(a.shots, "basorter-chart.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
