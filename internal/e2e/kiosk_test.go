package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"medborgarlofte/internal/lofte"
)

// TestKioskInThreeLanguagesAndOffline pairs a real Chromium as a kiosk, answers in Swedish,
// Arabic and English, loses the server, answers two more, reloads, gets the server back,
// and checks that the server holds exactly those five answers.
func TestKioskInThreeLanguagesAndOffline(t *testing.T) {
	a, ctx, _ := startKiosk(t, "Tollarp", "Torget", "48151623")
	a.axe(t, ctx, "welcome (sv)")
	a.shot(t, ctx, "welcome-sv")

	// Swedish, the whole core part by keyboard and touch.
	run(t, ctx, "answer in Swedish",
		chromedp.Focus(`#start`, chromedp.ByID), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(`[data-item="reason"]`, chromedp.ByQuery),
	)
	a.axe(t, ctx, "question (sv)")
	a.shot(t, ctx, "question-sv")
	keyboardChoose(t, ctx, "question")
	run(t, ctx, "answer in Swedish",
		choose("got_help", "yes"), choose("knew_in_advance", "yes"), choose("channel", "poster"),
		choose("alternative", "travel_to_station"), choose("safety", "fairly_safe"), choose("trust", "fairly_high"),
		choose("cares", "agree_partly"), choose("satisfaction", "5"),
		chromedp.WaitVisible(`#more-no`, chromedp.ByID), chromedp.Click(`#more-no`, chromedp.ByID),
		chromedp.WaitVisible(`.thanks`, chromedp.ByQuery),
	)
	a.waitQueue(t, ctx, 0, 1)
	// After the thank-you screen the kiosk is back at the start by itself.
	run(t, ctx, "reset", chromedp.WaitVisible(`#start`, chromedp.ByID))

	// Arabic, right to left, with the extended part.
	run(t, ctx, "switch to Arabic", chromedp.Click(`button.lang[lang="ar"]`, chromedp.ByQuery), chromedp.WaitVisible(`#start`, chromedp.ByID))
	var dir, title string
	run(t, ctx, "read direction", chromedp.Evaluate(`document.documentElement.dir`, &dir), chromedp.Text(`h1`, &title, chromedp.ByQuery))
	if dir != "rtl" || title != "أخبرنا عن زيارة الشرطة" {
		t.Errorf("Arabic: dir %q, title %q", dir, title)
	}
	a.axe(t, ctx, "welcome (ar)")
	a.shot(t, ctx, "welcome-ar")
	// Record the progress each question screen shows, to check it never goes back or jumps.
	run(t, ctx, "watch progress", chromedp.Evaluate(`window.__progress = [];
		new MutationObserver(() => {
			const t = document.querySelector(".progress-text"), b = document.querySelector(".progress span");
			const last = window.__progress[window.__progress.length - 1];
			if (t && b && (!last || last[0] !== t.textContent)) window.__progress.push([t.textContent, parseInt(b.style.width, 10)]);
		}).observe(document.body, {childList: true, subtree: true});`, nil))
	run(t, ctx, "answer in Arabic",
		chromedp.Click(`#start`, chromedp.ByID),
		choose("reason", "curious"),
		// got_help is not asked of the curious.
		chromedp.WaitVisible(`[data-item="knew_in_advance"]`, chromedp.ByQuery),
		skip("knew_in_advance"), skip("alternative"), choose("safety", "very_unsafe"), skip("trust"), skip("cares"),
		choose("satisfaction", "3"),
		chromedp.WaitVisible(`#more-yes`, chromedp.ByID), chromedp.Click(`#more-yes`, chromedp.ByID),
		chromedp.WaitVisible(`[data-item="problems"]`, chromedp.ByQuery),
		chromedp.Click(`[data-option="traffic"]`, chromedp.ByQuery), chromedp.Click(`[data-option="drugs"]`, chromedp.ByQuery),
		chromedp.Click(`#next`, chromedp.ByID),
		skip("worry"), skip("easier_contact"), skip("resident"), skip("age_band"), skip("gender"),
		chromedp.WaitVisible(`#comment`, chromedp.ByID),
		chromedp.SendKeys(`#comment`, "شكراً، اتصل بي 0701234567", chromedp.ByID),
		chromedp.Click(`#send`, chromedp.ByID),
		chromedp.WaitVisible(`.thanks`, chromedp.ByQuery),
	)
	a.waitQueue(t, ctx, 0, 2)
	// The curious visitor skips got_help: the number still goes 1, 2, 3 … and the bar only forward.
	var seen [][2]any
	run(t, ctx, "read progress", chromedp.Evaluate(`window.__progress`, &seen))
	if len(seen) < 10 {
		t.Fatalf("progress seen on %d screens: %v", len(seen), seen)
	}
	for i, p := range seen {
		width, _ := p[1].(float64)
		if want := fmt.Sprintf("السؤال %d", i+1); p[0] != want {
			t.Errorf("screen %d says %q, want %q (all: %v)", i+1, p[0], want, seen)
		}
		if prev, _ := seen[max(i-1, 0)][1].(float64); width < prev {
			t.Errorf("the bar went back from %v %% to %v %% on screen %d", prev, width, i+1)
		}
	}

	// English, mostly skipped.
	run(t, ctx, "answer in English",
		chromedp.WaitVisible(`#start`, chromedp.ByID),
		chromedp.Click(`button.lang[lang="en"]`, chromedp.ByQuery), chromedp.WaitVisible(`#start`, chromedp.ByID),
		chromedp.Click(`#start`, chromedp.ByID), choose("reason", "meet"), choose("got_help", "partly"),
		skip("knew_in_advance"), skip("alternative"), skip("safety"), choose("trust", "very_high"), skip("cares"), skip("satisfaction"),
		chromedp.WaitVisible(`#more-no`, chromedp.ByID), chromedp.Click(`#more-no`, chromedp.ByID),
		chromedp.WaitVisible(`.thanks`, chromedp.ByQuery),
	)
	a.waitQueue(t, ctx, 0, 3)
	a.waitCached(t, ctx)

	// The network goes: the server is gone. Two more visitors answer.
	a.stop(t)
	for i := range 2 {
		run(t, ctx, "answer offline",
			chromedp.WaitVisible(`#start`, chromedp.ByID), chromedp.Click(`#start`, chromedp.ByID),
			choose("reason", "question"), choose("got_help", "yes"), choose("knew_in_advance", "no"),
			choose("alternative", "would_not_have_contacted"), skip("safety"), skip("trust"), skip("cares"),
			choose("satisfaction", fmt.Sprint(4+i)),
			chromedp.WaitVisible(`#more-no`, chromedp.ByID), chromedp.Click(`#more-no`, chromedp.ByID),
			chromedp.WaitVisible(`.thanks`, chromedp.ByQuery),
		)
	}
	a.waitQueue(t, ctx, 2, 3)
	// A reload with no server: the service worker serves the kiosk, the queue is still there.
	run(t, ctx, "reload offline", chromedp.Reload(), chromedp.WaitVisible(`#start`, chromedp.ByID))
	a.waitQueue(t, ctx, 2, 3)
	a.shot(t, ctx, "offline-after-reload")

	// The network comes back: the queue empties by itself, each answer stored once.
	a.restart(t)
	a.waitQueue(t, ctx, 0, 5)

	rs, _, err := a.db.FindResponses(context.Background(), lofte.ResponseFilter{PromiseID: a.p.ID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	langs := map[string]int{}
	ids := map[string]bool{}
	for _, r := range rs {
		langs[r.Lang]++
		ids[r.ID] = true
		if r.Lang == "ar" {
			if r.Answers["comment"] != "شكراً، اتصل بي [borttaget]" {
				t.Errorf("Arabic comment stored as %q", r.Answers["comment"])
			}
			if _, ok := r.Answers["got_help"]; ok {
				t.Error("got_help stored for a curious visitor")
			}
			if p, _ := json.Marshal(r.Answers["problems"]); string(p) != `["traffic","drugs"]` {
				t.Errorf("problems %s", p)
			}
		}
	}
	if len(rs) != 5 || len(ids) != 5 || langs["sv"] != 3 || langs["ar"] != 1 || langs["en"] != 1 {
		t.Errorf("server holds %d responses (%d ids) by language %v, want 5: sv 3, ar 1, en 1", len(rs), len(ids), langs)
	}

	// Back after a submission shows an empty survey, never the last visitor's answers.
	// chromedp's node tracking does not follow a back-forward-cache restore, so this reads the
	// page with plain evaluation.
	run(t, ctx, "leave the kiosk", chromedp.Navigate(a.url+"/kiosk/pair"), chromedp.WaitVisible(`#code`, chromedp.ByID))
	var state struct {
		Path     string
		Start    bool
		Leftover int
	}
	deadline := time.Now().Add(10 * time.Second)
	run(t, ctx, "go back", chromedp.Evaluate(`history.back()`, nil))
	for time.Now().Before(deadline) {
		run(t, ctx, "read page", chromedp.Evaluate(`({path: location.pathname, start: !!document.getElementById("start"),
			leftover: document.querySelectorAll(".chosen, [aria-checked=true], [aria-pressed=true]:not(.lang)").length})`, &state))
		if state.Path == "/kiosk" && state.Start {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if state.Path != "/kiosk" || !state.Start || state.Leftover != 0 {
		t.Errorf("after going back: %+v, want the kiosk's start screen with nothing chosen", state)
	}
}

// choose clicks an option of an item once its screen shows.
func choose(item, option string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.WaitVisible(fmt.Sprintf(`[data-item=%q]`, item), chromedp.ByQuery),
		chromedp.Click(fmt.Sprintf(`[data-item=%q] [data-option=%q]`, item, option), chromedp.ByQuery),
	}
}

// skip presses "Hoppa över" on an item's screen.
func skip(item string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.WaitVisible(fmt.Sprintf(`[data-item=%q]`, item), chromedp.ByQuery),
		chromedp.Click(fmt.Sprintf(`[data-item=%q] #skip`, item), chromedp.ByQuery),
	}
}

// keyboardChoose answers the current question with the keyboard alone: Tab to the first
// option, Enter.
func keyboardChoose(t *testing.T, ctx context.Context, item string) {
	t.Helper()
	for range 12 {
		var cls string
		run(t, ctx, "tab", chromedp.KeyEvent(kb.Tab), chromedp.Evaluate(`document.activeElement.className`, &cls))
		if strings.Contains(cls, "option") {
			run(t, ctx, "enter", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(`[data-item="got_help"]`, chromedp.ByQuery))
			return
		}
	}
	t.Fatal("Tab never reached an answer option")
}

func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	if err := chromedp.Run(tctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// waitQueue waits until the kiosk shows want answers waiting and the server holds stored.
func (a *app) waitQueue(t *testing.T, ctx context.Context, want, stored int) {
	t.Helper()
	deadline := time.Now().Add(40 * time.Second)
	var got string
	var n int
	for time.Now().Before(deadline) {
		run(t, ctx, "read queue", chromedp.AttributeValue(`#queue-count`, "data-queued", &got, nil, chromedp.ByID))
		n, _ = a.db.CountResponses(context.Background(), a.p.ID)
		if got == fmt.Sprint(want) && n == stored {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("queue shows %q waiting and the server holds %d, want %d and %d", got, n, want, stored)
}

// waitCached waits until the service worker has the kiosk page and its assets.
func (a *app) waitCached(t *testing.T, ctx context.Context) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		run(t, ctx, "cache", chromedp.Evaluate(`caches.open("mlf-kiosk-v1").then(c => c.keys()).then(k => k.length)`, &n,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
		var controlled bool
		run(t, ctx, "controller", chromedp.Evaluate(`!!navigator.serviceWorker.controller`, &controlled))
		if n >= 4 && controlled {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatal("the service worker never cached the kiosk")
}

// axe runs axe-core in the page and fails on serious or critical violations.
func (a *app) axe(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	src, err := os.ReadFile(axePath(t))
	if err != nil {
		t.Fatal(err)
	}
	var res []struct {
		ID, Impact, Help string
		Nodes            []struct{ Target []string }
	}
	run(t, ctx, "axe",
		chromedp.Evaluate(string(src), nil),
		chromedp.Evaluate(`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations)`, &res,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	for _, v := range res {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("axe on %s: %s (%s): %s %v", where, v.ID, v.Impact, v.Help, v.Nodes)
		} else {
			t.Logf("axe on %s, minor: %s (%s)", where, v.ID, v.Impact)
		}
	}
}

func (a *app) shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var png []byte
	run(t, ctx, "screenshot", chromedp.FullScreenshot(&png, 100))
	a.keepShot(t, name, png)
}

// keepShot writes a screenshot as name.png among the test's artefacts.
func (a *app) keepShot(t *testing.T, name string, png []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(a.shots, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
