package baseline

import (
	"slices"
	"strings"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// Check makes sure of a baseline given as JSON or in the form what Parse makes sure of for a
// row of a file: its source is trimmed and its metric is one a baseline may be set for. The
// baseline's own rules (lofte.Baseline.Validate) and whether its basort exists are the
// store's to check.
func Check(b *lofte.Baseline) error {
	if b == nil {
		return lofte.Invalid("", "tom baslinje")
	}
	if !slices.Contains(metrics.BaselineMetrics(), b.Metric) {
		return lofte.Invalid("metric", "okänt mått %q för en baslinje", b.Metric)
	}
	b.Source = strings.TrimSpace(b.Source)
	return nil
}
