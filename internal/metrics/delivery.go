package metrics

import (
	"slices"

	"medborgarlofte/internal/lofte"
)

// deliveryCell is the stops and feedback items of one group, for the delivery figures: the
// police's own work, counted whole, never perturbed or suppressed.
type deliveryCell struct {
	days    period
	stops   []*lofte.Stop
	items   []*lofte.FeedbackItem
	basorts []string // whose gaps between visits are measured
	// surveyVisitors is the visitors of the held stops the cell's survey answers came from,
	// the response rate's denominator.
	surveyVisitors int
}

// Reasons given for undefined delivery figures.
const (
	reasonNoPlanned  = "inga planerade besök har passerats"
	reasonNoHeld     = "inga genomförda besök"
	reasonNoHours    = "inga öppettider loggade"
	reasonNoVisitors = "inga besökare räknade"
	reasonNoItems    = "inga ärenden"
	reasonNoActive   = "inga aktiva dagar i perioden"
	reasonEvents     = "mäts bara för ordinarie besök"
)

// delivery computes the schedule's figures over the cell's stops of the scope's kind.
func (e *engine) delivery(c *deliveryCell, m Metrics) {
	var (
		planned, held, cancelled, unconfirmed, events, announced7 int
		visitors                                                  int
		contacts                                                  lofte.Contacts
		hours                                                     float64
		lead                                                      []float64
	)
	heldDays := map[string][]lofte.Date{}
	for _, s := range c.stops {
		if s.Kind == lofte.KindEvent && s.Status == lofte.StatusHeld {
			events++
		}
		if string(s.Kind) != e.sc.Kind {
			continue
		}
		if !s.StartsAt.Before(e.in.Now) {
			continue
		}
		planned++
		switch s.Status {
		case lofte.StatusHeld:
			held++
			visitors += s.Visitors
			hours += s.OpenHours()
			contacts.CrimeReport += s.Contacts.CrimeReport
			contacts.Tip += s.Contacts.Tip
			contacts.Advice += s.Contacts.Advice
			contacts.Other += s.Contacts.Other
			day := lofte.LocalDate(s.StartsAt)
			if s.PublishedAt != nil {
				days := lofte.LocalDate(*s.PublishedAt).DaysUntil(day)
				lead = append(lead, float64(days))
				if days >= 7 {
					announced7++
				}
			}
			heldDays[s.Basort] = append(heldDays[s.Basort], day)
		case lofte.StatusCancelled:
			cancelled++
		case lofte.StatusPublished:
			unconfirmed++
		}
	}
	m["stops_planned"] = count(float64(planned))
	m["stops_held"] = count(float64(held))
	m["stops_cancelled"] = count(float64(cancelled))
	m["unconfirmed"] = count(float64(unconfirmed))
	m["events"] = count(float64(events))
	m["delivery_rate"] = ratio(float64(held), float64(planned), reasonNoPlanned)
	m["announce_days_median"] = median(lead, reasonNoHeld)
	m["announced_7d"] = ratio(float64(announced7), float64(len(lead)), reasonNoHeld)
	e.gaps(c, heldDays, m)
	m["visitors"] = count(float64(visitors))
	m["visitors_per_stop"] = ratio(float64(visitors), float64(held), reasonNoHeld)
	m["visitors_per_hour"] = ratio(float64(visitors), hours, reasonNoHours)
	m["contacts_crime_report"] = count(float64(contacts.CrimeReport))
	m["contacts_tip"] = count(float64(contacts.Tip))
	m["contacts_advice"] = count(float64(contacts.Advice))
	m["contacts_other"] = count(float64(contacts.Other))
	told := 0
	for _, f := range c.items {
		if f.Told() {
			told++
		}
	}
	m["feedback_closed"] = ratio(float64(told), float64(len(c.items)), reasonNoItems)
}

// gaps measures the days between visits per basort, counting only the promise's active days,
// from the cell's first day to its last (or today, if earlier); a basort without a held stop
// has one gap, the whole period, and is named in no_visit.
func (e *engine) gaps(c *deliveryCell, heldDays map[string][]lofte.Date, m Metrics) {
	if e.sc.Kind != KindRegular {
		m["gap_days_median"], m["gap_days_max"] = undefined(reasonEvents), undefined(reasonEvents)
		return
	}
	last := c.days.to
	if today := lofte.LocalDate(e.in.Now); today.Before(last) {
		last = today
	}
	var all []float64
	var noVisit []string
	if !last.Before(c.days.from) && e.in.Promise.ActiveDays(c.days.from, last) > 0 {
		for _, b := range c.basorts {
			days := heldDays[b]
			if len(days) == 0 {
				noVisit = append(noVisit, b)
			}
			for _, g := range GapDays(e.in.Promise, c.days.from, last, days) {
				all = append(all, float64(g))
			}
		}
	}
	if len(all) == 0 {
		m["gap_days_median"], m["gap_days_max"] = undefined(reasonNoActive), undefined(reasonNoActive)
		return
	}
	med, mx := median(all, ""), count(slices.Max(all))
	med.NoVisit, mx.NoVisit = noVisit, noVisit
	m["gap_days_median"], m["gap_days_max"] = med, mx
}

// GapDays returns the gaps between consecutive dates of first, the held days (any order,
// those outside [first, last] left out) and last: for dates a < b, the number of the
// promise's active days d with a < d ≤ b (days in excluded periods do not count). Held
// 2018-04-10 and 2018-09-11 in 2018 with June–August excluded give 99, 62, 111.
func GapDays(p *lofte.Promise, first, last lofte.Date, held []lofte.Date) []int {
	dates := []lofte.Date{first}
	s := slices.Clone(held)
	slices.SortFunc(s, func(a, b lofte.Date) int { return -a.DaysUntil(b) })
	for _, d := range s {
		if d.After(first) && !d.After(last) && d != dates[len(dates)-1] {
			dates = append(dates, d)
		}
	}
	if last != dates[len(dates)-1] {
		dates = append(dates, last)
	}
	out := make([]int, 0, len(dates)-1)
	for i := 1; i < len(dates); i++ {
		out = append(out, p.ActiveDays(dates[i-1].AddDays(1), dates[i]))
	}
	return out
}

func median(xs []float64, reason string) Count {
	if len(xs) == 0 {
		return undefined(reason)
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return count(s[len(s)/2])
	}
	return count((s[len(s)/2-1] + s[len(s)/2]) / 2)
}
