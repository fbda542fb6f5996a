package server

import (
	"math"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiters keeps one token bucket per key: a lower-cased user name or a client IP address
// for login attempts, a client IP address for pairing attempts, a kiosk token's id for
// submitted answers. Keys live in memory only (a restart starts every bucket full) and are
// never logged. Once more than 10,000 keys are held, every call forgets the keys idle for
// over 10 minutes, whose buckets have refilled by then at the rates in use; memory is thus
// bounded by the keys seen in the last 10 minutes, not by a fixed number.
type limiters struct {
	mu    sync.Mutex
	every rate.Limit
	burst int
	m     map[string]*limiterEntry
}

type limiterEntry struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiters(perSecond float64, burst int) *limiters {
	return &limiters{every: rate.Limit(perSecond), burst: burst, m: map[string]*limiterEntry{}}
}

// allow takes one event from key's bucket at now; when none is left it takes nothing and
// says how long to wait.
func (l *limiters) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.m) > 10000 {
		for k, e := range l.m {
			if now.Sub(e.seen) > 10*time.Minute {
				delete(l.m, k)
			}
		}
	}
	e, ok := l.m[key]
	if !ok {
		e = &limiterEntry{lim: rate.NewLimiter(l.every, l.burst)}
		l.m[key] = e
	}
	e.seen = now
	r := e.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// retryAfter is the Retry-After value for a wait: whole seconds rounded up, at least one, so
// a client never comes back too soon.
func retryAfter(wait time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(wait.Seconds()))))
}
