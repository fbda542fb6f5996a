package server

import (
	"container/list"
	"hash/maphash"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/time/rate"
)

// maxLimiterKeys is how many keys one limiter holds at most. An entry costs about 200 bytes,
// so a limiter never holds more than about 2 MB, whatever a flood of names or addresses.
const maxLimiterKeys = 10_000

// limiters keeps one token bucket per key: a normalised user name or a client address for
// login attempts, a client address for pairing attempts, a kiosk token's id for submitted
// answers. Keys live in memory only (a restart starts every bucket full) and are never
// logged.
//
// Memory is bounded by count and by size: a key is kept as a 64-bit hash (seeded per
// process, so nobody can aim two names at one bucket), and past maxLimiterKeys the bucket
// used longest ago is forgotten. That one has almost always refilled, so forgetting it
// changes nothing; to forget a bucket that has not, a stranger must bring maxLimiterKeys new
// keys within its refill time, and for login names each costs a password check.
type limiters struct {
	every rate.Limit
	burst int
	max   int
	seed  maphash.Seed

	mu  sync.Mutex
	m   map[uint64]*list.Element
	lru list.List // of *limiterEntry, most recently used first
}

type limiterEntry struct {
	key uint64
	lim *rate.Limiter
}

func newLimiters(perSecond float64, burst int) *limiters {
	l := &limiters{every: rate.Limit(perSecond), burst: burst, max: maxLimiterKeys,
		seed: maphash.MakeSeed(), m: map[uint64]*list.Element{}}
	l.lru.Init()
	return l
}

// allow takes one event from key's bucket at now; when none is left it takes nothing and
// says how long to wait.
func (l *limiters) allow(key string, now time.Time) (bool, time.Duration) {
	h := maphash.String(l.seed, key)
	l.mu.Lock()
	defer l.mu.Unlock()
	var e *limiterEntry
	if el, ok := l.m[h]; ok {
		l.lru.MoveToFront(el)
		e = el.Value.(*limiterEntry)
	} else {
		if len(l.m) >= l.max {
			old := l.lru.Back()
			l.lru.Remove(old)
			delete(l.m, old.Value.(*limiterEntry).key)
		}
		e = &limiterEntry{key: h, lim: rate.NewLimiter(l.every, l.burst)}
		l.m[h] = l.lru.PushFront(e)
	}
	r := e.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// len is how many keys the limiter holds.
func (l *limiters) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.m)
}

// nameKey is the login limiter's key for a user name: trimmed, inner runs of white space made
// one space, Unicode-normalised and case-folded, so "Anna", " anna " and "ANNA" share one
// bucket (the store finds users in any letter case). Callers check the length first.
func nameKey(name string) string {
	name = strings.Join(strings.Fields(name), " ")
	return "name:" + cases.Fold().String(norm.NFKC.String(name))
}

// clientKey is the limiter key for the client making the request: its address as gin's
// ClientIP gives it, which reads X-Forwarded-For only when the direct peer is a configured
// trusted proxy. An IPv6 client is keyed by its /64, the block one household or host gets,
// so rotating addresses inside it does not give fresh buckets.
func clientKey(c *gin.Context) string {
	ip := c.ClientIP()
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return "client:" + ip
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return "client:" + p.String()
	}
	return "client:" + a.String()
}

// renderTooMany shows a form page again, its error set by the caller, with 429 and the wait in
// Retry-After.
func (s *Server) renderTooMany(c *gin.Context, wait time.Duration, name string, page any) error {
	c.Header("Retry-After", retryAfter(wait))
	s.render(c, http.StatusTooManyRequests, name, page)
	return nil
}

// retryAfter is the Retry-After value for a wait: whole seconds rounded up, at least one, so
// a client never comes back too soon.
func retryAfter(wait time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(wait.Seconds()))))
}
