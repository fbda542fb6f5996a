package server

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiters hands out one token bucket per key (a user name, a token id), forgetting idle
// keys so memory stays bounded. Keys live in memory only and are never logged.
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

// reserve takes one event for key and says how long to wait when none is left.
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
