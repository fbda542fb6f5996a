package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"medborgarlofte/internal/lofte"
)

// TestBaselineUploadInTheBrowser: an admin uploads the baselines file Excel saved, sees them
// listed, and the dashboard judges legitimacy against the new area baseline.
func TestBaselineUploadInTheBrowser(t *testing.T) {
	a := startApp(t)
	ctx := a.browser(t)
	file := filepath.Join(t.TempDir(), "baslinjer.csv")
	csv := "\uFEFFbasort;mått;värde;källa\r\nHela området;trust_high;55 %;Polisens trygghetsmätning 2017\r\n" +
		"Hela området;Polisen bryr sig;0,38;Polisens trygghetsmätning 2017\r\nTollarp;unsafe;31 %;Polisens trygghetsmätning 2017\r\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	a.loginTo(t, ctx, "anna", lofte.RoleAdmin, "/baselines", "#file")
	a.axe(t, ctx, "baselines, empty")
	run(t, ctx, "choose file", chromedp.SetUploadFiles(`#file`, []string{file}, chromedp.ByID))
	a.submit(t, ctx, "upload", `form[action="/baselines/import"] button[type=submit]`)
	run(t, ctx, "listed", chromedp.WaitVisible(`#baselines`, chromedp.ByID))
	var notice, table string
	run(t, ctx, "read", chromedp.Text(`.notice`, &notice, chromedp.ByQuery), chromedp.Text(`#baselines`, &table, chromedp.ByID))
	if !strings.Contains(notice, "3 baslinjer sparade") {
		t.Errorf("notice %q", notice)
	}
	for _, want := range []string{"Hela området", "Högt förtroende", "55 %", "Polisen bryr sig", "38 %", "Tollarp", "Otrygga", "31 %"} {
		if !strings.Contains(table, want) {
			t.Errorf("the list lacks %q:\n%s", want, table)
		}
	}
	a.axe(t, ctx, "baselines, listed")
	a.shot(t, ctx, "baselines")

	bs, err := a.db.FindBaselines(context.Background(), a.p.ID)
	if err != nil || len(bs) != 3 {
		t.Fatalf("stored %v, %v", bs, err)
	}
	var target string
	run(t, ctx, "dashboard", chromedp.Navigate(a.url+"/dashboard"), chromedp.WaitVisible(`#outcome-legitimacy`, chromedp.ByID),
		chromedp.Text(`#outcome-legitimacy tbody tr:first-child td:nth-child(3)`, &target, chromedp.ByQuery))
	if !strings.Contains(target, "60 %") { // baseline 55 % + 5 points
		t.Errorf("legitimacy's trust target reads %q, want ≥ 60 %%", target)
	}
}
