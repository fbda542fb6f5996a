package metrics_test

import (
	"slices"
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

func TestDelivery(t *testing.T) {
	s1 := stop("A", "2018-01-09", lofte.StatusHeld, 20)
	s2 := stop("A", "2018-01-23", lofte.StatusHeld, 10)
	late := s2.StartsAt.AddDate(0, 0, -3)
	s2.PublishedAt = &late // announced only 3 days ahead
	s3 := stop("B", "2018-02-01", lofte.StatusCancelled, 0)
	s4 := stop("B", "2018-02-15", lofte.StatusPublished, 0) // past, never confirmed
	s5 := stop("B", "2018-12-20", lofte.StatusPublished, 0) // after now
	ev := stop("B", "2018-07-07", lofte.StatusHeld, 80)
	ev.Kind = lofte.KindEvent
	draft := stop("A", "2018-03-01", lofte.StatusDraft, 0)
	now := time.Date(2018, 12, 1, 0, 0, 0, 0, lofte.Zone)
	in := metrics.Input{Promise: promise(), Localities: places(1000, 1000), Stops: []*lofte.Stop{s1, s2, s3, s4, s5, ev, draft},
		Now: now, PTable: exact(t), Tallies: []*lofte.Tally{{StopID: s1.ID, Responses: 12}, {StopID: ev.ID, Responses: 30}}}
	m := compute(t, in, metrics.Scope{}).Total.Metrics
	for code, want := range map[string]float64{
		// The draft was never promised: it counts nowhere.
		"stops_planned": 4, "stops_held": 2, "stops_cancelled": 1, "unconfirmed": 1, "events": 1,
		"delivery_rate": 0.5, "visitors": 30, "visitors_per_stop": 15, "visitors_per_hour": 5, "response_rate": 12.0 / 30,
		"announce_days_median": 6.5, "announced_7d": 0.5,
	} {
		if got := value(t, m, code); !near(got, want) {
			t.Errorf("%s = %v, want %v", code, got, want)
		}
	}
	empty := compute(t, metrics.Input{Promise: promise(), Localities: places(1000), Now: now}, metrics.Scope{}).Total.Metrics
	for _, code := range []string{"delivery_rate", "announced_7d", "visitors_per_stop", "feedback_closed", "response_rate"} {
		if c := empty.Count(code); c.Value != nil || c.Reason == "" {
			t.Errorf("%s with nothing to count = %+v, want null with a reason", code, c)
		}
	}
}

func TestAnnouncementCountsCalendarDaysAcrossDST(t *testing.T) {
	// Published late on 18 March, held on 25 March 2018, the day clocks go forward: seven
	// calendar days, though only 6 days and 9½ hours.
	s := stop("A", "2018-03-25", lofte.StatusHeld, 5)
	pub := time.Date(2018, 3, 18, 23, 30, 0, 0, lofte.Zone)
	s.PublishedAt = &pub
	m := compute(t, metrics.Input{Promise: promise(), Localities: places(1000), Stops: []*lofte.Stop{s}, Now: endOf2018}, metrics.Scope{}).Total.Metrics
	if got := value(t, m, "announced_7d"); got != 1 {
		t.Errorf("announced_7d %v, want 1", got)
	}
	if got := value(t, m, "announce_days_median"); got != 7 {
		t.Errorf("announce_days_median %v, want 7", got)
	}
}

func TestGapsRunFromTheScopesEdges(t *testing.T) {
	// GapDays' own example: held 2018-04-10 and 2018-09-11, June–August excluded → 99, 62, 111.
	// B is never visited: one gap over the year's active days after its first (272), and named in no_visit.
	a := stop("A", "2018-04-10", lofte.StatusHeld, 5)
	b := stop("A", "2018-09-11", lofte.StatusHeld, 5)
	m := compute(t, metrics.Input{Promise: promise(), Localities: places(1000, 1000), Stops: []*lofte.Stop{a, b}, Now: endOf2018}, metrics.Scope{}).Total.Metrics
	if got := value(t, m, "gap_days_median"); got != 105 {
		t.Errorf("median of 62, 99, 111, 272 = %v, want 105", got)
	}
	mx := m.Count("gap_days_max")
	if mx.Value == nil || *mx.Value != 272 || !slices.Equal(mx.NoVisit, []string{"B"}) {
		t.Errorf("gap_days_max %+v, want 272 with B not visited", mx)
	}
	// A scope without an active day (July) has no gaps.
	from, to := d("2018-07-01"), d("2018-07-31")
	july := compute(t, metrics.Input{Promise: promise(), Localities: places(1000), Stops: []*lofte.Stop{a, b}, Now: endOf2018}, metrics.Scope{From: &from, To: &to})
	if c := july.Total.Metrics.Count("gap_days_median"); c.Value != nil || c.Reason == "" {
		t.Errorf("July gaps %+v, want null with a reason", c)
	}
}

func TestGapDays(t *testing.T) {
	p := promise()
	tests := []struct {
		name        string
		first, last string
		days        []string
		want        []int
	}{
		{"GapDays' own example", "2018-01-01", "2018-12-31", []string{"2018-09-11", "2018-04-10"}, []int{99, 62, 111}},
		{"no visit", "2018-03-01", "2018-03-31", nil, []int{30}},
		{"visit on the first day", "2018-03-01", "2018-03-31", []string{"2018-03-01"}, []int{30}},
		{"same day twice", "2018-03-01", "2018-03-10", []string{"2018-03-06", "2018-03-06"}, []int{5, 4}},
		{"across the summer", "2018-05-29", "2018-09-04", nil, []int{6}},
	}
	for _, tt := range tests {
		var ds []lofte.Date
		for _, s := range tt.days {
			ds = append(ds, d(s))
		}
		if got := metrics.GapDays(p, d(tt.first), d(tt.last), ds); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestFeedbackClosedPerMonth(t *testing.T) {
	s := stop("A", "2018-03-06", lofte.StatusHeld, 5)
	told := d("2018-04-01")
	items := []*lofte.FeedbackItem{
		{Basort: "A", StopID: &s.ID, Status: lofte.FeedbackClosed, FeedbackOn: &told, Channel: "meeting", CreatedAt: s.StartsAt},
		// Without a stop: the day it was raised.
		{Basort: "A", CreatedAt: time.Date(2018, 4, 12, 10, 0, 0, 0, lofte.Zone)},
	}
	res := compute(t, metrics.Input{Promise: promise(), Localities: places(1000), Stops: []*lofte.Stop{s}, Feedback: items, Now: endOf2018},
		metrics.Scope{Group: metrics.GroupMonth})
	if got := value(t, group(t, res, "2018-03"), "feedback_closed"); got != 1 {
		t.Errorf("March feedback_closed %v, want 1", got)
	}
	if got := value(t, group(t, res, "2018-04"), "feedback_closed"); got != 0 {
		t.Errorf("April feedback_closed %v, want 0", got)
	}
	if got := value(t, res.Total.Metrics, "feedback_closed"); got != 0.5 {
		t.Errorf("total feedback_closed %v, want 0.5", got)
	}
}
