package lofte_test

import (
	"testing"

	"medborgarlofte/internal/lofte"
)

func TestDecimal(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		prec int
		want string
	}{
		{0.05, -1, "0,05"},
		{-0.05, -1, "-0,05"},
		{12, -1, "12"},
		{55.933, 4, "55,9330"},
		{0.625, 1, "0,6"},
	} {
		if got := lofte.Decimal(tt.v, tt.prec); got != tt.want {
			t.Errorf("Decimal(%v, %d) = %q, want %q", tt.v, tt.prec, got, tt.want)
		}
	}
}
