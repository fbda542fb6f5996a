package auth

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestNewToken(t *testing.T) {
	a, ha := NewToken()
	b, hb := NewToken()
	if a == b || ha == hb {
		t.Fatal("two tokens are equal")
	}
	if !LooksLikeToken(a) {
		t.Errorf("LooksLikeToken(%q) = false", a)
	}
	if Hash(a) != ha {
		t.Error("Hash does not reproduce the stored hash")
	}
	if strings.Contains(ha, a) {
		t.Error("hash contains the token")
	}
	for _, bad := range []string{"", "mlt_", "abc", TokenPrefix + strings.Repeat("x", 10)} {
		if LooksLikeToken(bad) {
			t.Errorf("LooksLikeToken(%q) = true", bad)
		}
	}
}

func TestPassword(t *testing.T) {
	bcryptCost = 4
	h, err := HashPassword("rätt häst batteri")
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, "rätt häst batteri") {
		t.Error("right password refused")
	}
	if CheckPassword(h, "fel") {
		t.Error("wrong password accepted")
	}
	if _, err := HashPassword(strings.Repeat("a", 73)); err == nil {
		t.Error("73-byte password accepted")
	}
	if p := GeneratePassword(); len(p) != 20 || p == GeneratePassword() {
		t.Errorf("GeneratePassword() = %q", p)
	}
}

// TestDummyHash: the hash an unknown name is checked against is a real bcrypt hash at the
// cost real passwords get, so it takes as long.
func TestDummyHash(t *testing.T) {
	if !CheckPassword(dummyHash, "medborgarlofte-dummy") {
		t.Error("dummyHash is not the hash of its password")
	}
	if cost, err := bcrypt.Cost([]byte(dummyHash)); err != nil || cost != bcrypt.DefaultCost {
		t.Errorf("dummyHash cost %d (%v), want %d", cost, err, bcrypt.DefaultCost)
	}
}
