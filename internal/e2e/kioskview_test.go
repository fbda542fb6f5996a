package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/survey"
)

// todayStop plans a published stop in basort at place today (in Sweden) from 01.00 to 23.00,
// so the device's own clock dates answers on the stop's day.
func (a *app) todayStop(t *testing.T, basort, place string) *lofte.Stop {
	t.Helper()
	now := time.Now().In(lofte.Zone)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, lofte.Zone)
	pub := day.AddDate(0, 0, -10)
	stop := &lofte.Stop{PromiseID: a.p.ID, Basort: basort, Place: place, StartsAt: day.Add(time.Hour), EndsAt: day.Add(23 * time.Hour),
		Kind: lofte.KindRegular, Status: lofte.StatusPublished, PublishedAt: &pub}
	if err := a.db.CreateStop(context.Background(), stop); err != nil {
		t.Fatal(err)
	}
	return stop
}

// pairKiosk pairs the browser as a tablet with a fresh code and waits for the kiosk's first
// screen: the stop picker, or the welcome when a stop was chosen today.
func (a *app) pairKiosk(t *testing.T, ctx context.Context, code string) {
	t.Helper()
	if err := a.db.CreatePairingCode(context.Background(), auth.Hash("pair:"+code), "test", time.Now(), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "pair the tablet",
		chromedp.Navigate(a.url+"/kiosk/pair?code="+code),
		chromedp.Click(`form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#kiosk > section`, chromedp.ByQuery),
	)
}

// pickStop chooses stop in the staff picker and waits for the welcome screen.
func pickStop(stop *lofte.Stop) chromedp.Action {
	sel := fmt.Sprintf(`[data-stop="%d"]`, stop.ID)
	return chromedp.Tasks{chromedp.WaitVisible(sel, chromedp.ByQuery), chromedp.Click(sel, chromedp.ByQuery),
		chromedp.WaitVisible(`#start`, chromedp.ByID)}
}

// startKiosk starts the app and a browser, plans a stop today in basort at place, pairs the
// browser as a tablet with code and picks that stop, as staff set a tablet up in the
// morning: the kiosk is left on its welcome screen.
func startKiosk(t *testing.T, basort, place, code string) (*app, context.Context, *lofte.Stop) {
	t.Helper()
	a := startApp(t)
	ctx := a.browser(t)
	stop := a.todayStop(t, basort, place)
	a.pairKiosk(t, ctx, code)
	run(t, ctx, "pick the stop", pickStop(stop))
	return a, ctx, stop
}

// layoutProblems lists what a reader of the screen cannot see without scrolling: the page
// scrolling sideways, an element wider than the viewport, and a control to answer or move on
// (options, Next, Send, Skip, Back, Start) outside the viewport or covered by another element.
const layoutProblems = `(() => {
	const W = innerWidth, H = innerHeight, bad = [];
	if (document.documentElement.scrollWidth > W) bad.push("the page scrolls sideways: " + document.documentElement.scrollWidth + " > " + W);
	for (const e of document.querySelectorAll("body *")) {
		const r = e.getBoundingClientRect();
		if (r.width && (r.right > W + 1 || r.left < -1)) bad.push("wider than the viewport: " + e.tagName + "." + e.className + " " + Math.round(r.left) + ".." + Math.round(r.right));
	}
	for (const e of document.querySelectorAll("#kiosk button")) {
		const r = e.getBoundingClientRect();
		const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		if (r.top < 0 || r.bottom > H || !top || !(top === e || e.contains(top)))
			bad.push("out of view: " + (e.id || e.dataset.option || e.textContent) + " at " + Math.round(r.top) + ".." + Math.round(r.bottom) + " of " + H +
				(top && top !== e && !e.contains(top) ? ", covered by " + top.tagName + "." + top.className : ""));
	}
	return bad;
})()`

// TestKioskOnTablets walks every question of the kiosk in Swedish, English and Arabic on a
// landscape (1024×768) and a portrait (768×1024) tablet whose clock runs on UTC: nothing is
// wider than the screen, every answer and Next shows without scrolling, the faces are drawn,
// a fourth problem is refused out loud, the stop list shows Swedish time in the app's format,
// and axe finds nothing serious.
func TestKioskOnTablets(t *testing.T) {
	a := startApp(t)
	ctx := a.browser(t)
	stop := a.todayStop(t, "Tollarp", "Torget")
	on := lofte.LocalDate(time.Now())
	fb := &lofte.FeedbackItem{PromiseID: a.p.ID, Basort: "Tollarp", Topic: "traffic", Said: "Buskörning vid skolan",
		Action: "Fler kontroller", Status: lofte.FeedbackClosed, FeedbackOn: &on, Channel: "next_stop"}
	if err := a.db.CreateFeedback(context.Background(), fb); err != nil {
		t.Fatal(err)
	}
	a.pairKiosk(t, ctx, "31415926")

	// The picker names the stop in Swedish time and the app's own format, not the device's:
	// on UTC, and on Los Angeles time, where it is still the day before in the small hours.
	when := strings.Replace(lofte.When(stop.StartsAt, stop.EndsAt), fmt.Sprintf(" %d ", stop.StartsAt.In(lofte.Zone).Year()), " ", 1)
	for _, zone := range []string{"UTC", "America/Los_Angeles"} {
		var label string
		run(t, ctx, "stop label on "+zone, emulation.SetTimezoneOverride(zone), chromedp.Reload(),
			chromedp.WaitVisible(fmt.Sprintf(`[data-stop="%d"]`, stop.ID), chromedp.ByQuery),
			chromedp.Text(fmt.Sprintf(`[data-stop="%d"]`, stop.ID), &label, chromedp.ByQuery))
		if want := "Tollarp, Torget – " + when; label != want {
			t.Errorf("on %s the stop is listed as %q, want %q", zone, label, want)
		}
	}
	run(t, ctx, "pick the stop", emulation.SetTimezoneOverride("UTC"), pickStop(stop))

	for _, vp := range []struct{ w, h int64 }{{1024, 768}, {768, 1024}} {
		run(t, ctx, "viewport", chromedp.EmulateViewport(vp.w, vp.h))
		for _, lang := range []string{"sv", "en", "ar"} {
			where := fmt.Sprintf("%d×%d %s", vp.w, vp.h, lang)
			a.walkKiosk(t, ctx, where, lang, vp.w == 1024)
		}
	}
}

// walkKiosk answers every question once in lang, checking each screen's layout; with
// thorough it also checks the faces, the problems limit and axe.
func (a *app) walkKiosk(t *testing.T, ctx context.Context, where, lang string, thorough bool) {
	t.Helper()
	check := func(screen string) {
		t.Helper()
		var bad []string
		run(t, ctx, "layout", chromedp.Evaluate(layoutProblems, &bad))
		for _, b := range bad {
			t.Errorf("%s, %s: %s", where, screen, b)
		}
	}
	run(t, ctx, "language "+lang, chromedp.WaitVisible(`#start`, chromedp.ByID),
		chromedp.Click(fmt.Sprintf(`button.lang[lang=%q]`, lang), chromedp.ByQuery), chromedp.WaitVisible(`#start`, chromedp.ByID))
	check("welcome")
	// What was said and done stays Swedish, marked so, under a heading in the visitor's language.
	var heading, said, fbLang, fbDir string
	run(t, ctx, "feedback", chromedp.WaitVisible(`#nisa h2`, chromedp.ByQuery), chromedp.Text(`#nisa h2`, &heading, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("#nisa .fb-item [lang]").textContent`, &said),
		chromedp.Evaluate(`document.querySelector("#nisa .fb-item [lang]").lang`, &fbLang),
		chromedp.Evaluate(`document.querySelector("#nisa .fb-item [lang]").dir`, &fbDir))
	if want := survey.Default().Lang(lang).UI["feedback"]; heading != want || said != "”Buskörning vid skolan” → Fler kontroller" ||
		fbLang != "sv" || fbDir != "ltr" {
		t.Errorf("%s: feedback under %q (want %q): %q lang=%q dir=%q", where, heading, want, said, fbLang, fbDir)
	}
	a.screenShot(t, ctx, where, "welcome")
	if thorough {
		a.axe(t, ctx, "welcome ("+lang+")")
	}
	run(t, ctx, "start", chromedp.Click(`#start`, chromedp.ByID))
	for range 20 {
		var item string
		run(t, ctx, "next screen", chromedp.WaitVisible(`[data-item], #more-yes, .thanks`, chromedp.ByQuery),
			chromedp.Evaluate(`(document.querySelector("[data-item]") || {dataset: {item: document.querySelector("#more-yes") ? "more" : "thanks"}}).dataset.item`, &item))
		switch item {
		case "thanks":
			return
		case "more":
			check(item)
			run(t, ctx, "more", chromedp.Click(`#more-yes`, chromedp.ByID))
			continue
		}
		check(item)
		q := fmt.Sprintf(`[data-item=%q] `, item)
		switch item {
		case "satisfaction":
			if thorough {
				a.checkFaces(t, ctx, where)
				a.screenShot(t, ctx, where, "faces")
				a.axe(t, ctx, "faces ("+lang+")")
			}
			run(t, ctx, "a face", chromedp.Click(q+`[data-option="4"]`, chromedp.ByQuery))
		case "problems":
			if thorough {
				a.checkFourthProblem(t, ctx, where, lang)
				a.axe(t, ctx, "problems ("+lang+")")
			}
			run(t, ctx, "next", chromedp.Click(q+`#next`, chromedp.ByQuery))
		case "comment":
			run(t, ctx, "send", chromedp.Click(q+`#send`, chromedp.ByQuery))
		default:
			// The first option keeps every follow-up question in the walk (reason: a crime
			// report asks got_help; knew_in_advance: yes asks channel).
			run(t, ctx, "answer "+item, chromedp.Click(q+`[data-option]`, chromedp.ByQuery))
		}
		run(t, ctx, "leave "+item, chromedp.WaitNotPresent(fmt.Sprintf(`[data-item=%q]`, item), chromedp.ByQuery))
	}
	t.Fatalf("%s: the survey never reached the thank-you screen", where)
}

// screenShot keeps what the tablet's screen shows (the viewport, not the full page, whose
// capture shifts a right-to-left page sideways) as kiosk-<screen>-<where>.png.
func (a *app) screenShot(t *testing.T, ctx context.Context, where, screen string) {
	t.Helper()
	var png []byte
	run(t, ctx, "screenshot", chromedp.CaptureScreenshot(&png))
	a.keepShot(t, "kiosk-"+screen+"-"+strings.NewReplacer("×", "x", " ", "-").Replace(where), png)
}

// checkFaces: five faces drawn as SVG with a size, each button named by its text, no emoji
// needing a font.
func (a *app) checkFaces(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	var faces []struct {
		Name    string
		W, H    float64
		Text    string
		Present bool
	}
	run(t, ctx, "faces", chromedp.Evaluate(`[...document.querySelectorAll("[data-item=satisfaction] [data-option]")].map(b => {
		const s = b.querySelector("svg.face-svg"), r = s ? s.getBoundingClientRect() : {width: 0, height: 0};
		return {name: b.getAttribute("aria-label"), w: r.width, h: r.height, text: b.textContent, present: !!(s && s.querySelector("path"))};
	})`, &faces))
	if len(faces) != 5 {
		t.Fatalf("%s: %d faces, want 5", where, len(faces))
	}
	for i, f := range faces {
		if !f.Present || f.W < 24 || f.H < 24 || f.Name == "" || f.Name != f.Text {
			t.Errorf("%s: face %d: %+v, want an SVG face at least 24 px named by its label", where, i+1, f)
		}
		for _, r := range f.Text {
			if r >= 0x1F300 {
				t.Errorf("%s: face %d still has an emoji %q", where, i+1, f.Text)
			}
		}
	}
}

// checkFourthProblem chooses four problems: the fourth is refused with "choose at most
// 3" (the item's max) in the visitor's language, and three stay chosen.
func (a *app) checkFourthProblem(t *testing.T, ctx context.Context, where, lang string) {
	t.Helper()
	var warn string
	var chosen int
	run(t, ctx, "four problems",
		chromedp.Click(`[data-option="traffic"]`, chromedp.ByQuery), chromedp.Click(`[data-option="burglary"]`, chromedp.ByQuery),
		chromedp.Click(`[data-option="drugs"]`, chromedp.ByQuery), chromedp.Click(`[data-option="fraud"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#too-many`, chromedp.ByID), chromedp.Text(`#too-many`, &warn, chromedp.ByID),
		chromedp.Evaluate(`document.querySelectorAll("[data-item=problems] [data-option][aria-pressed=true]").length`, &chosen))
	want := map[string]string{"sv": "högst 3", "en": "at most 3", "ar": "3 على الأكثر"}[lang]
	if !strings.Contains(warn, want) || chosen != 3 {
		t.Errorf("%s: after a fourth problem %d chosen and %q shown, want 3 and %q", where, chosen, warn, want)
	}
	var bad []string
	run(t, ctx, "layout with the warning", chromedp.Evaluate(layoutProblems, &bad))
	for _, b := range bad {
		t.Errorf("%s, problems with the warning: %s", where, b)
	}
	a.screenShot(t, ctx, where, "problems")
}

// TestKioskRevokedNextDayAndPreview: a tablet whose pairing is revoked keeps its answers and
// tells staff, also after a reload, and sends them once paired again; the next day it asks
// for the day's stop again; an officer previews the survey without a tablet, storing nothing.
func TestKioskRevokedNextDayAndPreview(t *testing.T) {
	a, ctx, stop := startKiosk(t, "Tollarp", "Torget", "27182818")
	a.waitCached(t, ctx)

	ts, err := a.db.FindTokens(context.Background(), lofte.RoleKiosk)
	if err != nil || len(ts) != 1 {
		t.Fatalf("kiosk tokens %v %v", ts, err)
	}
	if _, err := a.db.RevokeToken(context.Background(), ts[0].ID); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "answer on a revoked tablet",
		chromedp.Click(`#start`, chromedp.ByID), choose("reason", "meet"),
		skip("got_help"), skip("knew_in_advance"), skip("alternative"), skip("safety"), skip("trust"), skip("cares"),
		choose("satisfaction", "5"),
		chromedp.WaitVisible(`#more-no`, chromedp.ByID), chromedp.Click(`#more-no`, chromedp.ByID),
		chromedp.WaitVisible(`#unpaired-banner`, chromedp.ByID))
	a.waitQueue(t, ctx, 1, 0)
	var text string
	run(t, ctx, "banner", chromedp.Text(`#unpaired-banner`, &text, chromedp.ByID))
	if !strings.Contains(text, "Plattan behöver paras om av personal") {
		t.Errorf("banner says %q", text)
	}
	a.shot(t, ctx, "kiosk-revoked")

	// A reload: the server refuses the page, the tablet opens the copy it has and still says so.
	run(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible(`#start`, chromedp.ByID),
		chromedp.WaitVisible(`#unpaired-banner`, chromedp.ByID))
	a.waitQueue(t, ctx, 1, 0)
	a.axe(t, ctx, "revoked tablet")

	// Paired again, the waiting answer goes.
	a.pairKiosk(t, ctx, "16180339")
	run(t, ctx, "same stop today", chromedp.WaitVisible(`#start`, chromedp.ByID))
	a.waitQueue(t, ctx, 0, 1)
	var banners int
	run(t, ctx, "no banner", chromedp.Evaluate(`document.querySelectorAll("#unpaired-banner").length`, &banners))
	if banners != 0 {
		t.Error("the banner stays after pairing again")
	}

	// The next morning the kiosk asks for the day's stop.
	run(t, ctx, "a night passes", shiftedClock(24*time.Hour), chromedp.Reload(), chromedp.WaitVisible(`#stops`, chromedp.ByID))
	var stored string
	run(t, ctx, "stored stop", chromedp.Evaluate(`localStorage.getItem("mlf.stop") || ""`, &stored))
	if stored != "" {
		t.Errorf("yesterday's stop is still kept: %s", stored)
	}

	// An officer previews on a browser of their own: the same survey, marked, nothing stored.
	pctx := a.browser(t)
	run(t, pctx, "a movable clock and a fast minute", shiftedClock(0), chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(fastMinute).Do(ctx)
		return err
	}))
	a.loginTo(t, pctx, "olle", lofte.RoleOfficer, "/kiosk/preview", "#stops")
	// With no stop planned a preview still shows the survey, for a made-up place.
	run(t, pctx, "preview", chromedp.WaitVisible(`#preview-example`, chromedp.ByID), pickStop(stop),
		chromedp.WaitVisible(`#preview-banner`, chromedp.ByID))
	a.axe(t, pctx, "preview")
	run(t, pctx, "answer in the preview",
		chromedp.Click(`#start`, chromedp.ByID), choose("reason", "curious"),
		skip("knew_in_advance"), skip("alternative"), skip("safety"), skip("trust"), skip("cares"), choose("satisfaction", "2"),
		chromedp.WaitVisible(`#more-no`, chromedp.ByID), chromedp.Click(`#more-no`, chromedp.ByID),
		chromedp.WaitVisible(`.thanks`, chromedp.ByQuery))
	var queued int
	run(t, pctx, "preview queue", chromedp.Evaluate(`window.mlfKiosk.queued().then(q => q.length)`, &queued,
		func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if n, err := a.db.CountResponses(context.Background(), a.p.ID); err != nil || n != 1 || queued != 0 {
		t.Errorf("after a preview answer: %d stored (%v), %d queued, want 1 and 0", n, err, queued)
	}

	// A preview left open past midnight stays as it is, its stop staff's and not a day's: the
	// minute timer that sends a tablet back to the picker neither forgets nor redraws it.
	var kept bool
	run(t, pctx, "preview overnight",
		chromedp.Evaluate(`window.mlfKiosk.reset(); document.getElementById("start").dataset.kept = "1"; window.mlfTicks = 0; window.mlfShiftClock(864e5)`, nil),
		chromedp.Poll(`window.mlfTicks >= 3`, nil, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Evaluate(`document.getElementById("start")?.dataset.kept === "1"`, &kept))
	if !kept {
		t.Error("a preview open past midnight is drawn again by the minute timer")
	}
}

// fastMinute runs the page's once-a-minute timers every 50 ms, counting the runs in mlfTicks,
// so a test sees what a night of them does without waiting for it.
const fastMinute = `(() => {
	const every = window.setInterval;
	window.mlfTicks = 0;
	window.setInterval = (f, ms, ...r) => ms === 60000 ? every(() => { window.mlfTicks++; f(); }, 50) : every(f, ms, ...r);
})();`
