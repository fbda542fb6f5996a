package metrics_test

import (
	"math"
	"testing"

	"medborgarlofte/internal/metrics"
)

func TestDesignEffect(t *testing.T) {
	tests := []struct {
		name  string
		stops []metrics.StopCount
		want  float64
	}{
		// N = 30, p₀ = 15/30 = 0.5; residuals x_s − p₀·n_s = 3, −3, 0, squares sum to 18;
		// v_clu = 3/2 · 18/30² = 0.03; v_srs = 0.25/30; deff = 0.03·30/0.25 = 3.6.
		// The stop without answers does not count as a fourth stop.
		{"three stops, one without answers", []metrics.StopCount{{8, 10}, {2, 10}, {5, 10}, {0, 0}}, 3.6},
		// N = 10, p₀ = 0.4; residuals 3 − 1.6 = 1.4 and 1 − 2.4 = −1.4, squares 3.92;
		// v_clu = 2/1 · 3.92/100 = 0.0784; v_srs = 0.24/10 = 0.024; deff = 0.0784/0.024.
		{"unequal stops", []metrics.StopCount{{3, 4}, {1, 6}}, 0.0784 / 0.024},
		{"alike stops: no design effect below 1", []metrics.StopCount{{5, 10}, {10, 20}, {1, 2}}, 1},
		{"one stop", []metrics.StopCount{{8, 10}, {0, 0}}, 1},
		{"no stop", nil, 1},
		{"p₀ = 0", []metrics.StopCount{{0, 10}, {0, 3}}, 1},
		{"p₀ = 1", []metrics.StopCount{{10, 10}, {3, 3}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := metrics.DesignEffect(tt.stops); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("DesignEffect = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDesignEffectMean(t *testing.T) {
	// Stop A: five 5s and five 4s (sum 45); stop B: five 3s and five 2s (sum 25). N = 20, mean
	// 3.5; σ² (divisor N) = (5·1.5² + 5·0.5² + 5·0.5² + 5·1.5²)/20 = 1.25; residuals 45 − 35 = 10
	// and 25 − 35 = −10; v_clu = 2/1 · 200/400 = 1; v_srs = 1.25/20; deff = 16.
	two := []metrics.StopCount{{45, 10}, {25, 10}}
	tests := []struct {
		name   string
		stops  []metrics.StopCount
		sigma2 float64
		want   float64
	}{
		{"two unlike stops", two, 1.25, 16},
		{"everyone gave one score", two, 0, 1},
		{"one stop", two[:1], 1.25, 1},
		{"alike stops", []metrics.StopCount{{35, 10}, {70, 20}}, 1.25, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := metrics.DesignEffectMean(tt.stops, tt.sigma2); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("DesignEffectMean = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWilsonEff(t *testing.T) {
	// With no design effect it is Wilson's score interval of x in n.
	for _, tt := range []struct {
		x, n   int
		lo, hi float64
	}{
		{62, 100, 0.5220975521761144, 0.7090240081193264},
		{5, 7, 0.3589344495310541, 0.9177810767507166},
		{0, 10, 0, 0.2775328030260577},
		{10, 10, 0.7224671969739421, 1},
	} {
		got := metrics.WilsonEff(float64(tt.x)/float64(tt.n), float64(tt.n))
		if !near(got[0], tt.lo) || !near(got[1], tt.hi) {
			t.Errorf("WilsonEff(%d/%d, %d) = %v, want [%v, %v]", tt.x, tt.n, tt.n, got, tt.lo, tt.hi)
		}
	}
	// Effective sizes that are not whole, from the formula by hand.
	for in, want := range map[[2]float64][2]float64{
		{0.3, 12.5}:     {0.1199113244032391, 0.5741184414628386}, // n = 25, deff 2
		{0.5, 40.0 / 3}: {0.26353201372159646, 0.7364679862784036},
		{0.5, 0}:        {0, 1},
	} {
		if got := metrics.WilsonEff(in[0], in[1]); !near(got[0], want[0]) || !near(got[1], want[1]) {
			t.Errorf("WilsonEff(%v, %v) = %v, want %v", in[0], in[1], got, want)
		}
	}
}

func TestT975(t *testing.T) {
	tests := []struct {
		df, want float64
	}{
		{1, math.Tan(0.475 * math.Pi)},                 // Cauchy, exact
		{2, 0.95 / math.Sqrt(2*0.975*0.025)},           // closed form for 2 degrees
		{4, 2.7764451051977943},                        // closed form for 4 degrees (trigonometric)
		{5, 2.570581835636314}, {9, 2.262157162798205}, // tabulated to 15 digits
		{10, 2.228138851986274}, {25, 2.059538552753294},
		{30, 2.042272456301238}, {100, 1.983971518523552},
		{1000, 1.962339081056709},
	}
	for _, tt := range tests {
		if got := metrics.T975(tt.df); math.Abs(got-tt.want) > 1e-9*tt.want {
			t.Errorf("T975(%v) = %.12f, want %.12f", tt.df, got, tt.want)
		}
	}
	// The table of the task, to 3 decimals.
	for df, want := range map[float64]float64{1: 12.706, 2: 4.303, 5: 2.571, 10: 2.228, 30: 2.042, 100: 1.984, 1000: 1.962} {
		if got := math.Round(metrics.T975(df)*1000) / 1000; got != want {
			t.Errorf("T975(%v) rounds to %v, want %v", df, got, want)
		}
	}
	// Fractional degrees lie between their neighbours; many degrees approach z; none is +Inf.
	if a, b, c := metrics.T975(9), metrics.T975(9.5), metrics.T975(10); !(a > b && b > c) {
		t.Errorf("T975(9, 9.5, 10) = %v, %v, %v: not decreasing", a, b, c)
	}
	if got := metrics.T975(1e7); math.Abs(got-1.959964) > 1e-5 {
		t.Errorf("T975(1e7) = %v, want about 1.959964", got)
	}
	if !math.IsInf(metrics.T975(0), 1) || !math.IsInf(metrics.T975(-1), 1) {
		t.Error("T975 of no degrees of freedom is not +Inf")
	}
}

func TestMeanInterval(t *testing.T) {
	tests := []struct {
		name       string
		mean, s, n float64
		want       [2]float64
	}{
		// t(0.975, 25) = 2.0595386; 2.0595386/√26 = 0.4039087.
		{"inside the scale", 4, 1, 26, [2]float64{3.596091258865935, 4.403908741134065}},
		// t(0.975, 9) = 2.2621572; 4.8 − 2.2621572/√10 = 4.0846431; 4.8 + 0.715 is clipped.
		{"clipped to the scale", 4.8, 1, 10, [2]float64{4.084643094029335, 5}},
		{"no spread", 3, 0, 50, [2]float64{3, 3}},
		{"n′ ≤ 1: the whole scale", 3, 1, 1, [2]float64{1, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := metrics.MeanInterval(tt.mean, tt.s, tt.n, 1, 5)
			if !near(got[0], tt.want[0]) || !near(got[1], tt.want[1]) {
				t.Errorf("MeanInterval = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWeighted(t *testing.T) {
	type result struct {
		value       float64
		ci          [2]float64
		coverage, n float64
		ok          bool
	}
	tests := []struct {
		name   string
		strata []metrics.Stratum
		mean   bool
		lo, hi float64
		want   result
	}{
		// Shown: A (pop 6000) and B (3000), so w = 2/3 and 1/3; C is suppressed.
		// value = 2/3·0.6 + 1/3·0.3 = 0.5;
		// variance = (2/3)²·0.6·0.4·2/100 + (1/3)²·0.3·0.7·1/50 = 0.0021333 + 0.0004667 = 0.0026;
		// half = 1.959964·√0.0026 = 0.0999389; coverage = 9000/10000; n = 100 + 50.
		{"two of three basorter shown", []metrics.Stratum{
			{Pop: 6000, Value: 0.6, N: 100, Deff: 2, Shown: true},
			{Pop: 3000, Value: 0.3, N: 50, Deff: 1, Shown: true},
			{Pop: 1000, N: 8},
		}, false, 0, 1, result{0.5, [2]float64{0.4000610531806063, 0.5999389468193936}, 0.9, 150, true}},
		// variance = 0.97·0.03·3/20 = 0.004365; half = 0.129491; 0.97 + half is clipped to 1.
		// A zero Deff counts as 1, a basort without population counts nowhere.
		{"clipped at 1", []metrics.Stratum{
			{Pop: 500, Value: 0.97, N: 20, Deff: 3, Shown: true},
			{Pop: 1500, Value: 0.5, N: 4},
			{Pop: 0, Value: 0.1, N: 90, Shown: true},
		}, false, 0, 1, result{0.97, [2]float64{0.8405088110454729, 1}, 0.25, 20, true}},
		// Means: w = 1/2 each; value 3.5; variance = ¼·1²·1.5/40 + ¼·0.8²·1/60 = 0.0120417;
		// half = 1.959964·0.1097345 = 0.2150755.
		{"mean", []metrics.Stratum{
			{Pop: 800, Value: 4, N: 40, Deff: 1.5, SD: 1, Shown: true},
			{Pop: 800, Value: 3, N: 60, Deff: 0, SD: 0.8, Shown: true},
		}, true, 1, 5, result{3.5, [2]float64{3.284924275283628, 3.715075724716372}, 1, 100, true}},
		// variance = 1²·1/10; half = 0.6198; 4.9 + half is clipped to the scale's 5.
		{"mean clipped to the scale", []metrics.Stratum{{Pop: 1, Value: 4.9, N: 10, Deff: 1, SD: 1, Shown: true}},
			true, 1, 5, result{4.9, [2]float64{4.9 - 1.959964*math.Sqrt(0.1), 5}, 1, 10, true}},
		{"none shown", []metrics.Stratum{{Pop: 100, N: 3}, {Pop: 200}}, false, 0, 1, result{}},
		{"no strata", nil, false, 0, 1, result{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got result
			got.value, got.ci, got.coverage, got.n, got.ok = metrics.Weighted(tt.strata, tt.mean, tt.lo, tt.hi)
			w := tt.want
			if got.ok != w.ok || !near(got.value, w.value) || !near(got.ci[0], w.ci[0]) || !near(got.ci[1], w.ci[1]) ||
				!near(got.coverage, w.coverage) || got.n != w.n {
				t.Errorf("Weighted = %+v, want %+v", got, w)
			}
		})
	}
}

func TestUncertain(t *testing.T) {
	tests := []struct {
		ci   [2]float64
		mean bool
		want bool
	}{
		{[2]float64{0.3, 0.52}, false, true},
		{[2]float64{0.3, 0.49}, false, false},
		// The clipped interval of TestWeighted: unclipped half-width 0.129, shown 0.080.
		{[2]float64{0.8405088110454729, 1}, false, false},
		{[2]float64{3.0, 4.2}, true, true},
		{[2]float64{3.5, 4.4}, true, false},
		{[2]float64{0.3, 0.52}, true, false},
	}
	for _, tt := range tests {
		if got := metrics.Uncertain(tt.ci, tt.mean); got != tt.want {
			t.Errorf("Uncertain(%v, mean %v) = %v, want %v", tt.ci, tt.mean, got, tt.want)
		}
	}
}
