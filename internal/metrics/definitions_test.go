package metrics

import (
	"slices"
	"testing"

	"medborgarlofte/internal/survey"
)

// TestDefinitionsNameCatalogueCodes guards against a renamed item or option in the catalogue
// silently turning a figure into zeros: every item and option code the definitions name must
// be one the kiosk can send.
func TestDefinitionsNameCatalogueCodes(t *testing.T) {
	c := survey.Default()
	codes := func(t *testing.T, item string) []string {
		t.Helper()
		it, ok := c.Item(item)
		if !ok {
			t.Fatalf("item %q is not in the catalogue", item)
		}
		return it.Codes()
	}
	within := func(t *testing.T, what string, got, set []string) {
		t.Helper()
		for _, o := range got {
			if !slices.Contains(set, o) {
				t.Errorf("%s option %q is not among %v", what, o, set)
			}
		}
	}
	for _, d := range shareDefs {
		t.Run(d.Code, func(t *testing.T) {
			all := codes(t, d.Item)
			within(t, "valid", d.Valid, all)
			within(t, "numerator", d.Num, d.Valid)
			if len(d.Num) == 0 || len(d.Valid) <= len(d.Num) {
				t.Errorf("numerator %v and valid set %v cannot make a share", d.Num, d.Valid)
			}
		})
	}
	for _, d := range meanDefs {
		t.Run(d.Code, func(t *testing.T) {
			all := codes(t, d.Item)
			var scaled []string
			for o := range d.Scale {
				scaled = append(scaled, o)
			}
			within(t, "scale", scaled, all)
		})
	}
	for _, d := range distDefs {
		t.Run(d.Item, func(t *testing.T) {
			if all := codes(t, d.Item); len(d.Options) == 0 || !slices.Equal(d.Options, all) {
				t.Errorf("options %v, want the catalogue's %v", d.Options, all)
			}
		})
	}
}

func TestEveryFigureHasALabel(t *testing.T) {
	var figures []string
	for _, d := range shareDefs {
		figures = append(figures, d.Code)
	}
	for _, d := range meanDefs {
		figures = append(figures, d.Code)
	}
	figures = append(figures, distItems...)
	for _, code := range figures {
		if Label(code) == code {
			t.Errorf("%s has no Swedish label in Definitions", code)
		}
	}
}
