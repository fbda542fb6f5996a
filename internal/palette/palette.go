// Package palette holds the colours of every chart the app draws, the dashboard's (echarts)
// and the workbook's (excelize), so that a series has the same colour in both.
package palette

import "strings"

// Series are the colours of a chart's series in order (Okabe and Ito's palette, told apart by
// people with the common colour vision deficiencies), then echarts' defaults for any more.
var Series = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
	"#5470c6", "#91cc75"}

// Colour is series i's colour ("#0072B2"), the list repeating after its end.
func Colour(i int) string { return Series[i%len(Series)] }

// Hex is series i's colour as excelize takes it: "0072B2".
func Hex(i int) string { return strings.TrimPrefix(Colour(i), "#") }

// Colours of things that are not series.
const (
	// Whisker is a confidence interval's whisker; Earlier an earlier period's dash.
	Whisker = "#1b1b1b"
	Earlier = "#7b2d8b"
	// Excluded shades the promise's excluded months (summer) in a trend.
	Excluded = "rgba(200, 200, 200, 0.3)"
	// Sea, Land and Neighbour colour the map; Suppressed marks a place whose figure is withheld.
	Sea        = "#dcecf5"
	Land       = "#f4f1e8"
	Neighbour  = "#e4e1d8"
	Border     = "#9a9486"
	Suppressed = "#8c8c8c"
)

// Scale is the map's colour scale for a share from low to high (red, yellow, green are read
// as bad to good; the scale's ends stay apart in grey too).
var Scale = []string{"#b2182b", "#f4d03f", "#1a7f37"}
