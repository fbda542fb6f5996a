package schedule

import (
	"fmt"
	"strings"
	"time"

	"medborgarlofte/internal/lofte"
)

// Rule describes a series of stops. Weekday is ISO: 1 = Monday … 7 = Sunday.
type Rule struct {
	Basort     string         `json:"basort"`
	Place      string         `json:"place"`
	Weekday    int            `json:"weekday"`
	EveryWeeks int            `json:"every_weeks"`
	Start      string         `json:"start"` // "10:00", local time
	End        string         `json:"end"`
	From       string         `json:"from"`  // YYYY-MM-DD
	Until      string         `json:"until"` // YYYY-MM-DD
	Kind       lofte.StopKind `json:"kind"`  // "" means regular, skipping excluded periods
}

// MaxStops bounds one rule, so a typo cannot plan thousands of stops.
const MaxStops = 200

func clock(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

// Validate checks the rule and names the failing field.
func (r Rule) Validate() error {
	_, _, err := r.check()
	return err
}

// check validates the rule and returns its dates.
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
	case from.DaysUntil(until) > 366:
		err = lofte.Invalid("until", "en serie får vara högst ett år")
	case r.Kind != "" && !r.Kind.Valid():
		err = lofte.Invalid("kind", "typ måste vara regular eller event")
	}
	return from, until, err
}

// Expand returns the rule's stops as drafts within the promise's period. A regular series
// skips the promise's excluded periods (the summer); an event series does not.
func Expand(p *lofte.Promise, r Rule) ([]*lofte.Stop, error) {
	from, until, err := r.check()
	if err != nil {
		return nil, err
	}
	start, _ := clock(r.Start)
	end, _ := clock(r.End)
	kind := r.Kind
	if kind == "" {
		kind = lofte.KindRegular
	}
	want := time.Weekday(r.Weekday % 7)
	d := from
	for d.In(lofte.Zone).Weekday() != want {
		d = d.AddDays(1)
	}
	var out []*lofte.Stop
	for ; !d.After(until); d = d.AddDays(7 * r.EveryWeeks) {
		if !p.Period.Contains(d) || (kind == lofte.KindRegular && p.InExcluded(d)) {
			continue
		}
		midnight := d.In(lofte.Zone)
		// Adding wall-clock minutes to local midnight keeps 10:00 at 10:00 across DST.
		s := time.Date(midnight.Year(), midnight.Month(), midnight.Day(), start/60, start%60, 0, 0, lofte.Zone)
		e := time.Date(midnight.Year(), midnight.Month(), midnight.Day(), end/60, end%60, 0, 0, lofte.Zone)
		out = append(out, &lofte.Stop{PromiseID: p.ID, Basort: r.Basort, Place: strings.TrimSpace(r.Place),
			StartsAt: s, EndsAt: e, Kind: kind, Status: lofte.StatusDraft})
		if len(out) > MaxStops {
			return nil, lofte.Invalid("until", "serien blir fler än %d tillfällen", MaxStops)
		}
	}
	if len(out) == 0 {
		return nil, lofte.Invalid("from", "inga datum i serien ligger inom löftets aktiva period")
	}
	return out, nil
}

// DefaultKind is event inside an excluded period (summer events), regular otherwise.
func DefaultKind(p *lofte.Promise, start time.Time) lofte.StopKind {
	if p.InExcluded(lofte.LocalDate(start)) {
		return lofte.KindEvent
	}
	return lofte.KindRegular
}

// String describes the rule in Swedish, for confirmations.
func (r Rule) String() string {
	days := [...]string{"", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"}
	every := "varje"
	if r.EveryWeeks == 2 {
		every = "varannan"
	} else if r.EveryWeeks > 2 {
		every = fmt.Sprintf("var %d:e", r.EveryWeeks)
	}
	return fmt.Sprintf("%s %s %s–%s i %s, %s, %s–%s", every, days[r.Weekday], r.Start, r.End, r.Basort, r.Place, r.From, r.Until)
}
