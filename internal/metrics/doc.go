// Package metrics computes every figure the app shows, in pages, the JSON API and the
// workbook, from per-stop counts, so the three always agree and the cost grows with the
// number of stops, not of answers. It is pure: no HTTP, no SQL. Its two aims, in this order:
// no figure can be traced back to a visitor, and no figure claims more certainty than the
// data has. Method returns the same rules in plain Swedish for readers.
//
// # Fixed cells
//
// Survey figures (from kiosk answers) exist only for cells: one basort, or the whole area
// (every locality of the promise marked basort); whole calendar months by the stop's local
// date (a scope's dates are widened, and ScopeJSON.Widened says so); grouped by none,
// basort, month or quarter; regular stops or summer events (kind), never mixed. Answers at a
// locality that is not a basort count in no survey cell. Suspect answers are only counted.
// There is no per-stop survey figure: group=stop gives delivery figures only.
//
// # The cell key method (cellkey.go)
//
// Every stored response has a random 32-bit record key. A set of responses has the cell key
// (sum of record keys mod 2^32)/2^32, and its count is perturbed by the row of ptable.csv
// that the cell key falls in (noise −2…+2, variance 1, unbiased, never below 0): the same
// set always gets the same noise, so asking again or subtracting overlapping figures teaches
// little. A share is the perturbed numerator over the perturbed denominator (the valid
// answers, definitions.go), clipped; a mean is computed from perturbed option counts. A
// figure whose perturbed denominator is below the promise's min_n (default 10, never below
// 5) is suppressed: value, n and interval all withheld. Key sums are kept per stop beside the
// counts (lofte.Tally), so a cell's key costs no scan.
//
// # Estimates (estimate.go, survey.go)
//
// One basort: Wilson's 95 % interval on the effective size ñ/deff, deff the design effect of
// answers clustered by stop; means use Student's t. The whole area weights each basort by its
// population (a stratified estimate) over the basorter whose figure is shown, and carries
// coverage (their population share) and the pooled unweighted figure; when a basort lacks a
// population the pooled figure is used (weighted false). A figure is uncertain when its
// interval's half-width exceeds 0.10 (0.5 for a mean).
//
// # Delivery (delivery.go)
//
// Over published stops of the scope's kind, day-level, never perturbed: planned (published,
// start passed), held, cancelled, unconfirmed, delivery rate, announcement in calendar days,
// gaps between visits per basort from the scope's first day to its last (or today) counting
// active days only (no_visit names basorter never visited), visitors, contacts, response
// rate and feedback items closed with feedback given. An undefined figure is null with a
// reason, never 0.
//
// # Outcomes (outcome.go, judge.go)
//
// A survey indicator is met when its whole interval meets the target, not met when its whole
// interval misses it, not established when the interval straddles it, and insufficient data
// when suppressed, below the promise's status_min_n (default 100), or lacking its baseline. A
// delivery indicator is judged on its value. Every status carries a Swedish reason, and
// Caveat (a self-selected sample) is said beside it.
package metrics
