package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"

	"medborgarlofte/internal/chart"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/server"
)

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

// TestDashboardPage parses the dashboard of the demo year: a filter of months and one basort,
// the four outcomes, every chart with options that are JSON data and a data table, only the
// app's own scripts, and a report link that carries the filters.
func TestDashboardPage(t *testing.T) {
	e := newEnv(t)
	fillDemo(t, e)
	const page = "/dashboard?from=2018-03-01&to=2018-05-31&basort=Tollarp"
	status, _, b := e.do(http.MethodGet, page, lofte.RoleCouncil, "")
	if status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var outcomes, charts, empties, tables int
	var scripts []string
	var reportLink string
	inputs := map[string]string{} // id → type=value
	var options, selected []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			id, _ := attr(n, "id")
			switch {
			case n.Data == "article" && hasClass(n, "outcome"):
				outcomes++
			case n.Data == "div" && hasClass(n, "chart"):
				charts++
				opt, _ := attr(n, "data-options")
				var m map[string]any
				if err := json.Unmarshal([]byte(opt), &m); err != nil || m["series"] == nil {
					t.Errorf("chart %s: options are not chart JSON: %v", id, err)
				}
			case n.Data == "p" && hasClass(n, "chart-empty"):
				empties++ // nothing to draw (no stop has passed in March), said in words
			case n.Data == "details" && hasClass(n, "data-table"):
				tables++
			case n.Data == "script":
				src, ok := attr(n, "src")
				if !ok {
					t.Error("an inline script on the dashboard; the CSP forbids it and options must stay data")
				}
				scripts = append(scripts, src)
			case n.Data == "a" && id == "report-link":
				reportLink, _ = attr(n, "href")
			case n.Data == "input":
				typ, _ := attr(n, "type")
				v, _ := attr(n, "value")
				inputs[id] = typ + "=" + v
			case n.Data == "option":
				v, _ := attr(n, "value")
				options = append(options, v)
				if _, on := attr(n, "selected"); on {
					selected = append(selected, v)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if outcomes != 4 {
		t.Errorf("%d outcomes, want 4", outcomes)
	}
	if charts+empties != 7 || tables != 7 {
		t.Errorf("%d charts, %d empty ones and %d data tables, want 7 charts and tables", charts, empties, tables)
	}
	for _, src := range scripts {
		if !strings.HasPrefix(src, "/static/") {
			t.Errorf("script from %q; charts must work with no internet", src)
		}
	}
	if len(scripts) != 2 {
		t.Errorf("scripts %v, want echarts and dashboard.js", scripts)
	}
	// The filter: a month range and one place, the whole area first; the central town is no
	// basort and cannot be chosen.
	if inputs["from"] != "month=2018-03" || inputs["to"] != "month=2018-05" {
		t.Errorf("month inputs %v, want from 2018-03 and to 2018-05", inputs)
	}
	if len(options) < 2 || options[0] != "" || slices.Contains(options, "Kristianstad") || !slices.Contains(options, "Åhus") {
		t.Errorf("basort options %q, want Hela området and the basorter", options)
	}
	if len(selected) != 1 || selected[0] != "Tollarp" {
		t.Errorf("chosen %q, want Tollarp", selected)
	}
	u, err := url.Parse(reportLink)
	if err != nil || u.Path != "/reports/bra.xlsx" || u.Query().Get("from") != "2018-03-01" || u.Query().Get("to") != "2018-05-31" ||
		!slices.Equal(u.Query()["basort"], []string{"Tollarp"}) {
		t.Errorf("report link %q does not carry the filters", reportLink)
	}
	if !strings.Contains(string(b), "självselekterat") && !strings.Contains(string(b), "själva valt att svara") {
		t.Error("the page does not say that kiosk answers are a self-selected sample")
	}

	// Officers see the same dashboard but are not offered a report they may not fetch.
	if status, _, b := e.do(http.MethodGet, page, lofte.RoleOfficer, ""); status != 200 || strings.Contains(string(b), `id="report-link"`) {
		t.Errorf("officer's dashboard: %d, report link shown: %v", status, strings.Contains(string(b), `id="report-link"`))
	}

	for _, bad := range []string{"from=2018-13-01", "from=2018-13", "to=2018-01-01&from=2018-02-01", "to=2018-01&from=2018-02",
		"basort=Atlantis", "basort=Tollarp&basort=%C3%85hus", "group=week"} {
		status, h, b := e.do(http.MethodGet, "/dashboard?"+bad, lofte.RoleCouncil, "")
		if status == http.StatusSeeOther { // months made days, then checked
			status, _, b = e.do(http.MethodGet, h.Get("Location"), lofte.RoleCouncil, "")
		}
		if status != 400 {
			t.Errorf("dashboard?%s: %d, want 400 (%s)", bad, status, b)
		}
	}
}

// TestDashboardMonthFilter: the form's month inputs send YYYY-MM and "Hela området" an empty
// basort; the dashboard answers with its canonical address, whole months as days.
func TestDashboardMonthFilter(t *testing.T) {
	e := newEnv(t)
	fillDemo(t, e)
	for _, tt := range []struct{ query, want string }{
		{"from=2018-03&to=2018-05&basort=", "/dashboard?from=2018-03-01&to=2018-05-31"},
		{"from=2018-02&to=2018-02&basort=Tollarp", "/dashboard?basort=Tollarp&from=2018-02-01&to=2018-02-28"},
		{"from=2018-03-01&basort=", "/dashboard?from=2018-03-01"},
		{"from=2016-12&to=2016-12", "/dashboard?from=2016-12-01&to=2016-12-31"},
	} {
		status, h, b := e.do(http.MethodGet, "/dashboard?"+tt.query, lofte.RoleCouncil, "")
		if status != http.StatusSeeOther || h.Get("Location") != tt.want {
			t.Errorf("dashboard?%s: %d to %q, want 303 to %q (%s)", tt.query, status, h.Get("Location"), tt.want, b)
		}
	}
	if status, _, b := e.do(http.MethodGet, "/dashboard?from=2018-03-01&to=2018-05-31", lofte.RoleCouncil, ""); status != http.StatusOK {
		t.Errorf("canonical address: %d %s", status, b)
	}
}

// dashboardDoc fetches a dashboard page as the council and parses it.
func dashboardDoc(t *testing.T, e *env, query string) *html.Node {
	t.Helper()
	status, _, b := e.do(http.MethodGet, "/dashboard?"+query, lofte.RoleCouncil, "")
	if status != http.StatusOK {
		t.Fatalf("dashboard?%s: %d %s", query, status, b)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// byID returns the element with the id, or nil.
func byID(doc *html.Node, id string) *html.Node {
	for n := range doc.Descendants() {
		if v, _ := attr(n, "id"); n.Type == html.ElementNode && v == id {
			return n
		}
	}
	return nil
}

// chartRows returns the rows of a chart's data table, by first cell.
func chartRows(t *testing.T, doc *html.Node, chartID string) map[string][]string {
	t.Helper()
	section := byID(doc, chartID).Parent
	rows := map[string][]string{}
	for n := range section.Descendants() {
		if n.Type != html.ElementNode || n.Data != "tr" || n.Parent.Data != "tbody" {
			continue
		}
		var cells []string
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				cells = append(cells, text(c))
			}
		}
		rows[cells[0]] = cells[1:]
	}
	return rows
}

// TestDashboardFiguresV2 checks what version 2 of the metrics shows: whole-area figures
// weighted by population with their coverage and the pooled figure beside them, counts said
// once to be slightly randomised, undefined delivery figures as "–" with a reason, never 0,
// and a basort with few answers as "för få svar" with no n.
func TestDashboardFiguresV2(t *testing.T) {
	t.Run("whole area", func(t *testing.T) {
		e := newEnv(t)
		fillDemo(t, e)
		doc := dashboardDoc(t, e, "")
		rows := chartRows(t, doc, "chart-basorter")
		area := rows["Hela området"]
		if len(area) != 5 || !strings.Contains(area[0], "vägd efter folkmängd, täcker ") || !strings.Contains(area[0], " % av invånarna; ovägd: ") {
			t.Errorf("the whole area's trust %q lacks its weighting, coverage or pooled figure", area)
		}
		if _, ok := rows["Kristianstad"]; ok || len(rows) != 13 {
			t.Errorf("basort table rows %v, want the twelve basorter (not the central town) and the whole area", slices.Collect(maps.Keys(rows)))
		}
		if n := strings.Count(text(doc), "Antalen svar är lätt slumpade för att skydda besökarna"); n != 1 {
			t.Errorf("the counts are said %d times to be randomised, want once", n)
		}
		if got := text(byID(doc, "kf-delivery_rate")); !strings.HasSuffix(got, " %") {
			t.Errorf("delivery rate %q", got)
		}
	})
	t.Run("nothing planned", func(t *testing.T) {
		e := newEnv(t)
		fillDemo(t, e)
		// The test clock stands in March: no April stop has started.
		doc := dashboardDoc(t, e, "from=2018-04-01&to=2018-04-30")
		if got := text(byID(doc, "kf-delivery_rate").Parent); got != "– leveransgrad (inga planerade besök har passerats)" {
			t.Errorf("delivery rate reads %q, want a dash and the reason", got)
		}
		var cells []string
		for n := range byID(doc, "outcome-service").Descendants() {
			if n.Type == html.ElementNode && n.Data == "tr" && strings.HasPrefix(text(n), "Leveransgrad") {
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.ElementNode {
						cells = append(cells, text(c))
					}
				}
			}
		}
		if len(cells) < 2 || cells[1] != "–" {
			t.Errorf("the outcome's delivery rate row %q, want the value –", cells)
		}
		for _, r := range chartRows(t, doc, "chart-gaps") {
			if r[0] != "– (inga aktiva dagar i perioden)" {
				t.Errorf("gaps %q, want – and the reason", r)
			}
		}
	})
	t.Run("few answers, a basort without population", func(t *testing.T) {
		e := newEnv(t)
		fillDemo(t, e)
		ctx := context.Background()
		if err := e.db.CreateLocality(ctx, e.p.ID, &lofte.Locality{Name: "Vä", Lat: 56.0, Lon: 14.1, Basort: true, Coordinates: "approximate"}); err != nil {
			t.Fatal(err)
		}
		st := mustStop(t, e, "Vä", "2018-02-14 10:00", lofte.StatusHeld)
		var rs []*lofte.Response
		for i, trust := range []string{"very_high", "fairly_low", "neither"} {
			rs = append(rs, &lofte.Response{ID: fmt.Sprintf("00000000-0000-4000-8000-2000000000%02d", i), StopID: st.ID,
				Date: lofte.LocalDate(st.StartsAt), Hour: 11, Lang: "sv", Answers: lofte.Answers{"trust": trust, "satisfaction": 5}})
		}
		if _, err := e.db.CreateResponses(ctx, rs); err != nil {
			t.Fatal(err)
		}
		rows := chartRows(t, dashboardDoc(t, e, "from=2018-02-01&to=2018-02-28"), "chart-basorter")
		if r := rows["Vä"]; len(r) != 5 || r[0] != "för få svar" || r[3] != "för få svar" {
			t.Errorf("Vä's three answers show as %q, want för få svar and no n", r)
		}
		// Vä has no population: the whole area cannot be weighted and says so.
		if r := rows["Hela området"]; len(r) != 5 || !strings.HasSuffix(r[0], ", ovägd") || strings.Contains(r[0], "vägd efter") {
			t.Errorf("the whole area %q, want it unweighted", r)
		}
		doc := dashboardDoc(t, e, "from=2018-02-01&to=2018-02-28&basort=V%C3%A4")
		for code, r := range chartRows(t, doc, "chart-trend") {
			if r[0] != "för få svar" {
				t.Errorf("Vä's trust in %s: %q", code, r[0])
			}
		}
		for n := range byID(doc, "effekter").Parent.Descendants() {
			if n.Type == html.ElementNode && n.Data == "td" && strings.Contains(text(n), "n =") {
				t.Errorf("an outcome gives an n for Vä: %q", text(n))
			}
		}
	})
}

// TestDashboardOutcomes: every indicator shows the status and the reason the API gives for
// the same scope, every status of a survey figure and of an outcome has the caveat that the
// answers are no random sample beside it, and the page links to how the figures are made.
func TestDashboardOutcomes(t *testing.T) {
	e := newEnv(t)
	fillDemo(t, e)
	for _, q := range []string{"from=2018-01-01&to=2018-03-31", "from=2018-01-01&to=2018-05-31&basort=%C3%85hus"} {
		doc := dashboardDoc(t, e, q)
		var api metrics.OutcomesResult
		apiJSON(t, e, "/api/v1/outcomes?"+q, &api)
		if len(api.Outcomes) != 4 {
			t.Fatalf("API outcomes %+v", api.Outcomes)
		}
		for _, o := range api.Outcomes {
			art := byID(doc, "outcome-"+o.Code)
			if art == nil {
				t.Fatalf("%s: no outcome %s", q, o.Code)
			}
			var statusP, caveats int
			var rows []*html.Node
			for n := range art.Descendants() {
				switch {
				case n.Type != html.ElementNode:
				case n.Data == "p" && hasClass(n, "status"):
					statusP++
					if text(n) != metrics.StatusLabel(o.Status) {
						t.Errorf("%s %s: status %q, API %s", q, o.Code, text(n), o.Status)
					}
				case n.Data == "p" && hasClass(n, "caveat"):
					caveats++
					if text(n) != metrics.Caveat {
						t.Errorf("%s %s: caveat %q", q, o.Code, text(n))
					}
				case n.Data == "tr" && n.Parent.Data == "tbody":
					rows = append(rows, n)
				}
			}
			if statusP != 1 || caveats != 1 {
				t.Errorf("%s %s: %d statuses and %d caveats beside them", q, o.Code, statusP, caveats)
			}
			if len(rows) != len(o.Indicators) {
				t.Fatalf("%s %s: %d indicator rows, API %d", q, o.Code, len(rows), len(o.Indicators))
			}
			for i, ind := range o.Indicators {
				var cell string
				for c := range rows[i].Descendants() {
					if c.Type == html.ElementNode && hasClass(c, "indicator-status") {
						cell = text(c)
					}
				}
				want := metrics.StatusLabel(ind.Status) + ": " + ind.Reason
				if ind.Survey {
					want += " " + metrics.Caveat
				}
				if cell != want {
					t.Errorf("%s %s/%s: status cell %q, want %q", q, o.Code, ind.Metric, cell, want)
				}
			}
		}
		var method bool
		for n := range doc.Descendants() {
			if href, _ := attr(n, "href"); n.Data == "a" && href == "/metod" && text(n) == "Så räknas siffrorna" {
				method = true
			}
		}
		if !method {
			t.Errorf("%s: no link Så räknas siffrorna to /metod", q)
		}
	}
}

// TestDashboardEvents: summer events are reported in their own section, as the API gives them
// with kind=event, and enter none of the promise's charts; no table of the dashboard has a
// row per stop.
func TestDashboardEvents(t *testing.T) {
	e := newEnv(t)
	fillDemo(t, e)
	for _, q := range []string{"", "basort=%C3%85hus"} {
		doc := dashboardDoc(t, e, q)
		var api struct {
			Total struct {
				Metrics map[string]json.RawMessage `json:"metrics"`
			} `json:"total"`
		}
		apiJSON(t, e, "/api/v1/metrics?kind=event&"+q, &api)
		count := func(code string) string {
			var c metrics.Count
			if err := json.Unmarshal(api.Total.Metrics[code], &c); err != nil || c.Value == nil {
				t.Fatalf("API %s: %s", code, api.Total.Metrics[code])
			}
			return chart.Number(*c.Value)
		}
		held, responses := text(byID(doc, "ev-held")), text(byID(doc, "ev-responses"))
		if held != count("events") || responses != count("responses") {
			t.Errorf("%s: page shows %s events and %s answers, API %s and %s", q, held, responses, count("events"), count("responses"))
		}
		if q == "" && held == "0" {
			t.Error("the demo year's summer events are missing")
		}
		var rows int
		for n := range byID(doc, "events-table").Descendants() {
			if n.Type != html.ElementNode || n.Data != "tr" || n.Parent.Data != "tbody" {
				continue
			}
			label := text(n.FirstChild)
			code := ""
			for _, c := range metrics.KeyIndicators {
				if metrics.Label(c) == label {
					code = c
				}
			}
			var f metrics.Figure
			if err := json.Unmarshal(api.Total.Metrics[code], &f); err != nil {
				t.Fatalf("API %s: %v", code, err)
			}
			if got := text(n.LastChild); got != chart.TableCell(f) {
				t.Errorf("%s: events' %s %q, API %q", q, label, got, chart.TableCell(f))
			}
			rows++
		}
		if rows != len(metrics.KeyIndicators) {
			t.Errorf("%s: %d indicators for the events, want %d", q, rows, len(metrics.KeyIndicators))
		}
		for n := range doc.Descendants() {
			if opt, ok := attr(n, "data-options"); ok {
				var o struct{ Series []struct{ Name string } }
				if err := json.Unmarshal([]byte(opt), &o); err != nil {
					t.Fatal(err)
				}
				for _, s := range o.Series {
					if strings.Contains(s.Name, "evenemang") {
						t.Errorf("%s: summer events are drawn in a chart of the promise (%s)", q, s.Name)
					}
				}
			}
			if n.Type == html.ElementNode && n.Data == "thead" {
				if first := text(n.FirstChild.FirstChild); !slices.Contains([]string{"Basort", "Månad", "Ort", "Svar", "Mått"}, first) {
					t.Errorf("%s: a table by %q; the dashboard has no figures per stop", q, first)
				}
			}
		}
	}
}

// TestDashboardOffersEveryPromise: with more than one promise, a reader (the council too, who
// has no list of promises) opens another promise's dashboard from the dashboard itself; with
// one promise there is nothing to choose.
func TestDashboardOffersEveryPromise(t *testing.T) {
	e := newEnv(t)
	if _, _, b := e.do(http.MethodGet, "/dashboard", lofte.RoleCouncil, ""); bytes.Contains(b, []byte(`id="promise"`)) {
		t.Error("one promise, and still a choice of promise")
	}
	next := *e.p
	next.ID, next.Slug, next.Title, next.Active = 0, "kristianstad-2019", "Medborgarlöfte 2019", false
	next.Period = lofte.Period{From: lofte.Date{Year: 2019, Month: 1, Day: 1}, To: lofte.Date{Year: 2019, Month: 12, Day: 31}}
	next.Excluded = nil
	if err := e.db.CreatePromise(context.Background(), &next, []*lofte.Locality{{Name: "Nyort", Population: 300, Basort: true, Coordinates: "approximate"}}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ query, selected string }{
		{"", e.p.Title + " (aktivt)"},
		{fmt.Sprintf("?promise=%d", next.ID), next.Title},
	} {
		status, _, b := e.do(http.MethodGet, "/dashboard"+tt.query, lofte.RoleCouncil, "")
		doc, err := html.Parse(bytes.NewReader(b))
		if status != http.StatusOK || err != nil {
			t.Fatalf("%s: %d %v", tt.query, status, err)
		}
		var options, selected []string
		for n := range doc.Descendants() {
			if n.Type != html.ElementNode || n.Data != "option" || n.Parent == nil {
				continue
			}
			if id, _ := attr(n.Parent, "id"); id == "promise" {
				options = append(options, n.FirstChild.Data)
				if _, ok := attr(n, "selected"); ok {
					selected = append(selected, n.FirstChild.Data)
				}
			}
		}
		if !slices.Equal(options, []string{next.Title, e.p.Title + " (aktivt)"}) || !slices.Equal(selected, []string{tt.selected}) {
			t.Errorf("%s: promises offered %q, chosen %q; want both, %q chosen", tt.query, options, selected, tt.selected)
		}
	}
}

// A target set relative to a baseline that does not exist yet is said in words on the
// dashboard and its printable summary, never drawn as "≥ –".
func TestDashboardTargetWithoutBaseline(t *testing.T) {
	e := newEnv(t) // the built-in promise: its targets relative to baselines, and none stored
	for _, page := range []string{"/dashboard", "/dashboard/print"} {
		status, _, b := e.do(http.MethodGet, page, lofte.RoleCouncil, "")
		if status != http.StatusOK {
			t.Fatalf("%s: %d", page, status)
		}
		if !strings.Contains(string(b), "räknas från baslinjen, som saknas") || strings.Contains(string(b), "≥ –") {
			t.Errorf("%s: a target without its baseline is not said in words", page)
		}
	}
}

// promiseCounter counts the store's FindPromises calls.
type promiseCounter struct {
	server.Store
	n atomic.Int32
}

func (s *promiseCounter) FindPromises(ctx context.Context) ([]*lofte.Promise, error) {
	s.n.Add(1)
	return s.Store.FindPromises(ctx)
}

// TestDashboardReadsPromisesOnce: one dashboard request reads the list of promises once, for
// the chooser, the earlier promises to compare with and, once the active promise has ended,
// the admin's renewal banner.
func TestDashboardReadsPromisesOnce(t *testing.T) {
	for _, tt := range []struct {
		name    string
		now     time.Time
		renewal bool
	}{
		{"during the promise", now, false},
		{"after it ended", time.Date(2020, 2, 1, 12, 0, 0, 0, lofte.Zone), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var store *promiseCounter
			e := newEnv(t, func(c *server.Config) {
				store = &promiseCounter{Store: c.Store}
				c.Store = store
				c.Now = func() time.Time { return tt.now }
			})
			addYear2019(t, e)
			status, _, b := e.do(http.MethodGet, "/dashboard", lofte.RoleAdmin, "")
			if status != http.StatusOK {
				t.Fatalf("dashboard: %d", status)
			}
			if got := strings.Contains(string(b), "tog slut"); got != tt.renewal {
				t.Errorf("renewal banner shown %v, want %v", got, tt.renewal)
			}
			if n := store.n.Load(); n != 1 {
				t.Errorf("FindPromises called %d times, want 1", n)
			}
		})
	}
}
