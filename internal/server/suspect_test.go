package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
)

// answeredAt is an answer's time on the device's clock.
func answeredAt(t time.Time) string { return t.Format(time.RFC3339) }

// postAnswers sends answers as one kiosk request, failing the test unless it is stored.
func (e *env) postAnswers(items ...string) {
	e.t.Helper()
	body := batchJSON(items...)
	if len(items) == 1 {
		body = items[0]
	}
	if status, _, b := e.do(http.MethodPost, "/api/v1/responses", lofte.RoleKiosk, body); status != 201 && status != 200 {
		e.t.Fatalf("answers not stored: %d %s", status, b)
	}
}

// stored returns every stored response of the promise by id.
func (e *env) stored() map[string]*lofte.Response {
	e.t.Helper()
	out := map[string]*lofte.Response{}
	f := lofte.ResponseFilter{PromiseID: e.p.ID, Limit: 1000}
	for {
		rs, next, err := e.db.FindResponses(context.Background(), f)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, r := range rs {
			out[r.ID] = r
		}
		if next == "" {
			return out
		}
		f.After = next
	}
}

// checkTally compares a stop's tally, key sums included, with one recomputed from its stored
// responses by the rule the store counts by: every response under "*", an option under its
// code, a scale under its number, several options under "*" and each, a comment under "*".
func (e *env) checkTally(stopID int64) *lofte.Tally {
	e.t.Helper()
	want := &lofte.Tally{StopID: stopID, Options: map[string]map[string]int{}, OptionKeys: map[string]map[string]uint32{}}
	add := func(item, option string, key uint32) {
		if want.Options[item] == nil {
			want.Options[item], want.OptionKeys[item] = map[string]int{}, map[string]uint32{}
		}
		want.Options[item][option]++
		want.OptionKeys[item][option] += key
	}
	for _, r := range e.stored() {
		if r.StopID != stopID {
			continue
		}
		if r.Suspect {
			want.Suspect++
			continue
		}
		want.Responses++
		want.ResponsesKey += r.RecordKey
		for item, v := range r.Answers {
			switch v := v.(type) {
			case string:
				if item == lofte.CommentItem {
					v = "*"
				}
				add(item, v, r.RecordKey)
			case int:
				add(item, strconv.Itoa(v), r.RecordKey)
			case []string:
				add(item, "*", r.RecordKey)
				for _, o := range v {
					add(item, o, r.RecordKey)
				}
			}
		}
	}
	ts, err := e.db.FindTallies(context.Background(), []int64{stopID})
	if err != nil {
		e.t.Fatal(err)
	}
	got := &lofte.Tally{StopID: stopID, Options: map[string]map[string]int{}, OptionKeys: map[string]map[string]uint32{}}
	if len(ts) == 1 {
		got = ts[0]
	}
	if d := cmp.Diff(want, got); d != "" {
		e.t.Errorf("tally of stop %d against its rows (-recomputed +stored)\n%s", stopID, d)
	}
	return got
}

// figures returns the survey figures of a basort over February 2018, suspect count left out.
func (e *env) figures(basort string) map[string]json.RawMessage {
	e.t.Helper()
	status, _, b := e.do(http.MethodGet, "/api/v1/metrics?from=2018-02-01&to=2018-02-28&basort="+url.QueryEscape(basort), lofte.RoleCouncil, "")
	if status != 200 {
		e.t.Fatalf("metrics: %d %s", status, b)
	}
	var res struct {
		Total struct{ Metrics map[string]json.RawMessage }
	}
	if err := json.Unmarshal(b, &res); err != nil {
		e.t.Fatal(err)
	}
	delete(res.Total.Metrics, "suspect")
	return res.Total.Metrics
}

// genuine stores n answers at stop st through the store, as a kiosk long gone sent them:
// spread over the stop's hours, trust mostly high.
func (e *env) genuine(st *lofte.Stop, n int) {
	e.t.Helper()
	trust := []string{"very_high", "fairly_high", "fairly_high", "neither", "fairly_low"}
	rs := make([]*lofte.Response, n)
	for i := range rs {
		at := st.StartsAt.Add(time.Duration(i*5) * time.Minute)
		rs[i] = &lofte.Response{ID: fmt.Sprintf("0a0a0a0a-0000-4000-8000-%012d", i), StopID: st.ID, Lang: "sv",
			Date: lofte.LocalDate(at), Hour: at.In(lofte.Zone).Hour(),
			Answers: lofte.Answers{"trust": trust[i%len(trust)], "satisfaction": 1 + i%5, "problems": []string{"traffic"}}}
	}
	if _, err := e.db.CreateResponses(context.Background(), rs); err != nil {
		e.t.Fatal(err)
	}
}

// TestBackdatedAnswersAreSetAside: one kiosk token sends 300 answers dated to a stop weeks
// past, all of the lowest trust. Whether sent a second apart during the stop's hours or a
// minute apart in its evening, every one is set aside, and the stop's figures do not move.
func TestBackdatedAnswersAreSetAside(t *testing.T) {
	tests := []struct {
		name   string
		start  string
		step   time.Duration
		reason lofte.SuspectReason
	}{
		{"a second apart during the stop", "2018-02-07 10:30", time.Second, lofte.ReasonTooFast},
		{"a minute apart in the evening", "2018-02-07 18:00", time.Minute, lofte.ReasonOutsideHours},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			st := mustStop(t, e, "Tollarp", "2018-02-07 10:00", lofte.StatusHeld)
			e.genuine(st, 30)
			before := e.figures("Tollarp")
			if before["trust_high"] == nil || strings.Contains(string(before["trust_high"]), `"suppressed":true`) {
				t.Fatalf("no trust figure to protect: %s", before["trust_high"])
			}
			start, _ := time.ParseInLocation("2006-01-02 15:04", tt.start, lofte.Zone)
			for batch := range 3 {
				var items []string
				for i := range 100 {
					n := batch*100 + i
					items = append(items, respJSON(n, st.ID, answeredAt(start.Add(time.Duration(n)*tt.step)), `{"trust":"very_low","satisfaction":1}`))
				}
				e.postAnswers(items...)
			}
			for id, r := range e.stored() {
				if strings.HasPrefix(id, "0a0a0a0a") {
					if r.Suspect {
						t.Errorf("genuine answer %s set aside", id)
					}
					continue
				}
				if !r.Suspect || !slicesContain(r.SuspectReasons, tt.reason) {
					t.Errorf("backdated answer %s: suspect %v, reasons %v", id, r.Suspect, r.SuspectReasons)
				}
			}
			if tally := e.checkTally(st.ID); tally.Suspect != 300 || tally.Responses != 30 {
				t.Errorf("tally: %d counted, %d set aside", tally.Responses, tally.Suspect)
			}
			if d := cmp.Diff(before, e.figures("Tollarp")); d != "" {
				t.Errorf("the figures moved (-before +after)\n%s", d)
			}
		})
	}
}

func slicesContain(rs []lofte.SuspectReason, r lofte.SuspectReason) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// TestTwoAnswersThreeSecondsApart: both are suspect, in one request or in two, whichever was
// sent first; the earlier one's counts move out of the figures with it.
func TestTwoAnswersThreeSecondsApart(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	at := time.Date(2018, 3, 14, 10, 22, 5, 0, lofte.Zone)
	answer := `{"trust":"fairly_high","satisfaction":4,"problems":["drugs","fraud"],"comment":"Bra"}`
	// In one request, the later sent first.
	e.postAnswers(respJSON(1, st.ID, answeredAt(at.Add(3*time.Second)), answer), respJSON(2, st.ID, answeredAt(at), answer))
	// In two requests: the first is stored as genuine, then set aside when the second comes.
	later := at.Add(10 * time.Minute)
	e.postAnswers(respJSON(3, st.ID, answeredAt(later), answer))
	if r := e.stored()[uuidN(3)]; r.Suspect {
		t.Fatalf("a lone answer is suspect: %+v", r)
	}
	if tally := e.checkTally(st.ID); tally.Responses != 1 || tally.Suspect != 2 {
		t.Errorf("tally before the second: %d counted, %d set aside", tally.Responses, tally.Suspect)
	}
	e.postAnswers(respJSON(4, st.ID, answeredAt(later.Add(3*time.Second)), answer))
	// A third far from both is not suspect, and resending one does not pair it with itself.
	e.postAnswers(respJSON(5, st.ID, answeredAt(later.Add(time.Minute)), answer))
	e.postAnswers(respJSON(5, st.ID, answeredAt(later.Add(time.Minute)), answer))
	got := map[string][]lofte.SuspectReason{}
	for id, r := range e.stored() {
		if r.Suspect {
			got[id] = r.SuspectReasons
		}
	}
	tooFast := []lofte.SuspectReason{lofte.ReasonTooFast}
	want := map[string][]lofte.SuspectReason{uuidN(1): tooFast, uuidN(2): tooFast, uuidN(3): tooFast, uuidN(4): tooFast}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("suspect answers (-want +got)\n%s", d)
	}
	if tally := e.checkTally(st.ID); tally.Responses != 1 || tally.Suspect != 4 {
		t.Errorf("tally: %d counted, %d set aside", tally.Responses, tally.Suspect)
	}
	// Another tablet's answer a second away is no pair: the rule is per device.
	other := &lofte.Token{Name: "kiosk-2", Role: lofte.RoleKiosk}
	plain, hash := auth.NewToken()
	other.Hash = hash
	if err := e.db.CreateToken(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	if status, _, b := e.do(http.MethodPost, "/api/v1/responses", "", respJSON(6, st.ID, answeredAt(later.Add(time.Minute+time.Second)), answer),
		"Authorization", "Bearer "+plain); status != 201 {
		t.Fatalf("%d %s", status, b)
	}
	if e.stored()[uuidN(6)].Suspect || e.stored()[uuidN(5)].Suspect {
		t.Error("answers of two tablets a second apart were set aside")
	}
}

// TestBacklogSyncedAtOnceIsNotSuspect: a tablet offline all day sends its 20 answers, 40–90 s
// apart on its clock, in one request, after a newer answer already went through.
func TestBacklogSyncedAtOnceIsNotSuspect(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	at := time.Date(2018, 3, 14, 10, 5, 0, 0, lofte.Zone)
	e.postAnswers(respJSON(100, st.ID, answeredAt(at.Add(2*time.Hour)), `{"trust":"neither"}`))
	rng := rand.New(rand.NewPCG(3, 4))
	var items []string
	for i := range 20 {
		items = append(items, respJSON(i, st.ID, answeredAt(at), `{"trust":"fairly_high"}`))
		at = at.Add(time.Duration(40+rng.IntN(51)) * time.Second)
	}
	e.postAnswers(items...)
	e.postAnswers(items[:5]...) // a retry of part of it
	for id, r := range e.stored() {
		if r.Suspect {
			t.Errorf("%s is suspect (%v)", id, r.SuspectReasons)
		}
	}
	if tally := e.checkTally(st.ID); tally.Responses != 21 || tally.Suspect != 0 {
		t.Errorf("tally: %d counted, %d set aside", tally.Responses, tally.Suspect)
	}
}

// suspectList is GET /api/v1/stops/:id/suspect.
func (e *env) suspectList(stopID int64, who lofte.Role) (int, []lofte.SuspectAnswer) {
	e.t.Helper()
	status, _, b := e.do(http.MethodGet, fmt.Sprintf("/api/v1/stops/%d/suspect", stopID), who, "")
	var body struct{ Suspect []lofte.SuspectAnswer }
	if status == 200 {
		if err := json.Unmarshal(b, &body); err != nil {
			e.t.Fatal(err)
		}
	}
	return status, body.Suspect
}

func (e *env) review(stopID int64, id string, who lofte.Role, body string) (int, []byte) {
	e.t.Helper()
	status, _, b := e.do(http.MethodPost, fmt.Sprintf("/api/v1/stops/%d/suspect/%s", stopID, id), who, body)
	return status, b
}

// TestSuspectReview: officers list a stop's suspect answers, release one they know to be
// genuine into the figures and confirm another stays out; counts and key sums stay equal to a
// recount of the rows, and each decision is in the audit log. Only the police side may.
func TestSuspectReview(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	other := mustStop(t, e, "Åhus", "2018-03-15 10:00", lofte.StatusHeld)
	at := time.Date(2018, 3, 14, 10, 22, 5, 0, lofte.Zone)
	e.postAnswers(
		respJSON(1, st.ID, answeredAt(at), `{"trust":"very_high","satisfaction":5,"problems":["drugs"],"comment":"Tack 0701234567"}`),
		respJSON(2, st.ID, answeredAt(at.Add(2*time.Second)), `{"trust":"very_low","reason":"curious"}`),
		respJSON(3, st.ID, answeredAt(at.Add(10*time.Minute)), `{"trust":"fairly_high"}`),
		respJSON(4, st.ID, answeredAt(at.Add(12*time.Hour)), `{"safety":"very_safe","comment":"Hej"}`))
	// The comment of answer 1 is approved; answer 4's is not.
	if _, err := e.db.ReviewComment(context.Background(), uuidN(1), lofte.CommentReview{Status: lofte.CommentApproved, By: "polis", At: now}); err != nil {
		t.Fatal(err)
	}
	e.checkTally(st.ID)

	status, list := e.suspectList(st.ID, lofte.RoleOfficer)
	if status != 200 {
		t.Fatalf("list: %d", status)
	}
	got := map[string]lofte.SuspectAnswer{}
	for _, a := range list {
		got[a.ResponseID] = a
	}
	want := map[string]lofte.SuspectAnswer{
		uuidN(1): {ResponseID: uuidN(1), StopID: st.ID, Date: lofte.LocalDate(at), Hour: 10, Lang: "sv",
			Reasons: []lofte.SuspectReason{lofte.ReasonTooFast}, Suspect: true, Answered: 4, Comment: "Tack [borttaget]"},
		uuidN(2): {ResponseID: uuidN(2), StopID: st.ID, Date: lofte.LocalDate(at), Hour: 10, Lang: "sv",
			Reasons: []lofte.SuspectReason{lofte.ReasonTooFast}, Suspect: true, Answered: 2},
		uuidN(4): {ResponseID: uuidN(4), StopID: st.ID, Date: lofte.LocalDate(at), Hour: 22, Lang: "sv",
			Reasons: []lofte.SuspectReason{lofte.ReasonOutsideHours}, Suspect: true, Answered: 2},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("suspect list (-want +got)\n%s", d)
	}
	if strings.Contains(fmt.Sprint(list), "Hej") {
		t.Error("an unapproved comment is listed")
	}

	for _, tt := range []struct {
		name, id, body string
		who            lofte.Role
		status         int
		field          string
	}{
		{"the council may not", uuidN(1), `{"action":"release"}`, lofte.RoleCouncil, 403, ""},
		{"a kiosk may not", uuidN(1), `{"action":"release"}`, lofte.RoleKiosk, 403, ""},
		{"nobody may not", uuidN(1), `{"action":"release"}`, "", 401, ""},
		{"unknown action", uuidN(1), `{"action":"delete"}`, lofte.RoleOfficer, 400, "action"},
		{"unknown field", uuidN(1), `{"action":"release","why":"x"}`, lofte.RoleOfficer, 400, "why"},
		{"an answer not set aside", uuidN(3), `{"action":"release"}`, lofte.RoleOfficer, 404, ""},
		{"an unknown answer", uuidN(99), `{"action":"release"}`, lofte.RoleOfficer, 404, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, b := e.review(st.ID, tt.id, tt.who, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, b)
			}
			if tt.field != "" && apiError(t, b).Field != tt.field {
				t.Errorf("field %q, want %q", apiError(t, b).Field, tt.field)
			}
		})
	}
	if status, b := e.review(other.ID, uuidN(1), lofte.RoleOfficer, `{"action":"release"}`); status != 404 {
		t.Errorf("an answer of another stop: %d %s", status, b)
	}
	if status, _ := e.suspectList(st.ID, lofte.RoleCouncil); status != 403 {
		t.Errorf("the council lists suspect answers: %d", status)
	}
	if status, _ := e.suspectList(9999, lofte.RoleOfficer); status != 404 {
		t.Errorf("an unknown stop: %d", status)
	}
	if tally := e.checkTally(st.ID); tally.Responses != 1 || tally.Suspect != 3 {
		t.Fatalf("a refused review changed the tally: %+v", tally)
	}
	if es, _ := e.db.FindAudit(context.Background(), lofte.AuditFilter{}); len(es) != 0 {
		t.Fatalf("a refused review was audited: %+v", es)
	}

	// Release answer 1: its counts move into the figures, exactly.
	status, b := e.review(st.ID, strings.ToUpper(uuidN(1)), lofte.RoleOfficer, `{"action":"release"}`)
	if status != 200 {
		t.Fatalf("release: %d %s", status, b)
	}
	var res struct{ Suspect lofte.SuspectAnswer }
	json.Unmarshal(b, &res)
	if res.Suspect.Suspect || res.Suspect.Decision != lofte.DecisionRelease || len(res.Suspect.Reasons) != 1 {
		t.Errorf("released: %+v", res.Suspect)
	}
	tally := e.checkTally(st.ID)
	if tally.Responses != 2 || tally.Suspect != 2 || tally.Options["trust"]["very_high"] != 1 || tally.Options["problems"]["drugs"] != 1 {
		t.Errorf("after the release: %+v", tally)
	}
	// Confirm answer 2: it stays out. Admins may review too.
	if status, b := e.review(st.ID, uuidN(2), lofte.RoleAdmin, `{"action":"confirm"}`); status != 200 {
		t.Fatalf("confirm: %d %s", status, b)
	}
	if tally := e.checkTally(st.ID); tally.Responses != 2 || tally.Suspect != 2 || tally.Options["trust"]["very_low"] != 0 {
		t.Errorf("after the confirmation: %+v", tally)
	}
	// Answer 4 released and then, on second thoughts, confirmed: out again, counts as before.
	e.review(st.ID, uuidN(4), lofte.RoleOfficer, `{"action":"release"}`)
	if tally := e.checkTally(st.ID); tally.Responses != 3 || tally.Options["safety"]["very_safe"] != 1 {
		t.Errorf("after releasing answer 4: %+v", tally)
	}
	e.review(st.ID, uuidN(4), lofte.RoleOfficer, `{"action":"confirm"}`)
	if tally := e.checkTally(st.ID); tally.Responses != 2 || tally.Suspect != 2 || tally.Options["safety"] != nil {
		t.Errorf("after confirming answer 4: %+v", tally)
	}
	// Released, the comment of answer 1 goes to moderation like any other; the list keeps
	// the reviewed answers with their decisions.
	_, list = e.suspectList(st.ID, lofte.RoleOfficer)
	decided := map[string]lofte.SuspectDecision{}
	for _, a := range list {
		decided[a.ResponseID] = a.Decision
	}
	if d := cmp.Diff(map[string]lofte.SuspectDecision{uuidN(1): "release", uuidN(2): "confirm", uuidN(4): "confirm"}, decided); d != "" {
		t.Errorf("decisions (-want +got)\n%s", d)
	}

	es, err := e.db.FindAudit(context.Background(), lofte.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var entries []string
	for _, a := range es {
		if !a.At.Equal(now) {
			t.Errorf("entry %d at %v, want %v", a.ID, a.At, now)
		}
		entries = append(entries, a.Actor+" "+a.Action+" "+a.Object)
	}
	wantEntries := []string{
		"officer-test suspect.confirm response:" + uuidN(4),
		"officer-test suspect.release response:" + uuidN(4),
		"admin-test suspect.confirm response:" + uuidN(2),
		"officer-test suspect.release response:" + uuidN(1),
	}
	if d := cmp.Diff(wantEntries, entries); d != "" {
		t.Errorf("audit log, newest first (-want +got)\n%s", d)
	}
	if es, _ := e.db.FindAudit(context.Background(), lofte.AuditFilter{Object: lofte.AuditResponse(uuidN(4))}); len(es) != 2 {
		t.Errorf("audit of answer 4: %d entries", len(es))
	}
}

// TestFieldPageReviewsSuspectAnswers: the field page lists a stop's suspect answers with
// their hour, language and reason, never an answer's text, and its buttons release or
// confirm them.
func TestFieldPageReviewsSuspectAnswers(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	e.postAnswers(respJSON(1, st.ID, "2018-03-14T21:10:00+01:00", `{"trust":"very_low","comment":"Hemligt"}`))
	path := fmt.Sprintf("/field/%d", st.ID)
	status, _, b := e.do(http.MethodGet, path, lofte.RoleOfficer, "")
	if status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	doc, err := html.Parse(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	row := withAttr(doc, "data-response", uuidN(1))
	if row == nil {
		t.Fatalf("no row for the suspect answer: %s", b)
	}
	txt := text(row)
	for _, want := range []string{"2018-03-14 kl. 21.00–21.59", "sv", "utanför öppettiden", "Ej granskad", "Släpp", "Bekräfta"} {
		if !strings.Contains(txt, want) {
			t.Errorf("row %q lacks %q", txt, want)
		}
	}
	if strings.Contains(string(b), "Hemligt") || strings.Contains(string(b), "very_low") {
		t.Error("the field page shows what the visitor answered")
	}
	form := url.Values{"action": {"release"}}.Encode()
	status, h, b := e.do(http.MethodPost, path+"/suspect/"+uuidN(1), lofte.RoleOfficer, form, formCT...)
	if status != http.StatusSeeOther || h.Get("Location") != path+"#satta-at-sidan" {
		t.Fatalf("release: %d %q %s", status, h.Get("Location"), b)
	}
	if e.stored()[uuidN(1)].Suspect {
		t.Error("the released answer is still set aside")
	}
	e.checkTally(st.ID)
	if status, _, _ := e.do(http.MethodPost, path+"/suspect/"+uuidN(1), lofte.RoleCouncil, form, formCT...); status != 403 {
		t.Errorf("the council reviews: %d", status)
	}
}

// withAttr finds the first node whose attribute key has the value val.
func withAttr(doc *html.Node, key, val string) *html.Node {
	return findNode(doc, func(n *html.Node) bool { v, ok := attr(n, key); return ok && v == val })
}

func findNode(n *html.Node, pred func(*html.Node) bool) *html.Node {
	if pred(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findNode(c, pred); f != nil {
			return f
		}
	}
	return nil
}

// clock is a test clock safe to move between requests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// TestKioskTokenExpiresUnused: a kiosk token works while used at least every 30 days, its
// use recorded once an hour; unused for 31 days it gets 401 with the way back, by bearer
// token and by the tablet's cookie alike.
func TestKioskTokenExpiresUnused(t *testing.T) {
	clk := &clock{t: now}
	e := newEnv(t, func(c *server.Config) { c.Now = clk.now })
	plain, hash := auth.NewToken()
	tok := &lofte.Token{Name: "Surfplatta", Role: lofte.RoleKiosk, Hash: hash}
	if err := e.db.CreateToken(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	e.tokens[lofte.RoleKiosk] = plain
	st := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	lastUsed := func() *time.Time {
		ts, err := e.db.FindTokens(context.Background(), lofte.RoleKiosk)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range ts {
			if x.ID == tok.ID {
				return x.LastUsedAt
			}
		}
		t.Fatal("token gone")
		return nil
	}
	send := func(i int) (int, []byte) {
		status, _, b := e.do(http.MethodPost, "/api/v1/responses", lofte.RoleKiosk, respJSON(i, st.ID, "2018-03-14T10:22:05+01:00", `{}`))
		return status, b
	}
	if status, b := send(1); status != 201 {
		t.Fatalf("%d %s", status, b)
	}
	if u := lastUsed(); u == nil || !u.Equal(now.Truncate(time.Hour)) {
		t.Errorf("last use %v, want %v", u, now.Truncate(time.Hour))
	}
	// Within the hour the use is not written again.
	clk.set(now.Add(40 * time.Minute))
	send(1)
	if u := lastUsed(); !u.Equal(now.Truncate(time.Hour)) {
		t.Errorf("last use rewritten within the hour: %v", u)
	}
	// Used again after 29 days, it lives another 30.
	day := 24 * time.Hour
	clk.set(now.Add(29 * day))
	if status, b := send(1); status != 200 {
		t.Fatalf("after 29 days: %d %s", status, b)
	}
	used := *lastUsed()
	if !used.Equal(now.Add(29 * day).Truncate(time.Hour)) {
		t.Errorf("last use %v after 29 days", used)
	}
	_, _, page := e.do(http.MethodGet, "/kiosk/devices", lofte.RoleOfficer, "")
	doc, _ := html.Parse(strings.NewReader(string(page)))
	row := withAttr(doc, "data-device", strconv.FormatInt(tok.ID, 10))
	if row == nil {
		t.Fatalf("the device is not listed: %s", page)
	}
	// Readable to people, exact to machines in each <time datetime>.
	expires := used.Add(lofte.KioskIdleLimit).In(lofte.Zone).Format(time.RFC3339)
	var stamps []string
	findNode(row, func(n *html.Node) bool {
		if v, ok := attr(n, "datetime"); ok && n.Data == "time" {
			stamps = append(stamps, v)
		}
		return false
	})
	if !slices.Contains(stamps, used.In(lofte.Zone).Format(time.RFC3339)) || !slices.Contains(stamps, expires) {
		t.Errorf("the devices page has times %q, want last use %v and expiry %s", stamps, used, expires)
	}
	if txt := text(row); !strings.Contains(txt, "8 apr 2018 13:00") || !strings.Contains(txt, "8 maj 2018 13:00") {
		t.Errorf("the devices page shows %q, want readable last use and expiry", txt)
	}

	// 31 days unused: refused, with the way back, by bearer and by cookie.
	clk.set(used.Add(31 * day))
	status, b := send(2)
	if status != 401 || !strings.Contains(apiError(t, b).Message, "para ihop") {
		t.Fatalf("after 31 days unused: %d %s", status, b)
	}
	cookie := "mlf_kiosk=" + plain
	status, _, b = e.do(http.MethodPost, "/api/v1/responses", "", respJSON(3, st.ID, "2018-03-14T10:22:05+01:00", `{}`), "Cookie", cookie)
	if status != 401 || !strings.Contains(apiError(t, b).Message, "para ihop") {
		t.Errorf("by cookie after 31 days: %d %s", status, b)
	}
	status, _, b = e.do(http.MethodGet, "/kiosk", "", "", "Cookie", cookie, "Accept", "text/html")
	if status != 401 || !strings.Contains(string(b), `href="/kiosk/pair"`) {
		t.Errorf("the kiosk page after 31 days: %d %s", status, b)
	}
	if status, _, _ := e.do(http.MethodGet, "/kiosk/pair", "", "", "Cookie", cookie, "Accept", "text/html"); status != 200 {
		t.Errorf("the expired tablet cannot open the pairing page: %d", status)
	}
	if _, ok := e.stored()[uuidN(2)]; ok {
		t.Error("an expired token's answer was stored")
	}
	_, _, page = e.do(http.MethodGet, "/kiosk/devices", lofte.RoleOfficer, "")
	if !strings.Contains(string(page), "Utgången") {
		t.Error("the devices page does not show the token expired")
	}
	// A script's token does not expire.
	if status, _, _ := e.do(http.MethodGet, "/api/v1/stops/1/suspect", lofte.RoleOfficer, ""); status == 401 {
		t.Error("an officer's token expired")
	}
}

// TestRecentAnswersForget: a device's answers are remembered a day after they arrived, the
// newest RecentMax of them, and a device gone quiet is forgotten by the hourly sweep.
func TestRecentAnswersForget(t *testing.T) {
	var r server.RecentAnswers
	at := func(i int) lofte.DeviceAnswer {
		return lofte.DeviceAnswer{ID: uuidN(i), At: now.Add(time.Duration(i) * time.Second)}
	}
	r.Remember(1, []lofte.DeviceAnswer{at(1), at(2)}, now)
	r.Remember(1, []lofte.DeviceAnswer{at(3)}, now.Add(time.Hour))
	r.Remember(2, []lofte.DeviceAnswer{at(4)}, now)
	if got := r.Recall(1, now.Add(24*time.Hour)); len(got) != 3 {
		t.Errorf("a day on: %d answers remembered, want 3", len(got))
	}
	if got := r.Recall(1, now.Add(24*time.Hour+time.Minute)); len(got) != 1 || got[0].ID != uuidN(3) {
		t.Errorf("a day and a minute on: %v, want the answer that arrived an hour later", got)
	}
	// Device 2 sent nothing more; the hourly sweep forgets it all the same.
	r.Sweep(now.Add(26 * time.Hour))
	if n := r.Held(2); n != 0 {
		t.Errorf("device 2 after 26 h: %d answers held", n)
	}
	flood := make([]lofte.DeviceAnswer, server.RecentMax+10)
	for i := range flood {
		flood[i] = at(i)
	}
	r.Remember(3, flood, now)
	if got := r.Recall(3, now); len(got) != server.RecentMax || got[0].ID != uuidN(10) {
		t.Errorf("after a flood: %d remembered, first %s", len(got), got[0].ID)
	}
}
