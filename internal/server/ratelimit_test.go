package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"medborgarlofte/internal/server"
)

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		wait time.Duration
		want string
	}{
		{0, "1"},
		{300 * time.Millisecond, "1"},
		{time.Second, "1"},
		{1200 * time.Millisecond, "2"},
		{12 * time.Second, "12"},
	}
	for _, tt := range tests {
		if got := server.RetryAfter(tt.wait); got != tt.want {
			t.Errorf("RetryAfter(%v) = %q, want %q", tt.wait, got, tt.want)
		}
	}
}

// TestLoginFloodOfLongNamesKeepsNothing: a name longer than any account's is refused before
// any limiter sees it, so a flood of huge names leaves nothing behind (it once kept each name
// whole: 1,000 names of 1.9 MB took the heap from 27 to 2,981 MiB).
func TestLoginFloodOfLongNamesKeepsNothing(t *testing.T) {
	e := newEnv(t)
	h := e.app.Handler()
	big := strings.Repeat("x", 1<<20)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range 1000 {
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader("password=p&name="+strconv.Itoa(i)+big))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("login %d with a 1 MB name: %d, want 400", i, rec.Code)
		}
		if strings.Contains(rec.Body.String(), big[:200]) {
			t.Fatal("the page echoes the huge name")
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	grown := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) >> 20
	t.Logf("heap after 1,000 logins with 1 MB names: %d → %d MiB", before.HeapAlloc>>20, after.HeapAlloc>>20)
	for name, n := range e.app.LimiterSizes() {
		if n != 0 {
			t.Errorf("%s holds %d keys after names no account can have", name, n)
		}
	}
	if grown > 64 {
		t.Errorf("heap grew by %d MiB", grown)
	}
}

// TestLoginLimiterIsBounded: 100,000 distinct short names, each a possible account, keep the
// per-name limiter at its cap, and the buckets in use are the ones kept.
func TestLoginLimiterIsBounded(t *testing.T) {
	e := newEnv(t)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range 100_000 {
		e.app.AllowLoginName("namn-"+strconv.Itoa(i), now)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("heap grew by %d KiB for 100,000 names", (int64(after.HeapAlloc)-int64(before.HeapAlloc))>>10)
	if n := e.app.LimiterSizes()["loginByName"]; n > server.MaxLimiterKeys || n == 0 {
		t.Errorf("per-name limiter holds %d keys, cap %d", n, server.MaxLimiterKeys)
	}
	// The most recent name's bucket is remembered: it had one try, has four left.
	for i := range 5 {
		if ok := e.app.AllowLoginName("namn-99999", now); ok != (i < 4) {
			t.Errorf("try %d after the flood: allowed %v", i+2, ok)
		}
	}
}

func TestNameKey(t *testing.T) {
	same := [][]string{
		{"admin-anna", "Admin-Anna", " ADMIN-ANNA ", "admin-anna\t", "\u00a0admin-anna"},
		{"bra lisa", "bra  lisa", "Bra\tLisa"},
		{"åsa", "Åsa", "A\u030asa"}, // precomposed and combining ring
	}
	for _, group := range same {
		for _, n := range group[1:] {
			if server.NameKey(n) != server.NameKey(group[0]) {
				t.Errorf("%q and %q have different buckets", n, group[0])
			}
		}
	}
	if server.NameKey("admin-anna") == server.NameKey("admin-anne") {
		t.Error("different names share a bucket")
	}
}

// TestClientAddressBehindProxy: the per-client bucket is keyed by the real client, read from
// X-Forwarded-For only when the direct peer (here 127.0.0.1) is a trusted proxy. Pairing's
// per-client limit (10 tries) shows it: client A uses up its bucket, then another request
// is refused or not.
func TestClientAddressBehindProxy(t *testing.T) {
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	tests := []struct {
		name    string
		trusted []netip.Prefix
		a, b    string // X-Forwarded-For of client A, who uses up its bucket, and of the next request
		limited bool
	}{
		{"behind a trusted proxy, two clients", loopback, "203.0.113.1", "203.0.113.2", false},
		{"behind a trusted proxy, same client", loopback, "203.0.113.1", "203.0.113.1", true},
		{"client prepends a made-up address", loopback, "203.0.113.1", "198.51.100.7, 203.0.113.1", true},
		{"no trusted proxy: header ignored", nil, "203.0.113.1", "203.0.113.2", true},
		{"peer not in the trusted net", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, "203.0.113.1", "203.0.113.2", true},
		{"IPv6: same /64", loopback, "2001:db8::1", "2001:db8::2", true},
		{"IPv6: another /64", loopback, "2001:db8::1", "2001:db8:0:1::1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *server.Config) { c.TrustedProxies = tt.trusted })
			pair := func(xff string) (int, http.Header) {
				st, h, _ := e.do(http.MethodPost, "/kiosk/pair", "", "code=fel", "Content-Type", "application/x-www-form-urlencoded",
					"X-Forwarded-For", xff)
				return st, h
			}
			for i := range 10 {
				if st, _ := pair(tt.a); st != http.StatusBadRequest {
					t.Fatalf("try %d: %d, want 400", i+1, st)
				}
			}
			if st, _ := pair(tt.a); st != http.StatusTooManyRequests {
				t.Fatalf("client A's 11th try: %d, want 429", st)
			}
			st, h := pair(tt.b)
			if got := st == http.StatusTooManyRequests; got != tt.limited {
				t.Errorf("next request: %d, limited %v, want %v", st, got, tt.limited)
			}
			if tt.limited && h.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		})
	}
}
