package lofte_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
)

// TestStopBounds: every count and text of a stop has a maximum, refused with 400 naming the
// field; the maximum itself is accepted.
func TestStopBounds(t *testing.T) {
	start := time.Date(2018, 3, 9, 10, 0, 0, 0, lofte.Zone)
	pub := start.Add(-48 * time.Hour)
	valid := func() *lofte.Stop {
		return &lofte.Stop{Basort: "Tollarp", Place: "Torget", StartsAt: start, EndsAt: start.Add(3 * time.Hour),
			Kind: lofte.KindRegular, Status: lofte.StatusHeld, PublishedAt: &pub}
	}
	plus24 := time.Date(2018, 3, 9, 10, 0, 0, 0, time.FixedZone("", 24*3600))
	tests := []struct {
		name  string
		edit  func(*lofte.Stop)
		field string // "" for valid
	}{
		{"all at the maximum", func(s *lofte.Stop) {
			s.Staff, s.Visitors = lofte.MaxStaff, lofte.MaxVisitors
			s.Contacts = lofte.Contacts{CrimeReport: lofte.MaxContacts, Tip: lofte.MaxContacts, Advice: lofte.MaxContacts,
				Other: lofte.MaxContacts}
			s.Status, s.CancelReason = lofte.StatusCancelled, strings.Repeat("å", lofte.MaxCancelReasonLen)
			s.Notes = strings.Repeat("n", lofte.MaxNotesLen)
		}, ""},
		{"visitors 2^63-1", func(s *lofte.Stop) { s.Visitors = math.MaxInt64 }, "visitors"},
		{"visitors one over", func(s *lofte.Stop) { s.Visitors = lofte.MaxVisitors + 1 }, "visitors"},
		{"staff over", func(s *lofte.Stop) { s.Staff = lofte.MaxStaff + 1 }, "staff"},
		{"crime reports over", func(s *lofte.Stop) { s.Contacts.CrimeReport = math.MaxInt64 }, "contacts.crime_report"},
		{"tips over", func(s *lofte.Stop) { s.Contacts.Tip = lofte.MaxContacts + 1 }, "contacts.tip"},
		{"advice over", func(s *lofte.Stop) { s.Contacts.Advice = lofte.MaxContacts + 1 }, "contacts.advice"},
		{"other over", func(s *lofte.Stop) { s.Contacts.Other = lofte.MaxContacts + 1 }, "contacts.other"},
		{"negative visitors", func(s *lofte.Stop) { s.Visitors = -1 }, "visitors"},
		{"cancel reason one over", func(s *lofte.Stop) {
			s.Status, s.CancelReason = lofte.StatusCancelled, strings.Repeat("å", lofte.MaxCancelReasonLen+1)
		}, "cancel_reason"},
		{"cancel reason of 1.9 MB", func(s *lofte.Stop) { s.CancelReason = strings.Repeat("x", 1900_000) }, "cancel_reason"},
		{"notes over", func(s *lofte.Stop) { s.Notes = strings.Repeat("n", lofte.MaxNotesLen+1) }, "notes"},
		{"place of 1 MB", func(s *lofte.Stop) { s.Place = strings.Repeat("p", 1<<20) }, "place"},
		{"start at +24:00", func(s *lofte.Stop) { s.StartsAt, s.EndsAt = plus24, plus24.Add(time.Hour) }, "starts_at"},
		{"start in year 9999", func(s *lofte.Stop) {
			s.StartsAt = time.Date(9999, 1, 1, 10, 0, 0, 0, lofte.Zone)
			s.EndsAt = s.StartsAt.Add(time.Hour)
		}, "starts_at"},
		{"actual end at -19:00", func(s *lofte.Stop) {
			end := time.Date(2018, 3, 9, 12, 0, 0, 0, time.FixedZone("", -19*3600))
			s.ActualEnd = &end
		}, "actual_end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid()
			tt.edit(s)
			err := s.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			e := lofte.AsError(err)
			if e == nil || e.Code != lofte.EINVALID || e.Field != tt.field {
				t.Fatalf("Validate = %v, want invalid %s", err, tt.field)
			}
		})
	}
}

// TestTextBoundsBeforeRedaction: a text far over its limit is refused before it is redacted,
// whatever the type, so a megabyte costs no redaction.
func TestTextBoundsBeforeRedaction(t *testing.T) {
	huge := strings.Repeat("070-123 45 67 ", 100_000)
	start := time.Date(2018, 3, 9, 10, 0, 0, 0, lofte.Zone)
	for name, v := range map[string]interface{ Validate() error }{
		"feedback said":   &lofte.FeedbackItem{Basort: "Tollarp", Topic: "traffic", Said: huge, Status: lofte.FeedbackOpen},
		"feedback action": &lofte.FeedbackItem{Basort: "Tollarp", Topic: "traffic", Said: "x", Action: huge, Status: lofte.FeedbackOpen},
		"baseline source": &lofte.Baseline{Metric: "trust_high", Value: 0.5, Source: huge},
		"comment text":    &lofte.CommentReview{Status: lofte.CommentApproved, Text: &huge, By: "admin", At: start},
	} {
		t.Run(name, func(t *testing.T) {
			began := time.Now()
			err := v.Validate()
			if lofte.ErrorCodeOf(err) != lofte.EINVALID {
				t.Fatalf("Validate = %v, want invalid", err)
			}
			if d := time.Since(began); d > 50*time.Millisecond {
				t.Errorf("refusing took %v: the text was redacted first", d)
			}
		})
	}
}

// TestLocalTime: a wall clock time that exists is built in Zone; one the clocks skip in
// spring is refused, not moved an hour on. The hour that occurs twice in autumn is taken (in
// one of its two offsets, time.Date's choice).
func TestLocalTime(t *testing.T) {
	day := func(s string) lofte.Date {
		d, err := lofte.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		day          string
		hour, minute int
		want         string // RFC 3339, "" for refused
	}{
		{"2018-03-14", 10, 0, "2018-03-14T10:00:00+01:00"},
		{"2018-03-25", 1, 59, "2018-03-25T01:59:00+01:00"},
		{"2018-03-25", 2, 0, ""},
		{"2018-03-25", 2, 30, ""},
		{"2018-03-25", 2, 59, ""},
		{"2018-03-25", 3, 0, "2018-03-25T03:00:00+02:00"},
		{"2018-10-28", 2, 30, "2018-10-28T02:30:00+01:00"},
	}
	for _, tt := range tests {
		got, err := lofte.LocalTime("start", day(tt.day), tt.hour, tt.minute)
		if tt.want == "" {
			if e := lofte.AsError(err); e == nil || e.Field != "start" {
				t.Errorf("%s %02d:%02d = %v, %v; want refused naming start", tt.day, tt.hour, tt.minute, got, err)
			}
			continue
		}
		if err != nil || got.Format(time.RFC3339) != tt.want {
			t.Errorf("%s %02d:%02d = %v, %v; want %s", tt.day, tt.hour, tt.minute, got.Format(time.RFC3339), err, tt.want)
		}
	}
}

// TestCheckTime: offsets within ±18:00 and years within MinYear..MaxYear pass.
func TestCheckTime(t *testing.T) {
	at := func(offset time.Duration, year int) time.Time {
		return time.Date(year, 3, 14, 10, 0, 0, 0, time.FixedZone("", int(offset.Seconds())))
	}
	tests := []struct {
		t  time.Time
		ok bool
	}{
		{at(time.Hour, 2018), true},
		{at(18*time.Hour, 2018), true},
		{at(-18*time.Hour, 2018), true},
		{at(18*time.Hour+time.Minute, 2018), false},
		{at(24*time.Hour, 2018), false},
		{at(-24*time.Hour, 2018), false},
		{at(0, lofte.MinYear-1), false},
		{at(0, lofte.MaxYear+1), false},
		{at(0, lofte.MaxYear), true},
	}
	for _, tt := range tests {
		if err := lofte.CheckTime("answered_at", tt.t); (err == nil) != tt.ok {
			t.Errorf("CheckTime(%v) = %v, want ok %v", tt.t, err, tt.ok)
		}
	}
}
