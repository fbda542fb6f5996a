package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"medborgarlofte/internal/lofte"
)

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

// TestDashboardPage parses the dashboard of the demo year: the four outcomes, every chart with
// options that are JSON data and a data table, only the app's own scripts, and a report link
// that carries the filters.
func TestDashboardPage(t *testing.T) {
	e := newEnv(t)
	fillDemo(t, e)
	const page = "/dashboard?from=2018-03-01&to=2018-05-31&basort=Tollarp&basort=%C3%85hus"
	status, _, b := e.do(http.MethodGet, page, lofte.RoleCouncil, "")
	if status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var outcomes, charts, tables int
	var scripts []string
	var reportLink string
	checked := map[string]bool{}
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
				if name, _ := attr(n, "name"); name == "basort" {
					if _, on := attr(n, "checked"); on {
						v, _ := attr(n, "value")
						checked[v] = true
					}
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
	if charts != 7 || tables != charts {
		t.Errorf("%d charts and %d data tables, want 7 of each", charts, tables)
	}
	for _, src := range scripts {
		if !strings.HasPrefix(src, "/static/") {
			t.Errorf("script from %q; charts must work with no internet", src)
		}
	}
	if len(scripts) != 2 {
		t.Errorf("scripts %v, want echarts and dashboard.js", scripts)
	}
	if !checked["Tollarp"] || !checked["Åhus"] || len(checked) != 2 {
		t.Errorf("ticked basorter %v", checked)
	}
	u, err := url.Parse(reportLink)
	if err != nil || u.Path != "/reports/bra.xlsx" || u.Query().Get("from") != "2018-03-01" || u.Query().Get("to") != "2018-05-31" ||
		len(u.Query()["basort"]) != 2 {
		t.Errorf("report link %q does not carry the filters", reportLink)
	}
	if !strings.Contains(string(b), "självselekterat") && !strings.Contains(string(b), "själva valt att svara") {
		t.Error("the page does not say that kiosk answers are a self-selected sample")
	}

	// Officers see the same dashboard but are not offered a report they may not fetch.
	if status, _, b := e.do(http.MethodGet, page, lofte.RoleOfficer, ""); status != 200 || strings.Contains(string(b), `id="report-link"`) {
		t.Errorf("officer's dashboard: %d, report link shown: %v", status, strings.Contains(string(b), `id="report-link"`))
	}

	for _, bad := range []string{"from=2018-13-01", "to=2018-01-01&from=2018-02-01", "basort=Atlantis", "group=week"} {
		status, _, b := e.do(http.MethodGet, "/dashboard?"+bad, lofte.RoleCouncil, "")
		if status != 400 {
			t.Errorf("dashboard?%s: %d, want 400 (%s)", bad, status, b)
		}
	}
}
