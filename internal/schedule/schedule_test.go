package schedule_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/schedule"
)

var update = flag.Bool("update", false, "rewrite golden files")

func date(s string) lofte.Date {
	d, err := lofte.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func promise() *lofte.Promise {
	return &lofte.Promise{ID: 1, Period: lofte.Period{From: date("2018-01-01"), To: date("2018-12-31")},
		Excluded: []lofte.Period{{From: date("2018-06-01"), To: date("2018-08-31")}}}
}

func TestExpand(t *testing.T) {
	base := schedule.Rule{Basort: "Tollarp", Place: "Torget", Weekday: 2, EveryWeeks: 2, Start: "10:00", End: "13:00",
		From: "2018-01-09", Until: "2018-11-30"}
	tests := []struct {
		name  string
		edit  func(*schedule.Rule)
		count int
		first string // local start of the first stop
		field string
	}{
		// Every other Tuesday from 9 Jan: 24 Tuesdays to 27 Nov, 6 of them in June–August.
		{"every other Tuesday, summer skipped", func(*schedule.Rule) {}, 18, "2018-01-09T10:00:00+01:00", ""},
		{"weekly in May", func(r *schedule.Rule) { r.EveryWeeks, r.From, r.Until = 1, "2018-05-01", "2018-05-31" }, 5, "2018-05-01T10:00:00+02:00", ""},
		{"from a Monday finds the Tuesday", func(r *schedule.Rule) { r.EveryWeeks, r.From, r.Until = 1, "2018-03-19", "2018-03-25" }, 1, "2018-03-20T10:00:00+01:00", ""},
		{"events keep the summer", func(r *schedule.Rule) {
			r.Kind, r.EveryWeeks, r.From, r.Until = lofte.KindEvent, 1, "2018-07-01", "2018-07-31"
		}, 5, "2018-07-03T10:00:00+02:00", ""},
		{"only summer, regular", func(r *schedule.Rule) { r.From, r.Until = "2018-06-05", "2018-08-28" }, 0, "", "from"},
		{"until before from", func(r *schedule.Rule) { r.Until = "2018-01-01" }, 0, "", "until"},
		{"bad weekday", func(r *schedule.Rule) { r.Weekday = 0 }, 0, "", "weekday"},
		{"bad interval", func(r *schedule.Rule) { r.EveryWeeks = 0 }, 0, "", "every_weeks"},
		{"bad time", func(r *schedule.Rule) { r.Start = "10" }, 0, "", "start"},
		{"end before start", func(r *schedule.Rule) { r.End = "09:00" }, 0, "", "end"},
		{"no place", func(r *schedule.Rule) { r.Place = "" }, 0, "", "place"},
		{"more than a year", func(r *schedule.Rule) { r.Until = "2019-06-01" }, 0, "", "until"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base
			tt.edit(&r)
			stops, err := schedule.Expand(promise(), r)
			if tt.field != "" {
				if e := lofte.AsError(err); e == nil || e.Field != tt.field {
					t.Fatalf("err = %v, want field %s", err, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(stops) != tt.count {
				t.Fatalf("%d stops, want %d", len(stops), tt.count)
			}
			if got := stops[0].StartsAt.Format(time.RFC3339); got != tt.first {
				t.Errorf("first starts %s, want %s", got, tt.first)
			}
			for _, s := range stops {
				local := s.StartsAt.In(lofte.Zone)
				if local.Weekday() != time.Tuesday || local.Hour() != 10 || s.EndsAt.In(lofte.Zone).Hour() != 13 {
					t.Errorf("stop at %v", local)
				}
				if s.Status != lofte.StatusDraft || s.PublishedAt != nil {
					t.Errorf("not a draft: %s", s.Status)
				}
				if r.Kind == "" && promise().InExcluded(lofte.LocalDate(s.StartsAt)) {
					t.Errorf("regular stop in the summer: %v", local)
				}
			}
		})
	}
}

func feedStops() []*lofte.Stop {
	at := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, lofte.Zone)
		if err != nil {
			panic(err)
		}
		return t
	}
	pub := at("2018-02-20 09:00")
	upd := at("2018-03-01 12:00")
	return []*lofte.Stop{
		{ID: 1, Basort: "Tollarp", Place: "Torget", StartsAt: at("2018-03-14 10:00"), EndsAt: at("2018-03-14 13:00"),
			Kind: lofte.KindRegular, Status: lofte.StatusPublished, PublishedAt: &pub, UpdatedAt: upd},
		{ID: 2, Basort: "Åhus", Place: "ICA, parkeringen; norra delen", StartsAt: at("2018-04-03 16:00"), EndsAt: at("2018-04-03 19:00"),
			Kind: lofte.KindRegular, Status: lofte.StatusHeld, PublishedAt: &pub, UpdatedAt: upd},
		{ID: 3, Basort: "Degeberga", Place: "Biblioteket", StartsAt: at("2018-03-22 10:00"), EndsAt: at("2018-03-22 12:00"),
			Kind: lofte.KindRegular, Status: lofte.StatusCancelled, CancelReason: "Storm", Sequence: 2, PublishedAt: &pub, UpdatedAt: upd},
		{ID: 4, Basort: "Åhus", Place: "Hamnen", StartsAt: at("2018-07-14 11:00"), EndsAt: at("2018-07-14 16:00"),
			Kind: lofte.KindEvent, Status: lofte.StatusPublished, PublishedAt: &pub, UpdatedAt: upd},
		{ID: 5, Basort: "Tollarp", Place: "Hemligt utkast", StartsAt: at("2018-05-14 10:00"), EndsAt: at("2018-05-14 13:00"),
			Kind: lofte.KindRegular, Status: lofte.StatusDraft},
	}
}

func TestICS(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2018, 3, 10, 12, 0, 0, 0, time.UTC)
	if err := schedule.WriteICS(&buf, schedule.Feed{Name: "Mobila poliskontoret – Kristianstad", Host: "medborgarlofte.example"}, feedStops(), now); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "schedule.ics")
	if *update {
		os.WriteFile(golden, buf.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, buf.Bytes()) {
		t.Errorf("feed differs from %s (run with -update after checking):\n%s", golden, buf.String())
	}
	for i, line := range strings.SplitAfter(buf.String(), "\r\n") {
		if line == "" {
			continue
		}
		if !strings.HasSuffix(line, "\r\n") || len(line)-2 > 75 {
			t.Errorf("line %d is not CRLF-terminated within 75 octets: %q", i+1, line)
		}
	}
	if strings.Contains(buf.String(), "Hemligt utkast") {
		t.Error("a draft is in the public feed")
	}

	cal, err := ics.ParseCalendar(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	events := cal.Events()
	if len(events) != 4 {
		t.Fatalf("%d events, want 4", len(events))
	}
	byUID := map[string]*ics.VEvent{}
	for _, e := range events {
		byUID[e.Id()] = e
	}
	cancelled := byUID["stop-3@medborgarlofte.example"]
	if cancelled == nil || cancelled.GetProperty(ics.ComponentPropertyStatus).Value != "CANCELLED" ||
		cancelled.GetProperty(ics.ComponentPropertySequence).Value != "2" {
		t.Errorf("cancelled stop: %+v", cancelled)
	}
	start, err := byUID["stop-1@medborgarlofte.example"].GetStartAt()
	if err != nil {
		t.Fatal(err)
	}
	if local := start.In(lofte.Zone); local.Hour() != 10 || !start.Equal(feedStops()[0].StartsAt) {
		t.Errorf("DTSTART %v, want 10:00 in Stockholm", local)
	}
	if loc := byUID["stop-2@medborgarlofte.example"].GetProperty(ics.ComponentPropertyLocation).Value; loc != "ICA, parkeringen; norra delen, Åhus" {
		t.Errorf("LOCATION round trip: %q", loc)
	}
}
