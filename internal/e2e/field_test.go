package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
)

// TestOfficerCounterOnAPhone logs in as an officer on a phone-sized screen and taps
// "+1 besökare": every tap is on the server at once, the form's correction states the count
// it would replace, and saving the form keeps taps made on another phone meanwhile.
func TestOfficerCounterOnAPhone(t *testing.T) {
	a := startApp(t)
	ctx := a.browser(t)
	hash, err := auth.HashPassword("ett långt lösenord")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.db.CreateUser(context.Background(), &lofte.User{Name: "per", Role: lofte.RoleOfficer, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(lofte.Zone)
	pub := now.AddDate(0, 0, -10)
	st := &lofte.Stop{PromiseID: a.p.ID, Basort: "Degeberga", Place: "Torget", StartsAt: now.Add(-time.Hour), EndsAt: now.Add(2 * time.Hour),
		Kind: lofte.KindRegular, Status: lofte.StatusPublished, PublishedAt: &pub}
	if err := a.db.CreateStop(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	var count string
	run(t, ctx, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3), chromedp.EmulateMobile))
	run(t, ctx, "login page", chromedp.Navigate(a.url+"/login"), chromedp.WaitVisible(`#name`, chromedp.ByID))
	run(t, ctx, "log in",
		chromedp.SendKeys(`#name`, "per", chromedp.ByID),
		chromedp.SendKeys(`#password`, "ett långt lösenord", chromedp.ByID),
		chromedp.Click(`form.stack button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.who span`, chromedp.ByQuery))
	run(t, ctx, "field log",
		chromedp.Navigate(a.url+"/field"),
		chromedp.Click(fmt.Sprintf(`a[href="/field/%d"]`, st.ID), chromedp.ByQuery),
		chromedp.WaitVisible(`#plus-one`, chromedp.ByID),
	)
	a.shot(t, ctx, "field-phone")
	for range 5 {
		run(t, ctx, "+1", chromedp.Click(`#plus-one`, chromedp.ByID))
	}
	run(t, ctx, "−1", chromedp.Click(`#minus-one`, chromedp.ByID))
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		run(t, ctx, "read", chromedp.Text(`#visitor-count`, &count, chromedp.ByID))
		got, _ := a.db.FindStopByID(context.Background(), st.ID)
		if count == "4" && got.Visitors == 4 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	got, _ := a.db.FindStopByID(context.Background(), st.ID)
	if count != "4" || got.Visitors != 4 {
		t.Fatalf("page shows %q, server holds %d, want 4 after five taps and one undo", count, got.Visitors)
	}
	// The form has no count of its own to write back: its correction field stays empty and
	// states the count it would replace, which follows the counter.
	var correction, from, shown string
	run(t, ctx, "form",
		chromedp.Value(`#visitors`, &correction, chromedp.ByID),
		chromedp.Value(`#visitors_from`, &from, chromedp.ByID),
		chromedp.Text(`#visitors-from-shown`, &shown, chromedp.ByID))
	if correction != "" || from != "4" || shown != "4" {
		t.Errorf("the form: correction %q, replacing %q (shown %q), want empty replacing 4", correction, from, shown)
	}
	// A colleague's phone taps twice while this one types its notes; saving keeps the taps.
	if _, err := a.db.AddVisitors(context.Background(), st.ID, 2); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "save the notes",
		chromedp.SendKeys(`#notes`, "Lugnt vid torget", chromedp.ByID),
		chromedp.Click(fmt.Sprintf(`form[action="/field/%d"] button[type=submit]`, st.ID), chromedp.ByQuery),
		chromedp.WaitVisible(`p.notice`, chromedp.ByQuery))
	got, _ = a.db.FindStopByID(context.Background(), st.ID)
	if got.Visitors != 6 || got.Notes != "Lugnt vid torget" {
		t.Errorf("after saving: %d visitors, notes %q; want the 6 tapped kept", got.Visitors, got.Notes)
	}
	var width int
	run(t, ctx, "width", chromedp.Evaluate(`document.getElementById("plus-one").getBoundingClientRect().width`, &width))
	if width < 300 {
		t.Errorf("the +1 button is %d px wide on a 390 px phone", width)
	}
}
