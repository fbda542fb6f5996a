package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// chartView is what a drawn chart shows, read from echarts itself: its size, the categories
// of its axes, and every text it drew with where it lies.
type chartView struct {
	ID    string
	W, H  float64
	Cats  []string
	Texts []struct {
		Text       string
		X, Y, W, H float64
		Rotated    bool
	}
	Overflow []string
}

// readCharts reads every drawn chart of the page.
const readCharts = `Array.from(document.querySelectorAll(".chart[data-drawn]")).map(el => {
  const c = echarts.getInstanceByDom(el), opt = c.getOption();
  const cats = [], overflow = [];
  [].concat(opt.xAxis || [], opt.yAxis || []).forEach(ax => {
    if (ax.type !== "category") return;
    (ax.data || []).forEach(d => cats.push(String(d !== null && typeof d === "object" ? d.value : d)));
    if (ax.axisLabel && ax.axisLabel.overflow) overflow.push(ax.axisLabel.overflow);
  });
  const texts = [];
  const hidden = e => { for (let p = e; p; p = p.parent) if (p.ignore || p.invisible) return true; return false; };
  const rotated = e => { for (let p = e; p; p = p.parent) if (p.rotation) return true; return false; };
  const walk = e => {
    if (e.type === "text" && e.style && e.style.text != null && String(e.style.text) !== "" && !hidden(e)) {
      e.updateTransform && e.updateTransform();
      const r = e.getBoundingRect().clone();
      const m = e.getComputedTransform();
      if (m) r.applyTransform(m);
      texts.push({Text: String(e.style.text), X: r.x, Y: r.y, W: r.width, H: r.height, Rotated: rotated(e)});
    }
    if (e.childrenRef) e.childrenRef().forEach(walk);
    if (e.getTextContent && e.getTextContent()) walk(e.getTextContent());
  };
  c.getZr().storage.getRoots().forEach(walk);
  return {ID: el.id, W: c.getWidth(), H: c.getHeight(), Cats: cats, Texts: texts, Overflow: overflow};
})`

// waitCharts waits until dashboard.js has drawn every chart of the page (maps included).
func waitCharts(t *testing.T, ctx context.Context) {
	t.Helper()
	run(t, ctx, "charts drawn", chromedp.Poll(`document.documentElement.getAttribute("data-charts-drawn")`, nil,
		chromedp.WithPollingTimeout(40*time.Second)))
}

// checkLabels fails when a category of a chart is not drawn whole, or any text of a chart lies
// outside it, or two upright labels overlap.
func checkLabels(t *testing.T, where string, views []chartView) {
	t.Helper()
	for _, v := range views {
		if len(v.Overflow) > 0 && slices.ContainsFunc(v.Overflow, func(o string) bool { return o != "break" }) {
			t.Errorf("%s, %s: axis labels overflow %q (only wrapping keeps them whole)", where, v.ID, v.Overflow)
		}
		drawn := map[string]bool{}
		for _, x := range v.Texts {
			drawn[x.Text] = true
			if x.X < -1 || x.Y < -1 || x.X+x.W > v.W+1 || x.Y+x.H > v.H+1 {
				t.Errorf("%s, %s: %q is cut off: drawn at (%.0f, %.0f, %.0f×%.0f) in %.0f×%.0f", where, v.ID, x.Text, x.X, x.Y, x.W, x.H, v.W, v.H)
			}
		}
		for _, c := range v.Cats {
			if !drawn[c] {
				t.Errorf("%s, %s: category %q is not drawn whole (texts %v)", where, v.ID, c, texts(v))
			}
		}
		for i, a := range v.Texts {
			for _, b := range v.Texts[i+1:] {
				if a.Rotated || b.Rotated || !slices.Contains(v.Cats, a.Text) || !slices.Contains(v.Cats, b.Text) {
					continue
				}
				if a.X < b.X+b.W-1 && b.X < a.X+a.W-1 && a.Y < b.Y+b.H-1 && b.Y < a.Y+a.H-1 {
					t.Errorf("%s, %s: labels %q and %q overlap", where, v.ID, a.Text, b.Text)
				}
			}
		}
	}
}

func texts(v chartView) []string {
	var out []string
	for _, x := range v.Texts {
		out = append(out, x.Text)
	}
	return out
}

// tooltip shows the tooltip of one data item of a chart and returns its text.
func tooltip(t *testing.T, ctx context.Context, chartID string, series, index int) string {
	t.Helper()
	var text string
	run(t, ctx, "tooltip "+chartID, chromedp.Evaluate(fmt.Sprintf(`(() => {
  const el = document.getElementById(%q), c = echarts.getInstanceByDom(el);
  c.dispatchAction({type: "showTip", seriesIndex: %d, dataIndex: %d});
  return "";
})()`, chartID, series, index), nil),
		chromedp.Poll(fmt.Sprintf(`Array.from(document.getElementById(%q).querySelectorAll("div")).map(d => d.innerText).filter(s => s.trim()).pop() || ""`, chartID), &text,
			chromedp.WithPollingTimeout(10*time.Second)))
	return strings.TrimSpace(text)
}

var decimalPoint = regexp.MustCompile(`\d\.\d`)

// TestDashboardReadableAtAGlance is the council's dashboard on the demo year at 1280×800 and
// on a 390×844 phone: every chart's labels whole and inside it, Swedish numbers in
// tooltips, a suppressed bar that says so, the map with every basort, nothing wider than
// the phone, and axe with no serious violation. Screenshots go to MEDBORGARLOFTE_SHOTS (or
// the test's temporary folder).
func TestDashboardReadableAtAGlance(t *testing.T) {
	a := startApp(t)
	ctx := a.browser(t)
	sqlitetest.MustFillDemo(t, a.db, a.p)
	small := a.smallBasort(t)
	a.loginAs(t, ctx, "lisa", lofte.RoleCouncil)
	run(t, ctx, "council screen", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(a.url+"/dashboard"))
	waitCharts(t, ctx)
	var views []chartView
	run(t, ctx, "read charts", chromedp.Evaluate(readCharts, &views))
	if len(views) != 7 {
		t.Fatalf("%d charts drawn, want 7", len(views))
	}
	checkLabels(t, "1280×800", views)
	a.shot(t, ctx, "dashboard-1280")
	a.shotCharts(t, ctx, "1280", views)

	// The map draws every basort, by its name, on the outline.
	var basorter []string
	for _, l := range mustLocalities(t, a) {
		if l.Basort {
			basorter = append(basorter, l.Name)
		}
	}
	for _, v := range views {
		if v.ID != "chart-map" {
			continue
		}
		got := texts(v)
		for _, b := range basorter {
			if !slices.Contains(got, b) {
				t.Errorf("the map lacks %s: %q", b, got)
			}
		}
	}
	var regions int
	run(t, ctx, "outline", chromedp.Evaluate(`echarts.getMap("norden").geoJSON.features.length`, &regions))
	if regions < 1 {
		t.Error("the map's outline is not registered")
	}

	// Tooltips write numbers the Swedish way; a suppressed bar says it is suppressed.
	var cats []string
	run(t, ctx, "categories", chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById("chart-basorter")).getOption().xAxis[0].data`, &cats))
	tip := tooltip(t, ctx, "chart-basorter", 0, len(cats)-1)
	if !regexp.MustCompile(`\d+ %`).MatchString(tip) || decimalPoint.MatchString(tip) {
		t.Errorf("the whole area's trust tooltip is %q, want a Swedish percentage", tip)
	}
	if i := slices.Index(cats, small); i < 0 {
		t.Errorf("the small basort %s is not among the categories %q", small, cats)
	} else if tip := tooltip(t, ctx, "chart-basorter", 0, i); !strings.Contains(tip, "för få svar") || strings.Contains(tip, "0 %") {
		t.Errorf("a suppressed bar's tooltip is %q, want för få svar", tip)
	}
	if tip := tooltip(t, ctx, "chart-gaps", 0, 0); decimalPoint.MatchString(tip) {
		t.Errorf("the gaps tooltip %q has a decimal point", tip)
	}
	if tip := tooltip(t, ctx, "chart-map", 0, 0); !regexp.MustCompile(`förtroende \d+ %, [\d\x{00a0}]+ besökare`).MatchString(tip) {
		t.Errorf("a place's tooltip on the map is %q, want its trust and visitors in Swedish", tip)
	}
	var key string
	run(t, ctx, "map key", chromedp.Text(`#chart-map-key`, &key, chromedp.ByID))
	if !strings.Contains(key, "Högt förtroende") || !strings.Contains(key, "för få svar") || !strings.Contains(key, "besökare") {
		t.Errorf("the map's key %q", key)
	}
	a.axe(t, ctx, "dashboard at 1280×800")

	// The filter as the form shows it: the download link follows the form before Visa, and a
	// mistake (the end before the start) is shown beside the form, which keeps it.
	run(t, ctx, "mistaken filter", chromedp.SetValue(`#from`, "2018-05", chromedp.ByID), chromedp.SetValue(`#to`, "2018-03", chromedp.ByID),
		chromedp.Evaluate(`document.getElementById("to").dispatchEvent(new Event("change", {bubbles: true}))`, nil))
	var href string
	run(t, ctx, "download link", chromedp.AttributeValue(`#report-link`, "href", &href, nil, chromedp.ByID))
	if !strings.Contains(href, "from=2018-05") || !strings.Contains(href, "to=2018-03") || !strings.Contains(href, "download=xlsx") {
		t.Errorf("the download link %q does not follow the form", href)
	}
	var msg, from, to string
	run(t, ctx, "download with a mistake", chromedp.Click(`#report-link`, chromedp.ByID), chromedp.WaitVisible(`#filter-error`, chromedp.ByID),
		chromedp.Text(`#filter-error`, &msg, chromedp.ByID), chromedp.Value(`#from`, &from, chromedp.ByID), chromedp.Value(`#to`, &to, chromedp.ByID))
	if !strings.HasPrefix(msg, "Till månad:") || from != "2018-05" || to != "2018-03" {
		t.Errorf("mistake %q with the form at %s – %s, want Till månad named and the filter kept", msg, from, to)
	}
	a.shot(t, ctx, "dashboard-mistake")
	a.axe(t, ctx, "dashboard with a mistaken filter")

	// A phone: nothing wider than the screen, the labels still whole.
	run(t, ctx, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(a.url+"/dashboard"))
	waitCharts(t, ctx)
	var wide []string
	run(t, ctx, "overflow", chromedp.Evaluate(overflowing, &wide))
	for _, w := range wide {
		t.Errorf("on a phone, wider than the screen: %s", w)
	}
	views = nil
	run(t, ctx, "read charts", chromedp.Evaluate(readCharts, &views))
	checkLabels(t, "390×844", views)
	a.shot(t, ctx, "dashboard-390")
	a.shotCharts(t, ctx, "390", views)
	a.axe(t, ctx, "dashboard on a phone")
}

// shotCharts keeps a screenshot of each chart's section, named by the chart and the screen.
func (a *app) shotCharts(t *testing.T, ctx context.Context, screen string, views []chartView) {
	t.Helper()
	for _, v := range views {
		var png []byte
		run(t, ctx, "screenshot "+v.ID, chromedp.Screenshot(`#`+v.ID+`-title`, &png, chromedp.ByQuery), chromedp.ScrollIntoView(`#`+v.ID, chromedp.ByQuery),
			chromedp.Screenshot(`#`+v.ID, &png, chromedp.ByQuery))
		if err := os.WriteFile(filepath.Join(a.shots, v.ID+"-"+screen+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func mustLocalities(t *testing.T, a *app) []*lofte.Locality {
	t.Helper()
	ls, err := a.db.FindLocalities(context.Background(), a.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

// smallBasort adds a basort with a held stop and three answers, too few to show, and
// returns its name.
func (a *app) smallBasort(t *testing.T) string {
	t.Helper()
	bg := context.Background()
	const name = "Lillby"
	if err := a.db.CreateLocality(bg, a.p.ID, &lofte.Locality{Name: name, Population: 300, Lat: 55.99, Lon: 14.05, Basort: true,
		Coordinates: "approximate"}); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2018, 4, 12, 10, 0, 0, 0, lofte.Zone)
	pub := start.AddDate(0, 0, -10)
	st := &lofte.Stop{PromiseID: a.p.ID, Basort: name, Place: "Torget", StartsAt: start, EndsAt: start.Add(2 * time.Hour), Kind: lofte.KindRegular,
		Status: lofte.StatusHeld, PublishedAt: &pub, FieldLog: lofte.FieldLog{Visitors: 5}}
	if err := a.db.CreateStop(bg, st); err != nil {
		t.Fatal(err)
	}
	var rs []*lofte.Response
	for i := range 3 {
		rs = append(rs, &lofte.Response{ID: fmt.Sprintf("00000000-0000-4000-9000-%012d", i), StopID: st.ID, Date: lofte.LocalDate(start),
			Hour: 10, Lang: "sv", Answers: lofte.Answers{"trust": "neither"}})
	}
	if _, err := a.db.CreateResponses(bg, rs); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestPrintSummaryOnTwoPages: from the dashboard the council opens the printable summary,
// whose two charts are drawn (SVG with content) before it is printed to PDF on A4, in at most
// two pages; the PDF and a screenshot are kept.
func TestPrintSummaryOnTwoPages(t *testing.T) {
	a := startApp(t)
	ctx := a.browser(t)
	sqlitetest.MustFillDemo(t, a.db, a.p)
	a.loginAs(t, ctx, "lisa", lofte.RoleCouncil)
	run(t, ctx, "council screen", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(a.url+"/dashboard?from=2018-01&to=2018-12"),
		chromedp.WaitVisible(`#print-link`, chromedp.ByID))
	a.submit(t, ctx, "Utskrift", `#print-link`)
	waitCharts(t, ctx)
	var drawn []int
	run(t, ctx, "charts drawn", chromedp.Evaluate(`Array.from(document.querySelectorAll(".chart")).map(el => el.querySelectorAll("svg path, svg text").length)`, &drawn))
	if len(drawn) != 2 {
		t.Errorf("%d charts on the summary, want 2", len(drawn))
	}
	for i, n := range drawn {
		if n < 20 {
			t.Errorf("chart %d has %d SVG shapes: not drawn", i, n)
		}
	}
	a.axe(t, ctx, "the printable summary")
	a.shot(t, ctx, "print-summary")
	var pdf []byte
	run(t, ctx, "print", chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		pdf, _, err = page.PrintToPDF().WithPaperWidth(8.27).WithPaperHeight(11.69).WithPreferCSSPageSize(true).
			WithPrintBackground(true).Do(ctx)
		return err
	}))
	if err := os.WriteFile(filepath.Join(a.shots, "print-summary.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
	if pages < 1 || pages > 2 {
		t.Errorf("the summary prints on %d A4 pages, want one or two", pages)
	}
	t.Logf("the summary prints on %d pages (%d bytes)", pages, len(pdf))
}
