package lofte

import (
	"slices"
	"time"
)

// SuspectGap is how soon after the previous answer on the same device an answer is
// implausible for a person, by the device's own clock.
const SuspectGap = 5 * time.Second

// MarkSuspect marks the responses completed less than SuspectGap after the device's previous
// answer. answeredAt[i] is when rs[i] was completed by the device's clock, and last is the
// device's latest earlier answer (zero when none is known). Answers are taken in the order
// they were completed, not sent, so a backlog synced in one burst is not suspect. It returns
// the device's latest answer.
func MarkSuspect(rs []*Response, answeredAt []time.Time, last time.Time) time.Time {
	order := make([]int, len(rs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return answeredAt[a].Compare(answeredAt[b]) })
	for _, i := range order {
		at := answeredAt[i]
		if gap := at.Sub(last); !last.IsZero() && gap >= 0 && gap < SuspectGap {
			rs[i].Suspect = true
		}
		if last.IsZero() || at.After(last) {
			last = at
		}
	}
	return last
}
