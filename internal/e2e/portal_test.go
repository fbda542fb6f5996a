package e2e

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
)

// TestCaptivePortalEmptiesNothing answers while a Wi-Fi portal intercepts the API with
// "200 OK" HTML: the answer must stay queued until the real server answers.
func TestCaptivePortalEmptiesNothing(t *testing.T) {
	a, ctx, _ := startKiosk(t, "Åhus", "Hamnen", "11223344")

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
