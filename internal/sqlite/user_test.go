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
