package lofte_test

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
)

var t0 = time.Date(2018, 3, 14, 10, 22, 5, 0, lofte.Zone)

func sec(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }

// answers names answers a, b, c… completed at the given seconds after t0.
func answers(first byte, secs ...int) []lofte.DeviceAnswer {
	out := make([]lofte.DeviceAnswer, len(secs))
	for i, s := range secs {
		out[i] = lofte.DeviceAnswer{ID: string(rune(first + byte(i))), At: sec(s)}
	}
	return out
}

func TestTooFast(t *testing.T) {
	backlog := make([]int, 20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 1; i < len(backlog); i++ {
		backlog[i] = backlog[i-1] + 40 + rng.IntN(51)
	}
	tests := []struct {
		name        string
		earlier     []lofte.DeviceAnswer
		batch       []lofte.DeviceAnswer
		want        []bool
		wantEarlier []string
	}{
		{"first answer of a device", nil, answers('a', 0), []bool{false}, nil},
		// Both of two close answers are suspect, whichever came first.
		{"2 s apart, sent in one burst", nil, answers('a', 0, 2, 4, 64), []bool{true, true, true, false}, nil},
		{"order of completion, not of sending", nil, answers('a', 60, 0), []bool{false, false}, nil},
		{"3 s after an earlier answer: both", answers('x', 0), answers('a', 3), []bool{true}, []string{"x"}},
		{"3 s before an earlier answer: both", answers('x', 0), answers('a', -3), []bool{true}, []string{"x"}},
		{"exactly the gap is fine", answers('x', 0), answers('a', 5), []bool{false}, nil},
		{"a backlog older than the last answer", answers('x', 0), answers('a', -30), []bool{false}, nil},
		{"a backlog synced at once, 40–90 s apart", answers('x', -600), answers('a', backlog...), make([]bool, 20), nil},
		{"a resent answer is not close to itself", answers('a', 0), answers('a', 0), []bool{false}, nil},
		{"a resent answer with a close new one", answers('a', 0), answers('a', 0, 3), []bool{true, true}, []string{"a"}},
		{"ids compare without case", []lofte.DeviceAnswer{{ID: "A", At: sec(0)}}, answers('a', 0), []bool{false}, nil},
		{"the same answer twice in a batch", nil, []lofte.DeviceAnswer{{ID: "a", At: sec(0)}, {ID: "a", At: sec(0)}}, []bool{false, false}, nil},
		// Earlier answers were judged when they came; a new answer far off makes no pair.
		{"two close earlier answers are not judged again", answers('x', 0, 2), answers('a', 60), []bool{false}, nil},
		{"between two earlier answers", answers('x', 0, 8), answers('a', 4), []bool{true}, []string{"x", "y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h lofte.DeviceHistory
			for _, a := range tt.earlier {
				h.Add(a)
			}
			fast, earlier := h.TooFast(tt.batch)
			if d := cmp.Diff(tt.want, fast); d != "" {
				t.Errorf("fast (-want +got)\n%s", d)
			}
			if d := cmp.Diff(tt.wantEarlier, earlier); d != "" {
				t.Errorf("earlier (-want +got)\n%s", d)
			}
		})
	}
}

func TestOutsideHours(t *testing.T) {
	at := func(hm string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04:05", "2018-03-14 "+hm, lofte.Zone)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	stop := func(actualStart, actualEnd string) *lofte.Stop {
		s := &lofte.Stop{StartsAt: at("10:00:00"), EndsAt: at("13:00:00")}
		if actualStart != "" {
			v := at(actualStart)
			s.ActualStart = &v
		}
		if actualEnd != "" {
			v := at(actualEnd)
			s.ActualEnd = &v
		}
		return s
	}
	tests := []struct {
		name string
		stop *lofte.Stop
		at   time.Time
		want bool
	}{
		{"during the stop", stop("", ""), at("11:15:00"), false},
		{"half an hour early", stop("", ""), at("09:30:00"), false},
		{"a second more", stop("", ""), at("09:29:59"), true},
		{"half an hour late", stop("", ""), at("13:30:00"), false},
		{"a second more late", stop("", ""), at("13:30:01"), true},
		{"in the evening", stop("", ""), at("20:00:00"), true},
		{"the day before", stop("", ""), at("11:00:00").AddDate(0, 0, -1), true},
		{"the stop ran over", stop("", "14:00:00"), at("14:20:00"), false},
		{"it opened early", stop("09:00:00", ""), at("08:45:00"), false},
		// Logged times widen the hours, never narrow them.
		{"it closed early", stop("", "11:00:00"), at("13:10:00"), false},
		{"in another zone, same instant", stop("", ""), at("11:15:00").UTC(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lofte.OutsideHours(tt.stop, tt.at); got != tt.want {
				t.Errorf("OutsideHours = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMarkSuspect(t *testing.T) {
	st := &lofte.Stop{ID: 7, StartsAt: sec(-3600), EndsAt: sec(3600)}
	stops := map[int64]*lofte.Stop{7: st}
	tests := []struct {
		name        string
		at          []time.Time
		stopIDs     []int64
		earlier     []lofte.DeviceAnswer
		want        [][]lofte.SuspectReason
		wantEarlier []string
	}{
		{"genuine", []time.Time{sec(0), sec(60)}, []int64{7, 7}, nil, [][]lofte.SuspectReason{nil, nil}, nil},
		{"too fast", []time.Time{sec(0), sec(3)}, []int64{7, 7}, nil,
			[][]lofte.SuspectReason{{lofte.ReasonTooFast}, {lofte.ReasonTooFast}}, nil},
		{"at night and too fast", []time.Time{sec(-7 * 3600), sec(-7*3600 + 1), sec(0)}, []int64{7, 7, 7}, nil,
			[][]lofte.SuspectReason{{lofte.ReasonTooFast, lofte.ReasonOutsideHours}, {lofte.ReasonTooFast, lofte.ReasonOutsideHours}, nil}, nil},
		{"too close to an earlier one", []time.Time{sec(2)}, []int64{7}, answers('x', 0),
			[][]lofte.SuspectReason{{lofte.ReasonTooFast}}, []string{"x"}},
		{"an unknown stop is not judged by hours", []time.Time{sec(-7 * 3600)}, []int64{8}, nil, [][]lofte.SuspectReason{nil}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := make([]*lofte.Response, len(tt.at))
			for i := range rs {
				rs[i] = &lofte.Response{ID: string(rune('a' + i)), StopID: tt.stopIDs[i]}
			}
			var h lofte.DeviceHistory
			for _, a := range tt.earlier {
				h.Add(a)
			}
			earlier := lofte.MarkSuspect(rs, tt.at, &h)
			// The store judges the hours where it reads the stop.
			for _, r := range rs {
				if st, ok := stops[r.StopID]; ok {
					r.JudgeHours(st)
				}
				if !r.CompletedAt.Equal(tt.at[slices.Index(rs, r)]) {
					t.Errorf("answer %s carries completion time %v, want %v", r.ID, r.CompletedAt, tt.at[slices.Index(rs, r)])
				}
			}
			for i, r := range rs {
				if d := cmp.Diff(tt.want[i], r.SuspectReasons); d != "" {
					t.Errorf("answer %d reasons (-want +got)\n%s", i, d)
				}
				if r.Suspect != (len(tt.want[i]) > 0) {
					t.Errorf("answer %d suspect = %v with reasons %v", i, r.Suspect, r.SuspectReasons)
				}
			}
			if d := cmp.Diff(tt.wantEarlier, earlier); d != "" {
				t.Errorf("earlier (-want +got)\n%s", d)
			}
		})
	}
}

func TestAddReasons(t *testing.T) {
	got := lofte.AddReasons([]lofte.SuspectReason{lofte.ReasonOutsideHours}, lofte.ReasonTooFast, lofte.ReasonOutsideHours)
	if d := cmp.Diff([]lofte.SuspectReason{lofte.ReasonTooFast, lofte.ReasonOutsideHours}, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	if got := lofte.AddReasons(nil); got != nil {
		t.Errorf("no reasons: %v", got)
	}
}

func TestSuspectReviewValidate(t *testing.T) {
	tests := []struct {
		name  string
		r     lofte.SuspectReview
		field string
	}{
		{"release", lofte.SuspectReview{Decision: lofte.DecisionRelease, By: "polis", At: t0}, ""},
		{"confirm", lofte.SuspectReview{Decision: lofte.DecisionConfirm, By: "polis", At: t0}, ""},
		{"unknown action", lofte.SuspectReview{Decision: "delete", By: "polis", At: t0}, "action"},
		{"nobody", lofte.SuspectReview{Decision: lofte.DecisionRelease, By: " ", At: t0}, "reviewed_by"},
		{"no time", lofte.SuspectReview{Decision: lofte.DecisionRelease, By: "polis"}, "reviewed_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.r.Validate()
			if got := fieldOf(err); got != tt.field {
				t.Errorf("field %q, want %q (%v)", got, tt.field, err)
			}
		})
	}
}

func fieldOf(err error) string {
	if e := lofte.AsError(err); e != nil {
		return e.Field
	}
	return ""
}

// tooFastByScan is the rule stated plainly: every answer, earlier and new, in order of
// completion, each pair of neighbours judged when one of them is new. DeviceHistory must
// agree with it on any history.
func tooFastByScan(earlier, batch []lofte.DeviceAnswer) (fast []bool, earlierFast []string) {
	type entry struct {
		id      string
		at      time.Time
		earlier bool
		batch   []int
		fast    bool
	}
	byID := map[string]*entry{}
	var all []*entry
	add := func(a lofte.DeviceAnswer, isEarlier bool, i int) {
		id := strings.ToLower(a.ID)
		e, ok := byID[id]
		if !ok {
			e = &entry{id: a.ID, at: a.At}
			byID[id] = e
			all = append(all, e)
		}
		e.earlier = e.earlier || isEarlier
		if i >= 0 {
			e.batch = append(e.batch, i)
		}
	}
	for _, a := range earlier {
		add(a, true, -1)
	}
	for i, a := range batch {
		add(a, false, i)
	}
	slices.SortStableFunc(all, func(a, b *entry) int { return a.at.Compare(b.at) })
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if b.at.Sub(a.at) < lofte.SuspectGap && (len(a.batch) > 0 || len(b.batch) > 0) {
			a.fast, b.fast = true, true
		}
	}
	fast = make([]bool, len(batch))
	for _, e := range all {
		if !e.fast {
			continue
		}
		for _, i := range e.batch {
			fast[i] = true
		}
		if e.earlier {
			earlierFast = append(earlierFast, e.id)
		}
	}
	return fast, earlierFast
}

// TestDeviceHistoryAgreesWithScan draws random histories (close and equal times, resent
// and case-changed ids, answers forgotten) and compares each judgement with the plain scan.
func TestDeviceHistoryAgreesWithScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for round := range 300 {
		var h lofte.DeviceHistory
		var kept []lofte.DeviceAnswer // what h remembers, in order of adding
		next := 0
		draw := func() lofte.DeviceAnswer {
			if len(kept) > 0 && rng.IntN(6) == 0 {
				a := kept[rng.IntN(len(kept))]
				if rng.IntN(2) == 0 {
					a.ID = strings.ToUpper(a.ID)
				}
				return a
			}
			next++
			return lofte.DeviceAnswer{ID: "id" + strconv.Itoa(next), At: sec(rng.IntN(120))}
		}
		for step := range 12 {
			batch := make([]lofte.DeviceAnswer, 1+rng.IntN(4))
			for i := range batch {
				batch[i] = draw()
			}
			if rng.IntN(8) == 0 && len(batch) > 1 {
				batch[1] = batch[0]
			}
			wantFast, wantEarlier := tooFastByScan(kept, batch)
			fast, earlier := h.TooFast(batch)
			if d := cmp.Diff(wantFast, fast); d != "" {
				t.Fatalf("round %d step %d: fast (-scan +history)\n%s", round, step, d)
			}
			if d := cmp.Diff(wantEarlier, earlier); d != "" {
				t.Fatalf("round %d step %d: earlier (-scan +history)\n%s", round, step, d)
			}
			for _, a := range batch {
				if h.Add(a) {
					kept = append(kept, a)
				}
			}
			if len(kept) > 0 && rng.IntN(4) == 0 {
				i := rng.IntN(len(kept))
				h.Forget(strings.ToUpper(kept[i].ID))
				kept = slices.Delete(kept, i, i+1)
			}
			if h.Len() != len(kept) {
				t.Fatalf("round %d step %d: remembers %d answers, want %d", round, step, h.Len(), len(kept))
			}
		}
	}
}

// BenchmarkDeviceHistory is one new answer judged against a day's worth remembered.
func BenchmarkDeviceHistory(b *testing.B) {
	var h lofte.DeviceHistory
	for i := range 2000 {
		h.Add(lofte.DeviceAnswer{ID: "e" + strconv.Itoa(i), At: sec(60 * i)})
	}
	batch := []lofte.DeviceAnswer{{ID: "new", At: sec(60*1000 + 2)}}
	for b.Loop() {
		h.TooFast(batch)
	}
}
