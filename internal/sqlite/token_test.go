package sqlite_test

import (
	"context"
	"testing"

	"medborgarlofte/internal/lofte"
)

func TestTokens(t *testing.T) {
	db, _ := MustSeed(t)
	ctx := context.Background()
	tok := &lofte.Token{Name: "surfplatta-1", Role: lofte.RoleKiosk, Hash: "abc"}
	if err := db.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindTokenByHash(ctx, "abc")
	if err != nil || got.Role != lofte.RoleKiosk || got.Name != "surfplatta-1" {
		t.Fatalf("FindTokenByHash = %+v, %v", got, err)
	}
	if err := db.CreateToken(ctx, &lofte.Token{Name: "x", Role: lofte.RoleKiosk, Hash: "abc"}); lofte.ErrorCodeOf(err) != lofte.ECONFLICT {
		t.Errorf("same hash twice: err = %v, want conflict", err)
	}
	if err := db.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindTokenByHash(ctx, "abc"); lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
		t.Errorf("revoked token: err = %v", err)
	}
	if err := db.CreateToken(ctx, &lofte.Token{Name: "x", Role: "root", Hash: "def"}); lofte.ErrorCodeOf(err) != lofte.EINVALID {
		t.Errorf("unknown role: err = %v", err)
	}
}
