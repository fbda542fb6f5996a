package metrics

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"medborgarlofte/internal/lofte"
)

// NotEstablished is the status ("inte säkerställt") of a survey indicator whose interval
// straddles its target, and of an outcome whose indicators with data all do: the answers do
// not tell whether the target is reached.
const NotEstablished = "not_established"

// targetTolerance keeps a bound or value equal to its target up to rounding (0.9 = 9/10
// against "≥ 0.90", a baseline of 0.50 plus 0.05) from being judged on the wrong side.
const targetTolerance = 1e-9

// side tells where x lies from the target: -1 below, 0 on it (within targetTolerance), 1 above.
func side(x, target float64) int {
	switch {
	case x < target-targetTolerance:
		return -1
	case x > target+targetTolerance:
		return 1
	}
	return 0
}

// JudgeSurvey judges a survey share against its target, on the interval rather than the
// point, since kiosk answers are a sample: met when the whole interval meets the target (for
// "at least": lower bound ≥ target; atMost: upper bound ≤ target), not_met when the whole
// interval misses it, not_established when it straddles the target. It is
// insufficient_data, in this order, when the figure is suppressed, has no value or interval,
// rests on a perturbed n below statusMinN, or needs a baseline that is missing (or has no
// target). The reason is a Swedish sentence with the numbers, e.g. "intervallet 54–61 %
// ligger helt över målet 50 %".
func JudgeSurvey(value *float64, ci *[2]float64, n int, suppressed bool, target *float64, atMost bool, statusMinN int, baselineMissing bool) (status, reason string) {
	return judgeSurvey(value, ci, n, suppressed, target, atMost, statusMinN, baselineMissing, percentFormat)
}

// JudgeSurveyMean is JudgeSurvey for a mean on a 1–5 scale, its numbers written on the scale
// ("intervallet 3,6–4,1 ligger helt över målet 3,5").
func JudgeSurveyMean(value *float64, ci *[2]float64, n int, suppressed bool, target *float64, atMost bool, statusMinN int, baselineMissing bool) (status, reason string) {
	return judgeSurvey(value, ci, n, suppressed, target, atMost, statusMinN, baselineMissing, scaleFormat)
}

func judgeSurvey(value *float64, ci *[2]float64, n int, suppressed bool, target *float64, atMost bool, statusMinN int, baselineMissing bool, f numberFormat) (status, reason string) {
	switch {
	case suppressed:
		return InsufficientData, "för få svar för att visa värdet"
	case value == nil:
		return InsufficientData, "inga svar"
	case ci == nil:
		return InsufficientData, "intervall saknas"
	case n < statusMinN:
		return InsufficientData, fmt.Sprintf("för få svar (n = %s, minst %s behövs)", thousands(n), thousands(statusMinN))
	case baselineMissing:
		return InsufficientData, "baslinje saknas"
	case target == nil:
		return InsufficientData, "mål saknas"
	}
	t := *target
	nums := f.format(ci[0], ci[1], t)
	interval := "intervallet " + nums[0] + "–" + nums[1] + f.unit
	goal := "målet " + nums[2] + f.unit
	below, above := side(ci[1], t), side(ci[0], t)
	if atMost {
		switch {
		case below <= 0:
			return Met, interval + " ligger helt " + orOn("under", below) + " " + goal
		case above > 0:
			return NotMet, interval + " ligger helt över " + goal
		}
	} else {
		switch {
		case above >= 0:
			return Met, interval + " ligger helt " + orOn("över", above) + " " + goal
		case below < 0:
			return NotMet, interval + " ligger helt under " + goal
		}
	}
	return NotEstablished, interval + " omfattar " + goal + ": inte säkerställt"
}

// orOn words a bound that touches the target ("på eller över").
func orOn(word string, s int) string {
	if s == 0 {
		return "på eller " + word
	}
	return word
}

// JudgeDelivery judges a delivery indicator (delivery_rate, announced_7d, feedback_closed) on
// its value alone: it counts every stop or feedback item, not a sample, so it has no interval.
// It is met when the value reaches the target (≥ target, or ≤ with atMost), not_met
// otherwise, and insufficient_data when the value is undefined (nothing to count).
func JudgeDelivery(value *float64, target float64, atMost bool) (status, reason string) {
	if value == nil {
		return InsufficientData, "värdet kan inte beräknas: inget att räkna på"
	}
	nums := percentFormat.format(*value, target)
	s := side(*value, target)
	if atMost && s <= 0 || !atMost && s >= 0 {
		return Met, "värdet " + nums[0] + " % når målet " + nums[1] + " %"
	}
	return NotMet, "värdet " + nums[0] + " % når inte målet " + nums[1] + " %"
}

// JudgeOutcome combines the statuses of an outcome's indicators: insufficient_data when no
// indicator has data (any status but insufficient_data, or one unknown, counts as none); met
// when every indicator with data is met; not_met when none is met and at least one is not
// met; not_established when none is met or not met (all with data straddle their targets);
// otherwise partly.
func JudgeOutcome(statuses []string) string {
	var met, notMet, straddle int
	for _, s := range statuses {
		switch s {
		case Met:
			met++
		case NotMet:
			notMet++
		case NotEstablished:
			straddle++
		}
	}
	switch {
	case met+notMet+straddle == 0:
		return InsufficientData
	case notMet+straddle == 0:
		return Met
	case met == 0 && notMet > 0:
		return NotMet
	case met == 0:
		return NotEstablished
	}
	return Partly
}

// numberFormat writes the numbers of a reason: scaled (100 for percent), with at least min
// decimals, and unit after the last number of a group.
type numberFormat struct {
	scale float64
	min   int
	unit  string
}

var (
	percentFormat = numberFormat{scale: 100, min: 0, unit: " %"}
	scaleFormat   = numberFormat{scale: 1, min: 1, unit: ""}
)

// format writes the values of a sentence whose last value is the target, with decimal
// comma and the fewest decimals (from min, at most min+3) that show the target exactly and
// keep each other value on its own side of the target, so that a bound of 54.96 % against a
// target of 55 % reads "54,96" rather than a puzzling "55".
func (f numberFormat) format(values ...float64) []string {
	target := values[len(values)-1]
	round := func(x float64, d int) float64 {
		p := math.Pow(10, float64(d))
		return math.Round(x*f.scale*p)/p + 0 // + 0 turns -0 into 0
	}
	d := f.min
	for ; d < f.min+3; d++ {
		t := round(target, d) / f.scale
		ok := side(t, target) == 0
		for _, v := range values[:len(values)-1] {
			ok = ok && side(round(v, d)/f.scale, t) == side(v, target)
		}
		if ok {
			break
		}
	}
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = lofte.Decimal(round(v, d), d)
	}
	return out
}

// thousands writes a whole number the Swedish way, with a space between thousands.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
