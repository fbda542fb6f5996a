package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	qr "github.com/piglig/go-qr"

	"medborgarlofte/internal/lofte"
)

// overflowing lists what reaches outside the viewport sideways: the page itself scrolling
// sideways, and any element beyond either edge that no scrolling box holds (a wide table in
// its own scroller is fine), leaving out what is hidden on purpose (the skip link until
// focused, screen-reader text).
const overflowing = `(() => {
  const w = document.documentElement.clientWidth, out = [];
  if (document.documentElement.scrollWidth > w) out.push("page scrolls sideways: " + document.documentElement.scrollWidth + " > " + w);
  const held = el => { for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX; if (o === "auto" || o === "scroll" || o === "hidden") return true; } return false; };
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".skip, .sr-only")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if ((r.right > w + 1 || r.left < -1) && !held(el)) {
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : "") +
        " " + Math.round(r.left) + "…" + Math.round(r.right));
    }
  }
  return out;
})()`

// onPhone checks the page shown on a 390 px phone: nothing wider than the screen, nothing
// serious for axe, and a screenshot kept.
func (a *app) onPhone(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var wide []string
	run(t, ctx, "widths of "+name, chromedp.Evaluate(overflowing, &wide))
	if len(wide) > 0 {
		t.Errorf("%s: wider than a 390 px phone: %s", name, strings.Join(wide, "; "))
	}
	a.axe(t, ctx, name)
	a.shot(t, ctx, "phone-"+strings.NewReplacer("/", "-", " ", "-").Replace(name))
}

// publicStops announces stops at Tollarp and Åhus in the coming weeks, one cancelled, and
// closes a feedback item, so that every part of the residents' pages shows.
func (a *app) publicStops(t *testing.T) *lofte.Stop {
	t.Helper()
	ctx := context.Background()
	now := time.Now().In(lofte.Zone)
	// The built-in promise is 2018's: this one runs now, so the pages show what is to come.
	today := lofte.LocalDate(now)
	period, none := lofte.Period{From: today.AddDays(-60), To: today.AddDays(120)}, []lofte.Period{}
	if _, err := a.db.UpdatePromise(ctx, a.p.ID, lofte.PromiseUpdate{Period: &period, Excluded: &none}); err != nil {
		t.Fatal(err)
	}
	day := time.Date(now.Year(), now.Month(), now.Day(), 10, 0, 0, 0, lofte.Zone)
	pub := now.AddDate(0, 0, -20)
	var first *lofte.Stop
	for i, basort := range []string{"Tollarp", "Tollarp", "Tollarp", "Tollarp", "Tollarp", "Åhus", "Åhus"} {
		st := &lofte.Stop{PromiseID: a.p.ID, Basort: basort, Place: "Torget vid Konsum", StartsAt: day.AddDate(0, 0, 7*(i+1)),
			EndsAt: day.AddDate(0, 0, 7*(i+1)).Add(3 * time.Hour), Kind: lofte.KindRegular, Status: lofte.StatusPublished, PublishedAt: &pub}
		if i == 2 {
			st.Status, st.CancelReason = lofte.StatusCancelled, "Fordonet är på service"
		}
		if err := a.db.CreateStop(ctx, st); err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = st
		}
	}
	f := &lofte.FeedbackItem{PromiseID: a.p.ID, Basort: "Tollarp", Topic: "traffic",
		Said: "Bilar kör för fort förbi skolan på Storgatan – särskilt på morgonen."}
	if err := a.db.CreateFeedback(ctx, f); err != nil {
		t.Fatal(err)
	}
	closed, action, ch, on := lofte.FeedbackClosed, "Hastighetskontroller vid skolan tre morgnar i april.", "web", lofte.LocalDate(now)
	if _, err := a.db.UpdateFeedback(ctx, f.ID, lofte.FeedbackUpdate{Status: &closed, Action: &action, Channel: &ch, FeedbackOn: &on}); err != nil {
		t.Fatal(err)
	}
	return first
}

// TestResidentsPagesOnAPhone walks the residents' pages on a 390×844 phone in each language:
// nothing wider than the screen, axe passes, the language switch is remembered, a hand-typed
// "/basort/tollarp" works, the calendar link subscribes (webcal://), and the poster's QR
// code, as Chromium draws it, leads to the basort's page.
func TestResidentsPagesOnAPhone(t *testing.T) {
	a := startApp(t)
	a.publicStops(t)
	ctx := a.browser(t)
	run(t, ctx, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile))
	for _, lang := range []string{"sv", "en", "ar"} {
		for _, path := range []string{"/", "/basort/Tollarp", "/basort/Tollarp/affisch", "/vi-gjorde"} {
			var got, dir string
			run(t, ctx, path+" in "+lang, chromedp.Navigate(a.url+path+"?lang="+lang), chromedp.WaitVisible(`h1`, chromedp.ByQuery),
				chromedp.Evaluate(`document.documentElement.lang`, &got), chromedp.Evaluate(`document.documentElement.dir`, &dir))
			if got != lang || (dir == "rtl") != (lang == "ar") {
				t.Errorf("%s?lang=%s: lang %q, dir %q", path, lang, got, dir)
			}
			a.onPhone(t, ctx, lang+path)
		}
	}

	// The switch: English chosen on one page stays chosen on the next.
	var lang string
	run(t, ctx, "back to Swedish", chromedp.Navigate(a.url+"/?lang=sv"), chromedp.WaitVisible(`nav.langs`, chromedp.ByQuery))
	a.submit(t, ctx, "choose English", `nav.langs a[hreflang="en"]`)
	run(t, ctx, "next page", chromedp.Navigate(a.url+"/basort/Tollarp"), chromedp.WaitVisible(`h1`, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.lang`, &lang))
	if lang != "en" {
		t.Errorf("after choosing English the next page is in %q", lang)
	}
	run(t, ctx, "Swedish again", chromedp.Navigate(a.url+"/?lang=sv"), chromedp.WaitVisible(`h1`, chromedp.ByQuery))

	// A hand-typed name in lower case, and the calendar to subscribe to.
	var where, webcal, coords string
	run(t, ctx, "tollarp", chromedp.Navigate(a.url+"/basort/tollarp"), chromedp.WaitVisible(`.subscribe`, chromedp.ByQuery),
		chromedp.Evaluate(`location.pathname`, &where),
		chromedp.AttributeValue(`.subscribe a.button`, "href", &webcal, nil, chromedp.ByQuery),
		chromedp.Text(`.coords`, &coords, chromedp.ByQuery))
	host := strings.TrimPrefix(a.url, "http://")
	if where != "/basort/Tollarp" || webcal != "webcal://"+host+"/schedule.ics?basort=Tollarp" || coords != "55,9330° N, 13,9830° Ö" {
		t.Errorf("/basort/tollarp: at %q, subscribe to %q, coordinates %q", where, webcal, coords)
	}

	// The poster's code, read from Chromium's drawing of it as a phone's camera would.
	var shot []byte
	run(t, ctx, "poster", chromedp.Navigate(a.url+"/basort/Tollarp/affisch"), chromedp.WaitVisible(`svg.qr`, chromedp.ByQuery),
		chromedp.Screenshot(`svg.qr`, &shot, chromedp.ByQuery))
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	text, err := qr.Decode(img)
	if err != nil {
		t.Fatalf("the poster's QR code does not decode: %v", err)
	}
	if want := a.url + "/basort/Tollarp"; text != want {
		t.Errorf("the poster's QR code says %q, want %q", text, want)
	}
	// Printed, it is one A4 sheet (595 × 842 pt) without the tools above it.
	var pdf []byte
	run(t, ctx, "print the poster", chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		pdf, _, err = page.PrintToPDF().WithPreferCSSPageSize(true).Do(ctx)
		return err
	}))
	if n := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1)); n != 1 {
		t.Errorf("the poster prints on %d pages, want 1", n)
	}
	if !regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+59[45](\.\d+)?\s+84[12]`).Match(pdf) {
		t.Error("the poster does not print on A4")
	}
	os.WriteFile(filepath.Join(a.shots, "poster-Tollarp.pdf"), pdf, 0o644)
}

// TestFieldLogAndFeedbackOnAPhone: the officer's field log and the feedback page on a
// 390×844 phone: nothing wider than the screen, axe passes, every radio button and checkbox
// a target of at least 44 × 44 px, and mistyped-looking figures questioned after saving.
func TestFieldLogAndFeedbackOnAPhone(t *testing.T) {
	a := startApp(t)
	a.publicStops(t)
	st := a.todayStop(t, "Degeberga", "Torget")
	ctx := a.browser(t)
	a.loginTo(t, ctx, "per", lofte.RoleOfficer, "/field", "h1")
	run(t, ctx, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile))
	path := fmt.Sprintf("/field/%d", st.ID)
	run(t, ctx, "field log", chromedp.Navigate(a.url+path), chromedp.WaitVisible(`#plus-one`, chromedp.ByID))
	var small []string
	run(t, ctx, "targets", chromedp.Evaluate(`[...document.querySelectorAll('input[type=radio], input[type=checkbox]')]
	  .map(i => [i, (i.closest("label") || i).getBoundingClientRect()])
	  .filter(([, r]) => r.width < 44 || r.height < 44)
	  .map(([i, r]) => i.name + "=" + i.value + " " + Math.round(r.width) + "×" + Math.round(r.height))`, &small))
	if len(small) > 0 {
		t.Errorf("targets under 44 px: %v", small)
	}
	a.onPhone(t, ctx, "field log")
	run(t, ctx, "type 50 crime reports", chromedp.Click(`input[name=status][value=held]`, chromedp.ByQuery),
		chromedp.SetValue(`#staff`, "2", chromedp.ByID), chromedp.SetValue(`#c1`, "", chromedp.ByID),
		chromedp.SendKeys(`#visitors`, "7", chromedp.ByID), chromedp.SendKeys(`#c1`, "50", chromedp.ByID))
	var hint string
	run(t, ctx, "hint while typing", chromedp.WaitVisible(`#contacts-hint`, chromedp.ByID), chromedp.Text(`#contacts-hint`, &hint, chromedp.ByID))
	if !strings.Contains(hint, "50 kontakter men 7 besökare") {
		t.Errorf("hint while typing: %q", hint)
	}
	a.submit(t, ctx, "save", fmt.Sprintf(`form[action="%s"] button[type=submit]`, path))
	var doubts string
	run(t, ctx, "doubts", chromedp.WaitVisible(`#doubts`, chromedp.ByID), chromedp.Text(`#doubts`, &doubts, chromedp.ByID))
	if !strings.Contains(doubts, "50 kontakter men 7 besökare") {
		t.Errorf("doubts: %q", doubts)
	}
	a.onPhone(t, ctx, "field log saved")
	run(t, ctx, "feedback page", chromedp.Navigate(a.url+"/feedback?basort=Tollarp"), chromedp.WaitVisible(`h1`, chromedp.ByQuery))
	a.onPhone(t, ctx, "feedback page")
}
