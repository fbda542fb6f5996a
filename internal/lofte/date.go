package lofte

import (
	"fmt"
	"time"
)

// Date is a calendar day without a time zone, written YYYY-MM-DD.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses YYYY-MM-DD strictly.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != len(time.DateOnly) {
		return Date{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// In returns midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// dayNumber counts days from 1970-01-01 to d, as the calendar normalises d (In).
func (d Date) dayNumber() int64 { return d.In(time.UTC).Unix() / 86400 }

// AddDays returns d moved n days.
func (d Date) AddDays(n int) Date { return DateOf(d.In(time.UTC).AddDate(0, 0, n)) }

// AddMonths returns d moved n months; a day the month lacks runs on into the next (Go's
// time.AddDate), so a limit counted this way never falls short.
func (d Date) AddMonths(n int) Date { return DateOf(d.In(time.UTC).AddDate(0, n, 0)) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.In(time.UTC).Before(e.In(time.UTC)) }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return e.Before(d) }

// DaysUntil returns the number of days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int {
	return int(e.In(time.UTC).Sub(d.In(time.UTC)).Hours() / 24)
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Period is an inclusive range of days, such as a promise's period or its excluded summer.
type Period struct {
	From  Date   `json:"from"`
	To    Date   `json:"to"`
	Label string `json:"label,omitempty"`
}

// Contains reports whether day lies within p.
func (p Period) Contains(day Date) bool { return !day.Before(p.From) && !day.After(p.To) }

// Validate checks that the period is set and ordered; field prefixes the field names.
func (p Period) Validate(field string) error {
	switch {
	case p.From.IsZero():
		return Invalid(field+".from", "startdatum saknas")
	case p.To.IsZero():
		return Invalid(field+".to", "slutdatum saknas")
	case p.To.Before(p.From):
		return Invalid(field+".to", "slutdatum ligger före startdatum")
	}
	return nil
}
