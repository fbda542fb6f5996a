package schedule

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"

	"medborgarlofte/internal/lofte"
)

// Feed says what a calendar is called and which domain its events' UIDs are in.
type Feed struct {
	// Name is the calendar's name in the subscriber's app (X-WR-CALNAME), such as
	// "Mobila poliskontoret – Tollarp".
	Name string
	// Host is the right-hand side of every UID ("stop-42@host"). It must stay the same for
	// an installation, or subscribers see every stop twice.
	Host string
}

// ProductID is the feed's PRODID.
const ProductID = "-//medborgarlofte//Mobila poliskontoret//SV"

const (
	tzid = "Europe/Stockholm"
	// refresh is how often subscribers should fetch the feed again (RFC 7986 and Outlook's
	// X-PUBLISHED-TTL); a cancellation on the morning of a stop must reach them that day.
	refresh = "PT6H"
)

// ICS returns the promise's public stops as an iCalendar feed; see WriteICS. An empty
// f.Name becomes "Mobila poliskontoret – <promise title>", an empty f.Host
// "<promise slug>.medborgarlofte".
func ICS(p *lofte.Promise, stops []*lofte.Stop, f Feed, now time.Time) ([]byte, error) {
	if p != nil && f.Name == "" && p.Title != "" {
		f.Name = "Mobila poliskontoret – " + p.Title
	}
	if p != nil && f.Host == "" && p.Slug != "" {
		f.Host = p.Slug + ".medborgarlofte"
	}
	var buf bytes.Buffer
	if err := WriteICS(&buf, f, stops, now); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteICS writes stops as an iCalendar feed (RFC 5545) with a VTIMEZONE for
// Europe/Stockholm and one VEVENT per published, held or cancelled stop; drafts (and stops
// of any other status) are left out. A cancelled stop stays in the feed with
// STATUS:CANCELLED and the reason, and SEQUENCE is the stop's, which rises when it is moved
// or cancelled, so that subscribed phones update the event rather than keep the old one.
// DTSTAMP is now in UTC; start and end are local times with TZID=Europe/Stockholm.
func WriteICS(w io.Writer, f Feed, stops []*lofte.Stop, now time.Time) error {
	name := oneLine(f.Name)
	if name == "" {
		name = "Mobila poliskontoret"
	}
	host := oneLine(f.Host)
	if host == "" {
		host = "medborgarlofte"
	}
	cal := ics.NewCalendarFor("medborgarlofte")
	cal.SetProductId(ProductID)
	cal.SetVersion("2.0")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName(name)
	cal.SetXWRTimezone(tzid)
	cal.SetRefreshInterval(refresh)
	cal.SetXPublishedTTL(refresh)
	addStockholm(cal)
	for _, s := range stops {
		if s == nil {
			continue
		}
		switch s.Status {
		case lofte.StatusPublished, lofte.StatusHeld, lofte.StatusCancelled:
		default:
			continue
		}
		e := cal.AddEvent(fmt.Sprintf("stop-%d@%s", s.ID, host))
		e.SetDtStampTime(now.UTC())
		e.SetProperty(ics.ComponentPropertyDtStart, local(s.StartsAt), ics.WithTZID(tzid))
		e.SetProperty(ics.ComponentPropertyDtEnd, local(s.EndsAt), ics.WithTZID(tzid))
		summary := fmt.Sprintf("Mobilt poliskontor – %s, %s", oneLine(s.Basort), oneLine(s.Place))
		if s.Status == lofte.StatusCancelled {
			// Several calendar apps show a cancelled event of a subscribed feed like any
			// other; the title is what a resident is sure to see.
			summary = s.Status.Label() + ": " + summary
		}
		e.SetSummary(summary)
		e.SetLocation(fmt.Sprintf("%s, %s", oneLine(s.Place), oneLine(s.Basort)))
		e.SetDescription(description(s))
		e.SetSequence(s.Sequence)
		if s.Status == lofte.StatusCancelled {
			e.SetStatus(ics.ObjectStatusCancelled)
		} else {
			e.SetStatus(ics.ObjectStatusConfirmed)
		}
		if !s.UpdatedAt.IsZero() {
			e.SetLastModifiedAt(s.UpdatedAt.UTC())
		}
	}
	// RFC 5545 §3.1: CRLF line ends, lines of at most 75 octets (the library folds on
	// whole UTF-8 characters, preferring spaces).
	if err := cal.SerializeTo(w, ics.WithNewLine("\r\n"), ics.WithLineLength(75)); err != nil {
		return fmt.Errorf("write calendar: %w", err)
	}
	return nil
}

// local formats t as an iCalendar local date-time in Europe/Stockholm.
func local(t time.Time) string { return t.In(lofte.Zone).Format("20060102T150405") }

func description(s *lofte.Stop) string {
	var b strings.Builder
	if s.Status == lofte.StatusCancelled {
		b.WriteString(s.Status.Label())
		if r := strings.TrimSpace(text(s.CancelReason)); r != "" {
			b.WriteString(": " + strings.TrimRight(r, "."))
		}
		b.WriteString(".\n\n")
	}
	if s.Kind == lofte.KindEvent {
		b.WriteString(s.Kind.Label() + ": polisens mobila poliskontor finns på plats i " + oneLine(s.Basort) + ".")
	} else {
		b.WriteString("Polisens mobila poliskontor kommer till " + oneLine(s.Basort) + ".")
	}
	b.WriteString(" Kom förbi och prata med polisen: ställ frågor, berätta vad som oroar dig, lämna tips " +
		"eller gör en anmälan – utan att åka in till stan.\nVid brott som pågår: ring 112.")
	return b.String()
}

// text makes s fit an iCalendar TEXT value: valid UTF-8, line breaks as "\n" (which the
// library escapes) and no other control characters, which RFC 5545 does not allow and a
// stray CR would break the line structure with.
func text(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
}

// oneLine is text for a value shown on one line: a summary, a location, a name.
func oneLine(s string) string {
	return strings.TrimSpace(strings.Join(strings.Fields(text(s)), " "))
}

// addStockholm adds the VTIMEZONE for Europe/Stockholm (CET/CEST on the EU rules in force
// since 1996), so that DTSTART;TZID=Europe/Stockholm means the same in every calendar app,
// including those that do not know the IANA name.
func addStockholm(cal *ics.Calendar) {
	tz := cal.AddTimezone(tzid)
	std := tz.AddStandard()
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0200")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0100")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzname), "CET")
	std.AddProperty(ics.ComponentProperty(ics.PropertyDtstart), "19701025T030000")
	std.AddProperty(ics.ComponentProperty(ics.PropertyRrule), "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
	dl := &ics.Daylight{}
	dl.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0100")
	dl.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0200")
	dl.AddProperty(ics.ComponentProperty(ics.PropertyTzname), "CEST")
	dl.AddProperty(ics.ComponentProperty(ics.PropertyDtstart), "19700329T020000")
	dl.AddProperty(ics.ComponentProperty(ics.PropertyRrule), "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
	tz.Components = append(tz.Components, dl)
}
