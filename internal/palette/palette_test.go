package palette_test

import (
	"regexp"
	"testing"

	"medborgarlofte/internal/palette"
)

func TestColours(t *testing.T) {
	hex := regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
	seen := map[string]bool{}
	for i, c := range palette.Series {
		if !hex.MatchString(c) || seen[c] {
			t.Errorf("series %d: %q is not a new #RRGGBB colour", i, c)
		}
		seen[c] = true
	}
	if palette.Hex(0) != "0072B2" || palette.Colour(len(palette.Series)) != palette.Series[0] {
		t.Errorf("Hex(0) = %q, Colour(len) = %q", palette.Hex(0), palette.Colour(len(palette.Series)))
	}
}
