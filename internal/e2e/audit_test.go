package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"medborgarlofte/internal/lofte"
)

// TestAccessibilityStatementAndAuditLog: anyone reaches the accessibility statement from the
// start page's footer, on pages axe finds nothing serious on (the statement says the start
// page and the login are checked); an admin who logs in finds the login in the audit log,
// with a readable time and a Swedish label, on a page axe also passes, and keyboard focus
// reaches its filter.
func TestAccessibilityStatementAndAuditLog(t *testing.T) {
	a := startApp(t)
	ctx := a.browser(t)
	start, err := time.ParseInLocation("2006-01-02 15:04", "2018-10-02 10:00", lofte.Zone)
	if err != nil {
		t.Fatal(err)
	}
	pub := start.AddDate(0, 0, -14)
	if err := a.db.CreateStop(context.Background(), &lofte.Stop{PromiseID: a.p.ID, Basort: "Tollarp", Place: "Torget", StartsAt: start,
		EndsAt: start.Add(3 * time.Hour), Kind: lofte.KindRegular, Status: lofte.StatusPublished, PublishedAt: &pub}); err != nil {
		t.Fatal(err)
	}

	run(t, ctx, "start page", chromedp.Navigate(a.url+"/"), chromedp.WaitVisible(`h1`, chromedp.ByQuery))
	a.axe(t, ctx, "start page")
	a.submit(t, ctx, "footer link", `footer a[href="/tillganglighet"]`)
	var h1, digg string
	run(t, ctx, "statement", chromedp.WaitVisible(`#kontakt`, chromedp.ByID), chromedp.Text(`h1`, &h1, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('a[href="https://www.digg.se/tdosanmalan"]').textContent`, &digg))
	if h1 != "Tillgänglighetsredogörelse" || digg == "" {
		t.Errorf("statement: h1 %q, DIGG link %q", h1, digg)
	}
	a.axe(t, ctx, "accessibility statement")
	run(t, ctx, "login page", chromedp.Navigate(a.url+"/login"), chromedp.WaitVisible(`#name`, chromedp.ByID))
	a.axe(t, ctx, "login page")

	a.loginTo(t, ctx, "chefen", lofte.RoleAdmin, "/audit", "#audit")
	var row string
	run(t, ctx, "audit log", chromedp.Text(`#audit tbody tr`, &row, chromedp.ByQuery))
	if !strings.Contains(row, "chefen") || !strings.Contains(row, "Inloggning") || !strings.Contains(row, " kl. ") {
		t.Errorf("first row of the audit log: %q", row)
	}
	a.axe(t, ctx, "audit log")
	var focused string
	run(t, ctx, "filter by keyboard", chromedp.Focus(`#action`, chromedp.ByID),
		chromedp.Evaluate(`document.activeElement.labels[0].textContent`, &focused))
	if focused != "Händelse" {
		t.Errorf("the filter's select is labelled %q", focused)
	}
}
