package server

import "time"

// The access predicates, for the per-role table in access_test.go.
var (
	CanSeeDrafts        = canSeeDrafts
	CanSeeFieldLog      = canSeeFieldLog
	CanSeeOpenFeedback  = canSeeOpenFeedback
	CanModerateComments = canModerateComments
	CanDownloadReport   = canDownloadReport
	ForbiddenStopField  = forbiddenStopField
	KioskCookieMayCarry = kioskCookieMayCarry
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
