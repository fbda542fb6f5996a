package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/report"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// addYear2019 stores a copy of the built-in promise for 2019 (not active), with the
// basorter of 2018 but Tollarp and a new basort Nyby, and fills it with a demo year.
func addYear2019(t *testing.T, e *env) *lofte.Promise {
	t.Helper()
	return sqlitetest.MustAddNextYear(t, e.db, e.p, []string{"Tollarp"},
		&lofte.Locality{Name: "Nyby", Population: 900, Lat: 55.9, Lon: 14.1, Basort: true, Coordinates: "approximate"})
}

type comparedJSON struct {
	Scope   metrics.ScopeJSON `json:"scope"`
	Compare *struct {
		Earlier metrics.PromiseRef `json:"earlier"`
		Years   int                `json:"years"`
		Scope   *metrics.ScopeJSON `json:"scope"`
		Note    string             `json:"note"`
		Outside string             `json:"outside"`
		Groups  []placeJSON        `json:"groups"`
		Total   placeJSON          `json:"total"`
	} `json:"compare"`
}

type placeJSON struct {
	Key     string `json:"key"`
	Missing string `json:"missing"`
	Changes []struct {
		Metric string          `json:"metric"`
		Then   *metrics.Figure `json:"then"`
		Now    json.RawMessage `json:"now"`
		Change *float64        `json:"change"`
		Reason string          `json:"reason"`
	} `json:"changes"`
}

// TestCompareMetricsAPI: compare=ID adds the earlier promise's same months per basort and
// for the whole area, under its own protection; without it the answer is as before.
func TestCompareMetricsAPI(t *testing.T) {
	e := newEnv(t)
	fillDemo(t, e)
	p19 := addYear2019(t, e)
	base := fmt.Sprintf("/api/v1/metrics?promise=%d&from=2019-03-01&to=2019-05-31", p19.ID)

	status, _, plain := e.do(http.MethodGet, base, lofte.RoleCouncil, "")
	if status != 200 || strings.Contains(string(plain), `"compare"`) {
		t.Fatalf("without compare: %d, compare key present: %v", status, strings.Contains(string(plain), `"compare"`))
	}
	var got comparedJSON
	apiJSON(t, e, base+fmt.Sprintf("&compare=%d", e.p.ID), &got)
	c := got.Compare
	if c == nil || c.Earlier.ID != e.p.ID || c.Years != 1 || c.Scope == nil || c.Scope.From != "2018-03-01" || c.Scope.To != "2018-05-31" ||
		c.Scope.MinN != metrics.MinN(e.p) || c.Outside != "" || !strings.Contains(c.Note, "ett år tidigare") {
		t.Fatalf("compare %+v", c)
	}
	if got.Scope.From != "2019-03-01" {
		t.Errorf("the chosen scope %+v changed", got.Scope)
	}
	byKey := map[string]placeJSON{}
	for _, g := range c.Groups {
		byKey[g.Key] = g
	}
	if _, ok := byKey["Tollarp"]; ok {
		t.Error("Tollarp, no basort of 2019, is compared")
	}
	if nyby := byKey["Nyby"]; nyby.Missing != metrics.MissingBasort || nyby.Changes[0].Reason != metrics.MissingBasort || nyby.Changes[0].Then != nil {
		t.Errorf("Nyby %+v, want said to have been no basort then", nyby)
	}
	// Every withheld change says why; every suppressed side withholds the change.
	for _, g := range append(c.Groups, c.Total) {
		for _, ch := range g.Changes {
			if ch.Change == nil && ch.Reason == "" {
				t.Errorf("%s %s: no change and no reason", g.Key, ch.Metric)
			}
			if ch.Then != nil && ch.Then.Suppressed && (ch.Change != nil || ch.Then.Value != nil || ch.Then.N != nil) {
				t.Errorf("%s %s: suppressed then, yet %+v", g.Key, ch.Metric, ch)
			}
		}
	}
	if total := c.Total.Changes; total[len(total)-1].Then == nil {
		t.Error("the whole area has no earlier figure")
	}
}

// TestCompareSuppressedEarlierCell finds a basort and month of 2018 whose trust figure is
// suppressed and checks that the comparison withholds it and the change, as 2018's own page
// does.
func TestCompareSuppressedEarlierCell(t *testing.T) {
	e := newEnv(t)
	fillDemo(t, e)
	p19 := addYear2019(t, e)
	for m := 1; m <= 12; m++ {
		from, to := lofte.Date{Year: 2018, Month: time.Month(m), Day: 1}, lofte.Date{Year: 2018, Month: time.Month(m + 1), Day: 1}.AddDays(-1)
		var res metrics.Result
		apiJSON(t, e, fmt.Sprintf("/api/v1/metrics?from=%s&to=%s&group=basort", from, to), &res)
		for _, g := range res.Groups {
			f := g.Metrics["trust_high"]
			if fm, _ := f.(map[string]any); fm == nil || fm["suppressed"] != true || g.Key == "Tollarp" {
				continue
			}
			var got comparedJSON
			apiJSON(t, e, fmt.Sprintf("/api/v1/metrics?promise=%d&from=%s&to=%s&basort=%s&compare=%d", p19.ID,
				lofte.Date{Year: 2019, Month: from.Month, Day: 1}, lofte.Date{Year: 2019, Month: to.Month, Day: to.Day},
				g.Key, e.p.ID), &got)
			for _, ch := range got.Compare.Total.Changes {
				if ch.Metric != "trust_high" {
					continue
				}
				if ch.Then == nil || !ch.Then.Suppressed || ch.Then.Value != nil || ch.Change != nil || !strings.Contains(ch.Reason, "för få svar då") {
					t.Errorf("%s %s: %+v, want the earlier figure suppressed and no change", g.Key, from, ch)
				}
				return
			}
			t.Fatalf("no trust_high in %+v", got.Compare.Total)
		}
	}
	t.Fatal("no suppressed basort-month (other than Tollarp) in the demo year, whose data is fixed")
}

// TestCompareRefused: compare names an earlier promise, or the request is refused naming it.
func TestCompareRefused(t *testing.T) {
	e := newEnv(t)
	p19 := addYear2019(t, e)
	for _, tt := range []struct {
		query  string
		status int
	}{
		{fmt.Sprintf("promise=%d&compare=abc", p19.ID), 400},
		{fmt.Sprintf("promise=%d&compare=-1", p19.ID), 400},
		{fmt.Sprintf("promise=%d&compare=%d", p19.ID, p19.ID), 400},
		{fmt.Sprintf("compare=%d", p19.ID), 400}, // the active 2018 with the later 2019
		{fmt.Sprintf("promise=%d&compare=9999", p19.ID), 404},
	} {
		for _, path := range []string{"/api/v1/metrics?", "/dashboard?", "/reports/bra.xlsx?"} {
			status, _, b := e.do(http.MethodGet, path+tt.query, lofte.RoleCouncil, "")
			if status != tt.status {
				t.Errorf("%s%s: %d, want %d (%s)", path, tt.query, status, tt.status, b)
				continue
			}
			if status == 400 && strings.HasPrefix(path, "/api") {
				if err := apiError(t, b); err.Field != "compare" {
					t.Errorf("%s%s: field %q, want compare", path, tt.query, err.Field)
				}
			}
		}
	}
}

// TestCompareOutsideTheEarlierPeriod: months the earlier promise does not cover are said in
// words, never shown as zeros.
func TestCompareOutsideTheEarlierPeriod(t *testing.T) {
	e := newEnv(t)
	p19 := addYear2019(t, e)
	ctx := context.Background()
	autumn := *e.p
	autumn.ID, autumn.Slug, autumn.Title, autumn.Municipality = 0, "hosten-2017", "Hösten 2017", "Annan kommun"
	autumn.Period, autumn.Excluded = lofte.Period{From: lofte.Date{Year: 2017, Month: 9, Day: 1}, To: lofte.Date{Year: 2017, Month: 12, Day: 31}}, nil
	if err := e.db.CreatePromise(ctx, &autumn, []*lofte.Locality{{Name: "Åhus", Population: 9000, Basort: true, Coordinates: "approximate"}}); err != nil {
		t.Fatal(err)
	}
	var got comparedJSON
	apiJSON(t, e, fmt.Sprintf("/api/v1/metrics?promise=%d&from=2019-03-01&to=2019-05-31&compare=%d", p19.ID, autumn.ID), &got)
	if c := got.Compare; c.Scope != nil || !strings.Contains(c.Outside, "utanför") {
		t.Fatalf("compare %+v, want no earlier scope and the reason", c)
	}
	for _, ch := range got.Compare.Total.Changes {
		if ch.Then != nil || ch.Change != nil {
			t.Errorf("%s: %+v, want no earlier figure", ch.Metric, ch)
		}
	}
	status, _, b := e.do(http.MethodGet, fmt.Sprintf("/dashboard?promise=%d&compare=%d", p19.ID, autumn.ID), lofte.RoleCouncil, "")
	if status != 200 || !strings.Contains(string(b), `id="compare-outside"`) {
		t.Errorf("dashboard: %d, outside said: %v", status, strings.Contains(string(b), `id="compare-outside"`))
	}
}

// TestDashboardCompare: the dashboard offers the earlier promises, sets the figures side by
// side, says which basort did not exist then, and carries the choice into the report link.
func TestDashboardCompare(t *testing.T) {
	e := newEnv(t)
	fillDemo(t, e)
	p19 := addYear2019(t, e)
	// The 2018 promise has no earlier one: no choice is offered.
	if _, _, b := e.do(http.MethodGet, "/dashboard", lofte.RoleCouncil, ""); strings.Contains(string(b), `id="compare"`) {
		t.Error("the first promise offers a comparison")
	}
	page := fmt.Sprintf("/dashboard?promise=%d&from=2019-03-01&to=2019-05-31", p19.ID)
	status, _, b := e.do(http.MethodGet, page, lofte.RoleCouncil, "")
	if status != 200 || !strings.Contains(string(b), fmt.Sprintf(`<option value="%d">%s`, e.p.ID, e.p.Title)) ||
		strings.Contains(string(b), `id="compare-table"`) {
		t.Fatalf("2019 without comparison: %d; offers 2018: %v", status, strings.Contains(string(b), e.p.Title))
	}
	status, _, b = e.do(http.MethodGet, page+fmt.Sprintf("&compare=%d", e.p.ID), lofte.RoleCouncil, "")
	body := string(b)
	for _, want := range []string{`id="compare-table"`, `id="cmp-trust_high"`, "Då (2018-03 – 2018-05)", "Nu (2019-03 – 2019-05)",
		"Nyby <small>(" + metrics.MissingBasort + ")</small>", fmt.Sprintf(`<option value="%d" selected>`, e.p.ID),
		fmt.Sprintf("compare=%d", e.p.ID), "procentenheter", "2018-03 – 2018-05 (streck)"} {
		if !strings.Contains(body, want) {
			t.Errorf("compared dashboard (%d) lacks %q", status, want)
		}
	}
	// "Ingen jämförelse" sends an empty compare, dropped from the address.
	if status, h, _ := e.do(http.MethodGet, page+"&compare=", lofte.RoleCouncil, ""); status != http.StatusSeeOther ||
		strings.Contains(h.Get("Location"), "compare") || !strings.Contains(h.Get("Location"), fmt.Sprintf("promise=%d", p19.ID)) {
		t.Errorf("empty compare: %d → %q", status, h.Get("Location"))
	}
}

// TestReportCompare: the report link's compare=ID gives the workbook its Jämförelse sheet.
func TestReportCompare(t *testing.T) {
	e := newEnv(t)
	fillDemo(t, e)
	p19 := addYear2019(t, e)
	status, _, b := e.do(http.MethodGet, fmt.Sprintf("/reports/bra.xlsx?promise=%d&from=2019-03-01&to=2019-05-31&compare=%d", p19.ID, e.p.ID),
		lofte.RoleCouncil, "")
	if status != 200 {
		t.Fatalf("%d %s", status, b[:min(len(b), 300)])
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue(report.SheetCompare, "B4"); v != "2018-03-01 – 2018-05-31" {
		t.Errorf("Jämförelse B4 %q, want the earlier period", v)
	}
}
