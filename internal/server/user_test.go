package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"medborgarlofte/internal/lofte"
)

// people is what the store holds of users and live tokens, to prove a refusal changed nothing.
type people struct {
	Users  []lofte.User
	Tokens []lofte.Token
}

func (e *env) people() people {
	e.t.Helper()
	ctx := context.Background()
	us, err := e.db.FindUsers(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	ts, err := e.db.FindTokens(ctx, "")
	if err != nil {
		e.t.Fatal(err)
	}
	var p people
	for _, u := range us {
		p.Users = append(p.Users, *u)
	}
	for _, tk := range ts {
		tk.LastUsedAt = nil // a request's own token is touched by using it
		p.Tokens = append(p.Tokens, *tk)
	}
	return p
}

// auditActions lists the actions in the audit log, oldest first, logins and logouts left out.
func (e *env) auditActions() []string {
	e.t.Helper()
	es, err := e.db.FindAudit(context.Background(), lofte.AuditFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, x := range slices.Backward(es) {
		// Logging in is how these tests begin; they look at what was done after it.
		if !strings.HasPrefix(x.Action, "session.") {
			out = append(out, x.Action)
		}
	}
	return out
}

// peopleScenario is one request to a route of users or tokens, on a fresh server with an
// admin anna (the only one), an officer per and a token per role.
type peopleScenario struct {
	name         string
	method, path string
	body         string
	role         lofte.Role
	status       int
	code         lofte.ErrorCode
	field        string
	// audit lists the actions written, in order; none for a refusal.
	audit []string
	// check looks at the answer of an accepted request.
	check func(t *testing.T, e *env, b []byte)
}

// runPeopleScenarios runs each scenario on its own server: a refused one must leave users,
// tokens and the audit log as they were.
func runPeopleScenarios(t *testing.T, tests []peopleScenario) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			mustUser(t, e, "anna", lofte.RoleAdmin, "annas långa lösenord")
			mustUser(t, e, "per", lofte.RoleOfficer, "pers långa lösenord")
			before := e.people()
			status, _, b := e.do(tt.method, tt.path, tt.role, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, b)
			}
			if tt.code != "" {
				if got := apiError(t, b); got.Code != tt.code || got.Field != tt.field {
					t.Errorf("error %+v, want %s on %q", got, tt.code, tt.field)
				}
				if diff := cmp.Diff(before, e.people()); diff != "" {
					t.Errorf("a refusal changed the store (-before +after)\n%s", diff)
				}
			}
			if diff := cmp.Diff(tt.audit, e.auditActions()); diff != "" {
				t.Errorf("audit (-want +got)\n%s", diff)
			}
			if tt.check != nil && tt.code == "" {
				tt.check(t, e, b)
			}
		})
	}
}

// roleRefusals are the scenarios of a route refusing each of roles what: 403 forbidden for a
// role, named "<what> as <role>", and 401 for "" (anonymous), named "<what> anonymously".
func roleRefusals(what, method, path, body string, roles ...lofte.Role) []peopleScenario {
	var out []peopleScenario
	for _, r := range roles {
		s := peopleScenario{name: what + " as " + string(r), method: method, path: path, body: body, role: r,
			status: 403, code: lofte.EFORBIDDEN}
		if r == "" {
			s.name, s.status, s.code = what+" anonymously", 401, lofte.EUNAUTHORIZED
		}
		out = append(out, s)
	}
	return out
}

// invalid is the scenario of an admin's request refused as invalid (400), naming field.
func invalid(name, method, path, body, field string) peopleScenario {
	return peopleScenario{name: name, method: method, path: path, body: body, role: lofte.RoleAdmin,
		status: 400, code: lofte.EINVALID, field: field}
}

// created reads the answer to a creation: the keys of the object under key and the secret
// under secretKey.
func created(t *testing.T, b []byte, key, secretKey string) ([]string, string) {
	t.Helper()
	var out map[string]json.RawMessage
	var secret string
	if err := json.Unmarshal(b, &out); err != nil || json.Unmarshal(out[secretKey], &secret) != nil {
		t.Fatalf("answer: %s", b)
	}
	return keys(t, out[key]), secret
}

// listed reads the answer to a list: how many objects stand under key, and the keys of the
// first one (none for an empty list).
func listed(t *testing.T, b []byte, key string) (int, []string) {
	t.Helper()
	var out map[string][]json.RawMessage
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("answer: %s", b)
	}
	if len(out[key]) == 0 {
		return 0, nil
	}
	return len(out[key]), keys(t, out[key][0])
}

// mustParse parses an HTML page.
func mustParse(t *testing.T, page []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// keys returns the keys of a JSON object, sorted.
func keys(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("not an object: %s", raw)
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// userByName returns the stored user, failing the test when there is none.
func (e *env) userByName(name string) *lofte.User {
	e.t.Helper()
	u, err := e.db.FindUserByName(context.Background(), name)
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

func TestUserRoutes(t *testing.T) {
	const anna, per = "/api/v1/users/1", "/api/v1/users/2"
	userShape := []string{"created_at", "disabled", "id", "name", "role"}
	tests := slices.Concat([]peopleScenario{
		{name: "list", method: "GET", path: "/api/v1/users", role: lofte.RoleAdmin, status: 200,
			check: func(t *testing.T, e *env, b []byte) {
				if n, fields := listed(t, b, "users"); n != 2 || !slices.Equal(fields, userShape) {
					t.Errorf("users: %s", b)
				}
			}},
		{name: "invite", method: "POST", path: "/api/v1/users", body: `{"name":"lisa","role":"council"}`, role: lofte.RoleAdmin,
			status: 201, audit: []string{"user.create"},
			check: func(t *testing.T, e *env, b []byte) {
				fields, password := created(t, b, "user", "password")
				if !slices.Equal(fields, userShape) || len(password) != 20 {
					t.Errorf("answer: %s", b)
				}
				if u := e.userByName("lisa"); u.Role != lofte.RoleCouncil || !u.MustChangePassword {
					t.Errorf("stored %+v, want a council login that must choose a password", u)
				}
				if status, _, _ := loginFrom(t, e, "lisa", password); status != http.StatusSeeOther {
					t.Errorf("the one-time password does not log in: %d", status)
				}
			}},
		invalid("invite a device", "POST", "/api/v1/users", `{"name":"lisa","role":"kiosk"}`, "role"),
		invalid("invite with an unknown role", "POST", "/api/v1/users", `{"name":"lisa","role":"root"}`, "role"),
		invalid("invite without a name", "POST", "/api/v1/users", `{"name":"","role":"council"}`, "name"),
		{name: "invite a taken name", method: "POST", path: "/api/v1/users", body: `{"name":"PER","role":"council"}`, role: lofte.RoleAdmin,
			status: 409, code: lofte.ECONFLICT, field: "name"},
		invalid("invite with a password", "POST", "/api/v1/users", `{"name":"lisa","role":"council","password":"x"}`, "password"),
		{name: "promote", method: "PATCH", path: per, body: `{"role":"admin"}`, role: lofte.RoleAdmin, status: 200,
			audit: []string{"user.role"},
			check: func(t *testing.T, e *env, b []byte) {
				if u := e.userByName("per"); u.Role != lofte.RoleAdmin || !strings.Contains(string(b), `"role":"admin"`) {
					t.Errorf("stored %+v, answered %s", u, b)
				}
			}},
		{name: "the same role again", method: "PATCH", path: per, body: `{"role":"officer"}`, role: lofte.RoleAdmin, status: 200},
		invalid("an unknown role", "PATCH", per, `{"role":"root"}`, "role"),
		invalid("a device role", "PATCH", per, `{"role":"kiosk"}`, "role"),
		invalid("nothing to change", "PATCH", per, `{}`, ""),
		invalid("a wrong type", "PATCH", per, `{"disabled":"yes"}`, "disabled"),
		{name: "demote the last admin", method: "PATCH", path: anna, body: `{"role":"council"}`, role: lofte.RoleAdmin,
			status: 409, code: lofte.ECONFLICT, field: "role"},
		{name: "disable the last admin", method: "PATCH", path: anna, body: `{"disabled":true}`, role: lofte.RoleAdmin,
			status: 409, code: lofte.ECONFLICT, field: "disabled"},
		{name: "disable and reset the last admin", method: "PATCH", path: anna, body: `{"disabled":true,"reset_password":true}`,
			role: lofte.RoleAdmin, status: 409, code: lofte.ECONFLICT, field: "disabled"},
		{name: "disable", method: "PATCH", path: per, body: `{"disabled":true}`, role: lofte.RoleAdmin, status: 200,
			audit: []string{"user.disable"},
			check: func(t *testing.T, e *env, b []byte) {
				if !e.userByName("per").Disabled || !strings.Contains(string(b), `"disabled":true`) {
					t.Errorf("per is not disabled: %s", b)
				}
			}},
		{name: "reset a password", method: "PATCH", path: per, body: `{"reset_password":true}`, role: lofte.RoleAdmin, status: 200,
			audit: []string{"user.reset_password"},
			check: func(t *testing.T, e *env, b []byte) {
				var out struct{ Password string }
				json.Unmarshal(b, &out)
				if status, _, _ := loginFrom(t, e, "per", "pers långa lösenord"); status != http.StatusUnauthorized {
					t.Errorf("the old password still logs in: %d", status)
				}
				if status, _, _ := loginFrom(t, e, "per", out.Password); status != http.StatusSeeOther {
					t.Errorf("the new one does not: %d", status)
				}
			}},
		{name: "role, disable and reset at once", method: "PATCH", path: per, body: `{"role":"council","disabled":true,"reset_password":true}`,
			role: lofte.RoleAdmin, status: 200, audit: []string{"user.role", "user.disable", "user.reset_password"}},
		invalid("no reset", "PATCH", per, `{"reset_password":false}`, ""),
		{name: "nobody", method: "PATCH", path: "/api/v1/users/99", body: `{"disabled":true}`, role: lofte.RoleAdmin,
			status: 404, code: lofte.ENOTFOUND},
	},
		roleRefusals("list", "GET", "/api/v1/users", "", lofte.RoleOfficer, lofte.RoleCouncil, lofte.RoleKiosk, ""),
		roleRefusals("invite", "POST", "/api/v1/users", `{"name":"lisa","role":"council"}`, lofte.RoleOfficer),
		roleRefusals("change role", "PATCH", per, `{"role":"admin"}`, lofte.RoleOfficer),
	)
	runPeopleScenarios(t, tests)
}

// TestDisabledUserIsLoggedOut: a session in use stops working the moment its user is
// disabled, and the password no longer logs in; enabled again, it does.
func TestDisabledUserIsLoggedOut(t *testing.T) {
	e := newEnv(t)
	mustUser(t, e, "per", lofte.RoleOfficer, "pers långa lösenord")
	status, c, _ := login(t, e, "per", "pers långa lösenord")
	if status != http.StatusSeeOther || c == nil {
		t.Fatalf("login: %d", status)
	}
	cookie := "mlf_session=" + c.Value
	if st, _, b := e.do(http.MethodGet, "/api/v1/stops", "", "", "Cookie", cookie); st != 200 || !strings.Contains(string(b), `"total"`) {
		t.Fatalf("before: %d", st)
	}
	if st, _, b := e.do(http.MethodGet, "/field", "", "", "Cookie", cookie); st != 200 {
		t.Fatalf("field log before: %d %s", st, b)
	}
	id := e.userByName("per").ID
	if st, _, b := e.do(http.MethodPatch, "/api/v1/users/"+itoa(id), lofte.RoleAdmin, `{"disabled":true}`); st != 200 {
		t.Fatalf("disable: %d %s", st, b)
	}
	if st, _, _ := e.do(http.MethodGet, "/field", "", "", "Cookie", cookie); st != 401 {
		t.Errorf("the disabled user's session: %d, want 401", st)
	}
	if st, _, b := loginFrom(t, e, "per", "pers långa lösenord"); st != http.StatusForbidden || !strings.Contains(b, "avstängt") {
		t.Errorf("login when disabled: %d", st)
	}
	if st, _, b := e.do(http.MethodPatch, "/api/v1/users/"+itoa(id), lofte.RoleAdmin, `{"disabled":false}`); st != 200 {
		t.Fatalf("enable: %d %s", st, b)
	}
	if st, _, _ := loginFrom(t, e, "per", "pers långa lösenord"); st != http.StatusSeeOther {
		t.Errorf("login when enabled again: %d", st)
	}
	if got := e.auditActions(); !slices.Equal(got, []string{"user.disable", "user.enable"}) {
		t.Errorf("audit %v", got)
	}
}

// TestAdminCannotDisableThemselves: even with another admin to keep things running, a person
// does not lock themselves out; another admin may.
func TestAdminCannotDisableThemselves(t *testing.T) {
	e := newEnv(t)
	mustUser(t, e, "anna", lofte.RoleAdmin, "annas långa lösenord")
	mustUser(t, e, "bo", lofte.RoleAdmin, "bos långa lösenord")
	_, c, _ := login(t, e, "anna", "annas långa lösenord")
	cookie := "mlf_session=" + c.Value
	annaID := itoa(e.userByName("anna").ID)
	before := e.people()
	st, _, b := e.do(http.MethodPatch, "/api/v1/users/"+annaID, "", `{"disabled":true}`, "Cookie", cookie)
	if got := apiError(t, b); st != 409 || got.Field != "disabled" {
		t.Errorf("disabling oneself: %d %+v", st, got)
	}
	form := url.Values{"disabled": {"true"}}.Encode()
	st, _, page := e.do(http.MethodPost, "/users/"+annaID, "", form, append([]string{"Cookie", cookie}, formCT...)...)
	if st != 409 || !strings.Contains(string(page), "ditt eget konto") {
		t.Errorf("disabling oneself in the page: %d", st)
	}
	if diff := cmp.Diff(before, e.people()); diff != "" || len(e.auditActions()) != 0 {
		t.Errorf("the refusal changed something (-before +after)\n%s", diff)
	}
	// The page offers no way to do it.
	_, _, page = e.do(http.MethodGet, "/users", "", "", "Cookie", cookie)
	row := withAttr(mustParse(t, page), "data-user", annaID)
	if row == nil || strings.Contains(text(row), "Stäng av") {
		t.Errorf("the own row offers to disable: %v", row != nil)
	}
	if st, _, _ := e.do(http.MethodGet, "/users", "", "", "Cookie", cookie); st != 200 {
		t.Errorf("anna lost her session: %d", st)
	}
	_, c2, _ := login(t, e, "bo", "bos långa lösenord")
	if st, _, b := e.do(http.MethodPatch, "/api/v1/users/"+annaID, "", `{"disabled":true}`, "Cookie", "mlf_session="+c2.Value); st != 200 {
		t.Errorf("another admin disabling anna: %d %s", st, b)
	}
}

// TestUsersPage: the admin invites, changes, disables and resets people in the browser; a
// one-time password is shown once; a refusal shows the page again with the field marked and
// changes nothing.
func TestUsersPage(t *testing.T) {
	e := newEnv(t)
	c := mustSignIn(t, e, "anna", lofte.RoleAdmin, "annas långa lösenord")
	cookie := []string{"Cookie", "mlf_session=" + c.Value}
	post := func(path string, form url.Values) (int, []byte) {
		st, _, b := e.do(http.MethodPost, path, "", form.Encode(), append(slices.Clone(cookie), formCT...)...)
		return st, b
	}
	oneTime := func(page []byte) string {
		if n := withAttr(mustParse(t, page), "id", "one-time-password"); n != nil {
			return text(n)
		}
		return ""
	}
	st, page := post("/users", url.Values{"name": {"per"}, "role": {"officer"}})
	pw := oneTime(page)
	if st != 200 || len(pw) != 20 {
		t.Fatalf("invite: %d, password %q", st, pw)
	}
	if _, _, again := e.do(http.MethodGet, "/users", "", "", cookie...); oneTime(again) != "" || strings.Contains(string(again), pw) {
		t.Error("the one-time password is shown again")
	}
	per := itoa(e.userByName("per").ID)
	annaID := itoa(e.userByName("anna").ID)
	before := e.people()
	refusals := []struct {
		name, path string
		form       url.Values
		status     int
		field      string
	}{
		{"a taken name", "/users", url.Values{"name": {"Per"}, "role": {"council"}}, 409, "name"},
		{"an unknown role", "/users", url.Values{"name": {"lisa"}, "role": {"root"}}, 400, "role"},
		{"demote the last admin", "/users/" + annaID, url.Values{"role": {"council"}}, 409, "role"},
	}
	for _, r := range refusals {
		st, page := post(r.path, r.form)
		bad := withAttr(mustParse(t, page), "aria-invalid", "true")
		name, _ := attr(bad, "name")
		if st != r.status || bad == nil || name != r.field {
			t.Errorf("%s: %d, marked %q, want %d on %s", r.name, st, name, r.status, r.field)
		}
	}
	if diff := cmp.Diff(before, e.people()); diff != "" || len(e.auditActions()) != 1 {
		t.Errorf("refusals changed something (-before +after)\n%s", diff)
	}
	if st, _ := post("/users/"+per, url.Values{"role": {"council"}}); st != http.StatusSeeOther {
		t.Errorf("change role: %d", st)
	}
	if st, _ := post("/users/"+per, url.Values{"disabled": {"true"}}); st != http.StatusSeeOther || !e.userByName("per").Disabled {
		t.Errorf("disable: %d", st)
	}
	_, _, page = e.do(http.MethodGet, "/users", "", "", cookie...)
	if row := withAttr(mustParse(t, page), "data-user", per); row == nil || !strings.Contains(text(row), "Avstängd") {
		t.Error("per is not shown disabled")
	}
	if st, _ := post("/users/"+per, url.Values{"disabled": {"false"}}); st != http.StatusSeeOther || e.userByName("per").Disabled {
		t.Errorf("enable: %d", st)
	}
	st, page = post("/users/"+per, url.Values{"reset_password": {"true"}})
	if pw2 := oneTime(page); st != 200 || len(pw2) != 20 || pw2 == pw {
		t.Errorf("reset: %d, password %q", st, pw2)
	}
	want := []string{"user.create", "user.role", "user.disable", "user.enable", "user.reset_password"}
	if got := e.auditActions(); !slices.Equal(got, want) {
		t.Errorf("audit %v, want %v", got, want)
	}
	es, _ := e.db.FindAudit(context.Background(), lofte.AuditFilter{Action: "user.role"})
	if len(es) != 1 || es[0].Actor != "anna" || es[0].Object != "user:"+per || !strings.Contains(es[0].Detail, "per fick rollen BRÅ (var Polis)") {
		t.Errorf("role entry %+v", es)
	}
}
