package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
)

// auditSince returns the entries written after the entry with id after, oldest first.
func (e *env) auditSince(after int64) []*lofte.AuditEntry {
	e.t.Helper()
	es, err := e.db.FindAudit(context.Background(), lofte.AuditFilter{Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []*lofte.AuditEntry
	for _, x := range slices.Backward(es) {
		if x.ID > after {
			out = append(out, x)
		}
	}
	return out
}

// mustAudit adds n entries, a minute apart, on stops 1…n.
func mustAudit(t *testing.T, e *env, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		if err := e.db.Audit(context.Background(), &lofte.AuditEntry{At: now.Add(time.Duration(i) * time.Minute), Actor: "anna",
			Action: "stop.cancel", Object: "stop:" + strconv.Itoa(i), Detail: "Inställt"}); err != nil {
			t.Fatal(err)
		}
	}
}

type auditListJSON struct {
	Entries   []map[string]any `json:"entries"`
	NextAfter string           `json:"next_after"`
}

func TestAuditAPI(t *testing.T) {
	e := newEnv(t)
	mustAudit(t, e, 105)
	get := func(t *testing.T, query string, role lofte.Role) (int, auditListJSON, []byte) {
		t.Helper()
		status, _, b := e.do(http.MethodGet, "/api/v1/audit"+query, role, "")
		var out auditListJSON
		if status == 200 {
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatalf("%s: %v", b, err)
			}
		}
		return status, out, b
	}
	objects := func(l auditListJSON) []string {
		out := []string{}
		for _, x := range l.Entries {
			out = append(out, x["object"].(string))
		}
		return out
	}

	t.Run("roles", func(t *testing.T) {
		for _, tt := range []struct {
			role   lofte.Role
			status int
			code   lofte.ErrorCode
		}{
			{"", 401, lofte.EUNAUTHORIZED},
			{lofte.RoleKiosk, 403, lofte.EFORBIDDEN},
			{lofte.RoleOfficer, 403, lofte.EFORBIDDEN},
			{lofte.RoleCouncil, 403, lofte.EFORBIDDEN},
			{lofte.RoleAdmin, 200, ""},
		} {
			status, _, b := get(t, "", tt.role)
			if status != tt.status || tt.code != "" && apiError(t, b).Code != tt.code {
				t.Errorf("%q: %d %s, want %d", tt.role, status, b, tt.status)
			}
		}
	})

	t.Run("shape", func(t *testing.T) {
		_, l, _ := get(t, "?limit=1", lofte.RoleAdmin)
		want := []map[string]any{{"at": "2018-03-10T13:45:00+01:00", "actor": "anna", "action": "stop.cancel",
			"object": "stop:105", "detail": "Inställt"}}
		if diff := cmp.Diff(want, l.Entries); diff != "" {
			t.Errorf("(-want +got)\n%s", diff)
		}
	})

	t.Run("paging, newest first", func(t *testing.T) {
		_, first, _ := get(t, "", lofte.RoleAdmin)
		if len(first.Entries) != 100 || first.Entries[0]["object"] != "stop:105" || first.NextAfter == "" {
			t.Fatalf("default page: %d entries from %v, next %q", len(first.Entries), first.Entries[0], first.NextAfter)
		}
		_, rest, _ := get(t, "?after="+url.QueryEscape(first.NextAfter), lofte.RoleAdmin)
		if diff := cmp.Diff([]string{"stop:5", "stop:4", "stop:3", "stop:2", "stop:1"}, objects(rest)); diff != "" || rest.NextAfter != "" {
			t.Errorf("second page, next %q (-want +got)\n%s", rest.NextAfter, diff)
		}
		var walked []string
		for after, pages := "", 0; pages == 0 || after != ""; pages++ {
			_, l, _ := get(t, "?limit=40&after="+url.QueryEscape(after), lofte.RoleAdmin)
			walked, after = append(walked, objects(l)...), l.NextAfter
			if pages > 3 {
				t.Fatal("paging does not end")
			}
		}
		if len(walked) != 105 || walked[0] != "stop:105" || walked[104] != "stop:1" {
			t.Errorf("walked %d entries: %v … %v", len(walked), walked[0], walked[len(walked)-1])
		}
		// Exactly a page's worth left: the last page says there is no more.
		_, l, _ := get(t, "?limit=5&after="+url.QueryEscape(first.NextAfter), lofte.RoleAdmin)
		if len(l.Entries) != 5 || l.NextAfter != "" {
			t.Errorf("last full page: %d entries, next %q", len(l.Entries), l.NextAfter)
		}
	})

	t.Run("bad cursor or limit", func(t *testing.T) {
		for _, tt := range []struct{ query, field string }{
			{"?after=abc", "after"},
			{"?after=0", "after"},
			{"?after=-3", "after"},
			{"?after=1e3", "after"},
			{"?limit=0", "limit"},
			{"?limit=1001", "limit"},
			{"?limit=ten", "limit"},
			{"?kind=planet", "kind"},
		} {
			status, _, b := get(t, tt.query, lofte.RoleAdmin)
			if status != 400 || apiError(t, b).Field != tt.field {
				t.Errorf("%s: %d %s, want 400 naming %s", tt.query, status, b, tt.field)
			}
		}
		if status, l, _ := get(t, "?limit=1000", lofte.RoleAdmin); status != 200 || len(l.Entries) != 105 {
			t.Errorf("limit 1000: %d, %d entries", status, len(l.Entries))
		}
	})
}

// TestAuditPage: admins read the log with Swedish times and labels, objects linked to their
// page, filtered and a page at a time; no one else opens it or sees it in the menu.
func TestAuditPage(t *testing.T) {
	e := newEnv(t)
	mustAudit(t, e, 3)
	for _, x := range []lofte.AuditEntry{
		{Actor: "per", Action: "session.login_failed", Object: "user:okänd", Detail: "Fel användarnamn eller lösenord"},
		{Actor: "token:admin-test", Action: "thing.unlabelled", Object: "gadget:9", Detail: "Något nytt"},
		{Actor: "anna", Action: "promise.activate", Object: "promise:1", Detail: "Aktivt löfte"},
	} {
		x.At = now.Add(time.Hour)
		if err := e.db.Audit(context.Background(), &x); err != nil {
			t.Fatal(err)
		}
	}
	page := func(t *testing.T, query string, role lofte.Role) (int, string) {
		t.Helper()
		status, _, b := e.do(http.MethodGet, "/audit"+query, role, "", "Accept", "text/html")
		return status, string(b)
	}
	for _, role := range []lofte.Role{lofte.RoleOfficer, lofte.RoleCouncil, lofte.RoleKiosk} {
		if status, _ := page(t, "", role); status != 403 {
			t.Errorf("%s: %d, want 403", role, status)
		}
		if _, _, b := e.do(http.MethodGet, "/", role, ""); strings.Contains(string(b), `href="/audit"`) {
			t.Errorf("%s sees the audit log in the menu", role)
		}
	}
	if status, _ := page(t, "", ""); status != 401 {
		t.Errorf("anonymous: %d, want the login", status)
	}
	status, b := page(t, "", lofte.RoleAdmin)
	for _, want := range []string{
		`<a href="/audit" aria-current="page">Händelselogg</a>`,
		`<time datetime="2018-03-10T12:03:00&#43;01:00">lör 10 mars 2018 kl. 12.03</time>`,
		`<td>Misslyckad inloggning</td>`,
		`<a href="/field/3">Tillfälle 3</a>`,
		`<td>Användare okänd</td>`, // a name no account has: no page to link
		`<a href="/promises/1">Löfte 1</a>`,
		`<td>Löfte aktiverat</td>`,
		`<td>thing.unlabelled</td>`, // an action without a label shows its code
		`<td>gadget:9</td>`,
		`<td>token:admin-test</td>`,
	} {
		if !strings.Contains(b, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if status != 200 || strings.Contains(b, "Äldre") {
		t.Errorf("one page: %d, Äldre shown: %v", status, strings.Contains(b, "Äldre"))
	}
	rows := func(b string) int { return strings.Count(b, "<time datetime=") }
	for _, tt := range []struct {
		name, query string
		rows        int
		want        string
	}{
		{"an action", "?action=stop.cancel", 3, "Tillfälle 1"},
		{"a kind", "?kind=user", 1, "Användare okänd"},
		{"one object", "?kind=stop&id=2", 1, "Tillfälle 2"},
		{"an actor", "?actor=per", 1, "Misslyckad inloggning"},
		{"nothing matches", "?actor=ingen", 0, "Inga händelser som passar filtret."},
	} {
		status, b := page(t, tt.query, lofte.RoleAdmin)
		if status != 200 || rows(b) != tt.rows || !strings.Contains(b, tt.want) {
			t.Errorf("%s: %d, %d rows, want %d with %q", tt.name, status, rows(b), tt.rows, tt.want)
		}
	}
	// Paging keeps the filter.
	_, b = page(t, "?action=stop.cancel&limit=2", lofte.RoleAdmin)
	m := regexp.MustCompile(`<a href="([^"]+)" rel="next">Äldre</a>`).FindStringSubmatch(b)
	if m == nil || rows(b) != 2 {
		t.Fatalf("no Äldre link on a first page of 2 (%d rows)", rows(b))
	}
	older := strings.ReplaceAll(m[1], "&amp;", "&")
	if !strings.Contains(older, "action=stop.cancel") {
		t.Errorf("Äldre forgets the filter: %s", older)
	}
	if _, b := page(t, strings.TrimPrefix(older, "/audit"), lofte.RoleAdmin); rows(b) != 1 || !strings.Contains(b, "Tillfälle 1") || strings.Contains(b, "Äldre") {
		t.Errorf("older page: %d rows\n%s", rows(b), b)
	}
	for _, tt := range []struct{ name, query, want string }{
		{"an id without a kind", "?id=3", "välj vad numret gäller"},
		{"an unknown kind", "?kind=planet", "okänd sorts objekt"},
		{"a bad cursor", "?after=x", "fortsättningsmarkör"},
	} {
		status, b := page(t, tt.query, lofte.RoleAdmin)
		if status != 400 || !strings.Contains(b, `role="alert"`) || !strings.Contains(b, tt.want) {
			t.Errorf("%s: %d, want 400 with %q", tt.name, status, tt.want)
		}
	}
}

// TestAuditedChanges: every change this table makes writes one entry naming who, what and
// which object; every refused request writes none. The cases run in order on one database.
func TestAuditedChanges(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mustUser(t, e, "anna", lofte.RoleAdmin, "annas långa lösenord")
	anna, err := e.db.FindUserByName(ctx, "anna")
	if err != nil {
		t.Fatal(err)
	}
	annaObj := "user:" + strconv.FormatInt(anna.ID, 10)
	commentFixture(t, e)
	pending := commentUUID(4)
	formCT := []string{"Content-Type", "application/x-www-form-urlencoded"}
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	csvBody, csvCT := fileForm("baslinjer.csv", "basort;mått;värde;källa\nTollarp;unsafe;0,31;NTU 2017\nÅhus;unsafe;0,2;NTU 2017\n")
	emptyCSV, emptyCT := fileForm("baslinjer.csv", "")

	// State the cases hand on: a session, ids of what was created.
	var (
		session, code string
		baselineID    int64
		feedbackID    int64
		tabletID      int64
	)
	type result struct {
		status int
		header http.Header
		body   []byte
	}
	req := func(method, path string, role lofte.Role, body string, header ...string) result {
		status, h, b := e.do(method, path, role, body, header...)
		return result{status, h, b}
	}
	admin := "token:admin-test"
	tests := []struct {
		name string
		do   func() result
		// status is the answer; a 4xx must leave no entry.
		status int
		// want is the entry written; Object is a regular expression.
		want lofte.AuditEntry
		// after reads what later cases need from the result.
		after func(r result)
	}{
		{name: "login", status: 303,
			do: func() result {
				return req(http.MethodPost, "/login", "", form("name", "anna", "password", "annas långa lösenord"), formCT...)
			},
			want: lofte.AuditEntry{Actor: "anna", Action: "session.login", Object: annaObj, Detail: "Inloggad som Administratör"},
			after: func(r result) {
				session = cookieFrom(r.header, "mlf_session")
			}},
		{name: "wrong password", status: 401,
			do: func() result {
				return req(http.MethodPost, "/login", "", form("name", "anna", "password", "gissning123"), formCT...)
			},
			want: lofte.AuditEntry{Actor: "anna", Action: "session.login_failed", Object: annaObj, Detail: "Fel användarnamn eller lösenord"}},
		{name: "unknown name", status: 401,
			do: func() result {
				return req(http.MethodPost, "/login", "", form("name", "mallory", "password", "gissning123"), formCT...)
			},
			want: lofte.AuditEntry{Actor: "mallory", Action: "session.login_failed", Object: "user:okänd", Detail: "Fel användarnamn eller lösenord"}},
		{name: "a long name is cut", status: 401,
			do: func() result {
				return req(http.MethodPost, "/login", "", form("name", strings.Repeat("å", 50), "password", "gissning123"), formCT...)
			},
			want: lofte.AuditEntry{Actor: strings.Repeat("å", 40) + "…", Action: "session.login_failed", Object: "user:okänd", Detail: "Fel användarnamn eller lösenord"}},
		{name: "login without a password", status: 400,
			do: func() result { return req(http.MethodPost, "/login", "", form("name", "anna"), formCT...) }},
		{name: "login with a name too long to be one", status: 400,
			do: func() result {
				return req(http.MethodPost, "/login", "", form("name", strings.Repeat("x", 101), "password", "gissning123"), formCT...)
			}},
		{name: "logout", status: 303,
			do:   func() result { return req(http.MethodPost, "/logout", "", "", "Cookie", "mlf_session="+session) },
			want: lofte.AuditEntry{Actor: "anna", Action: "session.logout", Object: annaObj, Detail: "Utloggad"}},
		{name: "logout without a session", status: 303,
			do: func() result { return req(http.MethodPost, "/logout", "", "") }},

		{name: "one baseline", status: 201,
			do: func() result {
				return req(http.MethodPost, "/api/v1/baselines", lofte.RoleAdmin, `{"baselines":[{"metric":"trust_high","value":0.55,"source":"NTU 2017"}]}`)
			},
			want: lofte.AuditEntry{Actor: admin, Action: "baseline.create", Object: `baseline:\d+`, Detail: "Sparad: Högt förtroende, hela området = 55 %"},
			after: func(r result) {
				var out struct{ Baselines []*lofte.Baseline }
				json.Unmarshal(r.body, &out)
				baselineID = out.Baselines[0].ID
			}},
		{name: "two baselines", status: 201,
			do: func() result {
				return req(http.MethodPost, "/api/v1/baselines", lofte.RoleAdmin,
					`{"baselines":[{"metric":"unsafe","value":0.3,"source":"NTU 2017"},{"basort":"Tollarp","metric":"unsafe","value":0.3,"source":"NTU 2017"}]}`)
			},
			want: lofte.AuditEntry{Actor: admin, Action: "baseline.create", Object: "promise:" + strconv.FormatInt(e.p.ID, 10),
				Detail: "2 baslinjer sparade i " + e.p.Title}},
		{name: "baselines as CSV", status: 201,
			do: func() result {
				return req(http.MethodPost, "/api/v1/baselines?source=NTU", lofte.RoleAdmin, "basort;mått;värde\nDegeberga;Högt förtroende;48 %\n",
					"Content-Type", "text/csv")
			},
			want: lofte.AuditEntry{Actor: admin, Action: "baseline.import", Object: `baseline:\d+`, Detail: "Sparad: Högt förtroende, Degeberga = 48 %"}},
		{name: "a bad baseline", status: 400,
			do: func() result {
				return req(http.MethodPost, "/api/v1/baselines", lofte.RoleAdmin, `{"baselines":[{"metric":"unsafe","value":1.2,"source":"x"}]}`)
			}},
		{name: "a baseline from an officer", status: 403,
			do: func() result {
				return req(http.MethodPost, "/api/v1/baselines", lofte.RoleOfficer, `{"baselines":[{"metric":"unsafe","value":0.2,"source":"x"}]}`)
			}},
		{name: "a baseline in the form", status: 303,
			do: func() result {
				return req(http.MethodPost, "/baselines", lofte.RoleAdmin, form("basort", "Åhus", "metric", "trust_high", "value", "61 %", "source", "NTU"), formCT...)
			},
			want: lofte.AuditEntry{Actor: admin, Action: "baseline.create", Object: `baseline:\d+`, Detail: "Sparad: Högt förtroende, Åhus = 61 %"}},
		{name: "a bad value in the form", status: 400,
			do: func() result {
				return req(http.MethodPost, "/baselines", lofte.RoleAdmin, form("metric", "trust_high", "value", "hög", "source", "NTU"), formCT...)
			}},
		{name: "a file in the form", status: 303,
			do: func() result { return req(http.MethodPost, "/baselines/import", lofte.RoleAdmin, csvBody, csvCT...) },
			want: lofte.AuditEntry{Actor: admin, Action: "baseline.import", Object: "promise:" + strconv.FormatInt(e.p.ID, 10),
				Detail: "2 baslinjer sparade i " + e.p.Title}},
		{name: "an empty file in the form", status: 400,
			do: func() result { return req(http.MethodPost, "/baselines/import", lofte.RoleAdmin, emptyCSV, emptyCT...) }},
		{name: "delete a baseline", status: 204,
			do: func() result {
				return req(http.MethodDelete, fmt.Sprintf("/api/v1/baselines/%d", baselineID), lofte.RoleAdmin, "")
			},
			want: lofte.AuditEntry{Actor: admin, Action: "baseline.delete", Object: `baseline:\d+`, Detail: "Borttagen: Högt förtroende, hela området"}},
		{name: "delete it again", status: 404,
			do: func() result {
				return req(http.MethodDelete, fmt.Sprintf("/api/v1/baselines/%d", baselineID), lofte.RoleAdmin, "")
			}},
		{name: "delete a baseline in the form", status: 303,
			do: func() result {
				bs := e.baselines()
				return req(http.MethodPost, fmt.Sprintf("/baselines/%d/delete", bs[len(bs)-1].ID), lofte.RoleAdmin, "")
			},
			want: lofte.AuditEntry{Actor: admin, Action: "baseline.delete", Object: `baseline:\d+`, Detail: `Borttagen: .+`}},

		{name: "a feedback item", status: 201,
			do: func() result {
				return req(http.MethodPost, "/api/v1/feedback", lofte.RoleOfficer, `{"basort":"Tollarp","topic":"traffic","said":"Bilar kör fort"}`)
			},
			want: lofte.AuditEntry{Actor: "token:officer-test", Action: "feedback.create", Object: `feedback:\d+`, Detail: "Nytt ärende i Tollarp: Trafik och buskörning"},
			after: func(r result) {
				var f lofte.FeedbackItem
				json.Unmarshal(r.body, &f)
				feedbackID = f.ID
			}},
		{name: "a feedback item on an unknown topic", status: 400,
			do: func() result {
				return req(http.MethodPost, "/api/v1/feedback", lofte.RoleOfficer, `{"basort":"Tollarp","topic":"aliens","said":"x"}`)
			}},
		{name: "a feedback item in progress", status: 200,
			do: func() result {
				return req(http.MethodPatch, fmt.Sprintf("/api/v1/feedback/%d", feedbackID), lofte.RoleOfficer, `{"status":"in_progress","action":"Kontroller"}`)
			},
			want: lofte.AuditEntry{Actor: "token:officer-test", Action: "feedback.update", Object: `feedback:\d+`, Detail: "Status: Pågår (Tollarp)"}},
		{name: "a feedback item from the council", status: 403,
			do: func() result {
				return req(http.MethodPatch, fmt.Sprintf("/api/v1/feedback/%d", feedbackID), lofte.RoleCouncil, `{"status":"closed"}`)
			}},
		{name: "closing a feedback item without its date", status: 400,
			do: func() result {
				return req(http.MethodPatch, fmt.Sprintf("/api/v1/feedback/%d", feedbackID), lofte.RoleOfficer, `{"status":"closed"}`)
			}},
		{name: "closing in the form shows what will be published", status: 200,
			do: func() result {
				return req(http.MethodPost, fmt.Sprintf("/feedback/%d", feedbackID), lofte.RoleAdmin,
					form("action", "Kontroller i april", "status", "closed", "feedback_on", "2018-03-09", "channel", "web"), formCT...)
			}},
		{name: "closing confirmed", status: 303,
			do: func() result {
				return req(http.MethodPost, fmt.Sprintf("/feedback/%d", feedbackID), lofte.RoleAdmin,
					form("action", "Kontroller i april", "status", "closed", "feedback_on", "2018-03-09", "channel", "web",
						"confirm", "publish", "said_seen", "Bilar kör fort"), formCT...)
			},
			want: lofte.AuditEntry{Actor: admin, Action: "feedback.close", Object: `feedback:\d+`, Detail: "Status: Klart, återkopplat (Tollarp)"}},

		{name: "a comment approved", status: 200,
			do: func() result {
				return req(http.MethodPatch, "/api/v1/comments/"+pending, lofte.RoleOfficer, `{"status":"approved"}`)
			},
			want: lofte.AuditEntry{Actor: "token:officer-test", Action: "comment.approve", Object: "comment:" + pending,
				Detail: "Synpunkt från besöket i Tollarp 2018-03-14"}},
		{name: "a comment edited", status: 200,
			do: func() result {
				return req(http.MethodPatch, "/api/v1/comments/"+strings.ToUpper(pending), lofte.RoleAdmin, `{"status":"approved","text":"Mer ljus"}`)
			},
			want: lofte.AuditEntry{Actor: admin, Action: "comment.edit", Object: "comment:" + pending,
				Detail: "Synpunkt från besöket i Tollarp 2018-03-14"}},
		{name: "a comment given an unknown status", status: 400,
			do: func() result {
				return req(http.MethodPatch, "/api/v1/comments/"+pending, lofte.RoleOfficer, `{"status":"maybe"}`)
			}},
		{name: "a comment read by the council", status: 403,
			do: func() result {
				return req(http.MethodPatch, "/api/v1/comments/"+pending, lofte.RoleCouncil, `{"status":"rejected"}`)
			}},
		{name: "a comment rejected in the form", status: 303,
			do: func() result {
				return req(http.MethodPost, "/comments/"+pending, lofte.RoleOfficer, form("decision", "reject"), formCT...)
			},
			want: lofte.AuditEntry{Actor: "token:officer-test", Action: "comment.reject", Object: "comment:" + pending,
				Detail: "Synpunkt från besöket i Tollarp 2018-03-14"}},
		{name: "an unknown comment in the form", status: 404,
			do: func() result {
				return req(http.MethodPost, "/comments/"+commentUUID(99), lofte.RoleOfficer, form("decision", "approve"), formCT...)
			}},

		{name: "a pairing code", status: 200,
			do: func() result { return req(http.MethodPost, "/kiosk/devices/pairing", lofte.RoleOfficer, "") },
			want: lofte.AuditEntry{Actor: "token:officer-test", Action: "kiosk.pairing_code", Object: `pairing:\d+`,
				Detail: "Parningskod skapad, gäller till kl. 12.15"},
			after: func(r result) {
				m := regexp.MustCompile(`id="pairing-code">(\d{4}) (\d{4})<`).FindStringSubmatch(string(r.body))
				code = m[1] + m[2]
			}},
		{name: "a pairing code asked by the council", status: 403,
			do: func() result { return req(http.MethodPost, "/kiosk/devices/pairing", lofte.RoleCouncil, "") }},
		{name: "a wrong code", status: 400,
			do: func() result { return req(http.MethodPost, "/kiosk/pair", "", form("code", "12345678"), formCT...) }},
		{name: "a tablet paired", status: 303,
			do: func() result { return req(http.MethodPost, "/kiosk/pair", "", form("code", code), formCT...) },
			want: lofte.AuditEntry{Actor: "token:Surfplatta 2018-03-10 12.00", Action: "kiosk.pair", Object: `token:\d+`,
				Detail: "Surfplattan parades ihop med en parningskod"},
			after: func(result) {
				ts, _ := e.db.FindTokens(ctx, lofte.RoleKiosk)
				for _, tk := range ts {
					if strings.HasPrefix(tk.Name, "Surfplatta") {
						tabletID = tk.ID
					}
				}
			}},
		{name: "a tablet revoked by the council", status: 403,
			do: func() result {
				return req(http.MethodPost, fmt.Sprintf("/kiosk/devices/%d/revoke", tabletID), lofte.RoleCouncil, "")
			}},
		{name: "a tablet revoked", status: 303,
			do: func() result {
				return req(http.MethodPost, fmt.Sprintf("/kiosk/devices/%d/revoke", tabletID), lofte.RoleAdmin, "")
			},
			want: lofte.AuditEntry{Actor: admin, Action: "token.revoke", Object: `token:\d+`, Detail: `Token .* \(Kiosk\) återkallades\.`}},
		{name: "an unknown tablet revoked", status: 404,
			do: func() result { return req(http.MethodPost, "/kiosk/devices/9999/revoke", lofte.RoleAdmin, "") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			last := e.lastAudit().ID
			r := tt.do()
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %.300s", r.status, tt.status, r.body)
			}
			got := e.auditSince(last)
			if tt.want.Action == "" {
				if len(got) != 0 {
					t.Errorf("nothing changed, yet the log has %v", got[0])
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("%d entries, want 1: %v", len(got), got)
			}
			g := got[0]
			if !regexp.MustCompile(`^(` + tt.want.Object + `)$`).MatchString(g.Object) {
				t.Errorf("object %q, want %s", g.Object, tt.want.Object)
			}
			if !regexp.MustCompile(`^(`+tt.want.Detail+`)$`).MatchString(g.Detail) && g.Detail != tt.want.Detail {
				t.Errorf("detail %q, want %q", g.Detail, tt.want.Detail)
			}
			if g.Actor != tt.want.Actor || g.Action != tt.want.Action || !g.At.Equal(now) {
				t.Errorf("entry %+v, want %s by %s at %v", g, tt.want.Action, tt.want.Actor, now)
			}
			if strings.Contains(g.Detail+g.Actor, "lösenord") && g.Action != "session.login_failed" || strings.Contains(g.Detail, "gissning") {
				t.Errorf("the entry holds a password: %+v", g)
			}
			if tt.after != nil {
				tt.after(r)
			}
		})
	}
}

// TestLoginFailuresAreAuditedAsTheLimiterLetsThem: a burst of wrong passwords writes an entry
// for each try the login limiter let through, none for those it refused, so a flood cannot
// fill the log.
func TestLoginFailuresAreAuditedAsTheLimiterLetsThem(t *testing.T) {
	e := newEnv(t)
	mustUser(t, e, "anna", lofte.RoleAdmin, "annas långa lösenord")
	tried, limited := 0, 0
	for range 30 {
		switch status, _, _ := loginFrom(t, e, "anna", "gissning123"); status {
		case http.StatusUnauthorized:
			tried++
		case http.StatusTooManyRequests:
			limited++
		default:
			t.Fatalf("status %d", status)
		}
	}
	if limited == 0 || tried == 0 {
		t.Fatalf("%d tries answered, %d limited: the limiter did not step in", tried, limited)
	}
	if got := len(e.auditSince(0)); got != tried {
		t.Errorf("%d entries for %d tries let through (and %d refused)", got, tried, limited)
	}
}

// auditActions finds an action where the code names one: the argument of s.audit or
// s.auditAs, an action variable, an entry's Action.
var auditActions = regexp.MustCompile(`(?:audit\(c, |auditAs\(c, [^,]+, |action :?= |Action: +)"([a-z_]+\.[a-z_]+)"`)

// TestEveryAuditActionHasALabel: each action the server or the store writes has its Swedish
// name in lofte.AuditActions, the one table the audit page reads.
func TestEveryAuditActionHasALabel(t *testing.T) {
	var files []string
	for _, dir := range []string{".", "../sqlite"} {
		fs, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range auditActions.FindAllStringSubmatch(string(src), -1) {
			seen++
			if l := lofte.AuditActionLabel(m[1]); l == m[1] {
				t.Errorf("%s: action %q has no label in lofte.AuditActions", f, m[1])
			}
		}
	}
	for _, d := range []lofte.SuspectDecision{lofte.DecisionRelease, lofte.DecisionConfirm} {
		if l := lofte.AuditActionLabel(d.AuditAction()); l == d.AuditAction() {
			t.Errorf("action %q has no label", d.AuditAction())
		}
	}
	if seen < 10 {
		t.Errorf("found only %d actions in the source: is the pattern still right?", seen)
	}
}
