package baseline_test

import (
	"testing"

	"medborgarlofte/internal/baseline"
	"medborgarlofte/internal/lofte"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		b     *lofte.Baseline
		ok    bool
		field string
	}{
		{"ok", &lofte.Baseline{Metric: "trust_high", Value: 0.5, Source: "NTU 2017"}, true, ""},
		{"null in a JSON list", nil, false, ""},
		{"count is no baseline", &lofte.Baseline{Metric: "visitors", Value: 0.5, Source: "x"}, false, "metric"},
		{"no metric", &lofte.Baseline{Value: 0.5, Source: "x"}, false, "metric"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := baseline.Check(tt.b)
			if tt.ok {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			if e := lofte.AsError(err); e == nil || e.Code != lofte.EINVALID || e.Field != tt.field {
				t.Errorf("got %v, want invalid on %q", err, tt.field)
			}
		})
	}
	b := &lofte.Baseline{Metric: "unsafe", Value: 0.3, Source: "  NTU 2017 "}
	if err := baseline.Check(b); err != nil || b.Source != "NTU 2017" {
		t.Errorf("source %q, %v; want it trimmed", b.Source, err)
	}
}
