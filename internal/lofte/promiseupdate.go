package lofte

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

// PromiseUpdate changes a promise's settings; a nil field is left as it is. It is no wire
// shape: the API reads promiseDoc (server/promise.go) and the form promiseForm.
type PromiseUpdate struct {
	Title           *string
	Municipality    *string
	PoliceArea      *string
	Summary         *string
	Period          *Period
	Excluded        *[]Period
	MinN            *int
	StatusMinN      *int
	RetentionMonths *int
	Outcomes        *[]Outcome
	// Basorter, when set, is the whole list of the promise's places afterwards: a listed one
	// with an ID (or the name of an existing one) is changed, one without is added, and one
	// left out is deleted, or retired when it has history (stops or baselines).
	Basorter *[]*Locality
}

// Apply changes p as u says; the caller validates p afterwards.
func (u PromiseUpdate) Apply(p *Promise) {
	set(&p.Title, u.Title)
	set(&p.Municipality, u.Municipality)
	set(&p.PoliceArea, u.PoliceArea)
	set(&p.Summary, u.Summary)
	set(&p.Period, u.Period)
	set(&p.Excluded, u.Excluded)
	set(&p.MinN, u.MinN)
	set(&p.StatusMinN, u.StatusMinN)
	set(&p.RetentionMonths, u.RetentionMonths)
	set(&p.Outcomes, u.Outcomes)
}

// MovesPeriod reports whether u changes what the overlap rule (Promise.Overlaps) compares.
func (u PromiseUpdate) MovesPeriod() bool {
	return u.Period != nil || u.Municipality != nil || u.PoliceArea != nil
}

// OutcomeCodes are the outcomes a promise may follow, in the order pages show them.
var OutcomeCodes = []string{OutcomeService, OutcomeLegitimacy, OutcomeSafety, OutcomeDialogue}

// Scale is the range a metric's values lie in: 0–1 for a share, 1–5 for a mean, 0–+Inf for
// a count. The metrics package, which defines the metrics, says which is whose.
type Scale struct{ Min, Max float64 }

// ValidateTargets checks the outcomes against the metrics that exist: an outcome is one of
// OutcomeCodes, an indicator's metric is one scaleOf knows, and its target lies on the
// metric's scale (a change from the baseline within ± the scale's width).
func (p *Promise) ValidateTargets(scaleOf func(metric string) (Scale, bool)) error {
	for i, o := range p.Outcomes {
		f := "outcomes[" + strconv.Itoa(i) + "]"
		known := false
		for _, c := range OutcomeCodes {
			known = known || c == o.Code
		}
		if !known {
			return Invalid(f+".code", "okänd effekt %q (känns igen: %s)", o.Code, strings.Join(OutcomeCodes, ", "))
		}
		for j, ind := range o.Indicators {
			g := f + ".indicators[" + strconv.Itoa(j) + "]"
			sc, ok := scaleOf(ind.Metric)
			if !ok {
				return Invalid(g+".metric", "okänt mått %q", ind.Metric)
			}
			lo, hi := sc.Min, sc.Max
			if ind.Kind == TargetBaselineDelta {
				lo, hi = -(sc.Max - sc.Min), sc.Max-sc.Min
			}
			if math.IsNaN(ind.Target) || ind.Target < lo || ind.Target > hi {
				return Invalid(g+".target", "målet för %s måste ligga mellan %s och %s", ind.Metric, formatBound(lo), formatBound(hi))
			}
		}
	}
	return nil
}

func formatBound(v float64) string {
	if math.IsInf(v, 0) {
		return "obegränsat"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Overlaps reports whether p and q are two promises of the same municipality and police
// area whose periods share a day: each such pair makes one promise, so their figures and
// schedules would be split between two.
func (p *Promise) Overlaps(q *Promise) bool {
	same := func(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b)) }
	return p.ID != q.ID && same(p.Municipality, q.Municipality) && same(p.PoliceArea, q.PoliceArea) &&
		!p.Period.To.Before(q.Period.From) && !q.Period.To.Before(p.Period.From)
}

// CheckOverlap returns a conflict naming the period when p overlaps one of others.
func (p *Promise) CheckOverlap(others []*Promise) error {
	for _, q := range others {
		if p.Overlaps(q) {
			return &Error{Code: ECONFLICT, Field: "period.from", Message: "perioden " + p.Period.From.String() + "–" +
				p.Period.To.String() + " överlappar ”" + q.Title + "” (" + q.Period.From.String() + "–" + q.Period.To.String() +
				") för samma kommun och polisområde"}
		}
	}
	return nil
}

// Copy returns a new promise for period with p's settings and outcomes, neither signed nor
// active. Its excluded periods move by the years between the two periods' starts; one that
// then falls outside the new period is left out and returned in dropped.
func (p *Promise) Copy(period Period) (q *Promise, dropped []Period) {
	c := *p
	c.ID, c.Active, c.SignedOn = 0, false, Date{}
	c.Period = period
	years := period.From.Year - p.Period.From.Year
	c.Excluded = nil
	for _, e := range p.Excluded {
		m := Period{From: e.From.AddMonths(12 * years), To: e.To.AddMonths(12 * years), Label: e.Label}
		if m.From.Before(period.From) || m.To.After(period.To) {
			dropped = append(dropped, e)
			continue
		}
		c.Excluded = append(c.Excluded, m)
	}
	c.Outcomes = make([]Outcome, len(p.Outcomes))
	for i, o := range p.Outcomes {
		o.Indicators = append([]Indicator(nil), o.Indicators...)
		c.Outcomes[i] = o
	}
	old, now := strconv.Itoa(p.Period.From.Year), strconv.Itoa(period.From.Year)
	if years != 0 && strings.Contains(c.Title, old) {
		c.Title = strings.ReplaceAll(c.Title, old, now)
	} else if years != 0 {
		c.Title += " " + now
	}
	c.Slug = SlugFor(&c)
	return &c, dropped
}

// SlugFor proposes a short name for p: its municipality and the year it starts, in lower
// case ASCII ("kristianstads-kommun-2019"). The store makes it unique.
func SlugFor(p *Promise) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(p.Municipality) {
		switch r {
		case 'å', 'ä':
			r = 'a'
		case 'ö':
			r = 'o'
		case 'é':
			r = 'e'
		}
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		b.WriteString("lofte")
	}
	return b.String() + "-" + strconv.Itoa(p.Period.From.Year)
}
