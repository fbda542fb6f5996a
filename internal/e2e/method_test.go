package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"medborgarlofte/internal/lofte"
)

// TestMethodPageAndDraftDeletion: anyone reads how the figures are made, on a page axe
// finds nothing serious on; a planner reviewing drafts deletes one with its own button,
// on a plan page axe also passes, and the footer links the method page for them.
func TestMethodPageAndDraftDeletion(t *testing.T) {
	a := startApp(t)
	ctx := a.browser(t)
	var drafts []*lofte.Stop
	for _, day := range []string{"2018-10-02", "2018-10-04"} {
		start, err := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", lofte.Zone)
		if err != nil {
			t.Fatal(err)
		}
		st := &lofte.Stop{PromiseID: a.p.ID, Basort: "Tollarp", Place: "Torget", StartsAt: start, EndsAt: start.Add(3 * time.Hour),
			Kind: lofte.KindRegular, Status: lofte.StatusDraft}
		if err := a.db.CreateStop(context.Background(), st); err != nil {
			t.Fatal(err)
		}
		drafts = append(drafts, st)
	}

	var headings string
	run(t, ctx, "method page", chromedp.Navigate(a.url+"/metod"), chromedp.WaitVisible(`h1`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll("h1, h2")].map(h => h.tagName + " " + h.textContent).join("\n")`, &headings))
	if !strings.HasPrefix(headings, "H1 Så räknas siffrorna\nH2 ") {
		t.Errorf("headings:\n%s", headings)
	}
	a.axe(t, ctx, "method page")

	a.loginTo(t, ctx, "planerare", lofte.RoleAdmin, "/plan", "#utkast")
	a.axe(t, ctx, "plan page with drafts")
	var method int
	run(t, ctx, "footer", chromedp.Evaluate(`document.querySelectorAll('footer a[href="/metod"]').length`, &method))
	if method != 1 {
		t.Errorf("%d links to the method page in the footer", method)
	}
	a.submit(t, ctx, "delete a draft", fmt.Sprintf(`button[form="delete-%d"]`, drafts[0].ID))
	var notice string
	run(t, ctx, "after delete", chromedp.WaitVisible(`.notice`, chromedp.ByQuery), chromedp.Text(`.notice`, &notice, chromedp.ByQuery))
	if !strings.HasPrefix(notice, "Utkastet i ") || !strings.Contains(notice, " är borttaget") {
		t.Errorf("notice %q", notice)
	}
	if _, err := a.db.FindStopByID(context.Background(), drafts[0].ID); lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
		t.Errorf("the deleted draft: %v", err)
	}
	if got, err := a.db.FindStopByID(context.Background(), drafts[1].ID); err != nil || got.Status != lofte.StatusDraft {
		t.Errorf("the other draft: %+v %v", got, err)
	}
}
