package e2e

import (
	"context"
	"encoding/base64"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
)

// TestCaptivePortalEmptiesNothing answers while a Wi-Fi portal intercepts the API with
// "200 OK" HTML: the answer must stay queued until the real server answers.
func TestCaptivePortalEmptiesNothing(t *testing.T) {
	a := startApp(t)
	ctx := a.browser(t)
	now := time.Now().In(lofte.Zone)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, lofte.Zone)
	pub := day.AddDate(0, 0, -10)
	stop := &lofte.Stop{PromiseID: a.p.ID, Basort: "Åhus", Place: "Hamnen", StartsAt: day.Add(time.Hour), EndsAt: day.Add(23 * time.Hour),
		Kind: lofte.KindRegular, Status: lofte.StatusPublished, PublishedAt: &pub}
	if err := a.db.CreateStop(context.Background(), stop); err != nil {
		t.Fatal(err)
	}
	code := "11223344"
	if err := a.db.CreatePairingCode(context.Background(), auth.Hash("pair:"+code), "test", time.Now(), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "pair",
		chromedp.Navigate(a.url+"/kiosk/pair?code="+code),
		chromedp.Click(`form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf(`[data-stop="%d"]`, stop.ID), chromedp.ByQuery),
		chromedp.Click(fmt.Sprintf(`[data-stop="%d"]`, stop.ID), chromedp.ByQuery),
		chromedp.WaitVisible(`#start`, chromedp.ByID))

	portal := base64.StdEncoding.EncodeToString([]byte("<html><body>Logga in på gäst-wifi</body></html>"))
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			go chromedp.Run(ctx, fetch.FulfillRequest(e.RequestID, 200).
				WithResponseHeaders([]*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html; charset=utf-8"}}).
				WithBody(portal))
		}
	})
	run(t, ctx, "portal on", fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "*/api/v1/responses*"}}))
	run(t, ctx, "answer behind the portal",
		chromedp.Click(`#start`, chromedp.ByID), choose("reason", "tip"), choose("got_help", "yes"),
		skip("knew_in_advance"), skip("alternative"), skip("safety"), skip("trust"), skip("cares"), choose("satisfaction", "4"),
		chromedp.WaitVisible(`#more-no`, chromedp.ByID), chromedp.Click(`#more-no`, chromedp.ByID),
		chromedp.WaitVisible(`.thanks`, chromedp.ByQuery))
	// Give the kiosk time to try, and be fooled if it can be.
	time.Sleep(3 * time.Second)
	a.waitQueue(t, ctx, 1, 0)
	run(t, ctx, "portal off", fetch.Disable())
	a.waitQueue(t, ctx, 0, 1)
}
