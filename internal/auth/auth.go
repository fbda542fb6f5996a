// Package auth makes and checks secrets: bearer tokens and session ids (random, stored as
// SHA-256 hashes) and passwords (bcrypt).
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"medborgarlofte/internal/lofte"
)

// TokenPrefix starts every bearer token, so a leaked one is easy to recognise and scan for.
const TokenPrefix = "mlt_"

// NewSecret returns a random secret with prefix and its hash for storage.
func NewSecret(prefix string) (plain, hash string) {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand panics rather than return an error)
	plain = prefix + base64.RawURLEncoding.EncodeToString(b)
	return plain, Hash(plain)
}

// NewToken returns a new bearer token and its hash.
func NewToken() (plain, hash string) { return NewSecret(TokenPrefix) }

// Hash returns the storage form of a high-entropy secret. A fast hash suffices because the
// secret is 256 random bits, not something a person chose.
func Hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// LooksLikeToken reports whether s has the shape of a token, so garbage is refused before
// any lookup.
func LooksLikeToken(s string) bool {
	return strings.HasPrefix(s, TokenPrefix) && len(s) == len(TokenPrefix)+43
}

// bcryptCost is bcrypt's default; tests may lower it.
var bcryptCost = bcrypt.DefaultCost

// MaxPasswordLen is the longest password accepted, in bytes: bcrypt reads no further, so a
// longer one is refused rather than silently cut. The rule's home is the domain's.
const MaxPasswordLen = lofte.MaxPasswordLen

// HashPassword returns the bcrypt hash of a password.
func HashPassword(pw string) (string, error) {
	if len(pw) > MaxPasswordLen {
		return "", fmt.Errorf("password longer than %d bytes", MaxPasswordLen)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcryptCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// CheckPassword reports whether pw matches hash.
func CheckPassword(hash, pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// dummyHash is compared against when a user does not exist, so timing does not tell: the
// bcrypt hash of "medborgarlofte-dummy" at bcrypt.DefaultCost, written out rather than made at
// start, which cost every command a tenth of a second (TestDummyHash checks it).
const dummyHash = "$2a$10$y.JZdx7wBxVv3Fbr4ccDiOjrHBFaNWsI1Don8k8V9NY1L2gRCq8H2"

// CheckNoUser spends the time a password check would, for a name that does not exist.
func CheckNoUser(pw string) {
	bcrypt.CompareHashAndPassword([]byte(dummyHash), []byte(pw))
}

// GeneratePassword returns a random password of 20 characters that is easy to type.
func GeneratePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
