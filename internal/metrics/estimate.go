package metrics

import "math"

// StopCount is one stop's contribution to a cell, from the true (unperturbed) answers: N the
// number of valid answers and X the numerator of a share, or the sum of the scores for a
// mean. Only the design effect reads true counts, and it publishes only a widening factor.
type StopCount struct {
	X, N float64
}

// clusterVariance returns, for the stops with answers, their number k, the total N, the ratio
// r = ΣX/N and the variance of r between stops, k/(k−1)·Σ(X_s − r·N_s)²/N² (the ratio
// estimator's variance with stops as clusters). v is 0 when k < 2.
func clusterVariance(stops []StopCount) (k int, n, r, v float64) {
	var x float64
	for _, s := range stops {
		if s.N > 0 {
			k++
			n += s.N
			x += s.X
		}
	}
	if k < 2 {
		return k, n, 0, 0
	}
	r = x / n
	var ss float64
	for _, s := range stops {
		if s.N > 0 {
			d := s.X - r*s.N
			ss += d * d
		}
	}
	return k, n, r, float64(k) / float64(k-1) * ss / (n * n)
}

// DesignEffect returns how much wider a share's interval must be because answers cluster by
// stop (people at one stop, on one day, answer alike): with k the stops that have answers,
// N = Σ N_s and p₀ = Σ X_s / N, the variance between stops is
// v_clu = k/(k−1) · Σ (X_s − p₀·N_s)² / N², that of a simple random sample v_srs = p₀(1−p₀)/N,
// and the design effect max(1, v_clu / v_srs). It is 1 when k < 2 or p₀ is 0 or 1, where
// between-stop variance cannot be told.
func DesignEffect(stops []StopCount) float64 {
	k, n, p0, vClu := clusterVariance(stops)
	if k < 2 || p0 <= 0 || p0 >= 1 {
		return 1
	}
	return max(1, vClu/(p0*(1-p0)/n))
}

// DesignEffectMean is DesignEffect for a mean: X_s is the stop's sum of scores, and
// v_srs = σ²/N with sigma2 the variance of the true scores with divisor N (as p₀(1−p₀) is
// for a share). It is 1 when k < 2 or sigma2 is 0 (everyone gave the same score).
func DesignEffectMean(stops []StopCount, sigma2 float64) float64 {
	k, n, _, vClu := clusterVariance(stops)
	if k < 2 || sigma2 <= 0 {
		return 1
	}
	return max(1, vClu/(sigma2/n))
}

// WilsonEff returns the 95 % Wilson score interval (z = 1.959964) of a share p observed on an
// effective sample size nEff, the perturbed n divided by the design effect:
// centre = (p + z²/2n′) / (1 + z²/n′), half = z·√(p(1−p)/n′ + z²/4n′²) / (1 + z²/n′), clipped
// to [0, 1]. Unlike the simple p ± z·√(p(1−p)/n) it stays inside [0, 1] and does not collapse
// to a point at p = 0 or 1. With no effective answers it is the whole [0, 1].
func WilsonEff(p, nEff float64) [2]float64 {
	if !(nEff > 0) {
		return [2]float64{0, 1}
	}
	den := 1 + z*z/nEff
	centre := (p + z*z/(2*nEff)) / den
	half := z * math.Sqrt(p*(1-p)/nEff+z*z/(4*nEff*nEff)) / den
	return [2]float64{max(0, centre-half), min(1, centre+half)}
}

// T975 returns the 0.975 quantile of Student's t distribution with df degrees of freedom (df
// need not be whole, as n′ − 1 seldom is): the factor of a two-sided 95 % interval of a mean.
// It is exact to about 1e-9: since P(|T| > t) = I_x(df/2, 1/2) with x = df/(df + t²) and I
// the regularized incomplete beta function, it solves I_x = 0.05 for x by bisection and
// returns √(df(1 − x)/x). df ≤ 0 gives +Inf (no interval).
func T975(df float64) float64 {
	switch {
	case !(df > 0):
		return math.Inf(1)
	case math.IsInf(df, 1):
		return z
	}
	lo, hi := 0.0, 1.0
	for {
		mid := (lo + hi) / 2
		if mid <= lo || mid >= hi {
			break
		}
		if regIncBeta(df/2, 0.5, mid) < 0.05 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return math.Sqrt(df * (1 - hi) / hi)
}

// regIncBeta is the regularized incomplete beta function I_x(a, b), by its continued
// fraction (Numerical Recipes, "betai"), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a)
// where the fraction converges slowly.
func regIncBeta(a, b, x float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log1p(-x))
	if x < (a+1)/(a+b+2) {
		return front * betaFraction(a, b, x) / a
	}
	return 1 - front*betaFraction(b, a, 1-x)/b
}

// betaFraction evaluates the continued fraction of the incomplete beta function by the
// modified Lentz method.
func betaFraction(a, b, x float64) float64 {
	const tiny, eps = 1e-300, 1e-15
	guard := func(v float64) float64 {
		if math.Abs(v) < tiny {
			return tiny
		}
		return v
	}
	c, d := 1.0, 1/guard(1-(a+b)*x/(a+1))
	h := d
	for m := 1.0; m <= 1000; m++ {
		aa := m * (b - m) * x / ((a + 2*m - 1) * (a + 2*m))
		d = 1 / guard(1+aa*d)
		c = guard(1 + aa/c)
		h *= d * c
		aa = -(a + m) * (a + b + m) * x / ((a + 2*m) * (a + 2*m + 1))
		d = 1 / guard(1+aa*d)
		c = guard(1 + aa/c)
		step := d * c
		h *= step
		if math.Abs(step-1) < eps {
			break
		}
	}
	return h
}

// MeanInterval returns the 95 % interval of a mean on a scale from lo to hi:
// mean ± t(0.975, n′ − 1) · s/√n′, with s the standard deviation of the scores and nEff the
// effective sample size n′ (perturbed n over the design effect), clipped to the scale. With
// n′ ≤ 1 there is no spread to go by and the interval is the whole scale.
func MeanInterval(mean, s, nEff, lo, hi float64) [2]float64 {
	if !(nEff > 1) {
		return [2]float64{lo, hi}
	}
	half := T975(nEff-1) * s / math.Sqrt(nEff)
	return [2]float64{max(lo, mean-half), min(hi, mean+half)}
}

// Stratum is one basort in a whole-area figure: its population (localities.csv), and its own
// figure: Value (a share or a mean), N the perturbed n, Deff its design effect, SD the
// standard deviation of its scores (means only), and Shown whether the figure is shown, that
// is not suppressed and not empty.
type Stratum struct {
	Pop, Value, N, Deff, SD float64
	Shown                   bool
}

// Weighted returns the whole-area figure as a stratified estimate over the basorter, each
// weighted by its population, so that the basorter the office visits most do not dominate:
// value = Σ w_b·v_b over the shown strata b, w_b = pop_b / Σ pop of the shown strata; its
// variance Σ w_b² · v_b(1 − v_b) · deff_b / ñ_b for a share, Σ w_b² · s_b² · deff_b / ñ_b for
// a mean; the interval value ± 1.959964 · √variance, clipped to [lo, hi] (0 and 1 for a
// share, the scale for a mean). coverage is the population share of the strata the figure
// stands on, Σ pop(shown) / Σ pop(all), and n = Σ ñ_b over the shown strata. ok is false
// when no stratum is shown: the whole-area figure is then suppressed.
//
// A stratum without population (Pop ≤ 0) carries no weight; the whole-area rule (package doc) has the caller use
// the pooled figure instead when any basort lacks one. A Deff below 1 (the zero value) counts
// as 1.
func Weighted(strata []Stratum, mean bool, lo, hi float64) (value float64, ci [2]float64, coverage, n float64, ok bool) {
	var popAll, popShown float64
	for _, s := range strata {
		if s.Pop <= 0 {
			continue
		}
		popAll += s.Pop
		if s.Shown && s.N > 0 {
			popShown += s.Pop
		}
	}
	if popShown == 0 {
		return 0, [2]float64{}, 0, 0, false
	}
	var variance float64
	for _, s := range strata {
		if s.Pop <= 0 || !s.Shown || s.N <= 0 {
			continue
		}
		w := s.Pop / popShown
		value += w * s.Value
		n += s.N
		spread := s.Value * (1 - s.Value)
		if mean {
			spread = s.SD * s.SD
		}
		variance += w * w * spread * max(1, s.Deff) / s.N
	}
	half := z * math.Sqrt(variance)
	return value, [2]float64{max(lo, value-half), min(hi, value+half)}, popShown / popAll, n, true
}

// Uncertain reports whether a figure is an uncertain estimate ("osäker skattning"): the
// half-width of its interval as shown, (upper − lower)/2 after clipping, is above 0.10 for a
// share or above 0.5 for a mean.
func Uncertain(ci [2]float64, mean bool) bool {
	limit := 0.10
	if mean {
		limit = 0.5
	}
	return (ci[1]-ci[0])/2 > limit
}
