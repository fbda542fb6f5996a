// Package report writes the BRÅ workbook: one Excel file per period for the crime-prevention
// council, with the promise's outcomes, the figures per basort and per month, the delivery of
// the schedule per basort and per stop, the feedback items, the approved comments and the
// definitions of every figure.
//
// Every figure comes from package metrics, the code behind the API and the dashboard, so the
// three never disagree; this package only lays the figures out. Nothing leaves in it that the
// app keeps from other readers: no row per response, no survey figure per stop, only approved
// comments of basorter with enough answers, age and gender only as distributions
// (docs/access.md, "What leaves the app"). Everything a visitor or an officer typed is written
// as a text cell with a quote-prefix style, never as a formula.
package report
