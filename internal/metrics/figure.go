package metrics

// z is the normal quantile of a 95 % interval.
const z = 1.959964

// Figure is a survey figure (a share, a mean or one option of a distribution): its value, the
// perturbed n it stands on, its 95 % interval, and whether it is suppressed (too few answers:
// value, n and interval withheld) or an uncertain estimate. A whole-area figure also says
// whether it is weighted by population, the population share it covers and the pooled
// (unweighted) figure beside it. An empty figure has N 0 and no value.
type Figure struct {
	Value      *float64    `json:"value"`
	N          *int        `json:"n"`
	CI         *[2]float64 `json:"ci"`
	Suppressed bool        `json:"suppressed"`
	Uncertain  bool        `json:"uncertain"`
	Weighted   *bool       `json:"weighted,omitempty"`
	Coverage   *float64    `json:"coverage,omitempty"`
	Pooled     *Figure     `json:"pooled,omitempty"`
}

// Count is a count (survey counts perturbed) or a delivery figure, never suppressed; Value
// is nil when the figure is undefined (a rate over nothing), with the Reason in Swedish.
// NoVisit names the basorter without a held stop, for the gaps between visits.
type Count struct {
	Value   *float64 `json:"value"`
	Reason  string   `json:"reason,omitempty"`
	NoVisit []string `json:"no_visit,omitempty"`
}

// Distribution maps option codes to their share figures.
type Distribution map[string]Figure

// Metrics holds a cell's figures by metric code: Figure, Count or Distribution.
type Metrics map[string]any

func ptr(x float64) *float64 { return &x }
func intPtr(x int) *int      { return &x }
func boolPtr(x bool) *bool   { return &x }

func count(x float64) Count { return Count{Value: ptr(x)} }

func undefined(reason string) Count { return Count{Reason: reason} }

func ratio(num, den float64, reason string) Count {
	if den == 0 {
		return undefined(reason)
	}
	return count(num / den)
}

// Figure returns the metric as a figure; the zero figure when it is none.
func (m Metrics) Figure(code string) Figure {
	f, _ := m[code].(Figure)
	return f
}

// Count returns the metric as a count; the undefined count when it is none.
func (m Metrics) Count(code string) Count {
	c, _ := m[code].(Count)
	return c
}

// CountValue returns a count's value, 0 when it is undefined or not a count.
func (m Metrics) CountValue(code string) float64 {
	c, _ := m[code].(Count)
	if c.Value == nil {
		return 0
	}
	return *c.Value
}

// Shown reports whether the figure has a value to show.
func (f Figure) Shown() bool { return f.Value != nil }

// Size returns the figure's n, 0 when it is withheld.
func (f Figure) Size() int {
	if f.N == nil {
		return 0
	}
	return *f.N
}
