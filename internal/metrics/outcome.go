package metrics

import "medborgarlofte/internal/lofte"

// Statuses of indicators and outcomes.
const (
	Met              = "met"
	Partly           = "partly"
	NotMet           = "not_met"
	InsufficientData = "insufficient_data"
)

// Statuses lists every status of indicators and outcomes.
var Statuses = []string{Met, Partly, NotMet, NotEstablished, InsufficientData}

// StatusLabel returns a status's Swedish name, shown on the dashboard and in the workbook, or
// the status itself when it has none.
func StatusLabel(status string) string {
	switch status {
	case Met:
		return "Uppfyllt"
	case Partly:
		return "Delvis uppfyllt"
	case NotMet:
		return "Inte uppfyllt"
	case NotEstablished:
		return "Inte säkerställt"
	case InsufficientData:
		return "Underlag saknas"
	}
	return status
}

// IndicatorResult is one indicator's value against its target.
type IndicatorResult struct {
	Metric    string          `json:"metric"`
	Direction lofte.Direction `json:"direction"`
	Value     Figure          `json:"value"`
	Target    *float64        `json:"target"`
	Baseline  *float64        `json:"baseline"`
	// BaselineSource says where the baseline comes from (a survey, or demo data).
	BaselineSource string `json:"baseline_source,omitempty"`
	Status         string `json:"status"`
}

// OutcomeResult is one promised outcome and its indicators.
type OutcomeResult struct {
	Code       string            `json:"code"`
	Title      string            `json:"title"`
	Status     string            `json:"status"`
	Indicators []IndicatorResult `json:"indicators"`
}

// OutcomesResult is the answer of GET /api/v1/outcomes.
type OutcomesResult struct {
	Scope    ScopeJSON       `json:"scope"`
	Outcomes []OutcomeResult `json:"outcomes"`
}

// Outcomes judges the promise's outcomes on the scope's total figures.
func Outcomes(in Input, sc Scope) (*OutcomesResult, error) {
	sc.Group = GroupNone
	res, err := Compute(in, sc)
	if err != nil {
		return nil, err
	}
	return Judge(in, res), nil
}

// Judge gives the outcomes for a computed result, from its total, so a page that already has
// a grouped result need not compute the scope again.
func Judge(in Input, res *Result) *OutcomesResult {
	out := &OutcomesResult{Scope: res.Scope, Outcomes: []OutcomeResult{}}
	out.Scope.Group = GroupNone
	for _, o := range in.Promise.Outcomes {
		or := OutcomeResult{Code: o.Code, Title: o.Title, Indicators: []IndicatorResult{}}
		for _, ind := range o.Indicators {
			ir := IndicatorResult{Metric: ind.Metric, Direction: ind.Direction, Value: asFigure(res.Total.Metrics[ind.Metric])}
			if b := baselineFor(in.Baselines, ind.Metric, res.Scope.Basorter); b != nil {
				ir.Baseline, ir.BaselineSource = ptr(b.Value), b.Source
			}
			switch ind.Kind {
			case lofte.TargetAbsolute:
				ir.Target = ptr(ind.Target)
			case lofte.TargetBaselineDelta:
				if ir.Baseline != nil {
					ir.Target = ptr(*ir.Baseline + ind.Target)
				}
			}
			ir.Status = indicatorStatus(ir)
			or.Indicators = append(or.Indicators, ir)
		}
		or.Status = outcomeStatus(or.Indicators)
		out.Outcomes = append(out.Outcomes, or)
	}
	return out
}

// asFigure reads any metric as a figure; a count becomes a figure without interval.
func asFigure(v any) Figure {
	switch x := v.(type) {
	case Figure:
		return x
	case Count:
		return Figure{Value: x.Value}
	}
	return Figure{}
}

// baselineFor uses a basort's own baseline when the scope is that one basort, the area's
// otherwise.
func baselineFor(bs []*lofte.Baseline, metric string, basorter []string) *lofte.Baseline {
	var area *lofte.Baseline
	for _, b := range bs {
		if b.Metric != metric {
			continue
		}
		if len(basorter) == 1 && b.Basort == basorter[0] {
			return b
		}
		if b.Basort == "" {
			area = b
		}
	}
	return area
}

func indicatorStatus(ir IndicatorResult) string {
	if ir.Value.Value == nil || ir.Target == nil {
		return InsufficientData
	}
	v, t := *ir.Value.Value, *ir.Target
	// A small tolerance keeps 0.9 = 9/10 from failing "≥ 0.90" on rounding.
	const eps = 1e-9
	if ir.Direction == lofte.AtMost && v <= t+eps || ir.Direction != lofte.AtMost && v >= t-eps {
		return Met
	}
	return NotMet
}

func outcomeStatus(inds []IndicatorResult) string {
	var met, withData int
	for _, i := range inds {
		if i.Status != InsufficientData {
			withData++
			if i.Status == Met {
				met++
			}
		}
	}
	switch {
	case withData == 0:
		return InsufficientData
	case met == withData:
		return Met
	case met > 0:
		return Partly
	}
	return NotMet
}
