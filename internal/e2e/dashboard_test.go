package e2e

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// payload is a place name that would run if chart options were put into the page as script.
const payload = `Ö</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2">`

// TestDashboardRendersEveryChart logs in as the council on the demo year, plus a locality
// whose name is a script payload, and checks that every chart draws, nothing logs an error,
// and the payload stays text.
func TestDashboardRendersEveryChart(t *testing.T) {
	a := startApp(t)
	ctx := a.browser(t)
	bg := context.Background()
	sqlitetest.MustFillDemo(t, a.db, a.p)
	evil := &lofte.Locality{Name: payload, Population: 100, Lat: 56.0, Lon: 14.0, Basort: true, Coordinates: "approximate"}
	if err := a.db.CreateLocality(bg, a.p.ID, evil); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2018, 4, 10, 10, 0, 0, 0, lofte.Zone)
	pub := start.AddDate(0, 0, -10)
	st := &lofte.Stop{PromiseID: a.p.ID, Basort: payload, Place: payload, StartsAt: start, EndsAt: start.Add(2 * time.Hour), Kind: lofte.KindRegular,
		Status: lofte.StatusHeld, PublishedAt: &pub, FieldLog: lofte.FieldLog{Visitors: 9}}
	if err := a.db.CreateStop(bg, st); err != nil {
		t.Fatal(err)
	}
	var rs []*lofte.Response
	for i := range 6 {
		rs = append(rs, &lofte.Response{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), StopID: st.ID, Date: lofte.LocalDate(start),
			Hour: 10, Lang: "sv", Answers: lofte.Answers{"trust": "neither", "reason": "meet"}})
	}
	if _, err := a.db.CreateResponses(bg, rs); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var problems []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError || e.Type == runtime.APITypeWarning {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value))
				}
				problems = append(problems, string(e.Type)+": "+strings.Join(args, " "))
			}
		}
	})
	a.loginAs(t, ctx, "lisa", lofte.RoleCouncil)
	var drawn, total int
	var pwned string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		run(t, ctx, "charts", chromedp.Evaluate(`document.querySelectorAll(".chart canvas").length`, &drawn),
			chromedp.Evaluate(`document.querySelectorAll(".chart").length`, &total))
		if total > 0 && drawn >= total {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if total != 7 || drawn < total {
		t.Errorf("%d of %d charts drawn, want 7", drawn, total)
	}
	run(t, ctx, "payload", chromedp.Evaluate(`String(window.pwned)`, &pwned))
	if pwned != "undefined" {
		t.Errorf("the script payload ran: window.pwned = %s", pwned)
	}
	var tableText string
	run(t, ctx, "table", chromedp.Evaluate(`document.querySelector("#chart-basorter ~ details").textContent`, &tableText))
	if !strings.Contains(tableText, "</script><script>") {
		t.Error("the payload is not shown as text in the data table")
	}
	a.shot(t, ctx, "dashboard")
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser console: %s", p)
	}
}
