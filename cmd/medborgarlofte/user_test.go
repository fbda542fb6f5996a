package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite"
)

// openTestDB opens a database the commands wrote, to look at what they stored.
func openTestDB(t *testing.T, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestUserCommands runs the user subcommands in turn on one database with one admin: the
// same rules as the web hold (the last active admin stays), each change is audited, and a
// refusal exits with one line and changes nothing.
func TestUserCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	if code, _, stderr := runBin(t, "", "user", "add", "--name", "anna", "--role", "admin", "--db", db); code != 0 {
		t.Fatalf("add anna: %s", stderr)
	}
	if code, _, stderr := runBin(t, "pers långa lösenord\n", "user", "add", "--name", "per", "--role", "officer", "--db", db); code != 0 {
		t.Fatalf("add per: %s", stderr)
	}
	steps := []struct {
		name  string
		stdin string
		args  []string
		code  int
		// out is in stdout when the command succeeds, err in stderr's last line.
		out, err string
	}{
		{"list", "", []string{"user", "list"}, 0, "anna", ""},
		{"disable the last admin", "", []string{"user", "disable", "--name", "anna"}, 1, "", "enda aktiva administratören; utse en annan administratör först (disabled)"},
		{"disable nobody", "", []string{"user", "disable", "--name", "nisse"}, 1, "", "finns inte"},
		{"disable without a name", "", []string{"user", "disable"}, 2, "", "--name"},
		{"disable per", "", []string{"user", "disable", "--name", "PER"}, 0, "", "avstängd"},
		{"listed as disabled", "", []string{"user", "list"}, 0, "avstängd", ""},
		{"enable per", "", []string{"user", "enable", "--name", "per"}, 0, "", "kan logga in igen"},
		{"a short password", "kort\n", []string{"user", "passwd", "--name", "per"}, 2, "", "user passwd: lösenordet"},
		{"a chosen password", "pers nya lösenord\n", []string{"user", "passwd", "--name", "per"}, 0, "", "nytt lösenord"},
		{"a generated password", "", []string{"user", "passwd", "--name", "anna"}, 0, "", "visas bara nu"},
		{"an unknown subcommand", "", []string{"user", "delete", "--name", "per"}, 2, "", "user add|list|disable|enable|passwd"},
	}
	for _, st := range steps {
		code, stdout, stderr := runBin(t, st.stdin, append(st.args, "--db", db)...)
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		if code != st.code || !strings.Contains(stdout, st.out) || !strings.Contains(lines[len(lines)-1], st.err) {
			t.Errorf("%s: code %d, stdout %q, stderr %q", st.name, code, stdout, stderr)
		}
	}
	s := openTestDB(t, db)
	ctx := context.Background()
	anna, _ := s.FindUserByName(ctx, "anna")
	per, _ := s.FindUserByName(ctx, "per")
	if anna.Disabled || anna.Role != lofte.RoleAdmin || !anna.MustChangePassword {
		t.Errorf("anna %+v: want an active admin who must choose a password", anna)
	}
	if per.Disabled || per.MustChangePassword {
		t.Errorf("per %+v: want active with the password piped in", per)
	}
	es, err := s.FindAudit(ctx, lofte.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range es {
		actions = append([]string{e.Action}, actions...)
		if e.Actor != "kommandoraden" {
			t.Errorf("actor %q", e.Actor)
		}
	}
	want := "user.create user.create user.disable user.enable user.reset_password user.reset_password"
	if got := strings.Join(actions, " "); got != want {
		t.Errorf("audit %s, want %s", got, want)
	}
}

// TestTokenCommands lists and revokes tokens; a revoked one leaves the list and cannot be
// revoked again.
func TestTokenCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	code, secret, _ := runBin(t, "", "token", "create", "--role", "council", "--name", "excel-hamtning", "--db", db)
	if code != 0 {
		t.Fatal("token create failed")
	}
	code, out, _ := runBin(t, "", "token", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "excel-hamtning") || !strings.Contains(out, "aldrig") || strings.Contains(out, strings.TrimSpace(secret)) {
		t.Errorf("list: %d %q", code, out)
	}
	if code, _, stderr := runBin(t, "", "token", "revoke", "--db", db); code != 2 || !strings.Contains(stderr, "--id") {
		t.Errorf("revoke without id: %d %q", code, stderr)
	}
	if code, _, stderr := runBin(t, "", "token", "revoke", "--id", "1", "--db", db); code != 0 || !strings.Contains(stderr, "excel-hamtning") {
		t.Errorf("revoke: %d %q", code, stderr)
	}
	if code, _, stderr := runBin(t, "", "token", "revoke", "--id", "1", "--db", db); code != 1 || !strings.Contains(stderr, "redan återkallad") {
		t.Errorf("revoke again: %d %q", code, stderr)
	}
	if _, out, _ := runBin(t, "", "token", "list", "--db", db); strings.Contains(out, "excel-hamtning") {
		t.Errorf("a revoked token is listed: %q", out)
	}
	if code, _, stderr := runBin(t, "", "token", "list", "--db", filepath.Join(t.TempDir(), "none.db")); code != 1 || !strings.Contains(stderr, "finns inte") {
		t.Errorf("list of a missing database: %d %q", code, stderr)
	}
	es, _ := openTestDB(t, db).FindAudit(context.Background(), lofte.AuditFilter{})
	if len(es) != 2 || es[0].Action != "token.revoke" || es[1].Action != "token.create" {
		t.Errorf("audit %+v", es)
	}
}
