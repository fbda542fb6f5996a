package schedule

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"medborgarlofte/internal/lofte"
)

// Rule describes a series of stops, such as "every other Tuesday 10–13 at Tollarp, Torget,
// from 9 January until 30 November". It is what an admin posts to plan a term in one go.
//
// Weekday is ISO 8601: 1 = Monday … 7 = Sunday, as a planner counts and as the form's
// options are numbered (Go's time.Weekday would make Sunday 0). Start and End are local wall
// clock times in Europe/Stockholm, "HH:MM"; From and Until are inclusive days, "YYYY-MM-DD".
// They stay strings so that a form or JSON body decodes without loss and Validate can name
// the field that is wrong.
type Rule struct {
	Basort     string         `json:"basort"`
	Place      string         `json:"place"`
	Weekday    int            `json:"weekday"`
	EveryWeeks int            `json:"every_weeks"` // 1 = weekly, 2 = every other week, … 8
	Start      string         `json:"start"`
	End        string         `json:"end"`
	From       string         `json:"from"`
	Until      string         `json:"until"`
	Kind       lofte.StopKind `json:"kind"` // "" or regular: skips excluded periods; event: does not
}

// MaxStops bounds one rule, so that a slip cannot plan thousands of stops.
const MaxStops = 200

// clock parses "HH:MM" strictly and returns minutes after midnight.
func clock(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != len("15:04") {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

// Validate checks the rule and returns a *lofte.Error naming the first field (by its JSON
// name) that fails.
func (r Rule) Validate() error {
	_, _, err := r.check()
	return err
}

// check validates the rule and returns its first and last day.
func (r Rule) check() (from, until lofte.Date, err error) {
	start, okStart := clock(r.Start)
	end, okEnd := clock(r.End)
	from, errFrom := lofte.ParseDate(r.From)
	until, errUntil := lofte.ParseDate(r.Until)
	switch {
	case strings.TrimSpace(r.Basort) == "":
		err = lofte.Invalid("basort", "basort saknas")
	case strings.TrimSpace(r.Place) == "":
		err = lofte.Invalid("place", "plats saknas")
	case len(strings.TrimSpace(r.Place)) > lofte.MaxPlaceLen:
		err = lofte.Invalid("place", "platsen får vara högst %d tecken", lofte.MaxPlaceLen)
	case r.Weekday < 1 || r.Weekday > 7:
		err = lofte.Invalid("weekday", "veckodag måste vara 1 (måndag) till 7 (söndag)")
	case r.EveryWeeks < 1 || r.EveryWeeks > 8:
		err = lofte.Invalid("every_weeks", "var 1:a till var 8:e vecka")
	case !okStart:
		err = lofte.Invalid("start", "starttid skrivs TT:MM")
	case !okEnd:
		err = lofte.Invalid("end", "sluttid skrivs TT:MM")
	case end <= start:
		err = lofte.Invalid("end", "sluttiden måste ligga efter starttiden")
	case errFrom != nil:
		err = lofte.Invalid("from", "startdatum skrivs ÅÅÅÅ-MM-DD")
	case errUntil != nil:
		err = lofte.Invalid("until", "slutdatum skrivs ÅÅÅÅ-MM-DD")
	case until.Before(from):
		err = lofte.Invalid("until", "slutdatum ligger före startdatum")
	case until.After(lofte.DateOf(from.In(time.UTC).AddDate(1, 0, 0))):
		err = lofte.Invalid("until", "en serie får vara högst ett år")
	case r.Kind != "" && !r.Kind.Valid():
		err = lofte.Invalid("kind", "typ måste vara regular eller event")
	}
	return from, until, err
}

// Expand returns the rule's stops as drafts (no publication time): one on the rule's weekday
// every EveryWeeks weeks, the first on or after From, none after Until, none outside the
// promise's period. A regular series (Kind "" or regular) skips the days in the promise's
// excluded periods (the summer); an event series skips nothing. StartsAt and EndsAt are the
// rule's wall clock times in lofte.Zone on each day, so 10:00 stays 10:00 across the change
// to and from summer time; a rule whose time the clocks skip on one of its days (02:00–02:59
// on the last Sunday of March) is an error naming start or end. A rule that yields no stop is
// an error naming "from" that says which rule left out how many dates.
func Expand(p *lofte.Promise, r Rule) ([]*lofte.Stop, error) {
	stops, _, err := expand(p, r)
	return stops, err
}

// Plan is Expand for a series planned now: it refuses, naming "from", a series with a date
// that has already begun (a past visit is registered as history, one at a time, with its real
// publication time), and says what the rule left out of the series ("" for nothing), for the
// planner's confirmation.
func Plan(p *lofte.Promise, r Rule, now time.Time) ([]*lofte.Stop, string, error) {
	stops, skipped, err := expand(p, r)
	if err != nil {
		return nil, "", err
	}
	past := 0
	for _, s := range stops {
		if s.StartsAt.Before(now) {
			past++
		}
	}
	if past > 0 {
		return nil, "", lofte.Invalid("from", "%d av seriens datum har redan passerat (det första %s); "+
			"välj ett första datum från och med %s", past, lofte.LocalDate(stops[0].StartsAt), lofte.LocalDate(now))
	}
	return stops, skipped.String(), nil
}

// skips counts the dates of a rule that a rule of the promise left out: outside its period,
// and in each excluded period (by its index in the promise's Excluded).
type skips struct {
	p        *lofte.Promise
	outside  int
	excluded []int
}

// String says what was left out, in Swedish: "12 låg utanför löftets period
// (2018-01-01–2018-12-31), 8 i undantagsperioden Sommarevenemang (2018-06-01–2018-08-31)";
// "" for nothing.
func (k skips) String() string {
	var parts []string
	if k.outside > 0 {
		parts = append(parts, fmt.Sprintf("%d låg utanför löftets period (%s–%s)", k.outside, k.p.Period.From, k.p.Period.To))
	}
	for i, n := range k.excluded {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d i %s", n, lofte.ExcludedName(k.p, i)))
		}
	}
	return strings.Join(parts, ", ")
}

// weekdays names the ISO weekdays, 1 = måndag … 7 = söndag.
var weekdays = [...]string{"", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"}

func expand(p *lofte.Promise, r Rule) ([]*lofte.Stop, skips, error) {
	skipped := skips{p: p}
	from, until, err := r.check()
	if err != nil {
		return nil, skipped, err
	}
	if p != nil {
		skipped.excluded = make([]int, len(p.Excluded))
	}
	start, _ := clock(r.Start)
	end, _ := clock(r.End)
	kind := r.Kind
	if kind == "" {
		kind = lofte.KindRegular
	}
	want := time.Weekday(r.Weekday % 7)
	d := from
	for d.In(time.UTC).Weekday() != want {
		d = d.AddDays(1)
	}
	if d.After(until) {
		if from == until {
			return nil, skipped, lofte.Invalid("from", "inga datum kvar: %s är ingen %s", from, weekdays[r.Weekday])
		}
		return nil, skipped, lofte.Invalid("from", "inga datum kvar: ingen av de %d dagarna %s–%s är en %s",
			from.DaysUntil(until)+1, from, until, weekdays[r.Weekday])
	}
	var out []*lofte.Stop
	for ; !d.After(until); d = d.AddDays(7 * r.EveryWeeks) {
		if p != nil && !p.Period.Contains(d) {
			skipped.outside++
			continue
		}
		if i := lofte.ExcludedOn(p, d); kind == lofte.KindRegular && i >= 0 {
			skipped.excluded[i]++
			continue
		}
		if len(out) == MaxStops {
			return nil, skipped, lofte.Invalid("until", "serien blir fler än %d tillfällen", MaxStops)
		}
		startsAt, err := at("start", d, start)
		if err != nil {
			return nil, skipped, err
		}
		endsAt, err := at("end", d, end)
		if err != nil {
			return nil, skipped, err
		}
		s := &lofte.Stop{Basort: strings.TrimSpace(r.Basort), Place: strings.TrimSpace(r.Place),
			StartsAt: startsAt, EndsAt: endsAt, Kind: kind, Status: lofte.StatusDraft}
		if p != nil {
			s.PromiseID = p.ID
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		msg := "inga datum kvar: " + skipped.String()
		if slices.ContainsFunc(skipped.excluded, func(n int) bool { return n > 0 }) {
			msg += "; i en undantagsperiod planeras evenemang: välj typen evenemang"
		}
		return nil, skipped, lofte.Invalid("from", "%s", msg)
	}
	return out, skipped, nil
}

// at returns the wall clock time minutes after midnight of d in lofte.Zone. Building it from
// the wall clock, rather than adding a duration to midnight, is what keeps it right on the
// days the clocks change; a time the clocks skip that night is refused naming field, not
// moved an hour on.
func at(field string, d lofte.Date, minutes int) (time.Time, error) {
	return lofte.LocalTime(field, d, minutes/60, minutes%60)
}

// String describes the rule in Swedish, for confirmations: "varannan tisdag 10:00–13:00 i
// Tollarp, Torget, 2018-01-09–2018-11-30".
func (r Rule) String() string {
	day := fmt.Sprintf("veckodag %d", r.Weekday)
	if r.Weekday >= 1 && r.Weekday <= 7 {
		day = weekdays[r.Weekday]
	}
	every := "varje"
	switch {
	case r.EveryWeeks == 2:
		every = "varannan"
	case r.EveryWeeks > 2:
		every = fmt.Sprintf("var %d:e", r.EveryWeeks)
	}
	return fmt.Sprintf("%s %s %s–%s i %s, %s, %s–%s", every, day, r.Start, r.End, r.Basort, r.Place, r.From, r.Until)
}
