package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"medborgarlofte/internal/lofte"
)

// TestPlanningInTheBrowser: a planner plans this year's promise (not yet the active one) in
// the browser: a single stop, a series that skips the excluded period and says so, publishes
// them, and moves a published stop after ticking the confirmation; axe finds nothing serious
// on the page, and every change is in the audit log.
func TestPlanningInTheBrowser(t *testing.T) {
	a := startApp(t)
	ctx := a.browser(t)
	today := lofte.LocalDate(time.Now())
	p := *a.p
	p.ID, p.Slug, p.Title, p.Active = 0, "planering-i-år", "Medborgarlöfte i år", false
	p.Period = lofte.Period{From: today.AddDays(-30), To: today.AddDays(300)}
	p.Excluded = []lofte.Period{{From: today.AddDays(40), To: today.AddDays(70), Label: "Sommarevenemang"}}
	ls := []*lofte.Locality{{Name: "Tollarp", Population: 2500, Basort: true, Coordinates: "approximate"},
		{Name: "Åhus", Population: 9500, Basort: true, Coordinates: "approximate"}}
	if err := a.db.CreatePromise(context.Background(), &p, ls); err != nil {
		t.Fatal(err)
	}
	scope := "?promise=" + strconv.FormatInt(p.ID, 10)
	a.loginTo(t, ctx, "planerare", lofte.RoleAdmin, "/plan"+scope, "#enstaka")

	single := `#enstaka + p + form`
	run(t, ctx, "fill in one stop",
		chromedp.SetValue(single+` [name=place]`, "Biblioteket", chromedp.ByQuery),
		chromedp.SetValue(single+` [name=date]`, today.AddDays(5).String(), chromedp.ByQuery),
		chromedp.SetValue(single+` [name=start]`, "09:00", chromedp.ByQuery),
		chromedp.SetValue(single+` [name=end]`, "09:30", chromedp.ByQuery))
	a.submit(t, ctx, "plan one stop", single+` button[type=submit]`)
	var notice string
	run(t, ctx, "after one stop", chromedp.WaitVisible(`.notice`, chromedp.ByQuery), chromedp.Text(`.notice`, &notice, chromedp.ByQuery))
	if !strings.HasPrefix(notice, "Utkast skapat: ") || !strings.Contains(notice, ", Biblioteket, ") {
		t.Errorf("notice %q", notice)
	}

	series := `#serie + p + form`
	run(t, ctx, "fill in a series",
		chromedp.SetValue(series+` [name=place]`, "Torget", chromedp.ByQuery),
		chromedp.SetValue(series+` [name=every_weeks]`, "1", chromedp.ByQuery),
		chromedp.SetValue(series+` [name=from]`, today.AddDays(10).String(), chromedp.ByQuery),
		chromedp.SetValue(series+` [name=until]`, today.AddDays(100).String(), chromedp.ByQuery))
	a.submit(t, ctx, "plan a series", series+` button[type=submit]`)
	run(t, ctx, "after the series", chromedp.WaitVisible(`.notice`, chromedp.ByQuery), chromedp.Text(`.notice`, &notice, chromedp.ByQuery))
	if !strings.Contains(notice, "utkast skapade (utelämnade datum: ") || !strings.Contains(notice, "i undantagsperioden Sommarevenemang") {
		t.Errorf("notice %q", notice)
	}
	a.axe(t, ctx, "plan page with drafts and their edit forms")

	a.submit(t, ctx, "publish", `#publish button`)
	run(t, ctx, "after publishing", chromedp.WaitVisible(`.notice`, chromedp.ByQuery), chromedp.Text(`.notice`, &notice, chromedp.ByQuery))
	if !strings.HasSuffix(notice, "besök publicerade.") {
		t.Errorf("notice %q", notice)
	}
	stops, _, err := a.db.FindStops(context.Background(), lofte.StopFilter{PromiseID: p.ID})
	if err != nil || len(stops) < 2 {
		t.Fatalf("%d stops: %v", len(stops), err)
	}
	for _, st := range stops {
		if st.Status != lofte.StatusPublished {
			t.Errorf("stop %d is %s", st.ID, st.Status)
		}
	}
	a.axe(t, ctx, "plan page with coming stops")

	first := stops[0]
	move := fmt.Sprintf(`form[action^="/plan/%d/move"]`, first.ID)
	run(t, ctx, "open the move form",
		chromedp.Click(fmt.Sprintf(`details:has(%s) > summary`, move), chromedp.ByQuery),
		chromedp.WaitVisible(move+` [name=date]`, chromedp.ByQuery),
		chromedp.SetValue(move+` [name=date]`, today.AddDays(6).String(), chromedp.ByQuery),
		chromedp.SetValue(move+` [name=place]`, "Skolan", chromedp.ByQuery),
		chromedp.Click(move+` [name=confirm]`, chromedp.ByQuery))
	a.submit(t, ctx, "move", move+` button[type=submit]`)
	run(t, ctx, "after the move", chromedp.WaitVisible(`.notice`, chromedp.ByQuery), chromedp.Text(`.notice`, &notice, chromedp.ByQuery))
	if !strings.Contains(notice, "är flyttat till") || !strings.Contains(notice, "Skolan") {
		t.Errorf("notice %q", notice)
	}
	moved, err := a.db.FindStopByID(context.Background(), first.ID)
	if err != nil || moved.Place != "Skolan" || moved.Sequence != 1 {
		t.Errorf("moved stop %+v %v", moved, err)
	}
	for action, want := range map[string]int{"stop.create": len(stops), "stop.publish": len(stops), "stop.move": 1} {
		es, err := a.db.FindAudit(context.Background(), lofte.AuditFilter{Action: action, Limit: 1000})
		if err != nil || len(es) != want || es[0].Actor != "planerare" {
			t.Errorf("%s: %d entries, want %d (%v)", action, len(es), want, err)
		}
	}
}
