package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/net/html"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/survey"
)

// commentUUID is the id of the i-th response of the comment tests.
func commentUUID(i int) string { return fmt.Sprintf("c0441e47-0000-4000-8000-%012d", i) }

// commentFixture stores responses with comments and reviews some of them:
//
//   - Tollarp (a basort, 15 responses and a suspect one, so that its perturbed count is at
//     least 13 whatever the record keys): approved "Bra att ni kommer",
//     "Ändå bra" and "Åka buss" (edited from a longer text); rejected "Dumt"; pending
//     "Mer ljus i parken"; the suspect one's "Snabbt" is never listed;
//   - Åhus (a basort, 3 responses, perturbed at most 5): approved "Få poliser", too few
//     responses to be shown;
//   - Kristianstad (not a basort, 10 responses): approved "I stan", never shown to the council.
func commentFixture(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	tollarp := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	ahus := mustStop(t, e, "Åhus", "2018-04-11 10:00", lofte.StatusHeld)
	town := mustStopAtFormerBasort(t, e, "Kristianstad", "2018-03-15 10:00")
	var rs []*lofte.Response
	add := func(st *lofte.Stop, comment string, suspect bool) {
		a := lofte.Answers{"trust": "neither"}
		if comment != "" {
			a["comment"] = lofte.FreeText(comment)
		}
		rs = append(rs, &lofte.Response{ID: commentUUID(len(rs)), StopID: st.ID, Date: lofte.LocalDate(st.StartsAt), Hour: 11,
			Lang: "sv", Answers: a, Suspect: suspect})
	}
	for _, c := range []string{"Bra att ni kommer", "Ändå bra", "Åka buss till stationen är krångligt, Anna S", "Dumt",
		"Mer ljus i parken", "", "", "", "", ""} {
		add(tollarp, c, false)
	}
	add(tollarp, "Snabbt", true)
	for _, c := range []string{"Få poliser", "", ""} {
		add(ahus, c, false)
	}
	for i := range 10 {
		add(town, map[bool]string{true: "I stan"}[i == 0], false)
	}
	for range 5 {
		add(tollarp, "", false)
	}
	if _, err := e.db.CreateResponses(ctx, rs); err != nil {
		t.Fatal(err)
	}
	at := now.Add(-time.Hour).UTC()
	edited := "Åka buss"
	for i, r := range map[int]lofte.CommentReview{
		0:  {Status: lofte.CommentApproved, By: "polis-per", At: at},
		1:  {Status: lofte.CommentApproved, By: "polis-per", At: at},
		2:  {Status: lofte.CommentApproved, Text: &edited, By: "polis-per", At: at},
		3:  {Status: lofte.CommentRejected, By: "polis-per", At: at},
		11: {Status: lofte.CommentApproved, By: "polis-per", At: at},
		14: {Status: lofte.CommentApproved, By: "polis-per", At: at},
	} {
		if _, err := e.db.ReviewComment(ctx, commentUUID(i), r); err != nil {
			t.Fatal(err)
		}
	}
}

// allComments snapshots every comment, to show that a refused request changed nothing.
func allComments(t *testing.T, e *env) []*lofte.Comment {
	t.Helper()
	cs, err := e.db.FindComments(context.Background(), lofte.CommentFilter{PromiseID: e.p.ID})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestCommentList(t *testing.T) {
	e := newEnv(t)
	commentFixture(t, e)
	tests := []struct {
		name  string
		query string
		role  lofte.Role
		code  int
		err   lofte.ErrorCode
		want  []string // texts in order; for the council "basort: text"
	}{
		{"officer: pending by default", "", lofte.RoleOfficer, 200, "", []string{"Mer ljus i parken"}},
		{"admin: rejected", "?status=rejected", lofte.RoleAdmin, 200, "", []string{"Dumt"}},
		{"officer: approved, by date", "?status=approved", lofte.RoleOfficer, 200, "",
			[]string{"Bra att ni kommer", "Ändå bra", "Åka buss", "I stan", "Få poliser"}},
		{"officer: one basort", "?status=approved&basort=%C3%85hus", lofte.RoleOfficer, 200, "", []string{"Få poliser"}},
		{"officer: unknown status", "?status=all", lofte.RoleOfficer, 400, lofte.EINVALID, nil},
		{"officer: unknown basort", "?basort=Atlantis", lofte.RoleOfficer, 400, lofte.EINVALID, nil},
		{"council: approved, enough answers, basorter only, alphabetical", "", lofte.RoleCouncil, 200, "",
			[]string{"Tollarp: Bra att ni kommer", "Tollarp: Åka buss", "Tollarp: Ändå bra"}},
		{"council: asks for approved", "?status=approved", lofte.RoleCouncil, 200, "",
			[]string{"Tollarp: Bra att ni kommer", "Tollarp: Åka buss", "Tollarp: Ändå bra"}},
		{"council: a scope without Tollarp's stop", "?from=2018-04-01", lofte.RoleCouncil, 200, "", []string{}},
		{"council: pending", "?status=pending", lofte.RoleCouncil, 403, lofte.EFORBIDDEN, nil},
		{"council: rejected", "?status=rejected", lofte.RoleCouncil, 403, lofte.EFORBIDDEN, nil},
		{"kiosk", "", lofte.RoleKiosk, 403, lofte.EFORBIDDEN, nil},
		{"anonymous", "", "", 401, lofte.EUNAUTHORIZED, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, b := e.do(http.MethodGet, "/api/v1/comments"+tt.query, tt.role, "")
			if status != tt.code {
				t.Fatalf("status %d, want %d: %s", status, tt.code, b)
			}
			if tt.err != "" {
				if got := apiError(t, b).Code; got != tt.err {
					t.Errorf("error code %s, want %s", got, tt.err)
				}
				return
			}
			var body struct {
				Comments []map[string]any `json:"comments"`
			}
			if err := json.Unmarshal(b, &body); err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, c := range body.Comments {
				if tt.role == lofte.RoleCouncil {
					if len(c) != 2 {
						t.Errorf("the council sees more than basort and text: %v", c)
					}
					got = append(got, fmt.Sprint(c["basort"], ": ", c["text"]))
					continue
				}
				for _, field := range []string{"response_id", "stop_id", "date", "status", "reviewed_by", "reviewed_at"} {
					if _, ok := c[field]; !ok {
						t.Errorf("staff listing lacks %s: %v", field, c)
					}
				}
				got = append(got, fmt.Sprint(c["text"]))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("comments (-want +got)\n%s", diff)
			}
		})
	}
}

// councilComments lists what the council reads for query, as "basort: text".
func councilComments(t *testing.T, e *env, query string) []string {
	t.Helper()
	status, _, b := e.do(http.MethodGet, "/api/v1/comments"+query, lofte.RoleCouncil, "")
	var body struct{ Comments []publicCommentJSON }
	if err := json.Unmarshal(b, &body); err != nil || status != 200 {
		t.Fatalf("%s: %d %s", query, status, b)
	}
	out := []string{}
	for _, c := range body.Comments {
		out = append(out, c.Basort+": "+c.Text)
	}
	return out
}

type publicCommentJSON struct{ Basort, Text string }

// TestCommentsNeedPerturbedResponses: the council reads a basort's comments when the
// perturbed responses of its cell reach ten, the count every figure shows, not the true
// one. Responses are added one at a time to a basort's month (each with a fresh random
// record key) until the perturbed count and the true one disagree about the threshold,
// which happens for a third of the counts near it; the comment's fate follows the perturbed.
func TestCommentsNeedPerturbedResponses(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pt := metrics.DefaultPTable()
	ls, err := e.db.FindLocalities(ctx, e.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	seq := 0
	for _, m := range []int{1, 2, 3, 4, 5, 9, 10, 11} {
		for _, l := range ls {
			if !l.Basort {
				continue
			}
			st := mustStop(t, e, l.Name, fmt.Sprintf("2018-%02d-14 10:00", m), lofte.StatusHeld)
			first := ""
			for n := 1; n <= 11; n++ {
				r := &lofte.Response{ID: fmt.Sprintf("c0441e47-0000-4000-9000-%012d", seq), StopID: st.ID,
					Date: lofte.LocalDate(st.StartsAt), Hour: 11, Lang: "sv", Answers: lofte.Answers{"trust": "neither"}}
				seq++
				if first == "" {
					first = r.ID
					r.Answers["comment"] = lofte.FreeText("Synpunkt från " + l.Name)
				}
				if _, err := e.db.CreateResponses(ctx, []*lofte.Response{r}); err != nil {
					t.Fatal(err)
				}
				cell := e.surveyCells(2018, m, m, lofte.KindRegular)[l.Name]
				perturbed := pt.Perturb(cell)
				if (cell.N >= 10) == (perturbed >= 10) {
					continue
				}
				if _, err := e.db.ReviewComment(ctx, first, lofte.CommentReview{Status: lofte.CommentApproved, By: "polis-per", At: now}); err != nil {
					t.Fatal(err)
				}
				var want []string
				if perturbed >= 10 {
					want = []string{l.Name + ": Synpunkt från " + l.Name}
				}
				// Days inside the month: the count is the whole month's, as every figure's.
				q := fmt.Sprintf("?from=2018-%02d-10&to=2018-%02d-20&basort=%s", m, m, url.QueryEscape(l.Name))
				if diff := cmp.Diff(want, councilComments(t, e, q), cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("%s 2018-%02d, %d responses perturbed to %d: comments (-want +got)\n%s", l.Name, m, cell.N, perturbed, diff)
				}
				return
			}
		}
	}
	t.Fatal("no cell where the perturbed count and the true one disagree about the threshold")
}

// TestCommentsCountTheWholeMonth: a basort's comments in a few days of a month are shown
// when the whole month's responses reach the threshold, though the days alone have fewer.
func TestCommentsCountTheWholeMonth(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	early := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	late := mustStop(t, e, "Tollarp", "2018-03-28 10:00", lofte.StatusHeld)
	var rs []*lofte.Response
	for i := range 18 {
		st := late
		if i < 3 {
			st = early
		}
		r := &lofte.Response{ID: commentUUID(i), StopID: st.ID, Date: lofte.LocalDate(st.StartsAt), Hour: 11, Lang: "sv",
			Answers: lofte.Answers{"trust": "neither"}}
		if i == 0 {
			r.Answers["comment"] = lofte.FreeText("Bra besök")
		}
		rs = append(rs, r)
	}
	if _, err := e.db.CreateResponses(ctx, rs); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ReviewComment(ctx, commentUUID(0), lofte.CommentReview{Status: lofte.CommentApproved, By: "polis-per", At: now}); err != nil {
		t.Fatal(err)
	}
	// 3 responses in the days asked, 18 in March (perturbed 16–20).
	if diff := cmp.Diff([]string{"Tollarp: Bra besök"}, councilComments(t, e, "?from=2018-03-10&to=2018-03-20")); diff != "" {
		t.Errorf("comments (-want +got)\n%s", diff)
	}
}

func TestCommentReview(t *testing.T) {
	e := newEnv(t)
	commentFixture(t, e)
	pending := "/api/v1/comments/" + commentUUID(4)
	tests := []struct {
		name, path, body string
		role             lofte.Role
		code             int
		err              lofte.ErrorCode
		field            string
	}{
		{"anonymous", pending, `{"status":"approved"}`, "", 401, lofte.EUNAUTHORIZED, ""},
		{"kiosk", pending, `{"status":"approved"}`, lofte.RoleKiosk, 403, lofte.EFORBIDDEN, ""},
		{"council", pending, `{"status":"approved"}`, lofte.RoleCouncil, 403, lofte.EFORBIDDEN, ""},
		{"back to pending", pending, `{"status":"pending"}`, lofte.RoleOfficer, 400, lofte.EINVALID, "status"},
		{"no status", pending, `{}`, lofte.RoleOfficer, 400, lofte.EINVALID, "status"},
		{"unknown field", pending, `{"status":"approved","by":"x"}`, lofte.RoleOfficer, 400, lofte.EINVALID, "by"},
		{"edit and reject", pending, `{"status":"rejected","text":"x"}`, lofte.RoleOfficer, 400, lofte.EINVALID, "text"},
		{"empty edit", pending, `{"status":"approved","text":"  "}`, lofte.RoleOfficer, 400, lofte.EINVALID, "text"},
		{"edit too long", pending, `{"status":"approved","text":"` + strings.Repeat("ö", 501) + `"}`, lofte.RoleAdmin, 400, lofte.EINVALID, "text"},
		{"unknown response", "/api/v1/comments/" + commentUUID(99), `{"status":"approved"}`, lofte.RoleOfficer, 404, lofte.ENOTFOUND, ""},
		{"response without comment", "/api/v1/comments/" + commentUUID(6), `{"status":"approved"}`, lofte.RoleOfficer, 404, lofte.ENOTFOUND, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := allComments(t, e)
			status, _, b := e.do(http.MethodPatch, tt.path, tt.role, tt.body)
			if status != tt.code {
				t.Fatalf("status %d, want %d: %s", status, tt.code, b)
			}
			if got := apiError(t, b); got.Code != tt.err || got.Field != tt.field {
				t.Errorf("error %+v, want %s on %q", got, tt.err, tt.field)
			}
			if diff := cmp.Diff(before, allComments(t, e)); diff != "" {
				t.Errorf("a refused review changed comments (-before +after)\n%s", diff)
			}
		})
	}

	// An officer approves with an edit, which is redacted like the kiosk's comments.
	status, _, b := e.do(http.MethodPatch, "/api/v1/comments/"+strings.ToUpper(commentUUID(4)), lofte.RoleOfficer,
		`{"status":"approved","text":"Mer ljus i parken, ring 070-123 45 67"}`)
	if status != 200 {
		t.Fatalf("approve: %d %s", status, b)
	}
	var got lofte.Comment
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	reviewed := now.UTC()
	want := lofte.Comment{ResponseID: commentUUID(4), StopID: got.StopID, Basort: "Tollarp", Date: got.Date,
		Text: "Mer ljus i parken, ring [borttaget]", Status: lofte.CommentApproved, ReviewedBy: "officer-test", ReviewedAt: &reviewed}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("approved (-want +got)\n%s", diff)
	}
	// An admin changes it to rejected: the decision and who made it are replaced.
	if status, _, b := e.do(http.MethodPatch, pending, lofte.RoleAdmin, `{"status":"rejected"}`); status != 200 ||
		!strings.Contains(string(b), `"status":"rejected"`) || !strings.Contains(string(b), `"reviewed_by":"admin-test"`) {
		t.Errorf("reject: %d %s", status, b)
	}
}

// TestCommentsPage: the moderation page lists pending comments with the three decisions; a
// decision leads back to the queue, and a refused one shows the reason and stores nothing.
func TestCommentsPage(t *testing.T) {
	e := newEnv(t)
	commentFixture(t, e)
	status, _, b := e.do(http.MethodGet, "/comments", lofte.RoleOfficer, "")
	if status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var sections []string
	var buttons []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "section" {
			id, _ := attr(n, "id")
			sections = append(sections, id)
		}
		if n.Type == html.ElementNode && n.Data == "button" {
			if v, _ := attr(n, "value"); v != "" {
				buttons = append(buttons, v+"="+text(n))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if diff := cmp.Diff([]string{"c-" + commentUUID(4)}, sections); diff != "" {
		t.Errorf("pending comments on the page (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff([]string{"approve=Godkänn", "edit=Ändra och godkänn", "reject=Avvisa"}, buttons); diff != "" {
		t.Errorf("decisions (-want +got)\n%s", diff)
	}
	if !strings.Contains(string(b), `href="/comments"`) {
		t.Error("the menu has no link to the moderation page")
	}

	before := allComments(t, e)
	path := "/comments/" + commentUUID(4)
	for _, form := range []url.Values{{"decision": {"maybe"}}, {"decision": {"edit"}, "text": {" "}}} {
		status, _, b := e.do(http.MethodPost, path, lofte.RoleOfficer, form.Encode(), formCT...)
		if status != 400 {
			t.Errorf("%v: %d %s", form, status, b)
		}
		if diff := cmp.Diff(before, allComments(t, e)); diff != "" {
			t.Errorf("%v changed comments (-before +after)\n%s", form, diff)
		}
	}
	if status, _, b := e.do(http.MethodPost, path, lofte.RoleCouncil, url.Values{"decision": {"approve"}}.Encode(), formCT...); status != 403 {
		t.Errorf("council decides: %d %s", status, b)
	}
	form := url.Values{"decision": {"edit"}, "text": {"Mer ljus i parken, tack"}}.Encode()
	status, h, b := e.do(http.MethodPost, path, lofte.RoleOfficer, form, formCT...)
	if status != http.StatusSeeOther || h.Get("Location") != "/comments" {
		t.Fatalf("edit and approve: %d %s", status, b)
	}
	cs, err := e.db.FindComments(context.Background(), lofte.CommentFilter{PromiseID: e.p.ID, Status: lofte.CommentApproved})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range cs {
		found = found || c.ResponseID == commentUUID(4) && c.Text == "Mer ljus i parken, tack" && c.ReviewedBy == "officer-test"
	}
	if !found {
		t.Errorf("the edited comment is not approved: %+v", cs)
	}
	if _, _, b := e.do(http.MethodGet, "/comments", lofte.RoleOfficer, ""); !strings.Contains(string(b), "Inga synpunkter väntar") {
		t.Error("the queue is not empty after the last decision")
	}
}

// TestCommentRulesMatchTheCatalogue: the moderated item and its limit are the catalogue's.
func TestCommentRulesMatchTheCatalogue(t *testing.T) {
	it, ok := survey.Default().Item(lofte.CommentItem)
	if !ok || it.Kind != survey.Text || it.Max != lofte.CommentMaxLen {
		t.Errorf("catalogue item %q: %+v, want a text item of at most %d characters", lofte.CommentItem, it, lofte.CommentMaxLen)
	}
}

// mustStopAtFormerBasort makes a held stop at a locality that is no basort: the office gets
// no new stops there, so the place is made a basort for the stop and then made a plain
// locality again, as an admin may do with a place that has history.
func mustStopAtFormerBasort(t *testing.T, e *env, name, start string) *lofte.Stop {
	t.Helper()
	ctx := context.Background()
	setBasort := func(on bool) {
		ls, err := e.db.FindLocalities(ctx, e.p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			if l.Name == name {
				l.Basort = on
			}
		}
		if _, err := e.db.UpdatePromise(ctx, e.p.ID, lofte.PromiseUpdate{Basorter: &ls}); err != nil {
			t.Fatal(err)
		}
	}
	setBasort(true)
	st := mustStop(t, e, name, start, lofte.StatusHeld)
	setBasort(false)
	return st
}
