package lofte

import (
	"time"
	"unicode/utf8"
)

// The most a stop's field log may count. Each is far above any real stop of a mobile police
// office, and low enough that a year's sums cannot overflow: a count beyond them is a slip or
// an attack, refused with 400 (a +1 tap beyond MaxVisitors with 409).
const (
	MaxStaff    = 100
	MaxVisitors = 100_000
	MaxContacts = 10_000
)

// MaxCancelReasonLen is the most characters the reason for cancelling a stop may have; it is
// shown in the public schedule and the calendar feed.
const MaxCancelReasonLen = 500

// MinYear and MaxYear bound the year of every date and time the app takes in: a promise, a
// stop, an answer or a period asked for lies in them, and a year outside is a slip.
const (
	MinYear = 2000
	MaxYear = 2100
)

// MaxOffset is the largest UTC offset a time may carry, ±18:00 as in ISO 8601 practice; Go's
// parser would take "+24:00" or "+99:00".
const MaxOffset = 18 * time.Hour

// CheckTime refuses, naming field, a time whose UTC offset is beyond MaxOffset or whose year
// is outside MinYear..MaxYear.
func CheckTime(field string, t time.Time) error {
	_, off := t.Zone()
	if d := time.Duration(off) * time.Second; d > MaxOffset || d < -MaxOffset {
		return Invalid(field, "tidszonen måste ligga mellan −18:00 och +18:00")
	}
	if y := t.Year(); y < MinYear || y > MaxYear {
		return Invalid(field, "året måste ligga mellan %d och %d", MinYear, MaxYear)
	}
	return nil
}

// CheckDate refuses, naming field, a day whose year is outside MinYear..MaxYear.
func CheckDate(field string, d Date) error {
	if d.Year < MinYear || d.Year > MaxYear {
		return Invalid(field, "året måste ligga mellan %d och %d", MinYear, MaxYear)
	}
	return nil
}

// LocalTime returns the wall clock time hour:minute on day in Zone. A time the clocks skip
// (02:00–02:59 on the last Sunday of March) is refused naming field, where time.Date would
// silently move it an hour on.
func LocalTime(field string, day Date, hour, minute int) (time.Time, error) {
	t := time.Date(day.Year, day.Month, day.Day, hour, minute, 0, 0, Zone)
	if t.Hour() != hour || t.Minute() != minute || DateOf(t) != day {
		return time.Time{}, Invalid(field, "klockan %02d:%02d finns inte den %s: klockan ställs fram en timme den natten",
			hour, minute, day)
	}
	return t, nil
}

// tooLong reports whether s has more than max characters.
func tooLong(s string, max int) bool { return utf8.RuneCountInString(s) > max }

// tooLongToRedact reports whether s, not yet redacted, has more than twice max characters: it
// is refused before redaction, whose cost grows with the text. Redaction seldom shortens a
// text by half (only a text that is mostly numbers and addresses), so this refuses nothing
// the limit after redaction would let through in practice.
func tooLongToRedact(s string, max int) bool { return len(s) > 2*4*max || tooLong(s, 2*max) }
