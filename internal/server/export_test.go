package server

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
