package schedule_test

import (
	"strings"
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/schedule"
)

func mustDate(tb testing.TB, s string) lofte.Date {
	tb.Helper()
	d, err := lofte.ParseDate(s)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// kristianstad is the shape of the built-in promise: 2018, with June–August excluded.
func kristianstad(tb testing.TB) *lofte.Promise {
	tb.Helper()
	return &lofte.Promise{ID: 1, Slug: "kristianstad-2018", Title: "Medborgarlöfte Kristianstads kommun 2018",
		Period:   lofte.Period{From: mustDate(tb, "2018-01-01"), To: mustDate(tb, "2018-12-31")},
		Excluded: []lofte.Period{{From: mustDate(tb, "2018-06-01"), To: mustDate(tb, "2018-08-31")}}}
}

// tollarp is "every other Tuesday 10–13 at Tollarp, Torget, from 2018-01-09 until 2018-11-30".
func tollarp() schedule.Rule {
	return schedule.Rule{Basort: "Tollarp", Place: "Torget", Weekday: 2, EveryWeeks: 2, Start: "10:00", End: "13:00",
		From: "2018-01-09", Until: "2018-11-30"}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*schedule.Rule)
		field string // "" = valid
	}{
		{"valid", func(*schedule.Rule) {}, ""},
		{"valid event", func(r *schedule.Rule) { r.Kind = lofte.KindEvent }, ""},
		{"valid Sunday", func(r *schedule.Rule) { r.Weekday = 7 }, ""},
		{"valid exactly one year", func(r *schedule.Rule) { r.Until = "2019-01-09" }, ""},
		{"no basort", func(r *schedule.Rule) { r.Basort = " " }, "basort"},
		{"no place", func(r *schedule.Rule) { r.Place = "" }, "place"},
		{"place too long", func(r *schedule.Rule) { r.Place = strings.Repeat("x", 201) }, "place"},
		{"weekday 0", func(r *schedule.Rule) { r.Weekday = 0 }, "weekday"},
		{"weekday 8", func(r *schedule.Rule) { r.Weekday = 8 }, "weekday"},
		{"every 0 weeks", func(r *schedule.Rule) { r.EveryWeeks = 0 }, "every_weeks"},
		{"every 9 weeks", func(r *schedule.Rule) { r.EveryWeeks = 9 }, "every_weeks"},
		{"start not HH:MM", func(r *schedule.Rule) { r.Start = "10" }, "start"},
		{"start single digit hour", func(r *schedule.Rule) { r.Start = "9:00" }, "start"},
		{"start 24:00", func(r *schedule.Rule) { r.Start = "24:00" }, "start"},
		{"end missing", func(r *schedule.Rule) { r.End = "" }, "end"},
		{"end before start", func(r *schedule.Rule) { r.End = "09:00" }, "end"},
		{"end equals start", func(r *schedule.Rule) { r.End = "10:00" }, "end"},
		{"from not a date", func(r *schedule.Rule) { r.From = "2018-02-30" }, "from"},
		{"until not a date", func(r *schedule.Rule) { r.Until = "30/11/2018" }, "until"},
		{"until before from", func(r *schedule.Rule) { r.Until = "2018-01-08" }, "until"},
		{"more than a year", func(r *schedule.Rule) { r.Until = "2019-01-10" }, "until"},
		{"unknown kind", func(r *schedule.Rule) { r.Kind = "party" }, "kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tollarp()
			tt.edit(&r)
			err := r.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			e := lofte.AsError(err)
			if e == nil || e.Code != lofte.EINVALID || e.Field != tt.field {
				t.Fatalf("Validate() = %v, want invalid %s", err, tt.field)
			}
		})
	}
}

func TestExpand(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*schedule.Rule)
		weekday time.Weekday
		// starts are the local start times wanted, RFC 3339; count is checked when starts
		// lists only the first ones.
		count  int
		starts []string
		field  string
	}{
		{name: "every other Tuesday, summer skipped", edit: func(*schedule.Rule) {}, weekday: time.Tuesday,
			// 24 Tuesdays 9 Jan–27 Nov, 6 of them in June–August.
			count: 18, starts: []string{"2018-01-09T10:00:00+01:00", "2018-01-23T10:00:00+01:00"}},
		{name: "weekly in May", edit: func(r *schedule.Rule) { r.EveryWeeks, r.From, r.Until = 1, "2018-05-01", "2018-05-31" },
			weekday: time.Tuesday, count: 5,
			starts: []string{"2018-05-01T10:00:00+02:00", "2018-05-08T10:00:00+02:00", "2018-05-15T10:00:00+02:00",
				"2018-05-22T10:00:00+02:00", "2018-05-29T10:00:00+02:00"}},
		{name: "first on or after from", edit: func(r *schedule.Rule) { r.EveryWeeks, r.From, r.Until = 1, "2018-03-14", "2018-03-25" },
			weekday: time.Tuesday, count: 1, starts: []string{"2018-03-20T10:00:00+01:00"}},
		{name: "until is inclusive", edit: func(r *schedule.Rule) { r.EveryWeeks, r.From, r.Until = 1, "2018-03-13", "2018-03-20" },
			weekday: time.Tuesday, count: 2, starts: []string{"2018-03-13T10:00:00+01:00", "2018-03-20T10:00:00+01:00"}},
		{name: "into summer time", edit: func(r *schedule.Rule) { r.EveryWeeks, r.From, r.Until = 1, "2018-03-20", "2018-04-03" },
			weekday: time.Tuesday, count: 3,
			starts: []string{"2018-03-20T10:00:00+01:00", "2018-03-27T10:00:00+02:00", "2018-04-03T10:00:00+02:00"}},
		{name: "out of summer time", edit: func(r *schedule.Rule) { r.EveryWeeks, r.From, r.Until = 1, "2018-10-23", "2018-11-06" },
			weekday: time.Tuesday, count: 3,
			starts: []string{"2018-10-23T10:00:00+02:00", "2018-10-30T10:00:00+01:00", "2018-11-06T10:00:00+01:00"}},
		{name: "Sunday of the clock change", edit: func(r *schedule.Rule) {
			r.Weekday, r.EveryWeeks, r.From, r.Until = 7, 1, "2018-03-24", "2018-03-25"
		}, weekday: time.Sunday, count: 1, starts: []string{"2018-03-25T10:00:00+02:00"}},
		{name: "start in the hour the clocks skip", edit: func(r *schedule.Rule) {
			r.Weekday, r.EveryWeeks, r.From, r.Until, r.Start, r.End = 7, 1, "2018-03-18", "2018-04-01", "02:30", "04:00"
		}, field: "start"},
		{name: "end in the hour the clocks skip", edit: func(r *schedule.Rule) {
			r.Weekday, r.EveryWeeks, r.From, r.Until, r.Start, r.End = 7, 1, "2018-03-18", "2018-04-01", "01:00", "02:15"
		}, field: "end"},
		{name: "the skipped hour on other Sundays", edit: func(r *schedule.Rule) {
			r.Weekday, r.EveryWeeks, r.From, r.Until, r.Start, r.End = 7, 1, "2018-04-01", "2018-04-15", "02:30", "04:00"
		}, weekday: time.Sunday, count: 3, starts: []string{"2018-04-01T02:30:00+02:00"}},
		{name: "across the excluded summer", edit: func(r *schedule.Rule) { r.EveryWeeks, r.From, r.Until = 1, "2018-05-22", "2018-09-11" },
			weekday: time.Tuesday, count: 4,
			starts: []string{"2018-05-22T10:00:00+02:00", "2018-05-29T10:00:00+02:00", "2018-09-04T10:00:00+02:00",
				"2018-09-11T10:00:00+02:00"}},
		{name: "every third week", edit: func(r *schedule.Rule) { r.EveryWeeks, r.From, r.Until = 3, "2018-01-01", "2018-02-28" },
			weekday: time.Tuesday, count: 3,
			starts: []string{"2018-01-02T10:00:00+01:00", "2018-01-23T10:00:00+01:00", "2018-02-13T10:00:00+01:00"}},
		{name: "limited to the promise period", edit: func(r *schedule.Rule) { r.EveryWeeks, r.From, r.Until = 1, "2017-12-15", "2018-01-10" },
			weekday: time.Tuesday, count: 2, starts: []string{"2018-01-02T10:00:00+01:00", "2018-01-09T10:00:00+01:00"}},
		{name: "events keep the summer", edit: func(r *schedule.Rule) {
			r.Kind, r.Weekday, r.EveryWeeks, r.From, r.Until = lofte.KindEvent, 6, 1, "2018-07-01", "2018-07-31"
		}, weekday: time.Saturday, count: 4, starts: []string{"2018-07-07T10:00:00+02:00"}},
		{name: "only summer, regular", edit: func(r *schedule.Rule) { r.From, r.Until = "2018-06-05", "2018-08-28" }, field: "from"},
		{name: "outside the promise", edit: func(r *schedule.Rule) { r.From, r.Until = "2019-01-01", "2019-03-01" }, field: "from"},
		{name: "from after until", edit: func(r *schedule.Rule) { r.From, r.Until = "2018-05-01", "2018-04-30" }, field: "until"},
		{name: "bad weekday", edit: func(r *schedule.Rule) { r.Weekday = 0 }, field: "weekday"},
		{name: "bad interval", edit: func(r *schedule.Rule) { r.EveryWeeks = 0 }, field: "every_weeks"},
		{name: "bad start", edit: func(r *schedule.Rule) { r.Start = "10.00" }, field: "start"},
		{name: "end before start", edit: func(r *schedule.Rule) { r.End = "09:00" }, field: "end"},
		{name: "no basort", edit: func(r *schedule.Rule) { r.Basort = "" }, field: "basort"},
		{name: "no place", edit: func(r *schedule.Rule) { r.Place = "" }, field: "place"},
		{name: "more than a year", edit: func(r *schedule.Rule) { r.Until = "2019-06-01" }, field: "until"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := kristianstad(t)
			r := tollarp()
			tt.edit(&r)
			stops, err := schedule.Expand(p, r)
			if tt.field != "" {
				if e := lofte.AsError(err); e == nil || e.Code != lofte.EINVALID || e.Field != tt.field {
					t.Fatalf("Expand() error = %v, want invalid %s", err, tt.field)
				}
				if stops != nil {
					t.Errorf("Expand() returned %d stops with an error", len(stops))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(stops) != tt.count {
				t.Fatalf("%d stops, want %d", len(stops), tt.count)
			}
			for i, want := range tt.starts {
				if got := stops[i].StartsAt.In(lofte.Zone).Format(time.RFC3339); got != want {
					t.Errorf("stop %d starts %s, want %s", i, got, want)
				}
			}
			wantKind := r.Kind
			if wantKind == "" {
				wantKind = lofte.KindRegular
			}
			for i, s := range stops {
				start, end := s.StartsAt.In(lofte.Zone), s.EndsAt.In(lofte.Zone)
				if start.Weekday() != tt.weekday || start.Format("15:04") != r.Start || end.Format("15:04") != r.End ||
					lofte.LocalDate(s.EndsAt) != lofte.LocalDate(s.StartsAt) {
					t.Errorf("stop %d: %v–%v, want %s %s–%s", i, start, end, tt.weekday, r.Start, r.End)
				}
				if i > 0 {
					if d := lofte.LocalDate(stops[i-1].StartsAt).DaysUntil(lofte.LocalDate(s.StartsAt)); d%(7*r.EveryWeeks) != 0 {
						t.Errorf("stop %d is %d days after the one before", i, d)
					}
				}
				if s.Status != lofte.StatusDraft || s.PublishedAt != nil {
					t.Errorf("stop %d is not a draft: %s %v", i, s.Status, s.PublishedAt)
				}
				if s.Kind != wantKind || s.Basort != r.Basort || s.Place != r.Place || s.PromiseID != p.ID {
					t.Errorf("stop %d: %+v", i, s)
				}
				if !p.Period.Contains(lofte.LocalDate(s.StartsAt)) {
					t.Errorf("stop %d outside the promise: %v", i, start)
				}
				if s.Kind == lofte.KindRegular && p.InExcluded(lofte.LocalDate(s.StartsAt)) {
					t.Errorf("regular stop %d in the summer: %v", i, start)
				}
				if err := s.Validate(); err != nil {
					t.Errorf("stop %d does not validate: %v", i, err)
				}
			}
		})
	}
}

func TestExpandSummerUTC(t *testing.T) {
	// The example of the brief, seen from UTC: 10:00 local is 09:00Z in winter, 08:00Z in summer.
	stops, err := schedule.Expand(kristianstad(t), tollarp())
	if err != nil {
		t.Fatal(err)
	}
	hours := map[int]int{}
	for _, s := range stops {
		if m := s.StartsAt.In(lofte.Zone).Month(); m >= time.June && m <= time.August {
			t.Errorf("stop in %s", m)
		}
		hours[s.StartsAt.UTC().Hour()]++
	}
	// 9 Jan–20 Mar winter (6), 3 Apr–16 Oct summer (9), 30 Oct–27 Nov winter (3).
	if hours[9] != 9 || hours[8] != 9 || len(hours) != 2 {
		t.Errorf("UTC start hours %v, want 9 at 09 and 9 at 08", hours)
	}
}

func TestExpandWithoutPromise(t *testing.T) {
	r := tollarp()
	r.EveryWeeks, r.From, r.Until = 1, "2018-07-01", "2018-07-31"
	stops, err := schedule.Expand(nil, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(stops) != 5 {
		t.Errorf("%d stops, want the 5 Tuesdays of July 2018", len(stops))
	}
}

func TestRuleString(t *testing.T) {
	tests := []struct {
		name string
		r    schedule.Rule
		want string
	}{
		{"every other", tollarp(), "varannan tisdag 10:00–13:00 i Tollarp, Torget, 2018-01-09–2018-11-30"},
		{"bad weekday does not panic", schedule.Rule{Weekday: 9, EveryWeeks: 1}, "varje veckodag 9 – i , , –"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func BenchmarkExpand(b *testing.B) {
	p, r := kristianstad(b), tollarp()
	r.EveryWeeks = 1
	b.ReportAllocs()
	for b.Loop() {
		if _, err := schedule.Expand(p, r); err != nil {
			b.Fatal(err)
		}
	}
}

// TestExpandSaysWhichRuleLeftTheDatesOut: a series with no date left is refused naming
// "from", with how many dates each rule left out: outside the promise's period, in each
// excluded period by its label, or no day of the rule's weekday at all.
func TestExpandSaysWhichRuleLeftTheDatesOut(t *testing.T) {
	p := kristianstad(t)
	p.Excluded[0].Label = "Sommarevenemang"
	tests := []struct {
		name string
		edit func(*schedule.Rule)
		want string
	}{
		{"only the summer", func(r *schedule.Rule) { r.EveryWeeks, r.From, r.Until = 1, "2018-06-01", "2018-08-31" },
			"inga datum kvar: 13 i undantagsperioden Sommarevenemang (2018-06-01–2018-08-31); " +
				"i en undantagsperiod planeras evenemang: välj typen evenemang"},
		{"next year", func(r *schedule.Rule) { r.EveryWeeks, r.From, r.Until = 1, "2019-01-01", "2019-03-31" },
			"inga datum kvar: 13 låg utanför löftets period (2018-01-01–2018-12-31)"},
		{"the summer and after the promise", func(r *schedule.Rule) { r.EveryWeeks, r.From, r.Until = 1, "2018-08-01", "2019-01-31" },
			""}, // September to December are left: no error
		{"every other week, all after the promise", func(r *schedule.Rule) {
			r.From, r.Until = "2019-01-01", "2019-02-28"
		}, "inga datum kvar: 5 låg utanför löftets period (2018-01-01–2018-12-31)"},
		{"no Tuesday in the days", func(r *schedule.Rule) { r.From, r.Until = "2018-03-14", "2018-03-19" },
			"inga datum kvar: ingen av de 6 dagarna 2018-03-14–2018-03-19 är en tisdag"},
		{"one day, not a Tuesday", func(r *schedule.Rule) { r.From, r.Until = "2018-03-14", "2018-03-14" },
			"inga datum kvar: 2018-03-14 är ingen tisdag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tollarp()
			tt.edit(&r)
			_, err := schedule.Expand(p, r)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e := lofte.AsError(err)
			if e == nil || e.Field != "from" || e.Message != tt.want {
				t.Fatalf("Expand() = %v\nwant %q naming from", err, tt.want)
			}
		})
	}
	// Both rules at once: a summer and a year beyond the promise.
	both := &lofte.Promise{ID: 3, Period: lofte.Period{From: mustDate(t, "2026-01-01"), To: mustDate(t, "2026-08-31")},
		Excluded: []lofte.Period{{From: mustDate(t, "2026-06-01"), To: mustDate(t, "2026-08-31"), Label: "Sommarevenemang"}}}
	r := tollarp()
	r.EveryWeeks, r.From, r.Until = 1, "2026-07-01", "2026-09-30"
	_, err := schedule.Expand(both, r)
	want := "inga datum kvar: 5 låg utanför löftets period (2026-01-01–2026-08-31), 8 i undantagsperioden " +
		"Sommarevenemang (2026-06-01–2026-08-31); i en undantagsperiod planeras evenemang: välj typen evenemang"
	if e := lofte.AsError(err); e == nil || e.Message != want {
		t.Errorf("Expand() = %v\nwant %q", err, want)
	}
}

// TestPlan: a series planned now refuses dates that have begun, naming "from", and says
// what the promise's rules left out of it; any year of a promise's period plans alike.
func TestPlan(t *testing.T) {
	p := &lofte.Promise{ID: 7, Period: lofte.Period{From: mustDate(t, "2026-01-01"), To: mustDate(t, "2026-12-31")},
		Excluded: []lofte.Period{{From: mustDate(t, "2026-06-01"), To: mustDate(t, "2026-08-31"), Label: "Sommarevenemang"}}}
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, lofte.Zone)
	r := tollarp()
	r.EveryWeeks, r.From, r.Until = 1, "2026-05-19", "2026-06-16"
	stops, skipped, err := schedule.Plan(p, r, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(stops) != 2 || skipped != "3 i undantagsperioden Sommarevenemang (2026-06-01–2026-08-31)" {
		t.Errorf("%d stops, skipped %q", len(stops), skipped)
	}
	if stops[0].PromiseID != 7 || stops[0].StartsAt.In(lofte.Zone).Format(time.RFC3339) != "2026-05-19T10:00:00+02:00" {
		t.Errorf("first stop %+v", stops[0])
	}
	r.From, r.Until = "2026-03-03", "2026-03-31"
	_, _, err = schedule.Plan(p, r, now)
	if e := lofte.AsError(err); e == nil || e.Field != "from" ||
		e.Message != "2 av seriens datum har redan passerat (det första 2026-03-03); välj ett första datum från och med 2026-03-10" {
		t.Errorf("a series begun: %v", err)
	}
	r.From = "2026-03-10" // today, at 10:00, two hours ago
	if _, _, err := schedule.Plan(p, r, now); lofte.AsError(err) == nil || !strings.HasPrefix(lofte.AsError(err).Message, "1 av") {
		t.Errorf("a series whose first stop began today: %v", err)
	}
	r.From = "2026-03-11"
	if stops, skipped, err := schedule.Plan(p, r, now); err != nil || len(stops) != 3 || skipped != "" {
		t.Errorf("from tomorrow: %d stops, skipped %q, %v", len(stops), skipped, err)
	}
}
