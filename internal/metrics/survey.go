package metrics

import (
	"cmp"
	"maps"
	"math"
	"slices"

	"medborgarlofte/internal/lofte"
)

// counts is the responses of one survey cell (or of one basort within it) as the cell key
// method sees them: for every answered option the set of responses that gave it, and the
// per-stop true counts that the design effect needs. Suspect responses are only counted.
type counts struct {
	responses Set
	suspect   int
	options   map[string]map[string]Set
	stops     []*lofte.Tally
}

func newCounts() *counts { return &counts{options: map[string]map[string]Set{}} }

func (c *counts) add(t *lofte.Tally) {
	c.responses = c.responses.Add(Set{N: t.Responses, Key: t.ResponsesKey})
	c.suspect += t.Suspect
	c.stops = append(c.stops, t)
	for item, opts := range t.Options {
		m := c.options[item]
		if m == nil {
			m = map[string]Set{}
			c.options[item] = m
		}
		for o, n := range opts {
			m[o] = m[o].Add(Set{N: n, Key: t.OptionKeys[item][o]})
		}
	}
}

// union is the set of responses giving any of the options of item (options of a one-choice
// item are disjoint, so their key sums add up).
func (c *counts) union(item string, options []string) Set {
	var s Set
	for _, o := range options {
		s = s.Add(c.options[item][o])
	}
	return s
}

// question is what a share is computed from: the numerator options over the valid ones of an
// item; Valid nil means everyone who answered the item (option "*" of a multi-choice item).
type question struct {
	item       string
	num, valid []string
}

func (q question) den(c *counts) Set {
	if q.valid == nil {
		return c.options[q.item]["*"]
	}
	return c.union(q.item, q.valid)
}

// perStop returns the true per-stop numerators and denominators.
func (q question) perStop(stops []*lofte.Tally) []StopCount {
	out := make([]StopCount, 0, len(stops))
	for _, t := range stops {
		opts := t.Options[q.item]
		var x, n int
		for _, o := range q.num {
			x += opts[o]
		}
		if q.valid == nil {
			n = opts["*"]
		} else {
			for _, o := range q.valid {
				n += opts[o]
			}
		}
		out = append(out, StopCount{X: float64(x), N: float64(n)})
	}
	return out
}

// estimate is one cell's figure and what a whole-area weighting needs of it.
type estimate struct {
	fig               Figure
	value, n, deff, s float64
}

func (e estimate) stratum(pop float64) Stratum {
	return Stratum{Pop: pop, Value: e.value, N: e.n, Deff: e.deff, SD: e.s, Shown: e.fig.Value != nil}
}

func emptyFigure() Figure { return Figure{N: intPtr(0)} }

func suppressedFigure() Figure { return Figure{Suppressed: true} }

// share estimates a share in one basort's cell (or the pooled whole area): the perturbed
// numerator over the perturbed denominator, its Wilson interval on the effective size that
// the cell's clustering by stop leaves.
func (e *engine) share(c *counts, q question) estimate {
	num := c.union(q.item, q.num)
	x, n := e.pt.Share(num, q.den(c))
	switch {
	case n == 0:
		return estimate{fig: emptyFigure()}
	case n < e.minN:
		return estimate{fig: suppressedFigure()}
	}
	p := float64(x) / float64(n)
	deff := DesignEffect(q.perStop(c.stops))
	ci := WilsonEff(p, float64(n)/deff)
	return estimate{
		fig:   Figure{Value: &p, N: intPtr(n), CI: &ci, Uncertain: Uncertain(ci, false)},
		value: p, n: float64(n), deff: deff,
	}
}

// mean estimates a mean on an item's own scale from the perturbed option counts.
func (e *engine) mean(c *counts, d meanDef) estimate {
	var n, sum float64
	perturbed := map[string]float64{}
	for _, o := range d.options() {
		score := d.Scale[o]
		k := float64(e.pt.Perturb(c.options[d.Item][o]))
		perturbed[o] = k
		n += k
		sum += k * score
	}
	switch {
	case n == 0:
		return estimate{fig: emptyFigure()}
	case n < float64(e.minN):
		return estimate{fig: suppressedFigure()}
	}
	m := sum / n
	var ss float64
	for _, o := range d.options() {
		score := d.Scale[o]
		ss += perturbed[o] * (score - m) * (score - m)
	}
	s := 0.0
	if n > 1 {
		s = math.Sqrt(ss / (n - 1))
	}
	deff := DesignEffectMean(d.perStop(c.stops))
	lo, hi := d.bounds()
	ci := MeanInterval(m, s, n/deff, lo, hi)
	return estimate{
		fig:   Figure{Value: &m, N: intPtr(int(n)), CI: &ci, Uncertain: Uncertain(ci, true)},
		value: m, n: n, deff: deff, s: s,
	}
}

// perStop returns each stop's true sum of scores and count, and the variance of the true
// scores over all of them (divisor N), for the mean's design effect.
func (d meanDef) perStop(stops []*lofte.Tally) ([]StopCount, float64) {
	out := make([]StopCount, 0, len(stops))
	var n, sum, sq float64
	for _, t := range stops {
		var sc StopCount
		for _, o := range d.options() {
			score := d.Scale[o]
			k := float64(t.Options[d.Item][o])
			sc.X += k * score
			sc.N += k
			sq += k * score * score
		}
		n += sc.N
		sum += sc.X
		out = append(out, sc)
	}
	if n == 0 {
		return out, 0
	}
	m := sum / n
	return out, sq/n - m*m
}

// options returns the scale's options in a fixed order: sums of floats taken in a map's
// random order could differ in the last bit, and the same cell must give the same figure
// every time it is asked.
func (d meanDef) options() []string { return slices.Sorted(maps.Keys(d.Scale)) }

// bounds is the scale's lowest and highest score.
func (d meanDef) bounds() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range d.Scale {
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, hi
}

// areaCell is a survey cell over the whole area: the pooled counts and each basort's own.
type areaCell struct {
	pooled   *counts
	byBasort map[string]*counts
}

func newAreaCell() *areaCell { return &areaCell{pooled: newCounts(), byBasort: map[string]*counts{}} }

func (a *areaCell) add(basort string, t *lofte.Tally) {
	a.pooled.add(t)
	c := a.byBasort[basort]
	if c == nil {
		c = newCounts()
		a.byBasort[basort] = c
	}
	c.add(t)
}

// whole returns the whole-area figure: each basort weighted by its population, with the
// pooled figure beside it; the pooled figure alone when a basort lacks a population.
func (e *engine) whole(a *areaCell, est func(*counts) estimate, mean bool, lo, hi float64) Figure {
	pooled := est(a.pooled)
	f := pooled.fig
	if !e.weighted {
		f.Weighted = boolPtr(false)
		return f
	}
	strata := make([]Stratum, 0, len(e.basorter))
	for _, b := range e.basorter {
		c := a.byBasort[b.Name]
		if c == nil {
			c = newCounts()
		}
		strata = append(strata, est(c).stratum(float64(b.Population)))
	}
	value, ci, coverage, n, ok := Weighted(strata, mean, lo, hi)
	switch {
	case ok:
		f = Figure{Value: &value, N: intPtr(int(math.Round(n))), CI: &ci, Uncertain: Uncertain(ci, mean)}
	case pooled.fig.N != nil && *pooled.fig.N == 0:
		f = emptyFigure()
	default:
		f = suppressedFigure()
	}
	f.Weighted, f.Coverage, f.Pooled = boolPtr(true), &coverage, &pooled.fig
	return f
}

// survey computes the survey figures of one cell: for one basort when single, else for the
// whole area.
func (e *engine) survey(a *areaCell, single bool, m Metrics) {
	fig := func(est func(*counts) estimate, mean bool, lo, hi float64) Figure {
		if single {
			return est(a.pooled).fig
		}
		return e.whole(a, est, mean, lo, hi)
	}
	m["responses"] = count(float64(e.pt.Perturb(a.pooled.responses)))
	m["suspect"] = count(float64(a.pooled.suspect))
	for _, d := range shareDefs {
		q := question{item: d.Item, num: d.Num, valid: d.Valid}
		m[d.Code] = fig(func(c *counts) estimate { return e.share(c, q) }, false, 0, 1)
	}
	for _, d := range meanDefs {
		lo, hi := d.bounds()
		m[d.Code] = fig(func(c *counts) estimate { return e.mean(c, d) }, true, lo, hi)
	}
	for _, d := range distDefs {
		dist := Distribution{}
		for _, o := range d.Options {
			q := question{item: d.Item, num: []string{o}, valid: d.Options}
			if d.Multi {
				q.valid = nil
			}
			dist[o] = fig(func(c *counts) estimate { return e.share(c, q) }, false, 0, 1)
		}
		m[d.Item] = dist
	}
}

// basorterOf returns the promise's basorter, in name order.
func basorterOf(ls []*lofte.Locality) []*lofte.Locality {
	var out []*lofte.Locality
	for _, l := range ls {
		if l.Basort {
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(a, b *lofte.Locality) int { return cmp.Compare(a.Name, b.Name) })
	return out
}
