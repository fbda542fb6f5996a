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

	tallies := make(map[int64]*lofte.Tally, len(in.Tallies))
	for _, t := range in.Tallies {
		tallies[t.StopID] = t
	}
	totalArea, totalDelivery := newAreaCell(), &deliveryCell{days: days}
	areas, deliveries := map[string]*areaCell{}, map[string]*deliveryCell{}
	cellsFor := func(key string) (*areaCell, *deliveryCell) {
		a, d := areas[key], deliveries[key]
		if a == nil {
			a, d = newAreaCell(), &deliveryCell{days: span(sc.Group, key, days)}
			areas[key], deliveries[key] = a, d
		}
		return a, d
	}
	if sc.Group == GroupBasort {
		for _, b := range e.basorter {
			cellsFor(b.Name)
		}
	}
	inScope := map[int64]*lofte.Stop{}
	for _, s := range in.Stops {
		if !s.Status.Public() || sc.Basort != "" && s.Basort != sc.Basort {
			continue
		}
		day := lofte.LocalDate(s.StartsAt)
		key := groupKey(s, sc.Group)
		if days.contains(day) {
			inScope[s.ID] = s
			_, d := cellsFor(key)
			d.stops = append(d.stops, s)
			totalDelivery.stops = append(totalDelivery.stops, s)
		}
		if string(s.Kind) != sc.Kind || !e.isBasort[s.Basort] || !months.contains(day) {
			continue
		}
		// A survey cell: its answers, and the visitors of its held stops for the response rate.
		var a *areaCell
		var d *deliveryCell
		if sc.Group != GroupStop {
			a, d = cellsFor(key)
		}
		if s.Status == lofte.StatusHeld {
			totalDelivery.surveyVisitors += s.Visitors
			if d != nil {
				d.surveyVisitors += s.Visitors
			}
		}
		if t := tallies[s.ID]; t != nil {
			totalArea.add(s.Basort, t)
			if a != nil {
				a.add(s.Basort, t)
			}
		}
	}
	for _, f := range in.Feedback {
		key, ok := e.feedbackKey(f, inScope, days)
		if !ok {
			continue
		}
		totalDelivery.items = append(totalDelivery.items, f)
		if key != "" {
			_, d := cellsFor(key)
			d.items = append(d.items, f)
		}
	}

	names := make([]string, len(e.basorter))
	for i, b := range e.basorter {
		names[i] = b.Name
	}
	totalDelivery.basorts = names
	single := sc.Basort != ""
	res := &Result{Scope: e.scopeJSON(months, days, widened), Groups: []Group{}}
	res.Total = Group{Key: "all", Metrics: e.cell(totalArea, totalDelivery, single, true)}
	if sc.Group == GroupNone {
		return res, nil // the total holds the figures
	}
	keys := make([]string, 0, len(deliveries))
	for k := range deliveries {
		keys = append(keys, k)
	}
	sortKeys(keys, sc.Group)
	for _, k := range keys {
		d := deliveries[k]
		switch {
		case sc.Group == GroupBasort && e.isBasort[k]:
			d.basorts = []string{k}
		case sc.Group != GroupBasort:
			d.basorts = names
		}
		isSingle := single || sc.Group == GroupBasort
		res.Groups = append(res.Groups, Group{Key: k, Metrics: e.cell(areas[k], d, isSingle, sc.Group != GroupStop)})
	}
	return res, nil
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
