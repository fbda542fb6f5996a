package schedule

import (
	"fmt"
	"io"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"medborgarlofte/internal/lofte"
)

// Feed says what a calendar is called and where its stops are identified from.
type Feed struct {
	Name string // e.g. "Mobila poliskontoret – Tollarp"
	Host string // the UIDs' domain, stable per installation
}

const tzid = "Europe/Stockholm"

// WriteICS writes the public stops as an iCalendar feed: drafts are never in it, a cancelled
// stop stays with STATUS:CANCELLED, and SEQUENCE rises when a stop was moved or cancelled,
// so subscribed phones update it.
func WriteICS(w io.Writer, f Feed, stops []*lofte.Stop, now time.Time) error {
	cal := ics.NewCalendarFor("medborgarlofte")
	cal.SetProductId("-//medborgarlofte//Mobila poliskontoret//SV")
	cal.SetVersion("2.0")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName(f.Name)
	cal.SetXWRTimezone(tzid)
	cal.SetRefreshInterval("PT6H")
	addStockholm(cal)
	for _, s := range stops {
		if !s.Status.Public() {
			continue
		}
		e := cal.AddEvent(fmt.Sprintf("stop-%d@%s", s.ID, f.Host))
		e.SetDtStampTime(now)
		e.SetProperty(ics.ComponentPropertyDtStart, s.StartsAt.In(lofte.Zone).Format("20060102T150405"), ics.WithTZID(tzid))
		e.SetProperty(ics.ComponentPropertyDtEnd, s.EndsAt.In(lofte.Zone).Format("20060102T150405"), ics.WithTZID(tzid))
		e.SetSummary(fmt.Sprintf("Mobilt poliskontor – %s, %s", s.Basort, s.Place))
		e.SetLocation(fmt.Sprintf("%s, %s", s.Place, s.Basort))
		e.SetDescription(description(s))
		e.SetSequence(s.Sequence)
		if s.Status == lofte.StatusCancelled {
			e.SetStatus(ics.ObjectStatusCancelled)
		} else {
			e.SetStatus(ics.ObjectStatusConfirmed)
		}
		if !s.UpdatedAt.IsZero() {
			e.SetLastModifiedAt(s.UpdatedAt)
		}
	}
	// RFC 5545 wants CRLF line ends and lines of at most 75 octets.
	if err := cal.SerializeTo(w, ics.WithNewLine("\r\n"), ics.WithLineLength(75)); err != nil {
		return fmt.Errorf("write calendar: %w", err)
	}
	return nil
}

func description(s *lofte.Stop) string {
	var b strings.Builder
	if s.Status == lofte.StatusCancelled {
		b.WriteString("INSTÄLLT")
		if s.CancelReason != "" {
			b.WriteString(": " + s.CancelReason)
		}
		b.WriteString(".\n")
	}
	b.WriteString("Polisens mobila poliskontor kommer till " + s.Basort + ". Kom förbi och prata med polisen, ställ frågor, " +
		"lämna tips eller gör en anmälan – utan att åka in till stan.")
	if s.Kind == lofte.KindEvent {
		b.WriteString("\nSommarevenemang.")
	}
	b.WriteString("\nVid brott som pågår: ring 112.")
	return b.String()
}

// addStockholm adds the VTIMEZONE for Europe/Stockholm (CET/CEST, EU rules), so that
// DTSTART;TZID=Europe/Stockholm means the same on every calendar.
func addStockholm(cal *ics.Calendar) {
	tz := cal.AddTimezone(tzid)
	std := tz.AddStandard()
	std.AddProperty(ics.ComponentProperty(ics.PropertyDtstart), "19701025T030000")
	std.AddProperty(ics.ComponentProperty(ics.PropertyRrule), "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0200")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0100")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzname), "CET")
	dl := &ics.Daylight{ComponentBase: ics.ComponentBase{}}
	dl.AddProperty(ics.ComponentProperty(ics.PropertyDtstart), "19700329T020000")
	dl.AddProperty(ics.ComponentProperty(ics.PropertyRrule), "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
	dl.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0100")
	dl.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0200")
	dl.AddProperty(ics.ComponentProperty(ics.PropertyTzname), "CEST")
	tz.Components = append(tz.Components, dl)
}
