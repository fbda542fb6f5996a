package lofte_test

import (
	"strings"
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		want string
	}{
		{"2018-03-14", true, "2018-03-14"},
		{"2018-02-30", false, ""},
		{"2018-3-14", false, ""},
		{"14/03/2018", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		d, err := lofte.ParseDate(tt.in)
		if (err == nil) != tt.ok || (tt.ok && d.String() != tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v", tt.in, d, err)
		}
	}
	a, _ := lofte.ParseDate("2018-05-31")
	if got := a.AddDays(1).String(); got != "2018-06-01" {
		t.Errorf("AddDays: %s", got)
	}
	b, _ := lofte.ParseDate("2018-09-01")
	if a.DaysUntil(b) != 93 {
		t.Errorf("DaysUntil = %d", a.DaysUntil(b))
	}
}

// TestStatusTransitions writes out every pair of statuses: the allowed ones, and for the
// others the conflict and the reason given; an unknown status is invalid input.
func TestStatusTransitions(t *testing.T) {
	const (
		d, p, h, c = lofte.StatusDraft, lofte.StatusPublished, lofte.StatusHeld, lofte.StatusCancelled
	)
	tests := []struct {
		from, to lofte.StopStatus
		code     lofte.ErrorCode // "" when allowed
		reason   string          // the start of the message
	}{
		{d, d, "", ""},
		{d, p, "", ""},
		{d, h, lofte.ECONFLICT, "ett utkast måste publiceras innan"},
		{d, c, lofte.ECONFLICT, "ett utkast tas bort i stället"},
		{p, d, lofte.ECONFLICT, "ett publicerat tillfälle blir aldrig utkast"},
		{p, p, "", ""},
		{p, h, "", ""},
		{p, c, "", ""},
		{h, d, lofte.ECONFLICT, "ett publicerat tillfälle blir aldrig utkast"},
		{h, p, "", ""}, // an admin's correction of an outcome logged by mistake
		{h, h, "", ""},
		{h, c, lofte.ECONFLICT, "ett genomfört besök kan inte ställas in"},
		{c, d, lofte.ECONFLICT, "ett publicerat tillfälle blir aldrig utkast"},
		{c, p, "", ""}, // reinstated
		{c, h, lofte.ECONFLICT, "ett inställt besök kan inte markeras som genomfört"},
		{c, c, "", ""},
		{p, "exploded", lofte.EINVALID, "status måste vara"},
		{d, "", lofte.EINVALID, "status måste vara"},
	}
	if n := len(lofte.StopStatuses); len(tests) != n*n+2 {
		t.Fatalf("the table has %d rows, want every pair of the %d statuses and two unknown", len(tests), n)
	}
	for _, tt := range tests {
		err := tt.from.Transition(tt.to)
		e := lofte.AsError(err)
		switch {
		case tt.code == "" && err != nil:
			t.Errorf("%s → %s: %v, want allowed", tt.from, tt.to, err)
		case tt.code != "" && (e == nil || e.Code != tt.code || e.Field != "status" || !strings.HasPrefix(e.Message, tt.reason)):
			t.Errorf("%s → %s: %v, want %s on status: %q…", tt.from, tt.to, err, tt.code, tt.reason)
		}
		if got := tt.from.CanBecome(tt.to); got != (tt.code == "") {
			t.Errorf("%s → %s: CanBecome %v", tt.from, tt.to, got)
		}
	}
}

func TestApplyRaisesSequenceForPublicChanges(t *testing.T) {
	start := time.Date(2018, 3, 14, 10, 0, 0, 0, lofte.Zone)
	now := start.AddDate(0, 0, -20)
	s := &lofte.Stop{Basort: "Tollarp", Place: "Torget", StartsAt: start, EndsAt: start.Add(3 * time.Hour),
		Kind: lofte.KindRegular, Status: lofte.StatusDraft}
	pub := lofte.StatusPublished
	if err := s.Apply(lofte.StopUpdate{Status: &pub}, summer2018(t), now); err != nil || s.Sequence != 0 || !s.PublishedAt.Equal(now) {
		t.Fatalf("publish: %v seq %d", err, s.Sequence)
	}
	later := start.Add(time.Hour)
	if err := s.Apply(lofte.StopUpdate{StartsAt: &later}, summer2018(t), now); err != nil || s.Sequence != 1 {
		t.Errorf("move: %v seq %d", err, s.Sequence)
	}
	cancel, reason := lofte.StatusCancelled, "Storm"
	if err := s.Apply(lofte.StopUpdate{Status: &cancel, CancelReason: &reason}, summer2018(t), now); err != nil || s.Sequence != 2 {
		t.Errorf("cancel: %v seq %d", err, s.Sequence)
	}
	notes := "Inställt pga storm"
	if err := s.Apply(lofte.StopUpdate{Notes: &notes}, summer2018(t), now); err != nil || s.Sequence != 2 {
		t.Errorf("notes changed the sequence: %d", s.Sequence)
	}
}

func TestAcceptsResponseOn(t *testing.T) {
	start := time.Date(2018, 3, 14, 10, 0, 0, 0, lofte.Zone)
	pub := start.AddDate(0, 0, -10)
	s := &lofte.Stop{ID: 1, StartsAt: start, Status: lofte.StatusHeld, PublishedAt: &pub}
	for day, ok := range map[string]bool{"2018-03-13": true, "2018-03-14": true, "2018-03-15": true, "2018-03-16": false, "2018-03-12": false} {
		d, _ := lofte.ParseDate(day)
		if err := s.AcceptsResponseOn(d); (err == nil) != ok {
			t.Errorf("%s: %v", day, err)
		}
	}
	s.Status = lofte.StatusCancelled
	if err := s.AcceptsResponseOn(lofte.LocalDate(start)); err == nil {
		t.Error("a cancelled stop accepted a response")
	}
}

func TestPromiseValidate(t *testing.T) {
	d := func(s string) lofte.Date { x, _ := lofte.ParseDate(s); return x }
	ok := func() *lofte.Promise {
		return &lofte.Promise{Slug: "x", Title: "T", Municipality: "M", PoliceArea: "P", MinN: lofte.DefaultMinN,
			StatusMinN: lofte.DefaultStatusMinN,
			Period:     lofte.Period{From: d("2018-01-01"), To: d("2018-12-31")},
			Excluded:   []lofte.Period{{From: d("2018-06-01"), To: d("2018-08-31")}}}
	}
	tests := []struct {
		name  string
		edit  func(*lofte.Promise)
		field string
	}{
		{"ok", func(*lofte.Promise) {}, ""},
		{"no title", func(p *lofte.Promise) { p.Title = "" }, "title"},
		{"min_n 0", func(p *lofte.Promise) { p.MinN = 0 }, "min_n"},
		{"min_n below the floor", func(p *lofte.Promise) { p.MinN = lofte.MinMinN - 1 }, "min_n"},
		{"min_n at the floor", func(p *lofte.Promise) { p.MinN = lofte.MinMinN }, ""},
		{"status_min_n below min_n", func(p *lofte.Promise) { p.StatusMinN = p.MinN - 1 }, "status_min_n"},
		{"status_min_n equal to min_n", func(p *lofte.Promise) { p.StatusMinN = p.MinN }, ""},
		{"negative retention", func(p *lofte.Promise) { p.RetentionMonths = -1 }, "retention_months"},
		{"retention over the bound", func(p *lofte.Promise) { p.RetentionMonths = lofte.MaxRetentionMonths + 1 }, "retention_months"},
		{"retention 0 keeps", func(p *lofte.Promise) { p.RetentionMonths = 0 }, ""},
		{"period reversed", func(p *lofte.Promise) { p.Period.To = d("2017-01-01") }, "period.to"},
		{"excluded outside", func(p *lofte.Promise) { p.Excluded[0].To = d("2019-01-31") }, "excluded[0]"},
		{"bad direction", func(p *lofte.Promise) {
			p.Outcomes = []lofte.Outcome{{Code: "service", Indicators: []lofte.Indicator{{Metric: "x", Direction: "up", Kind: lofte.TargetAbsolute}}}}
		}, "outcomes[0].indicators[0].direction"},
	}
	for _, tt := range tests {
		p := ok()
		tt.edit(p)
		err := p.Validate()
		if e := lofte.AsError(err); (tt.field == "" && err != nil) || (tt.field != "" && (e == nil || e.Field != tt.field)) {
			t.Errorf("%s: err = %v, want field %q", tt.name, err, tt.field)
		}
	}
	p := ok()
	if !p.IsActiveDay(d("2018-05-31")) || p.IsActiveDay(d("2018-07-01")) || p.IsActiveDay(d("2019-01-01")) {
		t.Error("IsActiveDay")
	}
}

// TestLocalityNamed also checks KnownLocality, the same lookup that refuses a name it misses.
func TestLocalityNamed(t *testing.T) {
	ls := []*lofte.Locality{{ID: 1, Name: "Tollarp"}, {ID: 2, Name: "Önnestad"}}
	tests := []struct {
		name string
		want int64 // 0: none
	}{
		{"Tollarp", 1},
		{"Önnestad", 2},
		{"önnestad", 0},
		{"", 0},
		{"Atlantis", 0},
	}
	for _, tt := range tests {
		got := lofte.LocalityNamed(ls, tt.name)
		if tt.want == 0 && got != nil || tt.want != 0 && (got == nil || got.ID != tt.want) {
			t.Errorf("LocalityNamed(%q) = %v, want id %d", tt.name, got, tt.want)
		}
		known, err := lofte.KnownLocality(ls, tt.name)
		if known != got || (err == nil) != (tt.want != 0) {
			t.Errorf("KnownLocality(%q) = %v, %v; want %v", tt.name, known, err, got)
		}
		if e := lofte.AsError(err); err != nil && (e == nil || e.Code != lofte.EINVALID || e.Field != "basort") {
			t.Errorf("KnownLocality(%q): error %v, want EINVALID naming basort", tt.name, err)
		}
	}
}

func TestActiveDays(t *testing.T) {
	d := func(s string) lofte.Date {
		v, err := lofte.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	p := &lofte.Promise{Period: lofte.Period{From: d("2018-01-01"), To: d("2018-12-31")},
		Excluded: []lofte.Period{
			{From: d("2018-06-01"), To: d("2018-08-31")},
			{From: d("2018-08-20"), To: d("2018-09-02")}, // overlaps the first
			{From: d("2018-12-24"), To: d("2018-12-24")},
		}}
	tests := []struct {
		first, last string
		want        int
	}{
		{"2018-01-01", "2018-12-31", 365 - 92 - 2 - 1},
		{"2018-04-11", "2018-09-11", 51 + 9},
		{"2017-12-01", "2018-01-05", 5},      // before the period: not counted
		{"2018-12-20", "2019-01-10", 12 - 1}, // after it, and Christmas Eve excluded
		{"2018-07-01", "2018-07-31", 0},
		{"2018-03-02", "2018-03-01", 0}, // last before first
	}
	for _, tt := range tests {
		first, last := d(tt.first), d(tt.last)
		// The rule day by day, which the count must agree with.
		byDay := 0
		for x := first; !x.After(last); x = x.AddDays(1) {
			if p.IsActiveDay(x) {
				byDay++
			}
		}
		if got := p.ActiveDays(first, last); got != tt.want || got != byDay {
			t.Errorf("ActiveDays(%s, %s) = %d, want %d (%d day by day)", tt.first, tt.last, got, tt.want, byDay)
		}
	}
}

func TestPromiseEnded(t *testing.T) {
	p := &lofte.Promise{Period: lofte.Period{From: lofte.Date{Year: 2018, Month: 1, Day: 1}, To: lofte.Date{Year: 2018, Month: 12, Day: 31}}}
	for _, tt := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2018, 12, 31, 23, 59, 0, 0, lofte.Zone), false},
		{time.Date(2019, 1, 1, 0, 0, 0, 0, lofte.Zone), true},
		// 23:30 UTC on New Year's Eve is already the new year in Sweden.
		{time.Date(2018, 12, 31, 23, 30, 0, 0, time.UTC), true},
		{time.Date(2018, 6, 1, 12, 0, 0, 0, lofte.Zone), false},
	} {
		if got := p.Ended(tt.at); got != tt.want {
			t.Errorf("Ended(%s) = %v, want %v", tt.at, got, tt.want)
		}
	}
}
