package metrics_test

import (
	"strings"
	"testing"

	"medborgarlofte/internal/metrics"
)

func TestMethodNamesThePromisesThresholds(t *testing.T) {
	p := promise()
	p.MinN, p.StatusMinN = 12, 150
	var all strings.Builder
	for _, s := range metrics.Method(p) {
		if s.Title == "" || s.Text == "" {
			t.Errorf("empty section %+v", s)
		}
		all.WriteString(s.Text)
	}
	for _, want := range []string{"minst 12 svar", "färre än 150 svar", "cell key", "designeffekt", "folkmängd", metrics.Caveat} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("method text lacks %q", want)
		}
	}
}
