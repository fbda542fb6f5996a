package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"medborgarlofte/internal/lofte"
)

// TestOneTimePasswordMustBeReplaced: a person invited with a one-time password is led to
// choose their own before anything else, and then lands where they were going; the one-time
// password and the session it opened stop working.
func TestOneTimePasswordMustBeReplaced(t *testing.T) {
	e := newEnv(t)
	st, _, b := e.do(http.MethodPost, "/api/v1/users", lofte.RoleAdmin, `{"name":"per","role":"officer"}`)
	var out struct{ Password string }
	if err := json.Unmarshal(b, &out); err != nil || st != 201 {
		t.Fatalf("invite: %d %s", st, b)
	}
	st, h, _ := loginFrom(t, e, "per", out.Password)
	if st != http.StatusSeeOther || h.Get("Location") != "/field" {
		t.Fatalf("login: %d to %q, want the field log", st, h.Get("Location"))
	}
	first := cookieFrom(h, "mlf_session")
	cookie := []string{"Cookie", "mlf_session=" + first}
	// A page leads to the password form and back; the API is refused.
	st, h, _ = e.do(http.MethodGet, "/field?promise=1", "", "", append(slices.Clone(cookie), "Accept", "text/html")...)
	if st != http.StatusSeeOther || h.Get("Location") != "/password?next="+url.QueryEscape("/field?promise=1") {
		t.Errorf("the field log: %d to %q", st, h.Get("Location"))
	}
	if st, _, b := e.do(http.MethodGet, "/api/v1/metrics", "", "", cookie...); st != 403 || !strings.Contains(apiError(t, b).Message, "/password") {
		t.Errorf("the API: %d %s", st, b)
	}
	if st, _, _ := e.do(http.MethodGet, "/", "", "", cookie...); st != 200 {
		t.Errorf("the public schedule: %d", st)
	}
	st, _, page := e.do(http.MethodGet, "/password?next=%2Ffield", "", "", cookie...)
	if st != 200 || withAttr(mustParse(t, page), "id", "must-choose") == nil {
		t.Fatalf("password page: %d", st)
	}
	post := func(current, pw, repeat string) (int, http.Header, []byte) {
		form := url.Values{"current": {current}, "password": {pw}, "repeat": {repeat}, "next": {"/field"}}.Encode()
		return e.do(http.MethodPost, "/password", "", form, append(slices.Clone(cookie), formCT...)...)
	}
	mine := "pers egen långa mening"
	refusals := []struct{ name, current, pw, repeat, field string }{
		{"wrong current password", "fel", mine, mine, "current"},
		{"too short", out.Password, "kort", "kort", "password"},
		{"not repeated", out.Password, mine, mine + "!", "repeat"},
		{"the same again", out.Password, out.Password, out.Password, "password"},
	}
	for _, r := range refusals {
		st, _, page := post(r.current, r.pw, r.repeat)
		bad := withAttr(mustParse(t, page), "aria-invalid", "true")
		name, _ := attr(bad, "name")
		if st != 400 || name != r.field {
			t.Errorf("%s: %d, marked %q, want 400 on %s", r.name, st, name, r.field)
		}
	}
	if len(e.auditActions()) != 1 || !e.userByName("per").MustChangePassword {
		t.Fatal("a refused password changed something")
	}
	st, h, _ = post(out.Password, mine, mine)
	second := cookieFrom(h, "mlf_session")
	if st != http.StatusSeeOther || h.Get("Location") != "/field" || second == "" || second == first {
		t.Fatalf("save: %d to %q, new session %v", st, h.Get("Location"), second != "")
	}
	if st, _, _ := e.do(http.MethodGet, "/field", "", "", "Cookie", "mlf_session="+second); st != 200 {
		t.Errorf("the field log with the new session: %d", st)
	}
	if st, _, _ := e.do(http.MethodGet, "/field", "", "", cookie...); st != 401 {
		t.Errorf("the one-time session: %d, want 401", st)
	}
	if st, _, _ := loginFrom(t, e, "per", out.Password); st != 401 {
		t.Errorf("the one-time password: %d, want 401", st)
	}
	if got := e.auditActions(); !slices.Equal(got, []string{"user.create", "user.password"}) {
		t.Errorf("audit %v", got)
	}
	// A token has no password to change.
	if st, _, _ := e.do(http.MethodGet, "/password", lofte.RoleOfficer, ""); st != 409 {
		t.Errorf("a token on the password page: %d, want 409", st)
	}
}
