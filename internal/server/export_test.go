package server

import (
	"time"

	"medborgarlofte/internal/lofte"
)

// The access predicates, for the per-role table in access_test.go.
var (
	CanSeeDrafts        = canSeeDrafts
	CanSeeFieldLog      = canSeeFieldLog
	CanSeeOpenFeedback  = canSeeOpenFeedback
	CanModerateComments = canModerateComments
	CanDownloadReport   = canDownloadReport
	ForbiddenStopField  = forbiddenStopField
	KioskCookieMayCarry = kioskCookieMayCarry
	SeesPrivatePages    = seesPrivatePages
	HomeFor             = homeFor
)

// OneBasort is the basort of a figures scope, for metrics_test.go.
var OneBasort = oneBasort

// TemplateFuncs are the functions the page templates call, for templatefuncs_test.go.
var TemplateFuncs = templateFuncs

// RetryAfter is the Retry-After value for a wait, for ratelimit_test.go.
var RetryAfter = retryAfter

// MaxLimiterKeys is the most keys one in-memory limiter holds, for ratelimit_test.go.
const MaxLimiterKeys = maxLimiterKeys

// LimiterSizes is how many keys each in-memory limiter holds, for ratelimit_test.go.
func (s *Server) LimiterSizes() map[string]int {
	return map[string]int{"loginByName": s.loginByName.len(), "loginByClient": s.loginByClient.len(),
		"pairByClient": s.pairByClient.len()}
}

// AllowLoginName takes one try from the login limiter's bucket for name, as a login does.
func (s *Server) AllowLoginName(name string, now time.Time) bool {
	ok, _ := s.loginByName.allow(nameKey(name), now)
	return ok
}

// NameKey is the login limiter's key for a name, for ratelimit_test.go.
var NameKey = nameKey

// RecentAnswers is the kiosks' short memory of suspect.go, for suspect_test.go.
type RecentAnswers = recentAnswers

// Remember adds what a device sent at now.
func (r *recentAnswers) Remember(tokenID int64, batch []lofte.DeviceAnswer, now time.Time) {
	l := r.device(tokenID)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.add(batch, now)
}

// Recall returns what is remembered of a device at now, as judgeSuspect reads it.
func (r *recentAnswers) Recall(tokenID int64, now time.Time) []lofte.DeviceAnswer {
	r.sweep(now)
	l := r.device(tokenID)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(now)
	out := make([]lofte.DeviceAnswer, 0, len(l.arrivals)-l.head)
	for _, a := range l.arrivals[l.head:] {
		out = append(out, a.DeviceAnswer)
	}
	return out
}

// Sweep is the hourly sweep of every device's memory.
func (r *recentAnswers) Sweep(now time.Time) { r.sweep(now) }

// Held returns what a device's memory holds, unpruned.
func (r *recentAnswers) Held(tokenID int64) int {
	l := r.device(tokenID)
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.arrivals) - l.head
}

// RecentMax is the most answers remembered of one device.
const RecentMax = recentMax
