package metrics

import "medborgarlofte/internal/lofte"

// Statuses of indicators and outcomes (NotEstablished is in judge.go).
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

// Caveat is said beside every status: the answers are not a random sample.
const Caveat = "Svaren kommer från besökare som själva valt att svara, inte från ett slumpmässigt urval."

// IndicatorResult is one indicator's value against its target, with its status and the
// reason for it in words.
type IndicatorResult struct {
	Metric    string          `json:"metric"`
	Direction lofte.Direction `json:"direction"`
	Value     Figure          `json:"value"`
	Target    *float64        `json:"target"`
	Baseline  *float64        `json:"baseline"`
	// BaselineSource says where the baseline comes from (a survey, or demo data).
	BaselineSource string `json:"baseline_source,omitempty"`
	Status         string `json:"status"`
	Reason         string `json:"reason"`
	// Survey is true for a figure from kiosk answers (judged on its interval), false for a
	// delivery figure (a count of everything, judged on its value).
	Survey bool `json:"survey"`
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
	Caveat   string          `json:"caveat"`
}

// Outcomes judges the promise's outcomes on the scope's total figures over regular stops.
func Outcomes(in Input, sc Scope) (*OutcomesResult, error) {
	sc.Group, sc.Kind = GroupNone, KindRegular
	res, err := Compute(in, sc)
	if err != nil {
		return nil, err
	}
	return Judge(in, res), nil
}

// Judge gives the outcomes for a computed result over regular stops, from its total (the
// whole area's weighted figure, or one basort's), so a page that already has a grouped
// result need not compute the scope again.
func Judge(in Input, res *Result) *OutcomesResult {
	out := &OutcomesResult{Scope: res.Scope, Outcomes: []OutcomeResult{}, Caveat: Caveat}
	out.Scope.Group = GroupNone
	basort := ""
	if res.Scope.Basort != nil {
		basort = *res.Scope.Basort
	}
	statusMinN := StatusMinN(in.Promise)
	for _, o := range in.Promise.Outcomes {
		or := OutcomeResult{Code: o.Code, Title: o.Title, Indicators: []IndicatorResult{}}
		statuses := make([]string, 0, len(o.Indicators))
		for _, ind := range o.Indicators {
			ir := judgeIndicator(in, res.Total.Metrics[ind.Metric], ind, basort, statusMinN)
			statuses = append(statuses, ir.Status)
			or.Indicators = append(or.Indicators, ir)
		}
		or.Status = JudgeOutcome(statuses)
		out.Outcomes = append(out.Outcomes, or)
	}
	return out
}

func judgeIndicator(in Input, v any, ind lofte.Indicator, basort string, statusMinN int) IndicatorResult {
	ir := IndicatorResult{Metric: ind.Metric, Direction: ind.Direction}
	if b := baselineFor(in.Baselines, ind.Metric, basort); b != nil {
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
	atMost := ind.Direction == lofte.AtMost
	baselineMissing := ind.Kind == lofte.TargetBaselineDelta && ir.Baseline == nil
	switch x := v.(type) {
	case Figure:
		ir.Value, ir.Survey = x, true
		judge := JudgeSurvey
		if isMean(ind.Metric) {
			judge = JudgeSurveyMean
		}
		ir.Status, ir.Reason = judge(x.Value, x.CI, x.Size(), x.Suppressed, ir.Target, atMost, statusMinN, baselineMissing)
	case Count:
		ir.Value = Figure{Value: x.Value}
		switch {
		case !isDeliveryIndicator(ind.Metric):
			// A count that is no rate would read as a percentage ("värdet 23 000 %").
			ir.Status, ir.Reason = InsufficientData, "okänt mått"
		case baselineMissing:
			ir.Status, ir.Reason = InsufficientData, "baslinje saknas"
		case ir.Target == nil:
			ir.Status, ir.Reason = InsufficientData, "mål saknas"
		case x.Value == nil:
			ir.Status, ir.Reason = InsufficientData, x.Reason
		default:
			ir.Status, ir.Reason = JudgeDelivery(x.Value, *ir.Target, atMost)
		}
	default:
		ir.Status, ir.Reason = InsufficientData, "okänt mått"
	}
	return ir
}

func isMean(code string) bool {
	for _, d := range meanDefs {
		if d.Code == code {
			return true
		}
	}
	return false
}

// baselineFor uses a basort's own baseline when the scope is that one basort, the area's
// otherwise.
func baselineFor(bs []*lofte.Baseline, metric, basort string) *lofte.Baseline {
	var area *lofte.Baseline
	for _, b := range bs {
		if b.Metric != metric {
			continue
		}
		if basort != "" && b.Basort == basort {
			return b
		}
		if b.Basort == "" {
			area = b
		}
	}
	return area
}
