package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/report"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// walkDay is "today" in the walk on a fresh database: a winter Monday in 2026, long after the
// built-in 2018 promise ended.
var walkDay = time.Date(2026, 2, 2, 9, 0, 0, 0, lofte.Zone)

// walkClock is a clock that starts at a given time and runs on from there; jump moves it on.
type walkClock struct {
	began time.Time
	start time.Time
	jumps atomic.Int64
}

func (c *walkClock) now() time.Time {
	return c.start.Add(time.Since(c.began) + time.Duration(c.jumps.Load()))
}

// jump moves the clock on by d, as the hours of a working day pass.
func (c *walkClock) jump(d time.Duration) { c.jumps.Add(int64(d)) }

// startAppAt is startApp on a fresh database (the built-in promise, no demo) whose clock, the
// server's and the store's, starts at start and runs on from there.
func startAppAt(t *testing.T, start time.Time) *app {
	t.Helper()
	return startAppOn(t, &walkClock{began: time.Now(), start: start})
}

// dateShim moves the page's clock by offset milliseconds before any of its scripts run, so
// that a browser page (the kiosk's "today") and the server agree on the day;
// mlfShiftClock(ms) moves it on later, with the page open.
const dateShim = `(() => {
	let off = %d;
	const D = Date;
	window.mlfShiftClock = (ms) => { off += ms; };
	class Shifted extends D {
		constructor(...a) { if (a.length === 0) { super(D.now() + off); } else { super(...a); } }
		static now() { return D.now() + off; }
	}
	window.Date = Shifted;
})();`

// person opens a browser of its own (no cookies or storage shared with the others), with the
// app's clock: another person's phone or a tablet.
func (a *app) person(t *testing.T) context.Context {
	t.Helper()
	ctx := a.browser(t)
	a.shiftClock(t, ctx)
	return ctx
}

// shiftClock sets the app's clock, as it is now, in every page ctx opens from now on.
func (a *app) shiftClock(t *testing.T, ctx context.Context) {
	t.Helper()
	if a.clock == nil {
		return
	}
	run(t, ctx, "shift the clock", shiftedClock(time.Until(a.clock.now())))
}

// shiftedClock makes every page the browser opens from now on see its clock moved by d: the
// test's way to let a night pass, with no hook in the kiosk itself.
func shiftedClock(d time.Duration) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(fmt.Sprintf(dateShim, d.Milliseconds())).Do(ctx)
		return err
	})
}

// logIn logs a person in from the login page (next, when given, as the page asked for) and
// returns where the browser landed.
func (a *app) logIn(t *testing.T, ctx context.Context, name, password, next string) string {
	t.Helper()
	to := "/login"
	if next != "" {
		to += "?next=" + url.QueryEscape(next)
	}
	run(t, ctx, "log in as "+name, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(a.url+to),
		chromedp.WaitVisible(`#name`, chromedp.ByID),
		chromedp.SendKeys(`#name`, name, chromedp.ByID), chromedp.SendKeys(`#password`, password, chromedp.ByID))
	a.submit(t, ctx, "log in as "+name, `form.stack button[type=submit]`)
	var where string
	run(t, ctx, "where "+name+" landed", chromedp.Location(&where))
	return where
}

// choosePassword is a person's first login with a one-time password: the app asks for
// their own before anything else (a page axe-checked here); it returns where they land after
// choosing it.
func (a *app) choosePassword(t *testing.T, ctx context.Context, name, oneTime, own string) string {
	t.Helper()
	a.logIn(t, ctx, name, oneTime, "")
	run(t, ctx, name+" must choose a password", chromedp.WaitVisible(`#must-choose`, chromedp.ByID))
	a.axe(t, ctx, "password")
	run(t, ctx, name+" chooses a password", chromedp.SendKeys(`#current`, oneTime, chromedp.ByID),
		chromedp.SendKeys(`#password`, own, chromedp.ByID), chromedp.SendKeys(`#repeat`, own, chromedp.ByID))
	a.submit(t, ctx, name+" saves a password", `form[action="/password"] button[type=submit]`)
	var where string
	run(t, ctx, "where "+name+" landed", chromedp.Location(&where))
	return where
}

// text is the text of the first element matching sel.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	var s string
	run(t, ctx, "read "+sel, chromedp.WaitVisible(sel, chromedp.ByQuery), chromedp.Text(sel, &s, chromedp.ByQuery))
	return s
}

// TestServiceOnAFreshDatabase is putting the app into service, tried as a new user would: on a
// fresh database without demo data, early in 2026, the chief logs in and is led to create this
// year's promise from the built-in one, adds a basort, activates the promise, plans a stop today
// and a series and publishes them, pairs a tablet that then offers today's stop, invites an
// officer and a council member (each choosing their own password at the first login), revokes
// a token; the officer lands on the field log and logs the stop; and the chief finds all of
// it in the audit log. Every page passes axe.
func TestServiceOnAFreshDatabase(t *testing.T) {
	a := startAppAt(t, walkDay)
	ctx := a.browser(t)
	a.shiftClock(t, ctx)
	hash, err := auth.HashPassword("chefens långa lösenord")
	if err != nil {
		t.Fatal(err)
	}
	// The first admin is made with the command line (`user add`), as the server's log says.
	if err := a.db.CreateUser(context.Background(), &lofte.User{Name: "chefen", Role: lofte.RoleAdmin, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}

	// Led to "Skapa årets löfte".
	a.logIn(t, ctx, "chefen", "chefens långa lösenord", "")
	banner := text(t, ctx, `.renewal`)
	if !strings.Contains(banner, "tog slut 2018-12-31") {
		t.Errorf("banner %q", banner)
	}
	a.axe(t, ctx, "the admin's first page, with the banner")
	a.submit(t, ctx, "to Skapa årets löfte", `.renewal a`)
	if h1 := text(t, ctx, `h1`); h1 != "Skapa årets löfte" {
		t.Fatalf("h1 %q", h1)
	}
	var from, to, title string
	run(t, ctx, "the form", chromedp.Value(`#from`, &from, chromedp.ByID), chromedp.Value(`#to`, &to, chromedp.ByID),
		chromedp.Value(`#title`, &title, chromedp.ByID))
	if from != "2026-01-01" || to != "2026-12-31" || !strings.Contains(title, "2026") {
		t.Errorf("the new promise's form: %q %s – %s", title, from, to)
	}
	a.axe(t, ctx, "Skapa årets löfte")
	a.submit(t, ctx, "Skapa löftet", `form[action="/promises"] button[type=submit]`)
	if notice := text(t, ctx, `.notice`); !strings.Contains(notice, "är skapat") {
		t.Errorf("notice %q", notice)
	}
	ps, err := a.db.FindPromises(context.Background())
	if err != nil || len(ps) != 2 {
		t.Fatalf("%d promises: %v", len(ps), err)
	}
	p26 := ps[0]
	if p26.Period.From.Year != 2026 {
		t.Fatalf("newest promise %+v", p26)
	}
	id := strconv.FormatInt(p26.ID, 10)
	a.axe(t, ctx, "the new promise")

	// A basort of its own.
	a.submit(t, ctx, "to the basorter", `main a[href="/promises/`+id+`/basorter"]`)
	run(t, ctx, "add Nyby", chromedp.SendKeys(`#a-name`, "Nyby", chromedp.ByID),
		chromedp.SendKeys(`#a-population`, "900", chromedp.ByID), chromedp.SendKeys(`#a-population_source`, "SCB, tätorter", chromedp.ByID),
		chromedp.SendKeys(`#a-population_year`, "2024", chromedp.ByID),
		chromedp.SendKeys(`#a-lat`, "55,9", chromedp.ByID), chromedp.SendKeys(`#a-lon`, "14,1", chromedp.ByID))
	a.submit(t, ctx, "Lägg till", `form[action="/promises/`+id+`/basorter"] button[type=submit]`)
	if basorter := text(t, ctx, `#basorter`); !strings.Contains(basorter, "Nyby") {
		t.Errorf("basorter after adding Nyby: %q", basorter)
	}
	a.axe(t, ctx, "basorter")

	// Activated, so the kiosk and the public page show it: the banner now leads there.
	if banner := text(t, ctx, `.renewal`); !strings.Contains(banner, "gäller nu men är inte aktiverat") {
		t.Errorf("banner once this year's promise exists: %q", banner)
	}
	a.submit(t, ctx, "to Aktivera", `.renewal a[href="/promises/`+id+`/activate"]`)
	a.axe(t, ctx, "activate")
	a.submit(t, ctx, "Ja, aktivera", `form[action="/promises/`+id+`/activate"] button[type=submit]`)
	if next := text(t, ctx, `main a.button`); next != "Skapa nästa års löfte (2027)" {
		t.Errorf("with this year's promise made, the list offers %q", next)
	}

	// One stop today, in the afternoon, and a weekly series in Nyby; both published.
	run(t, ctx, "plan", chromedp.Navigate(a.url+"/plan"), chromedp.WaitVisible(`#enstaka`, chromedp.ByID))
	if lead := text(t, ctx, `main > p`); !strings.Contains(lead, p26.Title) {
		t.Errorf("the plan page plans %q", lead)
	}
	single := `#enstaka + p + form`
	run(t, ctx, "fill in today's stop",
		chromedp.SetValue(`#stop-basort`, "Nyby", chromedp.ByID),
		chromedp.SetValue(single+` [name=place]`, "Bygdegården", chromedp.ByQuery),
		chromedp.SetValue(single+` [name=date]`, "2026-02-02", chromedp.ByQuery),
		chromedp.SetValue(single+` [name=start]`, "13:00", chromedp.ByQuery),
		chromedp.SetValue(single+` [name=end]`, "16:00", chromedp.ByQuery))
	a.submit(t, ctx, "plan today's stop", single+` button[type=submit]`)
	if notice := text(t, ctx, `.notice`); !strings.HasPrefix(notice, "Utkast skapat: ") {
		t.Errorf("notice %q", notice)
	}
	series := `#serie + p + form`
	run(t, ctx, "fill in a series",
		chromedp.SetValue(`#basort`, "Nyby", chromedp.ByID),
		chromedp.SetValue(series+` [name=place]`, "Torget", chromedp.ByQuery),
		chromedp.SetValue(series+` [name=every_weeks]`, "1", chromedp.ByQuery),
		chromedp.SetValue(series+` [name=from]`, "2026-02-03", chromedp.ByQuery),
		chromedp.SetValue(series+` [name=until]`, "2026-03-31", chromedp.ByQuery))
	a.submit(t, ctx, "plan a series", series+` button[type=submit]`)
	if notice := text(t, ctx, `.notice`); !strings.HasPrefix(notice, "9 utkast skapade") {
		t.Errorf("notice %q, want 9 Tuesdays", notice)
	}
	a.axe(t, ctx, "plan with drafts")
	a.submit(t, ctx, "publish", `#publish button`)
	if notice := text(t, ctx, `.notice`); notice != "10 besök publicerade." {
		t.Errorf("notice %q", notice)
	}
	a.axe(t, ctx, "plan with coming stops")
	stops, _, err := a.db.FindStops(context.Background(), lofte.StopFilter{PromiseID: p26.ID})
	if err != nil || len(stops) != 10 {
		t.Fatalf("%d stops: %v", len(stops), err)
	}
	today := stops[0]
	if today.Place != "Bygdegården" || today.Status != lofte.StatusPublished {
		t.Fatalf("first stop %+v", today)
	}

	// A tablet paired in a browser of its own offers today's stop.
	run(t, ctx, "devices", chromedp.Navigate(a.url+"/kiosk/devices"), chromedp.WaitVisible(`form[action="/kiosk/devices/pairing"]`, chromedp.ByQuery))
	a.submit(t, ctx, "Skapa parningskod", `form[action="/kiosk/devices/pairing"] button[type=submit]`)
	code := text(t, ctx, `#pairing-code`)
	a.axe(t, ctx, "devices with a pairing code")
	tablet := a.person(t)
	run(t, tablet, "the tablet opens the pairing page", chromedp.Navigate(a.url+"/kiosk/pair"), chromedp.WaitVisible(`#code`, chromedp.ByID))
	a.axe(t, tablet, "pair")
	run(t, tablet, "type the code", chromedp.SendKeys(`#code`, code, chromedp.ByID))
	a.submit(t, tablet, "Para ihop", `form[action="/kiosk/pair"] button[type=submit]`)
	run(t, tablet, "today's stop offered", chromedp.WaitVisible(fmt.Sprintf(`[data-stop="%d"]`, today.ID), chromedp.ByQuery),
		chromedp.Click(fmt.Sprintf(`[data-stop="%d"]`, today.ID), chromedp.ByQuery), chromedp.WaitVisible(`#start`, chromedp.ByID))
	a.axe(t, tablet, "kiosk welcome")

	// People: an officer and a council member, each with a one-time password.
	run(t, ctx, "users", chromedp.Navigate(a.url+"/users"), chromedp.WaitVisible(`form[action="/users"]`, chromedp.ByQuery))
	oneTime := map[string]string{}
	for _, u := range []struct{ name, role string }{{"per", "officer"}, {"lisa", "council"}} {
		run(t, ctx, "invite "+u.name, chromedp.SendKeys(`#name`, u.name, chromedp.ByID), chromedp.SetValue(`#role`, u.role, chromedp.ByID))
		a.submit(t, ctx, "invite "+u.name, `form[action="/users"] button[type=submit]`)
		oneTime[u.name] = text(t, ctx, `#one-time-password`)
	}
	a.axe(t, ctx, "users")

	// A token made for a script, then revoked.
	run(t, ctx, "tokens", chromedp.Navigate(a.url+"/tokens"), chromedp.WaitVisible(`form[action="/tokens"]`, chromedp.ByQuery),
		chromedp.SendKeys(`#name`, "gammalt-skript", chromedp.ByID), chromedp.SetValue(`#role`, "council", chromedp.ByID))
	a.submit(t, ctx, "create a token", `form[action="/tokens"] button[type=submit]`)
	var tokenID string
	run(t, ctx, "the new token's row", chromedp.Evaluate(`Array.from(document.querySelectorAll("#tokens tbody tr")).
		find(tr => tr.cells[0].textContent === "gammalt-skript").dataset.token`, &tokenID))
	tokenRow := `#tokens tr[data-token="` + tokenID + `"]`
	run(t, ctx, "open the revocation", chromedp.Click(tokenRow+` summary`, chromedp.ByQuery))
	a.axe(t, ctx, "tokens, revocation open")
	a.submit(t, ctx, "revoke", tokenRow+` form button[type=submit]`)
	var left int
	run(t, ctx, "after revoking", chromedp.Evaluate(`document.querySelectorAll('#tokens tr[data-token="`+tokenID+`"]').length`, &left))
	if left != 0 {
		t.Errorf("the revoked token is still listed")
	}

	// The officer chooses a password, lands on the field log and logs today's stop.
	officer := a.person(t)
	if where := a.choosePassword(t, officer, "per", oneTime["per"], "pers egen långa mening"); !strings.HasSuffix(where, "/field") {
		t.Errorf("the officer landed on %s, want the field log", where)
	}
	a.axe(t, officer, "field log")
	a.submit(t, officer, "today's stop", fmt.Sprintf(`a[href="/field/%d"]`, today.ID))
	run(t, officer, "log the stop", chromedp.Click(`input[name=status][value=held]`, chromedp.ByQuery),
		chromedp.SetValue(`#staff`, "2", chromedp.ByID), chromedp.SetValue(`#visitors`, "14", chromedp.ByID),
		chromedp.SendKeys(`#notes`, "Många frågade om inbrott", chromedp.ByID))
	a.axe(t, officer, "a stop's field log")
	// Before the stop has begun it cannot be logged as held; the form keeps what was typed.
	run(t, officer, "save too early", chromedp.Click(fmt.Sprintf(`form[action="/field/%d"] button[type=submit]`, today.ID), chromedp.ByQuery))
	if e := text(t, officer, `p.error`); !strings.Contains(e, "först när det har börjat") {
		t.Errorf("saving a coming stop as held: %q", e)
	}
	var notes, staff string
	run(t, officer, "the form kept", chromedp.Value(`#notes`, &notes, chromedp.ByID), chromedp.Value(`#staff`, &staff, chromedp.ByID))
	if notes != "Många frågade om inbrott" || staff != "2" {
		t.Errorf("after the refusal the form holds notes %q, staff %q", notes, staff)
	}
	// The afternoon passes: at half past four the stop is over and is logged.
	a.clock.jump(7*time.Hour + 30*time.Minute)
	a.submit(t, officer, "save the field log", fmt.Sprintf(`form[action="/field/%d"] button[type=submit]`, today.ID))
	text(t, officer, `p.notice`)
	logged, err := a.db.FindStopByID(context.Background(), today.ID)
	if err != nil || logged.Status != lofte.StatusHeld || logged.Visitors != 14 || logged.Notes != "Många frågade om inbrott" {
		t.Errorf("logged stop %+v %v", logged, err)
	}

	// The council member chooses a password and lands on the dashboard.
	council := a.person(t)
	if where := a.choosePassword(t, council, "lisa", oneTime["lisa"], "lisas egen långa mening"); !strings.HasSuffix(where, "/dashboard") {
		t.Errorf("the council member landed on %s, want the dashboard", where)
	}

	// The chief sees all of it in the audit log.
	run(t, ctx, "audit", chromedp.Navigate(a.url+"/audit"), chromedp.WaitVisible(`#audit`, chromedp.ByID))
	var labels []string
	run(t, ctx, "audit rows", chromedp.Evaluate(`Array.from(document.querySelectorAll("#audit tbody tr")).map(tr => tr.cells[2].textContent)`, &labels))
	seen := strings.Join(labels, "|")
	for _, action := range []string{"promise.create", "basort.create", "promise.activate", "stop.create", "stop.publish", "kiosk.pairing_code",
		"kiosk.pair", "user.create", "token.create", "token.revoke", "user.password", "stop.field_log"} {
		if !strings.Contains(seen, lofte.AuditActionLabel(action)) {
			t.Errorf("the audit log's first page has no %q (%s)", lofte.AuditActionLabel(action), action)
		}
	}
	a.axe(t, ctx, "audit log")
	a.shot(t, ctx, "service-audit")
}

// TestWalkCopyAndCompare is the other half of putting it into service: with the demo year, the
// chief copies 2018 into 2019 from the promises page; a council member then chooses 2019 on
// the dashboard, compares it with 2018 ("Jämför med") and downloads the workbook with the
// comparison, which holds the sheet Jämförelse.
func TestWalkCopyAndCompare(t *testing.T) {
	a := startApp(t)
	sqlitetest.MustFillDemo(t, a.db, a.p)
	ctx := a.browser(t)
	a.loginTo(t, ctx, "chefen", lofte.RoleAdmin, "/promises", "#promises")
	copyForm := fmt.Sprintf(`form[action="/promises/%d/copy"]`, a.p.ID)
	run(t, ctx, "open Kopiera till nästa år", chromedp.Click(fmt.Sprintf(`details:has(%s) > summary`, copyForm), chromedp.ByQuery),
		chromedp.WaitVisible(copyForm+` button`, chromedp.ByQuery))
	var from, to string
	run(t, ctx, "the copy's period", chromedp.Value(copyForm+` [name=from]`, &from, chromedp.ByQuery),
		chromedp.Value(copyForm+` [name=to]`, &to, chromedp.ByQuery))
	if from != "2019-01-01" || to != "2019-12-31" {
		t.Errorf("the copy is offered for %s – %s, want 2019", from, to)
	}
	a.axe(t, ctx, "promises, with the copy form open")
	a.submit(t, ctx, "Kopiera", copyForm+` button[type=submit]`)
	if notice := text(t, ctx, `.notice`); !strings.HasPrefix(notice, "Kopian ”Medborgarlöfte Kristianstads kommun 2019” är skapad") {
		t.Errorf("notice %q", notice)
	}
	ps, err := a.db.FindPromises(context.Background())
	if err != nil || len(ps) != 2 || ps[0].Period.From.Year != 2019 {
		t.Fatalf("promises after the copy: %v %v", ps, err)
	}
	p19 := ps[0]
	ls18, _ := a.db.FindLocalities(context.Background(), a.p.ID)
	ls19, _ := a.db.FindLocalities(context.Background(), p19.ID)
	if len(ls19) != len(ls18) {
		t.Errorf("the copy has %d places, 2018 %d", len(ls19), len(ls18))
	}

	// The council, who has no list of promises, chooses 2019 on the dashboard (2018 is still
	// the active one) and compares it with 2018.
	council := a.browser(t)
	a.loginTo(t, council, "lisa", lofte.RoleCouncil, "/dashboard", "#outcome-service")
	run(t, council, "choose 2019", chromedp.SetValue(`#promise`, strconv.FormatInt(p19.ID, 10), chromedp.ByID))
	a.submit(t, council, "Visa löftet", `form.choose-promise button[type=submit]`)
	if scope := text(t, council, `#scope`); !strings.Contains(scope, "2019-01 – 2019-12") {
		t.Errorf("the dashboard after choosing 2019 shows %q", scope)
	}
	run(t, council, "compare with 2018", chromedp.SetValue(`#compare`, strconv.FormatInt(a.p.ID, 10), chromedp.ByID))
	a.submit(t, council, "Visa", `form.filters button[type=submit]`)
	var then string
	run(t, council, "compared", chromedp.WaitVisible(`#compare-table`, chromedp.ByID),
		chromedp.Text(`#compare-table thead th:nth-child(2)`, &then, chromedp.ByQuery))
	if !strings.Contains(then, "2018") {
		t.Errorf("the comparison's earlier column is %q", then)
	}
	var trust []string
	run(t, council, "trust row", chromedp.Evaluate(`Array.from(document.querySelector("#cmp-trust_high").cells).map(c => c.textContent)`, &trust))
	if len(trust) != 4 || !strings.Contains(trust[1], "%") {
		t.Errorf("trust compared: %q, want 2018's figure", trust)
	}
	a.axe(t, council, "the dashboard compared with 2018")
	a.shot(t, council, "dashboard-2019-compared")

	var link string
	run(t, council, "report link", chromedp.AttributeValue(`#report-link`, "href", &link, nil, chromedp.ByID))
	if !strings.Contains(link, fmt.Sprintf("compare=%d", a.p.ID)) {
		t.Fatalf("report link %q lacks the comparison", link)
	}
	var b64 string
	run(t, council, "download the workbook", chromedp.Evaluate(`fetch(`+strconv.Quote(link)+`, {credentials: "same-origin"}).
		then(r => { if (!r.ok) throw new Error("status " + r.status); return r.arrayBuffer(); }).
		then(b => { let s = ""; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s); })`, &b64,
		func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	body, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer f.Close()
	if !slices.Contains(f.GetSheetList(), report.SheetCompare) {
		t.Fatalf("sheets %q, want %s", f.GetSheetList(), report.SheetCompare)
	}
	title, err := f.GetCellValue(report.SheetCompare, "A1")
	if err != nil || !strings.Contains(title, "2018") {
		t.Errorf("Jämförelse A1 %q %v", title, err)
	}
}
