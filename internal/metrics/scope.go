package metrics

import (
	"fmt"
	"time"

	"medborgarlofte/internal/lofte"
)

// Groupings of a scope.
const (
	GroupNone    = "none"
	GroupBasort  = "basort"
	GroupMonth   = "month"
	GroupQuarter = "quarter"
	// GroupStop groups delivery figures per stop; there is no per-stop survey figure.
	GroupStop = "stop"
)

// Kinds of stops a scope covers: the promise's figures count regular stops only; summer
// events are reported on their own and never enter an outcome.
const (
	KindRegular = string(lofte.KindRegular)
	KindEvent   = string(lofte.KindEvent)
)

// Scope is what a computation covers: local dates (From, To; nil means the promise's period
// edge), one basort or the whole area (Basort ""), the grouping and the kind of stops.
//
// Survey figures exist only for fixed cells: the dates are widened to whole calendar months
// for them, while delivery figures keep the days as asked.
type Scope struct {
	From, To *lofte.Date
	Basort   string
	Group    string
	Kind     string
}

// Validate checks a scope and names the failing parameter.
func (sc Scope) Validate() error {
	switch sc.Group {
	case "", GroupNone, GroupBasort, GroupMonth, GroupQuarter, GroupStop:
	default:
		return lofte.Invalid("group", "group måste vara none, basort, month, quarter eller stop")
	}
	switch sc.Kind {
	case "", KindRegular, KindEvent:
	default:
		return lofte.Invalid("kind", "kind måste vara regular eller event")
	}
	if sc.From != nil && sc.To != nil && sc.To.Before(*sc.From) {
		return lofte.Invalid("to", "to ligger före from")
	}
	return nil
}

// WithPeriodDefault returns sc with an absent From or To set from period: the dashboard and
// the workbook name the promise's period unless told otherwise; the API does not.
func (sc Scope) WithPeriodDefault(period lofte.Period) Scope {
	if sc.From == nil {
		from := period.From
		sc.From = &from
	}
	if sc.To == nil {
		to := period.To
		sc.To = &to
	}
	return sc
}

// withDefaults fills the grouping and kind.
func (sc Scope) withDefaults() Scope {
	if sc.Group == "" {
		sc.Group = GroupNone
	}
	if sc.Kind == "" {
		sc.Kind = KindRegular
	}
	return sc
}

// ScopeJSON echoes the scope in results: From and To are the survey figures' whole months;
// Widened says they were widened from the days asked, which the delivery figures keep
// (DeliveryFrom, DeliveryTo).
type ScopeJSON struct {
	From         string  `json:"from"`
	To           string  `json:"to"`
	DeliveryFrom string  `json:"delivery_from"`
	DeliveryTo   string  `json:"delivery_to"`
	Basort       *string `json:"basort"`
	Group        string  `json:"group"`
	Kind         string  `json:"kind"`
	MinN         int     `json:"min_n"`
	StatusMinN   int     `json:"status_min_n"`
	Widened      bool    `json:"widened"`
}

// period is an inclusive span of local days.
type period struct{ from, to lofte.Date }

func (p period) contains(d lofte.Date) bool { return !d.Before(p.from) && !d.After(p.to) }

// clip returns the part of p inside q; ok is false when they do not meet.
func (p period) clip(q period) (period, bool) {
	out := p
	if q.from.After(out.from) {
		out.from = q.from
	}
	if q.to.Before(out.to) {
		out.to = q.to
	}
	return out, !out.to.Before(out.from)
}

func monthStart(d lofte.Date) lofte.Date { return lofte.Date{Year: d.Year, Month: d.Month, Day: 1} }

func monthEnd(d lofte.Date) lofte.Date {
	return lofte.DateOf(time.Date(d.Year, d.Month+1, 0, 12, 0, 0, 0, time.UTC))
}

// days returns the delivery period of the scope: the days asked, the promise's period
// where a date is absent.
func (sc Scope) days(p *lofte.Promise) period {
	out := period{p.Period.From, p.Period.To}
	if sc.From != nil {
		out.from = *sc.From
	}
	if sc.To != nil {
		out.to = *sc.To
	}
	return out
}

// months returns the survey period: the delivery period widened to whole months.
func (sc Scope) months(p *lofte.Promise) (period, bool) {
	d := sc.days(p)
	m := period{monthStart(d.from), monthEnd(d.to)}
	return m, m != d
}

// quarterKey is YYYY-Qn.
func quarterKey(d lofte.Date) string {
	return fmt.Sprintf("%04d-Q%d", d.Year, (int(d.Month)-1)/3+1)
}

// span returns the days a group key covers (for month and quarter keys), within within.
func span(group, key string, within period) period {
	var y, a int
	switch group {
	case GroupMonth:
		if _, err := fmt.Sscanf(key, "%04d-%02d", &y, &a); err == nil {
			start := lofte.Date{Year: y, Month: time.Month(a), Day: 1}
			p, _ := period{start, monthEnd(start)}.clip(within)
			return p
		}
	case GroupQuarter:
		if _, err := fmt.Sscanf(key, "%04d-Q%d", &y, &a); err == nil {
			start := lofte.Date{Year: y, Month: time.Month(3*a - 2), Day: 1}
			end := monthEnd(lofte.Date{Year: y, Month: time.Month(3 * a), Day: 1})
			p, _ := period{start, end}.clip(within)
			return p
		}
	}
	return within
}

// groupKey is the key of the group a stop falls in.
func groupKey(s *lofte.Stop, group string) string {
	d := lofte.LocalDate(s.StartsAt)
	switch group {
	case GroupBasort:
		return s.Basort
	case GroupMonth:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	case GroupQuarter:
		return quarterKey(d)
	case GroupStop:
		return fmt.Sprint(s.ID)
	}
	return "all"
}
