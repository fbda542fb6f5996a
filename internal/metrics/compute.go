package metrics

import (
	"slices"
	"sort"
	"strconv"
	"time"

	"medborgarlofte/internal/lofte"
)

// Groupings of a scope.
const (
	GroupNone   = "none"
	GroupBasort = "basort"
	GroupMonth  = "month"
	GroupStop   = "stop"
)

// Scope is what a computation covers: inclusive local dates of the stops, optionally some
// basorter, and how to group.
type Scope struct {
	From, To *lofte.Date
	Basorter []string
	Group    string
	MinN     int
}

// ScopeJSON echoes the scope in results.
type ScopeJSON struct {
	From     string   `json:"from"`
	To       string   `json:"to"`
	Basorter []string `json:"basorter"`
	Group    string   `json:"group"`
	MinN     int      `json:"min_n"`
}

// Input is everything a computation reads: the promise's stops (any status), their tallies,
// feedback items and baselines, and the clock.
type Input struct {
	Promise   *lofte.Promise
	Stops     []*lofte.Stop
	Tallies   []*lofte.Tally
	Feedback  []*lofte.FeedbackItem
	Baselines []*lofte.Baseline
	Now       time.Time
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

// Validate checks a scope and names the failing parameter.
func (sc Scope) Validate() error {
	switch sc.Group {
	case "", GroupNone, GroupBasort, GroupMonth, GroupStop:
	default:
		return lofte.Invalid("group", "group måste vara none, basort, month eller stop")
	}
	if sc.From != nil && sc.To != nil && sc.To.Before(*sc.From) {
		return lofte.Invalid("to", "to ligger före from")
	}
	return nil
}

// WithPeriodDefault returns sc with an absent From or To set from period: the dashboard and
// the workbook cover the promise's period unless told otherwise; the API does not.
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

// cell is the stops of one group and their summed counts.
type cell struct {
	key      string
	stops    []*lofte.Stop
	stopResp map[int64]int
	options  map[string]map[string]int
	resp     int
	suspect  int
	items    []*lofte.FeedbackItem
}

func (c *cell) add(s *lofte.Stop, t *lofte.Tally) {
	c.stops = append(c.stops, s)
	if t == nil {
		return
	}
	if c.stopResp == nil {
		c.stopResp = map[int64]int{}
	}
	c.stopResp[s.ID] = t.Responses
	c.resp += t.Responses
	c.suspect += t.Suspect
	for item, opts := range t.Options {
		if c.options[item] == nil {
			c.options[item] = map[string]int{}
		}
		for o, n := range opts {
			c.options[item][o] += n
		}
	}
}

func (in Input) inScope(s *lofte.Stop, sc Scope) bool {
	d := lofte.LocalDate(s.StartsAt)
	if sc.From != nil && d.Before(*sc.From) || sc.To != nil && d.After(*sc.To) {
		return false
	}
	return len(sc.Basorter) == 0 || slices.Contains(sc.Basorter, s.Basort)
}

// Compute returns the figures defined in the package documentation (doc.go) for the scope,
// grouped as asked, with the total.
func Compute(in Input, sc Scope) (*Result, error) {
	if err := sc.Validate(); err != nil {
		return nil, err
	}
	if sc.Group == "" {
		sc.Group = GroupNone
	}
	if sc.MinN < 1 {
		sc.MinN = in.Promise.MinN
	}
	if sc.MinN < 1 {
		sc.MinN = lofte.DefaultMinN
	}
	tallies := make(map[int64]*lofte.Tally, len(in.Tallies))
	for _, t := range in.Tallies {
		tallies[t.StopID] = t
	}
	total := &cell{key: "all", options: map[string]map[string]int{}}
	cells := map[string]*cell{}
	inScope := map[int64]bool{}
	for _, s := range in.Stops {
		if !s.Status.Public() || !in.inScope(s, sc) {
			continue
		}
		inScope[s.ID] = true
		t := tallies[s.ID]
		total.add(s, t)
		if sc.Group == GroupNone {
			continue
		}
		key := groupKey(s, sc.Group)
		c, ok := cells[key]
		if !ok {
			c = &cell{key: key, options: map[string]map[string]int{}}
			cells[key] = c
		}
		c.add(s, t)
	}
	for _, f := range in.Feedback {
		if !in.feedbackInScope(f, sc, inScope) {
			continue
		}
		total.items = append(total.items, f)
		if sc.Group == GroupBasort {
			if c := cells[f.Basort]; c != nil {
				c.items = append(c.items, f)
			}
		}
	}
	res := &Result{Scope: scopeJSON(sc), Groups: []Group{}, Total: Group{Key: "all", Metrics: in.metrics(total, sc.MinN)}}
	keys := make([]string, 0, len(cells))
	for k := range cells {
		keys = append(keys, k)
	}
	sortKeys(keys, sc.Group)
	for _, k := range keys {
		res.Groups = append(res.Groups, Group{Key: k, Metrics: in.metrics(cells[k], sc.MinN)})
	}
	secondarySuppression(res)
	return res, nil
}

func groupKey(s *lofte.Stop, group string) string {
	switch group {
	case GroupBasort:
		return s.Basort
	case GroupMonth:
		return s.StartsAt.In(lofte.Zone).Format("2006-01")
	}
	return strconv.FormatInt(s.ID, 10)
}

func sortKeys(keys []string, group string) {
	if group == GroupStop {
		sort.Slice(keys, func(i, j int) bool {
			a, _ := strconv.ParseInt(keys[i], 10, 64)
			b, _ := strconv.ParseInt(keys[j], 10, 64)
			return a < b
		})
		return
	}
	sort.Strings(keys)
}

func scopeJSON(sc Scope) ScopeJSON {
	j := ScopeJSON{Basorter: sc.Basorter, Group: sc.Group, MinN: sc.MinN}
	if j.Basorter == nil {
		j.Basorter = []string{}
	}
	if sc.From != nil {
		j.From = sc.From.String()
	}
	if sc.To != nil {
		j.To = sc.To.String()
	}
	return j
}

// metrics computes one cell's figures.
func (in Input) metrics(c *cell, minN int) Metrics {
	m := Metrics{"responses": count(float64(c.resp)), "suspect": count(float64(c.suspect))}
	for _, d := range shareDefs {
		opts := c.options[d.Item]
		x, n := 0, 0
		for _, o := range d.Valid {
			n += opts[o]
		}
		for _, o := range d.Num {
			x += opts[o]
		}
		m[d.Code] = share(x, n, minN)
	}
	for _, d := range meanDefs {
		counts := map[float64]int{}
		for o, v := range d.Scale {
			if k := c.options[d.Item][o]; k > 0 {
				counts[v] += k
			}
		}
		m[d.Code] = mean(counts, minN)
	}
	for _, d := range distDefs {
		opts := c.options[d.Item]
		n := opts["*"]
		if !d.Multi {
			n = 0
			for _, o := range d.Options {
				n += opts[o]
			}
		}
		dist := Distribution{}
		for _, o := range d.Options {
			dist[o] = share(opts[o], n, minN)
		}
		m[d.Item] = dist
	}
	in.delivery(c, m)
	told := 0
	for _, f := range c.items {
		if f.Told() {
			told++
		}
	}
	m["feedback_closed"] = deliveryShare(told, len(c.items))
	return m
}

// delivery computes the schedule's figures over the cell's regular stops; summer events are
// counted on their own.
func (in Input) delivery(c *cell, m Metrics) {
	var (
		planned, held, cancelled, unconfirmed, events, announced7 int
		visitors, responses                                       int
		contacts                                                  lofte.Contacts
		hours                                                     float64
		lead                                                      []float64
	)
	heldDays := map[string][]lofte.Date{}
	for _, s := range c.stops {
		if s.Kind == lofte.KindEvent {
			if s.Status == lofte.StatusHeld {
				events++
			}
			continue
		}
		past := s.StartsAt.Before(in.Now)
		if past {
			planned++
		}
		switch {
		case s.Status == lofte.StatusHeld:
			held++
			visitors += s.Visitors
			responses += c.stopResp[s.ID]
			hours += s.OpenHours()
			contacts.CrimeReport += s.Contacts.CrimeReport
			contacts.Tip += s.Contacts.Tip
			contacts.Advice += s.Contacts.Advice
			contacts.Other += s.Contacts.Other
			if s.PublishedAt != nil {
				days := s.StartsAt.Sub(*s.PublishedAt).Hours() / 24
				lead = append(lead, days)
				if days >= 7 {
					announced7++
				}
			}
			heldDays[s.Basort] = append(heldDays[s.Basort], lofte.LocalDate(s.StartsAt))
		case s.Status == lofte.StatusCancelled && past:
			cancelled++
		case s.Status == lofte.StatusPublished && past:
			unconfirmed++
		}
	}
	m["stops_planned"] = count(float64(planned))
	m["stops_held"] = count(float64(held))
	m["stops_cancelled"] = count(float64(cancelled))
	m["unconfirmed"] = count(float64(unconfirmed))
	m["delivery_rate"] = deliveryShare(min(held, planned), planned)
	m["announce_days_median"] = medianCount(lead)
	m["announced_7d"] = deliveryShare(announced7, len(lead))
	var gaps []float64
	for _, days := range heldDays {
		for _, g := range GapDays(in.Promise, days) {
			gaps = append(gaps, float64(g))
		}
	}
	m["gap_days_median"] = medianCount(gaps)
	m["gap_days_max"] = Count{}
	if len(gaps) > 0 {
		m["gap_days_max"] = count(slices.Max(gaps))
	}
	m["visitors"] = count(float64(visitors))
	m["visitors_per_stop"] = ratio(float64(visitors), float64(held))
	m["visitors_per_hour"] = ratio(float64(visitors), hours)
	m["response_rate"] = ratio(float64(responses), float64(visitors))
	m["contacts_crime_report"] = count(float64(contacts.CrimeReport))
	m["contacts_tip"] = count(float64(contacts.Tip))
	m["contacts_advice"] = count(float64(contacts.Advice))
	m["contacts_other"] = count(float64(contacts.Other))
	m["events"] = count(float64(events))
}

func medianCount(xs []float64) Count {
	if len(xs) == 0 {
		return Count{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return count(s[len(s)/2])
	}
	return count((s[len(s)/2-1] + s[len(s)/2]) / 2)
}

// GapDays returns, for held stops on days (any order), the number of active days of the
// promise between each consecutive pair: days after the first up to and including the
// second, leaving out days outside the period and in excluded periods.
func GapDays(p *lofte.Promise, days []lofte.Date) []int {
	s := slices.Clone(days)
	slices.SortFunc(s, func(a, b lofte.Date) int { return a.DaysUntil(b) * -1 })
	var out []int
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1] {
			continue
		}
		n := 0
		for d := s[i-1].AddDays(1); !d.After(s[i]); d = d.AddDays(1) {
			if p.IsActiveDay(d) {
				n++
			}
		}
		out = append(out, n)
	}
	return out
}

// secondarySuppression hides, within the grouping, the next-smallest cell of any metric where
// exactly one non-empty cell is suppressed while the total is shown, so the hidden cell
// cannot be derived by subtraction.
func secondarySuppression(res *Result) {
	if len(res.Groups) < 2 {
		return
	}
	type ref struct {
		get func(Metrics) (Figure, bool)
		set func(Metrics, Figure)
	}
	var refs []ref
	for _, d := range shareDefs {
		code := d.Code
		refs = append(refs, ref{
			get: func(m Metrics) (Figure, bool) { f, ok := m[code].(Figure); return f, ok },
			set: func(m Metrics, f Figure) { m[code] = f },
		})
	}
	for _, d := range meanDefs {
		code := d.Code
		refs = append(refs, ref{
			get: func(m Metrics) (Figure, bool) { f, ok := m[code].(Figure); return f, ok },
			set: func(m Metrics, f Figure) { m[code] = f },
		})
	}
	for _, d := range distDefs {
		item := d.Item
		for _, o := range d.Options {
			opt := o
			refs = append(refs, ref{
				get: func(m Metrics) (Figure, bool) { dist, ok := m[item].(Distribution); return dist[opt], ok },
				set: func(m Metrics, f Figure) { m[item].(Distribution)[opt] = f },
			})
		}
	}
	for _, r := range refs {
		tot, ok := r.get(res.Total.Metrics)
		if !ok || !tot.shown() {
			continue
		}
		suppressed, best := 0, -1
		for i, g := range res.Groups {
			f, _ := r.get(g.Metrics)
			switch {
			case f.N == 0:
			case f.Suppressed:
				suppressed++
			case best < 0:
				best = i
			default:
				if b, _ := r.get(res.Groups[best].Metrics); f.N < b.N {
					best = i
				}
			}
		}
		if suppressed == 1 && best >= 0 {
			f, _ := r.get(res.Groups[best].Metrics)
			f.suppress()
			r.set(res.Groups[best].Metrics, f)
		}
	}
}
