package metrics_test

import (
	"testing"

	"medborgarlofte/internal/metrics"
)

func floatPtr(x float64) *float64 { return &x }

func interval(lo, hi float64) *[2]float64 { return &[2]float64{lo, hi} }

func TestJudgeSurvey(t *testing.T) {
	tests := []struct {
		name            string
		value           *float64
		ci              *[2]float64
		n               int
		suppressed      bool
		target          *float64
		atMost          bool
		baselineMissing bool
		status, reason  string
	}{
		{"at least, met", floatPtr(0.575), interval(0.54, 0.61), 400, false, floatPtr(0.50), false, false,
			metrics.Met, "intervallet 54–61 % ligger helt över målet 50 %"},
		{"at least, lower bound on the target", floatPtr(0.6), interval(0.55, 0.65), 400, false, floatPtr(0.50 + 0.05), false, false,
			metrics.Met, "intervallet 55–65 % ligger helt på eller över målet 55 %"},
		{"at least, not met", floatPtr(0.43), interval(0.38, 0.47), 400, false, floatPtr(0.55), false, false,
			metrics.NotMet, "intervallet 38–47 % ligger helt under målet 55 %"},
		{"at least, straddles", floatPtr(0.5), interval(0.43, 0.58), 150, false, floatPtr(0.48), false, false,
			metrics.NotEstablished, "intervallet 43–58 % omfattar målet 48 %: inte säkerställt"},
		{"at least, upper bound on the target straddles", floatPtr(0.5), interval(0.45, 0.55), 150, false, floatPtr(0.55), false, false,
			metrics.NotEstablished, "intervallet 45–55 % omfattar målet 55 %: inte säkerställt"},
		{"at most, met", floatPtr(0.2), interval(0.16, 0.24), 300, false, floatPtr(0.25), true, false,
			metrics.Met, "intervallet 16–24 % ligger helt under målet 25 %"},
		{"at most, upper bound on the target", floatPtr(0.2), interval(0.15, 0.25), 300, false, floatPtr(0.30 - 0.05), true, false,
			metrics.Met, "intervallet 15–25 % ligger helt på eller under målet 25 %"},
		{"at most, not met", floatPtr(0.3), interval(0.26, 0.34), 300, false, floatPtr(0.25), true, false,
			metrics.NotMet, "intervallet 26–34 % ligger helt över målet 25 %"},
		{"at most, straddles", floatPtr(0.25), interval(0.21, 0.29), 300, false, floatPtr(0.25), true, false,
			metrics.NotEstablished, "intervallet 21–29 % omfattar målet 25 %: inte säkerställt"},
		{"decimals where rounding would hide the side", floatPtr(0.6), interval(0.5496, 0.65), 400, false, floatPtr(0.55), false, false,
			metrics.NotEstablished, "intervallet 54,96–65,00 % omfattar målet 55,00 %: inte säkerställt"},
		{"a target with a decimal", floatPtr(0.6), interval(0.56, 0.64), 400, false, floatPtr(0.555), false, false,
			metrics.Met, "intervallet 56,0–64,0 % ligger helt över målet 55,5 %"},
		{"suppressed", nil, nil, 0, true, floatPtr(0.5), false, false,
			metrics.InsufficientData, "för få svar för att visa värdet"},
		{"suppressed before baseline", nil, nil, 0, true, nil, false, true,
			metrics.InsufficientData, "för få svar för att visa värdet"},
		{"empty", nil, nil, 0, false, floatPtr(0.5), false, false,
			metrics.InsufficientData, "inga svar"},
		{"no interval", floatPtr(0.5), nil, 400, false, floatPtr(0.5), false, false,
			metrics.InsufficientData, "intervall saknas"},
		{"n below status_min_n", floatPtr(0.7), interval(0.55, 0.82), 40, false, floatPtr(0.5), false, false,
			metrics.InsufficientData, "för få svar (n = 40, minst 100 behövs)"},
		{"n just at status_min_n", floatPtr(0.7), interval(0.6, 0.78), 100, false, floatPtr(0.5), false, false,
			metrics.Met, "intervallet 60–78 % ligger helt över målet 50 %"},
		{"baseline missing", floatPtr(0.7), interval(0.6, 0.78), 400, false, nil, false, true,
			metrics.InsufficientData, "baslinje saknas"},
		{"no target", floatPtr(0.7), interval(0.6, 0.78), 400, false, nil, false, false,
			metrics.InsufficientData, "mål saknas"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, reason := metrics.JudgeSurvey(tt.value, tt.ci, tt.n, tt.suppressed, tt.target, tt.atMost, 100, tt.baselineMissing)
			if status != tt.status || reason != tt.reason {
				t.Errorf("JudgeSurvey = %s, %q; want %s, %q", status, reason, tt.status, tt.reason)
			}
		})
	}
}

func TestJudgeSurveyMean(t *testing.T) {
	tests := []struct {
		ci             *[2]float64
		n              int
		target         float64
		status, reason string
	}{
		{interval(3.62, 4.08), 200, 3.5, metrics.Met, "intervallet 3,6–4,1 ligger helt över målet 3,5"},
		{interval(3.46, 3.9), 200, 3.5, metrics.NotEstablished, "intervallet 3,46–3,90 omfattar målet 3,50: inte säkerställt"},
		{interval(2.9, 3.3), 200, 3.5, metrics.NotMet, "intervallet 2,9–3,3 ligger helt under målet 3,5"},
		{interval(2.9, 3.3), 1500, 4, metrics.NotMet, "intervallet 2,9–3,3 ligger helt under målet 4,0"},
		{interval(2.9, 3.3), 99, 4, metrics.InsufficientData, "för få svar (n = 99, minst 100 behövs)"},
	}
	for _, tt := range tests {
		status, reason := metrics.JudgeSurveyMean(floatPtr(3.5), tt.ci, tt.n, false, floatPtr(tt.target), false, 100, false)
		if status != tt.status || reason != tt.reason {
			t.Errorf("JudgeSurveyMean(%v, %v) = %s, %q; want %s, %q", *tt.ci, tt.target, status, reason, tt.status, tt.reason)
		}
	}
	if _, reason := metrics.JudgeSurvey(floatPtr(0.5), interval(0.4, 0.6), 12345, false, floatPtr(0.5), false, 20000, false); reason != "för få svar (n = 12 345, minst 20 000 behövs)" {
		t.Errorf("thousands: %q", reason)
	}
}

func TestJudgeDelivery(t *testing.T) {
	tests := []struct {
		name           string
		value          *float64
		target         float64
		atMost         bool
		status, reason string
	}{
		{"met", floatPtr(0.92), 0.9, false, metrics.Met, "värdet 92 % når målet 90 %"},
		{"met exactly, 9 of 10", floatPtr(9.0 / 10), 0.9, false, metrics.Met, "värdet 90 % når målet 90 %"},
		{"missed by a hair", floatPtr(0.8996), 0.9, false, metrics.NotMet, "värdet 89,96 % når inte målet 90,00 %"},
		{"not met", floatPtr(0.5), 0.9, false, metrics.NotMet, "värdet 50 % når inte målet 90 %"},
		{"at most, met", floatPtr(0.05), 0.1, true, metrics.Met, "värdet 5 % når målet 10 %"},
		{"at most, not met", floatPtr(0.15), 0.1, true, metrics.NotMet, "värdet 15 % når inte målet 10 %"},
		{"undefined", nil, 0.9, false, metrics.InsufficientData, "värdet kan inte beräknas: inget att räkna på"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, reason := metrics.JudgeDelivery(tt.value, tt.target, tt.atMost)
			if status != tt.status || reason != tt.reason {
				t.Errorf("JudgeDelivery = %s, %q; want %s, %q", status, reason, tt.status, tt.reason)
			}
		})
	}
}

func TestJudgeOutcome(t *testing.T) {
	const (
		met, not, straddle, none = metrics.Met, metrics.NotMet, metrics.NotEstablished, metrics.InsufficientData
	)
	tests := []struct {
		statuses []string
		want     string
	}{
		{nil, none},
		{[]string{none, none}, none},
		{[]string{met}, met},
		{[]string{met, met, none}, met},
		{[]string{not}, not},
		{[]string{not, none}, not},
		{[]string{not, straddle}, not},
		{[]string{straddle}, straddle},
		{[]string{straddle, straddle, none}, straddle},
		{[]string{met, not}, metrics.Partly},
		{[]string{met, straddle}, metrics.Partly},
		{[]string{met, not, straddle, none}, metrics.Partly},
		{[]string{"unknown", none}, none},
	}
	for _, tt := range tests {
		if got := metrics.JudgeOutcome(tt.statuses); got != tt.want {
			t.Errorf("JudgeOutcome(%v) = %s, want %s", tt.statuses, got, tt.want)
		}
	}
}
