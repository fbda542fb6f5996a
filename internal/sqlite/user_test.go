package sqlite_test

import (
	"context"
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
)

func TestUsersAndSessions(t *testing.T) {
	db, _ := MustSeed(t)
	ctx := context.Background()
	u := &lofte.User{Name: "Anna", Role: lofte.RoleCouncil, PasswordHash: "hash"}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	err := db.CreateUser(ctx, &lofte.User{Name: "anna", Role: lofte.RoleAdmin, PasswordHash: "h"})
	if e := lofte.AsError(err); e == nil || e.Code != lofte.ECONFLICT || e.Field != "name" {
		t.Errorf("same name other case: err = %v, want conflict on name", err)
	}
	if n, _ := db.CountUsers(ctx, lofte.RoleAdmin); n != 0 {
		t.Errorf("admins = %d, want 0", n)
	}
	now := time.Date(2018, 3, 1, 9, 0, 0, 0, time.UTC)
	if err := db.CreateSession(ctx, &lofte.Session{Hash: "s1", UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if s, err := db.FindSession(ctx, "s1", now.Add(30*time.Minute)); err != nil || s.UserID != u.ID {
		t.Errorf("live session: %v %v", s, err)
	}
	if _, err := db.FindSession(ctx, "s1", now.Add(2*time.Hour)); lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
		t.Errorf("expired session: err = %v", err)
	}
	if err := db.DeleteSession(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindSession(ctx, "s1", now); lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
		t.Errorf("deleted session: err = %v", err)
	}
	if err := db.CreateSession(ctx, &lofte.Session{Hash: "s2", UserID: 999, CreatedAt: now, ExpiresAt: now}); lofte.ErrorCodeOf(err) != lofte.EINVALID {
		t.Errorf("session for a missing user: err = %v, want invalid (foreign key)", err)
	}
}

// TestUpdateUser changes users in a database with one admin: what would leave nobody to
// administer the app is refused and changes nothing; disabling and new passwords end the
// user's sessions.
func TestUpdateUser(t *testing.T) {
	db, _ := MustSeed(t)
	ctx := context.Background()
	now := time.Date(2018, 3, 1, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	mk := func(name string, role lofte.Role) *lofte.User {
		u := &lofte.User{Name: name, Role: role, PasswordHash: "h-" + name, MustChangePassword: true}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateSession(ctx, &lofte.Session{Hash: "s-" + name, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		return u
	}
	anna, per := mk("anna", lofte.RoleAdmin), mk("per", lofte.RoleOfficer)
	yes, no := true, false
	council, admin := lofte.RoleCouncil, lofte.RoleAdmin
	live := func(name string) bool {
		_, err := db.FindSession(ctx, "s-"+name, now)
		return err == nil
	}
	steps := []struct {
		name     string
		id       int64
		upd      lofte.UserUpdate
		code     lofte.ErrorCode
		field    string
		want     lofte.User // role, disabled, hash, must change of the stored user after the step
		sessions bool       // whether the user's session lives on
	}{
		{"demote the only admin", anna.ID, lofte.UserUpdate{Role: &council}, lofte.ECONFLICT, "role",
			lofte.User{Role: admin, PasswordHash: "h-anna", MustChangePassword: true}, true},
		{"disable the only admin", anna.ID, lofte.UserUpdate{Disabled: &yes}, lofte.ECONFLICT, "disabled",
			lofte.User{Role: admin, PasswordHash: "h-anna", MustChangePassword: true}, true},
		{"a device role", per.ID, lofte.UserUpdate{Role: new(lofte.RoleKiosk)}, lofte.EINVALID, "role",
			lofte.User{Role: lofte.RoleOfficer, PasswordHash: "h-per", MustChangePassword: true}, true},
		{"nobody", 999, lofte.UserUpdate{Disabled: &yes}, lofte.ENOTFOUND, "", lofte.User{}, false},
		{"promote per", per.ID, lofte.UserUpdate{Role: &admin}, "", "",
			lofte.User{Role: admin, PasswordHash: "h-per", MustChangePassword: true}, true},
		{"now anna may go", anna.ID, lofte.UserUpdate{Disabled: &yes}, "", "",
			lofte.User{Role: admin, Disabled: true, PasswordHash: "h-anna", MustChangePassword: true}, false},
		{"and per may not", per.ID, lofte.UserUpdate{Disabled: &yes}, lofte.ECONFLICT, "disabled",
			lofte.User{Role: admin, PasswordHash: "h-per", MustChangePassword: true}, true},
		{"anna back", anna.ID, lofte.UserUpdate{Disabled: &no}, "", "",
			lofte.User{Role: admin, PasswordHash: "h-anna", MustChangePassword: true}, false},
		{"per's own password", per.ID, lofte.UserUpdate{PasswordHash: new("h-per-2")}, "", "",
			lofte.User{Role: admin, PasswordHash: "h-per-2"}, false},
	}
	for _, st := range steps {
		u, err := db.UpdateUser(ctx, st.id, st.upd)
		if e := lofte.AsError(err); lofte.ErrorCodeOf(err) != st.code || (e != nil && e.Field != st.field) {
			t.Fatalf("%s: err = %v, want %q on %q", st.name, err, st.code, st.field)
		}
		if st.code == lofte.ENOTFOUND {
			continue
		}
		stored, err := db.FindUserByID(ctx, st.id)
		if err != nil {
			t.Fatal(err)
		}
		if u != nil && (u.Role != stored.Role || u.Disabled != stored.Disabled) {
			t.Errorf("%s: returned %+v, stored %+v", st.name, u, stored)
		}
		got := lofte.User{Role: stored.Role, Disabled: stored.Disabled, PasswordHash: stored.PasswordHash, MustChangePassword: stored.MustChangePassword}
		if got != st.want {
			t.Errorf("%s: stored %+v, want %+v", st.name, got, st.want)
		}
		if l := live(stored.Name); l != st.sessions {
			t.Errorf("%s: session lives %v, want %v", st.name, l, st.sessions)
		}
	}
	us, err := db.FindUsers(ctx)
	if err != nil || len(us) != 2 || us[0].Name != "anna" || us[1].Name != "per" {
		t.Errorf("FindUsers = %v, %v", us, err)
	}
}
