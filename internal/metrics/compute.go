package metrics

import (
	"slices"
	"strconv"
	"time"

	"medborgarlofte/internal/lofte"
)

// Input is everything a computation reads: the promise, its localities, its stops (any
// status), their tallies, feedback items and baselines, and the clock.
type Input struct {
	Promise    *lofte.Promise
	Localities []*lofte.Locality
	Stops      []*lofte.Stop
	Tallies    []*lofte.Tally
	Feedback   []*lofte.FeedbackItem
	Baselines  []*lofte.Baseline
	Now        time.Time
	// PTable is the perturbation table; nil means the built-in one.
	PTable *PTable
}

// Group is one cell of a grouping, or the total.
type Group struct {
	Key     string  `json:"key"`
	Metrics Metrics `json:"metrics"`
}

// Result is the answer of GET /api/v1/metrics.
type Result struct {
	Scope  ScopeJSON `json:"scope"`
	Groups []Group   `json:"groups"`
	Total  Group     `json:"total"`
}

// ByKey are the result's figures by group key; a key without a group has none (nil), whose
// counts read 0. Build it once per use, not once per lookup.
func (r *Result) ByKey() map[string]Metrics {
	out := make(map[string]Metrics, len(r.Groups))
	for _, g := range r.Groups {
		out[g.Key] = g.Metrics
	}
	return out
}

// MinN is the promise's threshold below which a survey figure is suppressed: its setting,
// the default when unset, never below lofte.MinMinN.
func MinN(p *lofte.Promise) int {
	if p.MinN < 1 {
		return lofte.DefaultMinN
	}
	return max(p.MinN, lofte.MinMinN)
}

// StatusMinN is the fewest perturbed answers a survey indicator needs for a status.
func StatusMinN(p *lofte.Promise) int {
	if p.StatusMinN < 1 {
		return lofte.DefaultStatusMinN
	}
	return p.StatusMinN
}

// engine holds what one computation shares.
type engine struct {
	in       Input
	sc       Scope
	pt       *PTable
	minN     int
	basorter []*lofte.Locality
	isBasort map[string]bool
	// weighted is false when a basort lacks a population: whole-area figures are then pooled.
	weighted bool
}

func newEngine(in Input, sc Scope) *engine {
	e := &engine{in: in, sc: sc, pt: in.PTable, minN: MinN(in.Promise), isBasort: map[string]bool{}, weighted: true}
	if e.pt == nil {
		e.pt = DefaultPTable()
	}
	for _, l := range basorterOf(in.Localities) {
		if sc.Basort != "" && l.Name != sc.Basort {
			continue
		}
		e.basorter = append(e.basorter, l)
		e.isBasort[l.Name] = true
		if l.Population <= 0 {
			e.weighted = false
		}
	}
	return e
}

// Compute returns the figures for the scope, grouped as asked, with the total.
func Compute(in Input, sc Scope) (*Result, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	sc = sc.withDefaults()
	e := newEngine(in, sc)
	days := sc.days(in.Promise)
	months, widened := sc.months(in.Promise)
	cs := e.newCells(days)
	inScope := e.addStops(cs, days, months)
	e.addFeedback(cs, inScope, days)
	return e.result(cs, e.scopeJSON(months, days, widened)), nil
}

// cells are a computation's groups by key, each an area cell (the survey answers) and a
// delivery cell (the stops and feedback items), and the total across them.
type cells struct {
	group         string
	days          period
	totalArea     *areaCell
	totalDelivery *deliveryCell
	areas         map[string]*areaCell
	deliveries    map[string]*deliveryCell
}

// newCells makes the cells, with one per basort in scope when grouping by basort, so a
// basort with nothing in the period still has its row.
func (e *engine) newCells(days period) *cells {
	cs := &cells{group: e.sc.Group, days: days, totalArea: newAreaCell(), totalDelivery: &deliveryCell{days: days},
		areas: map[string]*areaCell{}, deliveries: map[string]*deliveryCell{}}
	if e.sc.Group == GroupBasort {
		for _, b := range e.basorter {
			cs.of(b.Name)
		}
	}
	return cs
}

// of is the group key's cells, made when first asked for.
func (cs *cells) of(key string) (*areaCell, *deliveryCell) {
	a, d := cs.areas[key], cs.deliveries[key]
	if a == nil {
		a, d = newAreaCell(), &deliveryCell{days: span(cs.group, key, cs.days)}
		cs.areas[key], cs.deliveries[key] = a, d
	}
	return a, d
}

// counted reports whether the figures look at a stop at all: a public one in the scope's
// basort (any, without one).
func (e *engine) counted(s *lofte.Stop) bool {
	return s.Status.Public() && (e.sc.Basort == "" || s.Basort == e.sc.Basort)
}

// addStops puts each stop counted into its cells: into the delivery when it is in the
// delivery's days, and its answers into the survey when it is of the scope's kind, at a
// basort, in the survey's months. It returns the stops of the delivery by id, for their
// feedback items.
func (e *engine) addStops(cs *cells, days, months period) map[int64]*lofte.Stop {
	tallies := make(map[int64]*lofte.Tally, len(e.in.Tallies))
	for _, t := range e.in.Tallies {
		tallies[t.StopID] = t
	}
	inScope := map[int64]*lofte.Stop{}
	for _, s := range e.in.Stops {
		if !e.counted(s) {
			continue
		}
		day := lofte.LocalDate(s.StartsAt)
		key := groupKey(s, e.sc.Group)
		if days.contains(day) {
			inScope[s.ID] = s
			_, d := cs.of(key)
			d.stops = append(d.stops, s)
			cs.totalDelivery.stops = append(cs.totalDelivery.stops, s)
		}
		if string(s.Kind) != e.sc.Kind || !e.isBasort[s.Basort] || !months.contains(day) {
			continue
		}
		// A survey cell: its answers, and the visitors of its held stops for the response rate.
		var a *areaCell
		var d *deliveryCell
		if e.sc.Group != GroupStop {
			a, d = cs.of(key)
		}
		if s.Status == lofte.StatusHeld {
			cs.totalDelivery.surveyVisitors += s.Visitors
			if d != nil {
				d.surveyVisitors += s.Visitors
			}
		}
		if t := tallies[s.ID]; t != nil {
			cs.totalArea.add(s.Basort, t)
			if a != nil {
				a.add(s.Basort, t)
			}
		}
	}
	return inScope
}

// addFeedback puts each feedback item in scope into the total's delivery and its group's.
func (e *engine) addFeedback(cs *cells, inScope map[int64]*lofte.Stop, days period) {
	for _, f := range e.in.Feedback {
		key, ok := e.feedbackKey(f, inScope, days)
		if !ok {
			continue
		}
		cs.totalDelivery.items = append(cs.totalDelivery.items, f)
		if key != "" {
			_, d := cs.of(key)
			d.items = append(d.items, f)
		}
	}
}

// result computes the figures of the filled cells: the total, and the groups in order.
// A basort's group measures the gaps between visits to that basort, a group of another
// grouping those of every basort in scope, a place that is not a basort none.
func (e *engine) result(cs *cells, scope ScopeJSON) *Result {
	names := make([]string, len(e.basorter))
	for i, b := range e.basorter {
		names[i] = b.Name
	}
	cs.totalDelivery.basorts = names
	single := e.sc.Basort != ""
	res := &Result{Scope: scope, Groups: []Group{}}
	res.Total = Group{Key: "all", Metrics: e.cell(cs.totalArea, cs.totalDelivery, single, true)}
	if e.sc.Group == GroupNone {
		return res // the total holds the figures
	}
	keys := make([]string, 0, len(cs.deliveries))
	for k := range cs.deliveries {
		keys = append(keys, k)
	}
	sortKeys(keys, e.sc.Group)
	for _, k := range keys {
		d := cs.deliveries[k]
		switch {
		case e.sc.Group == GroupBasort && e.isBasort[k]:
			d.basorts = []string{k}
		case e.sc.Group != GroupBasort:
			d.basorts = names
		}
		isSingle := single || e.sc.Group == GroupBasort
		res.Groups = append(res.Groups, Group{Key: k, Metrics: e.cell(cs.areas[k], d, isSingle, e.sc.Group != GroupStop)})
	}
	return res
}

// cell computes one group's figures.
func (e *engine) cell(a *areaCell, d *deliveryCell, single, withSurvey bool) Metrics {
	m := Metrics{}
	if withSurvey {
		e.survey(a, single, m)
		m["response_rate"] = ratio(m.CountValue("responses"), float64(d.surveyVisitors), reasonNoVisitors)
	}
	e.delivery(d, m)
	if d.basorts == nil {
		m["gap_days_median"], m["gap_days_max"] = undefined(reasonNoActive), undefined(reasonNoActive)
	}
	return m
}

// feedbackKey places a feedback item in the group of the stop it came from, or, without a
// stop, of its basort and the day it was raised.
func (e *engine) feedbackKey(f *lofte.FeedbackItem, inScope map[int64]*lofte.Stop, days period) (string, bool) {
	if f.StopID != nil {
		s := inScope[*f.StopID]
		if s == nil {
			return "", false
		}
		return groupKey(s, e.sc.Group), true
	}
	if e.sc.Basort != "" && f.Basort != e.sc.Basort || !days.contains(lofte.LocalDate(f.CreatedAt)) {
		return "", false
	}
	if e.sc.Group == GroupStop {
		return "", true // not a stop of its own: only in the total
	}
	return groupKey(&lofte.Stop{Basort: f.Basort, StartsAt: f.CreatedAt}, e.sc.Group), true
}

func sortKeys(keys []string, group string) {
	if group == GroupStop {
		slices.SortFunc(keys, func(a, b string) int {
			x, _ := strconv.ParseInt(a, 10, 64)
			y, _ := strconv.ParseInt(b, 10, 64)
			return int(x - y)
		})
		return
	}
	slices.Sort(keys)
}

func (e *engine) scopeJSON(months, days period, widened bool) ScopeJSON {
	j := ScopeJSON{From: months.from.String(), To: months.to.String(),
		DeliveryFrom: days.from.String(), DeliveryTo: days.to.String(),
		Group: e.sc.Group, Kind: e.sc.Kind, MinN: e.minN, StatusMinN: StatusMinN(e.in.Promise), Widened: widened}
	if e.sc.Basort != "" {
		b := e.sc.Basort
		j.Basort = &b
	}
	return j
}
