package lofte_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
)

func day(s string) lofte.Date {
	d, err := lofte.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func period(from, to string) lofte.Period { return lofte.Period{From: day(from), To: day(to)} }

// scales stands in for package metrics: a share, a mean and a count.
func scales(m string) (lofte.Scale, bool) {
	switch m {
	case "trust_high":
		return lofte.Scale{Min: 0, Max: 1}, true
	case "trust_mean":
		return lofte.Scale{Min: 1, Max: 5}, true
	case "visitors":
		return lofte.Scale{Min: 0, Max: math.Inf(1)}, true
	}
	return lofte.Scale{}, false
}

func TestValidateTargets(t *testing.T) {
	ind := func(metric string, kind lofte.TargetKind, target float64) lofte.Indicator {
		return lofte.Indicator{Metric: metric, Direction: lofte.AtLeast, Kind: kind, Target: target}
	}
	tests := []struct {
		name  string
		code  string
		ind   lofte.Indicator
		field string
	}{
		{"share in scale", "legitimacy", ind("trust_high", lofte.TargetAbsolute, 0.6), ""},
		{"share over 1", "legitimacy", ind("trust_high", lofte.TargetAbsolute, 1.2), "outcomes[0].indicators[0].target"},
		{"share below 0", "legitimacy", ind("trust_high", lofte.TargetAbsolute, -0.1), "outcomes[0].indicators[0].target"},
		{"share delta negative", "safety", ind("trust_high", lofte.TargetBaselineDelta, -0.05), ""},
		{"share delta past the scale", "safety", ind("trust_high", lofte.TargetBaselineDelta, 1.5), "outcomes[0].indicators[0].target"},
		{"mean in scale", "legitimacy", ind("trust_mean", lofte.TargetAbsolute, 3.5), ""},
		{"mean below 1", "legitimacy", ind("trust_mean", lofte.TargetAbsolute, 0.5), "outcomes[0].indicators[0].target"},
		{"mean delta within ±4", "legitimacy", ind("trust_mean", lofte.TargetBaselineDelta, -4), ""},
		{"mean delta past ±4", "legitimacy", ind("trust_mean", lofte.TargetBaselineDelta, 4.5), "outcomes[0].indicators[0].target"},
		{"count unbounded above", "service", ind("visitors", lofte.TargetAbsolute, 5000), ""},
		{"count negative", "service", ind("visitors", lofte.TargetAbsolute, -1), "outcomes[0].indicators[0].target"},
		{"NaN", "service", ind("trust_high", lofte.TargetAbsolute, math.NaN()), "outcomes[0].indicators[0].target"},
		{"unknown metric", "service", ind("happiness", lofte.TargetAbsolute, 0.5), "outcomes[0].indicators[0].metric"},
		{"unknown outcome", "joy", ind("trust_high", lofte.TargetAbsolute, 0.5), "outcomes[0].code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &lofte.Promise{Outcomes: []lofte.Outcome{{Code: tt.code, Indicators: []lofte.Indicator{tt.ind}}}}
			err := p.ValidateTargets(scales)
			got := ""
			if e := lofte.AsError(err); e != nil {
				got = e.Field
			} else if err != nil {
				t.Fatal(err)
			}
			if got != tt.field {
				t.Errorf("field %q, want %q (%v)", got, tt.field, err)
			}
		})
	}
}

func TestOverlaps(t *testing.T) {
	base := &lofte.Promise{ID: 1, Title: "2018", Municipality: "Kristianstads kommun", PoliceArea: "LPO Kristianstad",
		Period: period("2018-01-01", "2018-12-31")}
	tests := []struct {
		name  string
		edit  func(*lofte.Promise)
		wants bool
	}{
		{"same period", func(*lofte.Promise) {}, true},
		{"last day shared", func(p *lofte.Promise) { p.Period = period("2018-12-31", "2019-12-31") }, true},
		{"next year", func(p *lofte.Promise) { p.Period = period("2019-01-01", "2019-12-31") }, false},
		{"other municipality", func(p *lofte.Promise) { p.Municipality = "Ystads kommun" }, false},
		{"other police area", func(p *lofte.Promise) { p.PoliceArea = "LPO Hässleholm" }, false},
		{"case and spaces", func(p *lofte.Promise) { p.Municipality = " kristianstads KOMMUN" }, true},
		{"itself", func(p *lofte.Promise) { p.ID = 1 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := *base
			q.ID = 2
			tt.edit(&q)
			if got := q.Overlaps(base); got != tt.wants {
				t.Errorf("Overlaps = %v, want %v", got, tt.wants)
			}
			err := q.CheckOverlap([]*lofte.Promise{base})
			if e := lofte.AsError(err); (e != nil) != tt.wants || (e != nil && (e.Code != lofte.ECONFLICT || e.Field != "period.from")) {
				t.Errorf("CheckOverlap = %v", err)
			}
		})
	}
}

func TestCopy(t *testing.T) {
	p := &lofte.Promise{ID: 1, Slug: "kristianstad-2018", Title: "Medborgarlöfte Kristianstads kommun 2018",
		Municipality: "Kristianstads kommun", PoliceArea: "LPO", Period: period("2018-01-01", "2018-12-31"),
		Excluded: []lofte.Period{{From: day("2018-06-01"), To: day("2018-08-31"), Label: "Sommar"}, {From: day("2018-12-20"), To: day("2018-12-31"), Label: "Jul"}},
		SignedOn: day("2018-02-16"), Active: true, MinN: 10, StatusMinN: 100, RetentionMonths: 12,
		Outcomes: []lofte.Outcome{{Code: "service", Indicators: []lofte.Indicator{{Metric: "delivery_rate", Direction: lofte.AtLeast, Kind: lofte.TargetAbsolute, Target: 0.9}}}},
	}
	q, dropped := p.Copy(period("2019-01-01", "2019-11-30"))
	want := lofte.Period{From: day("2019-06-01"), To: day("2019-08-31"), Label: "Sommar"}
	if diff := cmp.Diff([]lofte.Period{want}, q.Excluded); diff != "" {
		t.Errorf("excluded (-want +got)\n%s", diff)
	}
	if len(dropped) != 1 || dropped[0].Label != "Jul" {
		t.Errorf("dropped %v, want the Christmas weeks, which no longer fit", dropped)
	}
	if q.Title != "Medborgarlöfte Kristianstads kommun 2019" || q.Slug != "kristianstads-kommun-2019" {
		t.Errorf("title %q slug %q", q.Title, q.Slug)
	}
	if q.ID != 0 || q.Active || !q.SignedOn.IsZero() || q.MinN != 10 || q.RetentionMonths != 12 {
		t.Errorf("copy %+v: want a new, inactive, unsigned promise with the settings", q)
	}
	q.Outcomes[0].Indicators[0].Target = 0.5
	if p.Outcomes[0].Indicators[0].Target != 0.9 {
		t.Error("changing the copy's target changed the original's")
	}
	if err := q.Validate(); err != nil {
		t.Error(err)
	}
}

func TestPromiseUpdateApply(t *testing.T) {
	p := &lofte.Promise{Title: "A", MinN: 10, Period: period("2018-01-01", "2018-12-31")}
	title, minN, per := "B", 12, period("2019-01-01", "2019-12-31")
	upd := lofte.PromiseUpdate{Title: &title, MinN: &minN}
	if upd.MovesPeriod() {
		t.Error("a new title does not move the period")
	}
	upd.Period = &per
	upd.Apply(p)
	if p.Title != "B" || p.MinN != 12 || p.Period != per {
		t.Errorf("applied: %+v", p)
	}
	if !upd.MovesPeriod() {
		t.Error("a new period moves it")
	}
}
