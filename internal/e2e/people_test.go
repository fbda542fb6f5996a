package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"medborgarlofte/internal/lofte"
)

// TestPeopleAndTokensInTheBrowser: an admin invites an officer and sees the one-time
// password once, creates a council token and sees its secret once, and renames a tablet;
// the officer logs in with the one-time password, chooses their own and lands on the field
// log. Every page passes axe.
func TestPeopleAndTokensInTheBrowser(t *testing.T) {
	a := startApp(t)
	ctx := a.browser(t)
	a.loginTo(t, ctx, "anna", lofte.RoleAdmin, "/users", "#users")
	a.axe(t, ctx, "users")
	run(t, ctx, "invite", chromedp.SendKeys(`#name`, "per", chromedp.ByID),
		chromedp.SetValue(`#role`, "officer", chromedp.ByID))
	a.submit(t, ctx, "invite", `form[action="/users"] button[type=submit]`)
	var pw string
	run(t, ctx, "one-time password", chromedp.Text(`#one-time-password`, &pw, chromedp.ByID))
	if len(pw) != 20 {
		t.Fatalf("one-time password %q", pw)
	}
	a.axe(t, ctx, "users, with a one-time password")
	a.shot(t, ctx, "users")

	run(t, ctx, "tokens", chromedp.Navigate(a.url+"/tokens"), chromedp.WaitVisible(`form[action="/tokens"]`, chromedp.ByQuery),
		chromedp.SendKeys(`#name`, "excel-hamtning", chromedp.ByID), chromedp.SetValue(`#role`, "council", chromedp.ByID))
	a.submit(t, ctx, "create token", `form[action="/tokens"] button[type=submit]`)
	var secret string
	run(t, ctx, "secret", chromedp.Text(`#token-secret`, &secret, chromedp.ByID))
	if !strings.HasPrefix(secret, "mlt_") {
		t.Errorf("secret %q", secret)
	}
	run(t, ctx, "open a revocation", chromedp.Click(`#tokens tbody tr:first-child summary`, chromedp.ByQuery))
	a.axe(t, ctx, "tokens, with a secret and a confirmation open")
	a.shot(t, ctx, "tokens")

	if err := a.db.CreateToken(context.Background(), &lofte.Token{Name: "Surfplatta 2018-03-01 10.00", Role: lofte.RoleKiosk, Hash: "k"}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "devices", chromedp.Navigate(a.url+"/kiosk/devices"), chromedp.WaitVisible(`[data-device]`, chromedp.ByQuery),
		chromedp.Click(`[data-device] summary`, chromedp.ByQuery))
	var name string
	run(t, ctx, "rename", chromedp.SetValue(`[data-device] input[name=name]`, "Tollarp-plattan", chromedp.ByQuery))
	a.submit(t, ctx, "rename", `[data-device] form[action$="/rename"] button[type=submit]`)
	run(t, ctx, "renamed", chromedp.Text(`[data-device] td.name`, &name, chromedp.ByQuery))
	if name != "Tollarp-plattan" {
		t.Errorf("device name %q", name)
	}
	a.axe(t, ctx, "kiosk devices")

	a.submit(t, ctx, "log out", `form[action="/logout"] button[type=submit]`)
	if where := a.choosePassword(t, ctx, "per", pw, "pers egen långa mening"); !strings.HasSuffix(where, "/field") {
		t.Errorf("the officer landed on %s, want the field log", where)
	}
}
