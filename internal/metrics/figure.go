package metrics

import "math"

// z is the normal quantile of a 95 % interval.
const z = 1.959964

// UncertainBelow is the n under which a figure is flagged as an uncertain estimate.
const UncertainBelow = 30

// Figure is a share or mean about people: value, n, interval and whether it is shown.
type Figure struct {
	Value      *float64    `json:"value"`
	N          int         `json:"n"`
	CI         *[2]float64 `json:"ci"`
	Suppressed bool        `json:"suppressed"`
	Uncertain  bool        `json:"uncertain"`
}

// Count is a figure about stops or counts, never suppressed; Value is null when undefined
// (a rate over nothing).
type Count struct {
	Value *float64 `json:"value"`
}

// Distribution maps option codes to their share figures.
type Distribution map[string]Figure

// Metrics holds a cell's figures by metric code: Figure, Count or Distribution.
type Metrics map[string]any

func ptr(x float64) *float64 { return &x }

func count(x float64) Count { return Count{Value: ptr(x)} }

func ratio(num, den float64) Count {
	if den == 0 {
		return Count{}
	}
	return count(num / den)
}

// Wilson returns the 95 % Wilson score interval of x successes in n.
func Wilson(x, n int) [2]float64 {
	p, nf := float64(x)/float64(n), float64(n)
	den := 1 + z*z/nf
	centre := (p + z*z/(2*nf)) / den
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / den
	return [2]float64{math.Max(0, centre-half), math.Min(1, centre+half)}
}

// share makes the figure of x in n, suppressed below minN.
func share(x, n, minN int) Figure {
	f := Figure{N: n, Uncertain: n > 0 && n < UncertainBelow}
	switch {
	case n == 0:
	case n < minN:
		f.Suppressed = true
	default:
		ci := Wilson(x, n)
		f.Value, f.CI = ptr(float64(x)/float64(n)), &ci
	}
	return f
}

// deliveryShare is a share about stops: never suppressed, with its interval.
func deliveryShare(x, n int) Figure {
	f := share(x, n, 1)
	f.Uncertain = false
	return f
}

// mean makes the figure of a mean over counts of scale values, suppressed below minN.
func mean(counts map[float64]int, minN int) Figure {
	n, sum := 0, 0.0
	for v, k := range counts {
		n += k
		sum += v * float64(k)
	}
	f := Figure{N: n, Uncertain: n > 0 && n < UncertainBelow}
	switch {
	case n == 0:
		return f
	case n < minN:
		f.Suppressed = true
		return f
	}
	m := sum / float64(n)
	f.Value = &m
	if n > 1 {
		ss := 0.0
		for v, k := range counts {
			ss += float64(k) * (v - m) * (v - m)
		}
		half := z * math.Sqrt(ss/float64(n-1)) / math.Sqrt(float64(n))
		f.CI = &[2]float64{m - half, m + half}
	}
	return f
}

// suppress hides a figure's value, keeping its n.
func (f *Figure) suppress() {
	f.Value, f.CI, f.Suppressed = nil, nil, true
}

// shown reports whether the figure has a value to show.
func (f Figure) shown() bool { return f.Value != nil }

// CommentsMinResponses is the fewest responses a cell (a basort, a month, a stop) must have
// before its free-text comments are shown anywhere: in a small cell a comment could point
// at the person who wrote it.
const CommentsMinResponses = 10

// CommentsShown reports whether a cell with this many responses may show its comments.
func CommentsShown(responses int) bool { return responses >= CommentsMinResponses }

// Figure returns the metric as a figure; the zero figure when it is none.
func (m Metrics) Figure(code string) Figure {
	f, _ := m[code].(Figure)
	return f
}

// CountValue returns a count's value, 0 when it is undefined or not a count.
func (m Metrics) CountValue(code string) float64 {
	c, _ := m[code].(Count)
	if c.Value == nil {
		return 0
	}
	return *c.Value
}
