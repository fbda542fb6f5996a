package metrics

import (
	"math"

	"medborgarlofte/internal/lofte"
)

// Scale returns the range the metric's values lie in, for checking a promise's targets
// (lofte.Promise.ValidateTargets): shares and rates 0–1, means 1–5, counts and days from 0
// up. Distributions and metrics the engine does not compute have none.
func Scale(code string) (lofte.Scale, bool) {
	for _, d := range shareDefs {
		if d.Code == code {
			return lofte.Scale{Min: 0, Max: 1}, true
		}
	}
	for _, d := range meanDefs {
		if d.Code == code {
			return lofte.Scale{Min: 1, Max: 5}, true
		}
	}
	switch code {
	case "delivery_rate", "announced_7d", "feedback_closed":
		return lofte.Scale{Min: 0, Max: 1}, true
	}
	for _, d := range distItems {
		if d == code {
			return lofte.Scale{}, false
		}
	}
	for _, d := range Definitions {
		if d.Code == code {
			return lofte.Scale{Min: 0, Max: math.Inf(1)}, true
		}
	}
	return lofte.Scale{}, false
}
