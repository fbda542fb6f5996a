package metrics

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"medborgarlofte/internal/lofte"
)

// CompareMetrics are the figures set beside an earlier period: the dashboard's headline
// counts and delivery rate, then the key indicators.
var CompareMetrics = append([]string{"responses", "stops_held", "visitors", "delivery_rate"}, KeyIndicators...)

// MissingBasort is said of a basort of the chosen promise that was no basort of the earlier
// one (matched by name): there is nothing to set beside it.
const MissingBasort = "fanns inte som basort då"

// Earlier is the period of an earlier promise set beside a chosen one: the same days moved
// back Years whole years, clipped to the earlier promise's period.
type Earlier struct {
	Promise *lofte.Promise
	Years   int
	// Scope is the earlier scope, with the chosen scope's basort, grouping and kind.
	Scope Scope
	// Outside, when set, says in Swedish why there is nothing to compare: the moved period
	// lies wholly outside the earlier promise's. Outside figures are never shown as zeros.
	Outside string
	// Note says in Swedish how the earlier period was chosen.
	Note string
}

// EarlierPeriod chooses the period of then to set beside sc in now: the same days, moved
// back as many whole years as the promises' periods start apart (at least one), and clipped
// to then's period. The survey figures of both are then widened to whole months alike.
// then must start before now; a promise compared with itself or a later one is refused
// naming the compare parameter.
func EarlierPeriod(now, then *lofte.Promise, sc Scope) (Earlier, error) {
	if then.ID == now.ID {
		return Earlier{}, lofte.Invalid("compare", "välj ett tidigare löfte att jämföra med, inte samma")
	}
	if !then.Period.From.Before(now.Period.From) {
		return Earlier{}, lofte.Invalid("compare", "löftet ”%s” börjar inte före ”%s”", then.Title, now.Title)
	}
	apart := (now.Period.From.Year-then.Period.From.Year)*12 + int(now.Period.From.Month-then.Period.From.Month)
	years := max(1, (apart+6)/12)
	days := sc.days(now)
	moved := period{yearsBack(days.from, years), yearsBack(days.to, years)}
	e := Earlier{Promise: then, Years: years, Scope: sc}
	e.Note = fmt.Sprintf("Samma dagar %d år tidigare: %s – %s i löftet ”%s”.", years, moved.from, moved.to, then.Title)
	if years == 1 {
		e.Note = fmt.Sprintf("Samma dagar ett år tidigare: %s – %s i löftet ”%s”.", moved.from, moved.to, then.Title)
	}
	in, ok := moved.clip(period{then.Period.From, then.Period.To})
	if !ok {
		e.Outside = fmt.Sprintf("%s – %s ligger utanför löftet ”%s” (%s – %s): där finns inga siffror att jämföra med.",
			moved.from, moved.to, then.Title, then.Period.From, then.Period.To)
		return e, nil
	}
	if in != moved {
		e.Note += fmt.Sprintf(" Bara %s – %s ligger inom det löftets period; resten jämförs inte.", in.from, in.to)
	}
	e.Scope.From, e.Scope.To = &in.from, &in.to
	return e, nil
}

// yearsBack moves d back n years; 29 February becomes the 28th in a common year.
func yearsBack(d lofte.Date, n int) lofte.Date {
	out := lofte.Date{Year: d.Year - n, Month: d.Month, Day: 1}
	out.Day = min(d.Day, monthEnd(out).Day)
	return out
}

// Comparison sets a scope's figures, per basort and for the whole area (or the one basort),
// beside the same figures of an earlier period, under the same protection: each side is
// computed by Compute on its own promise's data, thresholds and populations.
type Comparison struct {
	Earlier PromiseRef `json:"earlier"`
	Years   int        `json:"years"`
	// Scope is the earlier side's scope; nil when the period lies outside the earlier promise.
	Scope   *ScopeJSON `json:"scope"`
	Note    string     `json:"note"`
	Outside string     `json:"outside,omitempty"`
	Groups  []Place    `json:"groups"`
	Total   Place      `json:"total"`
	// Period is how the earlier period was chosen and Then its input (empty when Outside),
	// for pages that draw more of it; set by LoadCompare.
	Period Earlier `json:"-"`
	Then   Input   `json:"-"`
}

// PromiseRef names a promise.
type PromiseRef struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

// Place is one basort, or the whole area ("all"), with its figures then and now; Missing says
// why a basort has no earlier figures.
type Place struct {
	Key     string   `json:"key"`
	Missing string   `json:"missing,omitempty"`
	Changes []Change `json:"changes"`
}

// Change is one figure then and now (each a Figure or a Count; Then is nil when the place
// has no earlier figures) and the change now − then: for shares in proportion (0.05 is five
// percentage points), for counts in the count. A change of survey figures has a 95 %
// interval (the two periods' answers are independent) and Settled says whether it excludes
// no change. When either side is suppressed, empty, uncertain or undefined, Change is nil
// and Reason says why in Swedish.
type Change struct {
	Metric  string      `json:"metric"`
	Then    any         `json:"then"`
	Now     any         `json:"now"`
	Change  *float64    `json:"change"`
	CI      *[2]float64 `json:"ci,omitempty"`
	Settled *bool       `json:"settled,omitempty"`
	Reason  string      `json:"reason,omitempty"`
}

// LoadCompare chooses the period of then to set beside sc in now (EarlierPeriod), reads its
// input from src and compares them, so the dashboard, the API and the report compare alike.
func LoadCompare(ctx context.Context, src Source, now Input, then *lofte.Promise, sc Scope) (*Comparison, error) {
	e, err := EarlierPeriod(now.Promise, then, sc)
	if err != nil {
		return nil, err
	}
	in := Input{Promise: then, Now: now.Now}
	if e.Outside == "" {
		if in, err = Load(ctx, src, then, e.Scope, now.Now); err != nil {
			return nil, err
		}
	}
	cmp, err := Compare(e, now, in, sc)
	if err != nil {
		return nil, err
	}
	cmp.Period, cmp.Then = e, in
	return cmp, nil
}

// Compare computes the figures of sc (one basort or the whole area) grouped by basort in now
// and, for the earlier period e, in then (loaded for e.Scope), and sets them side by side
// for CompareMetrics.
func Compare(e Earlier, now, then Input, sc Scope) (*Comparison, error) {
	sc.Group = GroupBasort
	nowRes, err := Compute(now, sc)
	if err != nil {
		return nil, err
	}
	cmp := &Comparison{Earlier: PromiseRef{e.Promise.ID, e.Promise.Title}, Years: e.Years, Note: e.Note,
		Outside: e.Outside, Groups: []Place{}}
	var thenRes *Result
	if e.Outside == "" {
		esc := e.Scope
		esc.Group = GroupBasort
		if thenRes, err = Compute(then, esc); err != nil {
			return nil, err
		}
		cmp.Scope = &thenRes.Scope
	}
	nowB, thenB := basortNames(now.Localities), basortNames(then.Localities)
	place := func(key string, m Metrics, had bool, earlier func() Metrics) Place {
		pl := Place{Key: key, Changes: []Change{}}
		if !had {
			pl.Missing = MissingBasort
		}
		for _, code := range CompareMetrics {
			c := Change{Metric: code, Now: m[code]}
			switch {
			case !had:
				c.Reason = MissingBasort
			case thenRes == nil:
				c.Reason = "ingen period att jämföra med"
			default:
				c = change(code, earlier()[code], m[code])
			}
			pl.Changes = append(pl.Changes, c)
		}
		return pl
	}
	var groups map[string]Metrics // nil, read as empty, without an earlier period
	if thenRes != nil {
		groups = thenRes.ByKey()
	}
	for _, g := range nowRes.Groups {
		if !nowB[g.Key] {
			continue // delivery at a place that is no basort: no survey cell to compare
		}
		cmp.Groups = append(cmp.Groups, place(g.Key, g.Metrics, thenB[g.Key], func() Metrics { return groups[g.Key] }))
	}
	had := sc.Basort == "" || thenB[sc.Basort]
	cmp.Total = place("all", nowRes.Total.Metrics, had, func() Metrics { return thenRes.Total.Metrics })
	if sc.Basort == "" && thenRes != nil && !sameKeys(nowB, thenB) {
		cmp.Note += fmt.Sprintf(" Hela området omfattade då %d basorter, nu %d.", len(thenB), len(nowB))
	}
	return cmp, nil
}

func basortNames(ls []*lofte.Locality) map[string]bool {
	out := map[string]bool{}
	for _, l := range basorterOf(ls) {
		out[l.Name] = true
	}
	return out
}

func sameKeys(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// change sets one metric's earlier value beside its current one.
func change(code string, then, now any) Change {
	c := Change{Metric: code, Then: then, Now: now}
	switch n := now.(type) {
	case Count:
		t, _ := then.(Count)
		if t.Value == nil || n.Value == nil {
			c.Reason = sides("inget värde", lack{t.Value == nil, t.Reason}, lack{n.Value == nil, n.Reason})
			return c
		}
		c.Change = ptr(*n.Value - *t.Value)
	case Figure:
		t, _ := then.(Figure)
		if r := withheld(t, n); r != "" {
			c.Reason = r
			return c
		}
		d := *n.Value - *t.Value
		// Each side's standard error from its interval's reach; independent answers add.
		se := math.Hypot(reach(t)/z, reach(n)/z)
		ci := [2]float64{d - z*se, d + z*se}
		settled := ci[0] > 0 || ci[1] < 0
		c.Change, c.CI, c.Settled = &d, &ci, &settled
	}
	return c
}

// withheld says why no change is given between two survey figures, "" when it is.
func withheld(then, now Figure) string {
	for _, w := range []struct {
		reason string
		test   func(Figure) bool
	}{
		{"för få svar", func(f Figure) bool { return f.Suppressed }},
		{"inga svar", func(f Figure) bool { return f.Value == nil }},
		{"osäker skattning", func(f Figure) bool { return f.Uncertain || f.CI == nil }},
	} {
		if t, n := w.test(then), w.test(now); t || n {
			return sides(w.reason, lack{bad: t}, lack{bad: n})
		}
	}
	return ""
}

// lack is whether one side of a comparison lacks a figure, and why in its own words.
type lack struct {
	bad    bool
	detail string
}

// sides words a reason found then, now or both: "för få svar då", "inget värde nu (inget
// planerat besök)", "osäker skattning då och nu".
func sides(reason string, then, now lack) string {
	var parts []string
	for _, s := range []struct {
		word string
		lack
	}{{"då", then}, {"nu", now}} {
		switch {
		case !s.bad:
		case s.detail == "":
			parts = append(parts, s.word)
		default:
			parts = append(parts, s.word+" ("+s.detail+")")
		}
	}
	return reason + " " + strings.Join(parts, " och ") + ": ingen förändring anges"
}

// reach is how far a figure's interval reaches from its value on its wider side. For an
// interval symmetric about the value (the whole area's, a mean's) that is its half-width
// before any clipping at a scale end, which would otherwise make the change look surer
// than it is; for a Wilson interval, lopsided near 0 or 1, it errs on the wide side.
func reach(f Figure) float64 { return max(*f.Value-f.CI[0], f.CI[1]-*f.Value) }

// Change returns the place's change of metric code, and false when it has none.
func (p Place) Change(code string) (Change, bool) {
	i := slices.IndexFunc(p.Changes, func(c Change) bool { return c.Metric == code })
	if i < 0 {
		return Change{}, false
	}
	return p.Changes[i], true
}
