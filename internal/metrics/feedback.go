package metrics

import (
	"medborgarlofte/internal/lofte"
	"slices"
)

// ScopeFeedback returns the feedback items that belong to the scope, by the rule the
// feedback_closed figure counts them with, so a listing of the items matches the figure.
func (in Input) ScopeFeedback(sc Scope) []*lofte.FeedbackItem {
	stops := map[int64]bool{}
	for _, s := range in.Stops {
		if s.Status.Public() && in.inScope(s, sc) {
			stops[s.ID] = true
		}
	}
	var out []*lofte.FeedbackItem
	for _, f := range in.Feedback {
		if in.feedbackInScope(f, sc, stops) {
			out = append(out, f)
		}
	}
	return out
}

// feedbackInScope: an item belongs to the scope of its stop, or, without a stop, of its
// basort and the day it was made.
func (in Input) feedbackInScope(f *lofte.FeedbackItem, sc Scope, stops map[int64]bool) bool {
	if f.StopID != nil {
		return stops[*f.StopID]
	}
	d := lofte.LocalDate(f.CreatedAt)
	if sc.From != nil && d.Before(*sc.From) || sc.To != nil && d.After(*sc.To) {
		return false
	}
	return len(sc.Basorter) == 0 || slices.Contains(sc.Basorter, f.Basort)
}
