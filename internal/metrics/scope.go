package metrics

import "medborgarlofte/internal/lofte"

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
