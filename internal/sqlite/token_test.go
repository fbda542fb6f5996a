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
	revoked, err := db.RevokeToken(ctx, tok.ID)
	if err != nil || revoked.ID != tok.ID || revoked.Name != "surfplatta-1" || revoked.Role != lofte.RoleKiosk || revoked.RevokedAt == nil {
		t.Fatalf("RevokeToken = %+v, %v; want the token as revoked", revoked, err)
	}
	if _, err := db.FindTokenByHash(ctx, "abc"); lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
		t.Errorf("revoked token: err = %v", err)
	}
	if _, err := db.RevokeToken(ctx, tok.ID); lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
		t.Errorf("revoking twice: err = %v, want not found", err)
	}
	if err := db.CreateToken(ctx, &lofte.Token{Name: "x", Role: "root", Hash: "def"}); lofte.ErrorCodeOf(err) != lofte.EINVALID {
		t.Errorf("unknown role: err = %v", err)
	}
}

func TestRenameAndListTokens(t *testing.T) {
	db, _ := MustSeed(t)
	ctx := context.Background()
	k := &lofte.Token{Name: "Surfplatta 2018-03-01 10.00", Role: lofte.RoleKiosk, Hash: "k"}
	a := &lofte.Token{Name: "excel", Role: lofte.RoleCouncil, Hash: "c"}
	for _, tok := range []*lofte.Token{k, a} {
		if err := db.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RenameToken(ctx, k.ID, "Tollarp-plattan"); err != nil {
		t.Fatal(err)
	}
	if err := db.RenameToken(ctx, k.ID, " "); lofte.ErrorCodeOf(err) != lofte.EINVALID {
		t.Errorf("empty name: err = %v", err)
	}
	if _, err := db.RevokeToken(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.RenameToken(ctx, a.ID, "x"); lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
		t.Errorf("renaming a revoked token: err = %v", err)
	}
	all, err := db.FindTokens(ctx, "")
	if err != nil || len(all) != 2 || all[0].ID != a.ID || all[0].RevokedAt == nil || all[1].Name != "Tollarp-plattan" {
		t.Fatalf("FindTokens(all) = %+v, %v", all, err)
	}
	kiosks, err := db.FindTokens(ctx, lofte.RoleKiosk)
	if err != nil || len(kiosks) != 1 || kiosks[0].ID != k.ID {
		t.Errorf("FindTokens(kiosk) = %+v, %v", kiosks, err)
	}
}
