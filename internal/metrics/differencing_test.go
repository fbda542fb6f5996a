package metrics_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"medborgarlofte/internal/metrics"
)

// TestDifferencingRecoversLittle plays the attack that broke version 1: ask for overlapping
// month ranges and subtract. At one basort with 0–4 answers a month, the attacker estimates a
// month's count from the perturbed counts of ranges [a, m] − [a, m−1] and [m, b] − [m+1, b].
// A single difference hits the true count only when the two noises happen to be equal; the
// test asserts the hit rate is the table's own chance of that (about 28 %), far from certain.
//
// An empty month is another matter: [a, m] and [a, m−1] are then the same set with the same
// noise, so every difference is exactly 0. That a month had no answers is not about a person,
// and this consistency is what keeps asking the same question again from averaging noise
// away; the test counts those months apart.
//
// What the test only logs, and does not claim to prevent: the differences for one month
// involve different sets, hence independent noises, so an attacker who averages all of them
// narrows the noise. With every contiguous month range askable, averaging recovers a month's
// count about 73 % of the time, and the yes/no answer of a month's only respondent about
// 87 % of the time (a coin gives 50 %), from shares shown only at perturbed n ≥ 10.
func TestDifferencingRecoversLittle(t *testing.T) {
	pt := metrics.DefaultPTable()
	r := rand.New(rand.NewPCG(2026, 10))
	const years, months = 2000, 12

	// equalNoise is the chance that the noises of two different sets with these true counts
	// are equal: Σ_v p_i(v)·p_j(v).
	equalNoise := func(i, j int) float64 {
		ni, nj := pt.Noise(i), pt.Noise(j)
		var s float64
		for v, p := range ni {
			s += p * nj[v]
		}
		return s
	}

	var (
		diffs, hits   int     // single differences for months with answers, and exact ones
		expected      float64 // Σ of their chances of equal noise
		emptyDiffs    int     // differences for months without answers
		emptyHits     int
		direct, dHits int // reading the month's own cell
		dExpected     float64
		avgMonths     int // averaging attack, months with answers
		avgHits       int
		lone, loneHit int // months with one answer whose share difference could be averaged
	)
	for range years {
		var count, yes [months]int
		var sets, yesSets [months]metrics.Set
		for m := range months {
			count[m] = r.IntN(5)
			for range count[m] {
				rec := metrics.Set{N: 1, Key: r.Uint32()}
				sets[m] = sets[m].Add(rec)
				if r.IntN(2) == 0 { // a yes/no item answered by everyone, half of them yes
					yesSets[m] = yesSets[m].Add(rec)
					yes[m]++
				}
			}
		}
		// truth[a][b] and shown[a][b] for the range of months a..b; an empty range (b < a)
		// is the empty set.
		// shownYes[a][b] is the perturbed numerator of the share, -1 where it is suppressed
		// (perturbed n below min_n = 10).
		var truth, shown, shownYes [months + 1][months + 1]int
		for a := range months {
			var s, y metrics.Set
			for b := a; b < months; b++ {
				s, y = s.Add(sets[b]), y.Add(yesSets[b])
				truth[a][b], shown[a][b] = s.N, pt.Perturb(s)
				x, n := pt.Share(y, s)
				if n < 10 {
					x = -1
				}
				shownYes[a][b] = x
			}
		}
		yesDiff := func(a, b, c, d int) (int, bool) {
			small := 0
			if d >= c {
				small = shownYes[c][d]
			}
			return shownYes[a][b] - small, shownYes[a][b] >= 0 && small >= 0
		}
		rng := func(a, b int) (int, int) {
			if b < a {
				return 0, 0
			}
			return truth[a][b], shown[a][b]
		}
		for m := range months {
			var sum float64
			var k int
			tally := func(bigT, bigS, smallT, smallS int) {
				d := bigS - smallS
				sum += float64(d)
				k++
				if count[m] == 0 {
					emptyDiffs++
					if d == 0 {
						emptyHits++
					}
					return
				}
				diffs++
				expected += equalNoise(bigT, smallT)
				if d == count[m] {
					hits++
				}
			}
			for a := 0; a < m; a++ {
				bt, bs := rng(a, m)
				st, ss := rng(a, m-1)
				tally(bt, bs, st, ss)
			}
			for b := m + 1; b < months; b++ {
				bt, bs := rng(m, b)
				st, ss := rng(m+1, b)
				tally(bt, bs, st, ss)
			}
			if count[m] == 0 {
				continue
			}
			if count[m] == 1 {
				var sum, k float64
				for a := 0; a < m; a++ {
					if d, ok := yesDiff(a, m, a, m-1); ok {
						sum, k = sum+float64(d), k+1
					}
				}
				for b := m + 1; b < months; b++ {
					if d, ok := yesDiff(m, b, m+1, b); ok {
						sum, k = sum+float64(d), k+1
					}
				}
				if k > 0 {
					lone++
					if (sum/k >= 0.5) == (yes[m] == 1) {
						loneHit++
					}
				}
			}
			direct++
			dExpected += pt.Noise(count[m])[0]
			if shown[m][m] == count[m] {
				dHits++
			}
			avgMonths++
			if int(math.Round((sum+float64(shown[m][m]))/float64(k+1))) == count[m] {
				avgHits++
			}
		}
	}
	rate, want := float64(hits)/float64(diffs), expected/float64(diffs)
	t.Logf("single difference, months with 1–4 answers: exact in %.1f %% of %d, the table's chance of equal noises %.1f %%",
		100*rate, diffs, 100*want)
	t.Logf("single month read directly: exact in %.1f %% of %d, the table's chance of zero noise %.1f %%",
		100*float64(dHits)/float64(direct), direct, 100*dExpected/float64(direct))
	t.Logf("empty months: %d of %d differences exactly 0 (same set, same noise)", emptyHits, emptyDiffs)
	t.Logf("averaging all 11 differences and the month's own cell, rounded: exact in %.1f %% of %d months with answers",
		100*float64(avgHits)/float64(avgMonths), avgMonths)
	t.Logf("months with one answer: its yes/no told by averaging the shown share differences in %.1f %% of %d (a coin: 50 %%)",
		100*float64(loneHit)/float64(lone), lone)

	if math.Abs(rate-want) > 0.03 {
		t.Errorf("single differences exact in %.3f of cases, the table's chance is %.3f", rate, want)
	}
	if rate > 0.5 {
		t.Errorf("single differences recover the count in %.3f of cases", rate)
	}
	if emptyHits != emptyDiffs {
		t.Errorf("an empty month changed a perturbed count: %d of %d differences not 0", emptyDiffs-emptyHits, emptyDiffs)
	}
}
