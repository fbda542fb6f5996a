package metrics

import (
	"medborgarlofte/internal/lofte"
)

// Scale returns the range the values of an outcome indicator lie in, for checking a
// promise's targets (lofte.Promise.ValidateTargets): survey shares and the delivery
// indicators (delivery_rate, announced_7d, feedback_closed) 0–1, means 1–5 (spec §5). Any
// other metric (a count, days, a distribution, one the engine does not compute) is no
// indicator and has none.
func Scale(code string) (lofte.Scale, bool) {
	switch {
	case isShare(code), isDeliveryIndicator(code):
		return lofte.Scale{Min: 0, Max: 1}, true
	case isMean(code):
		return lofte.Scale{Min: 1, Max: 5}, true
	}
	return lofte.Scale{}, false
}
