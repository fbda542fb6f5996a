package lofte_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
)

// summer2018 is the shape of the built-in promise: 2018, with June–August excluded.
func summer2018(tb testing.TB) *lofte.Promise {
	tb.Helper()
	day := func(s string) lofte.Date {
		d, err := lofte.ParseDate(s)
		if err != nil {
			tb.Fatal(err)
		}
		return d
	}
	return &lofte.Promise{Period: lofte.Period{From: day("2018-01-01"), To: day("2018-12-31")},
		Excluded: []lofte.Period{{From: day("2018-06-01"), To: day("2018-08-31")}}}
}

func TestDefaultKind(t *testing.T) {
	p := summer2018(t)
	tests := []struct {
		name string
		at   time.Time
		want lofte.StopKind
	}{
		{"March", time.Date(2018, 3, 14, 10, 0, 0, 0, lofte.Zone), lofte.KindRegular},
		{"July", time.Date(2018, 7, 14, 11, 0, 0, 0, lofte.Zone), lofte.KindEvent},
		{"first of June, just after local midnight", time.Date(2018, 5, 31, 22, 30, 0, 0, time.UTC), lofte.KindEvent},
		{"last of August, late evening", time.Date(2018, 8, 31, 21, 30, 0, 0, time.UTC), lofte.KindEvent},
		{"first of September, just after local midnight", time.Date(2018, 8, 31, 22, 30, 0, 0, time.UTC), lofte.KindRegular},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lofte.DefaultKind(p, tt.at); got != tt.want {
				t.Errorf("DefaultKind(%v) = %s, want %s", tt.at, got, tt.want)
			}
		})
	}
	if got := lofte.DefaultKind(nil, time.Date(2018, 7, 1, 10, 0, 0, 0, lofte.Zone)); got != lofte.KindRegular {
		t.Errorf("DefaultKind(nil, …) = %s, want regular", got)
	}
}

func TestStopSetDefaults(t *testing.T) {
	p := summer2018(t)
	now := time.Date(2018, 2, 1, 9, 0, 0, 0, time.UTC)
	earlier := now.Add(-time.Hour)
	july := time.Date(2018, 7, 14, 11, 0, 0, 0, lofte.Zone)
	tests := []struct {
		name       string
		in         lofte.Stop
		wantKind   lofte.StopKind
		wantStatus lofte.StopStatus
		wantPub    *time.Time
	}{
		{"nothing given", lofte.Stop{StartsAt: july}, lofte.KindEvent, lofte.StatusDraft, nil},
		{"kind given", lofte.Stop{StartsAt: july, Kind: lofte.KindRegular}, lofte.KindRegular, lofte.StatusDraft, nil},
		{"no start: no kind guessed", lofte.Stop{}, "", lofte.StatusDraft, nil},
		{"published now", lofte.Stop{StartsAt: july, Status: lofte.StatusPublished}, lofte.KindEvent, lofte.StatusPublished, &now},
		{"published earlier", lofte.Stop{StartsAt: july, Status: lofte.StatusHeld, PublishedAt: &earlier}, lofte.KindEvent,
			lofte.StatusHeld, &earlier},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.in
			s.SetDefaults(p, now)
			if s.Kind != tt.wantKind || s.Status != tt.wantStatus {
				t.Errorf("kind %q status %q, want %q %q", s.Kind, s.Status, tt.wantKind, tt.wantStatus)
			}
			if (s.PublishedAt == nil) != (tt.wantPub == nil) || s.PublishedAt != nil && !s.PublishedAt.Equal(*tt.wantPub) {
				t.Errorf("published at %v, want %v", s.PublishedAt, tt.wantPub)
			}
		})
	}
}

// TestDraftIsDeletedNotCancelled: a draft was never promised; cancelling it is a conflict
// (it would appear in the public schedule as a visit called off), and it changes nothing.
// Deleting is for drafts only.
func TestDraftIsDeletedNotCancelled(t *testing.T) {
	start := time.Date(2018, 3, 14, 10, 0, 0, 0, lofte.Zone)
	now := start.AddDate(0, 0, -20)
	draft := func() *lofte.Stop {
		return &lofte.Stop{Basort: "Tollarp", Place: "Torget", StartsAt: start, EndsAt: start.Add(3 * time.Hour),
			Kind: lofte.KindRegular, Status: lofte.StatusDraft}
	}
	s := draft()
	cancel, reason := lofte.StatusCancelled, "Storm"
	err := s.Apply(lofte.StopUpdate{Status: &cancel, CancelReason: &reason}, summer2018(t), now)
	if e := lofte.AsError(err); e == nil || e.Code != lofte.ECONFLICT || e.Field != "status" ||
		e.Message != "ett utkast tas bort i stället för att ställas in" {
		t.Errorf("cancel a draft: %v", err)
	}
	if s.Status != lofte.StatusDraft || s.PublishedAt != nil {
		t.Errorf("a refused cancel changed the draft: %+v", s)
	}
	for _, st := range lofte.StopStatuses {
		s := draft()
		s.Status = st
		if err := s.Deletable(); (err == nil) != (st == lofte.StatusDraft) || err != nil && lofte.ErrorCodeOf(err) != lofte.ECONFLICT {
			t.Errorf("%s deletable: %v", st, err)
		}
	}
}

// TestMovedStopKindFollowsTheDate: a stop moved into the excluded period (summer) becomes an
// event, and a regular stop again when moved back; a kind set in the same update wins, and
// a kind someone chose against the date is kept.
func TestMovedStopKindFollowsTheDate(t *testing.T) {
	p := summer2018(t)
	at := func(day string) time.Time {
		d, err := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", lofte.Zone)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	event, regular := lofte.KindEvent, lofte.KindRegular
	tests := []struct {
		name       string
		kind       lofte.StopKind
		from, to   string
		upd        *lofte.StopKind
		want       lofte.StopKind
		wantChange bool
	}{
		{"into the summer", regular, "2018-05-29", "2018-06-05", nil, lofte.KindEvent, true},
		{"out of the summer", event, "2018-08-28", "2018-09-04", nil, lofte.KindRegular, true},
		{"within spring", regular, "2018-03-14", "2018-03-21", nil, lofte.KindRegular, false},
		{"an hour later on a summer day", event, "2018-07-03", "2018-07-03", nil, lofte.KindEvent, false},
		{"into the summer, kind set regular", regular, "2018-05-29", "2018-06-05", &regular, lofte.KindRegular, false},
		{"out of the summer, kind set event", event, "2018-08-28", "2018-09-04", &event, lofte.KindEvent, false},
		{"a spring event (chosen) moved into summer", event, "2018-05-15", "2018-06-12", nil, lofte.KindEvent, false},
		{"a spring event (chosen) moved in spring", event, "2018-04-10", "2018-04-17", nil, lofte.KindEvent, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := at(tt.from)
			s := &lofte.Stop{Basort: "Tollarp", Place: "Torget", StartsAt: start, EndsAt: start.Add(3 * time.Hour),
				Kind: tt.kind, Status: lofte.StatusDraft}
			to := at(tt.to).Add(time.Hour)
			end := to.Add(3 * time.Hour)
			if err := s.Apply(lofte.StopUpdate{StartsAt: &to, EndsAt: &end, Kind: tt.upd}, p, start.AddDate(0, 0, -30)); err != nil {
				t.Fatal(err)
			}
			if s.Kind != tt.want || (s.Kind != tt.kind) != tt.wantChange {
				t.Errorf("kind %s, want %s", s.Kind, tt.want)
			}
		})
	}
}

// TestApplyRefusesBeforeChanging: an update made from another version, a visitor count
// corrected from a count that changed since, an impossible status, and a stop held before it
// has begun are refused with the field and the reason, and the stop is left exactly as it
// was; an update that goes through raises the version.
func TestApplyRefusesBeforeChanging(t *testing.T) {
	start := time.Date(2018, 3, 14, 10, 0, 0, 0, lofte.Zone)
	pub := start.AddDate(0, 0, -20)
	stop := func(st lofte.StopStatus) *lofte.Stop {
		return &lofte.Stop{ID: 7, Basort: "Tollarp", Place: "Torget", StartsAt: start, EndsAt: start.Add(3 * time.Hour),
			Kind: lofte.KindRegular, Status: st, PublishedAt: &pub, Version: 3, FieldLog: lofte.FieldLog{Visitors: 12}}
	}
	n := func(v int) *int { return &v }
	status := func(s lofte.StopStatus) *lofte.StopStatus { return &s }
	at := func(d time.Duration) *time.Time { t := start.Add(d); return &t }
	notes := "lugnt"
	before, during := start.Add(-time.Minute), start.Add(time.Minute)
	tests := []struct {
		name  string
		from  lofte.StopStatus
		upd   lofte.StopUpdate
		now   time.Time
		code  lofte.ErrorCode // "" when it goes through
		field string
	}{
		{"the version read", lofte.StatusPublished, lofte.StopUpdate{Version: n(3), Notes: &notes}, during, "", ""},
		{"no version: no check", lofte.StatusPublished, lofte.StopUpdate{Notes: &notes}, during, "", ""},
		{"an older version", lofte.StatusPublished, lofte.StopUpdate{Version: n(2), Notes: &notes}, during, lofte.ECONFLICT, "version"},
		{"a correction from the count as it is", lofte.StatusPublished, lofte.StopUpdate{Visitors: n(20), VisitorsFrom: n(12)}, during, "", ""},
		{"a correction from a count tapped since", lofte.StatusPublished, lofte.StopUpdate{Visitors: n(20), VisitorsFrom: n(9)}, during, lofte.ECONFLICT, "visitors_from"},
		{"a count replaced without a correction to make", lofte.StatusPublished, lofte.StopUpdate{VisitorsFrom: n(12)}, during, lofte.EINVALID, "visitors_from"},
		{"held once begun", lofte.StatusPublished, lofte.StopUpdate{Status: status(lofte.StatusHeld)}, during, "", ""},
		{"held at the start", lofte.StatusPublished, lofte.StopUpdate{Status: status(lofte.StatusHeld)}, start, "", ""},
		{"held before it begins", lofte.StatusPublished, lofte.StopUpdate{Status: status(lofte.StatusHeld)}, before, lofte.ECONFLICT, "status"},
		{"held and moved to the past", lofte.StatusPublished, lofte.StopUpdate{Status: status(lofte.StatusHeld), StartsAt: at(-48 * time.Hour), EndsAt: at(-46 * time.Hour)}, before, "", ""},
		{"a held stop moved into the future", lofte.StatusHeld, lofte.StopUpdate{StartsAt: at(time.Hour), EndsAt: at(4 * time.Hour)}, during, lofte.ECONFLICT, "status"},
		{"cancelled before it begins", lofte.StatusPublished, lofte.StopUpdate{Status: status(lofte.StatusCancelled), CancelReason: &notes}, before, "", ""},
		{"a held stop cancelled", lofte.StatusHeld, lofte.StopUpdate{Status: status(lofte.StatusCancelled), CancelReason: &notes}, during, lofte.ECONFLICT, "status"},
		{"a cancelled stop held", lofte.StatusCancelled, lofte.StopUpdate{Status: status(lofte.StatusHeld)}, during, lofte.ECONFLICT, "status"},
		{"a cancelled stop reinstated", lofte.StatusCancelled, lofte.StopUpdate{Status: status(lofte.StatusPublished)}, before, "", ""},
		{"an unknown status", lofte.StatusPublished, lofte.StopUpdate{Status: status("exploded")}, during, lofte.EINVALID, "status"},
		{"the version is checked first", lofte.StatusHeld, lofte.StopUpdate{Version: n(1), Status: status(lofte.StatusCancelled)}, during, lofte.ECONFLICT, "version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := stop(tt.from)
			if tt.from == lofte.StatusCancelled {
				s.CancelReason = "Storm"
			}
			was := *s
			err := s.Apply(tt.upd, summer2018(t), tt.now)
			if tt.code == "" {
				if err != nil || s.Version != was.Version+1 {
					t.Errorf("%v, version %d", err, s.Version)
				}
				return
			}
			if e := lofte.AsError(err); e == nil || e.Code != tt.code || e.Field != tt.field {
				t.Errorf("got %v, want %s on %s", err, tt.code, tt.field)
			}
			if diff := cmp.Diff(&was, s); diff != "" {
				t.Errorf("a refused update changed the stop (-was +now)\n%s", diff)
			}
		})
	}
}
