package metrics

import "medborgarlofte/internal/lofte"

// ScopeFeedback returns the feedback items that belong to the scope, by the rule the
// feedback_closed figure counts them with, so a listing of the items matches the figure.
func (in Input) ScopeFeedback(sc Scope) []*lofte.FeedbackItem {
	sc = sc.withDefaults()
	e := newEngine(in, sc)
	days := sc.days(in.Promise)
	inScope := map[int64]*lofte.Stop{}
	for _, s := range in.Stops {
		if e.counted(s) && days.contains(lofte.LocalDate(s.StartsAt)) {
			inScope[s.ID] = s
		}
	}
	var out []*lofte.FeedbackItem
	for _, f := range in.Feedback {
		if _, ok := e.feedbackKey(f, inScope, days); ok {
			out = append(out, f)
		}
	}
	return out
}
