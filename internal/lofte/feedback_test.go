package lofte_test

import (
	"testing"

	"medborgarlofte/internal/lofte"
)

// TestFeedbackCheckStop: a feedback item is linked only to a stop of its own basort that
// was announced; a draft, visited by nobody, and a stop elsewhere are refused on stop_id.
func TestFeedbackCheckStop(t *testing.T) {
	f := &lofte.FeedbackItem{PromiseID: 1, LocalityID: 4, Basort: "Tollarp"}
	tests := []struct {
		name   string
		stop   lofte.Stop
		refuse bool
	}{
		{"published, same basort", lofte.Stop{ID: 1, PromiseID: 1, LocalityID: 4, Status: lofte.StatusPublished}, false},
		{"held, same basort", lofte.Stop{ID: 2, PromiseID: 1, LocalityID: 4, Status: lofte.StatusHeld}, false},
		{"another basort", lofte.Stop{ID: 3, PromiseID: 1, LocalityID: 5, Basort: "Åhus", Status: lofte.StatusHeld}, true},
		{"another promise", lofte.Stop{ID: 4, PromiseID: 2, LocalityID: 4, Status: lofte.StatusHeld}, true},
		{"a draft", lofte.Stop{ID: 5, PromiseID: 1, LocalityID: 4, Status: lofte.StatusDraft}, true},
	}
	for _, tt := range tests {
		err := f.CheckStop(&tt.stop)
		if e := lofte.AsError(err); (err != nil) != tt.refuse || err != nil && (e == nil || e.Code != lofte.EINVALID || e.Field != "stop_id") {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}
