// Package report writes the BRÅ workbook: one Excel file per period for the crime-prevention
// council, with the promise's outcomes, the figures per basort, per stop and per month, the
// delivery of the schedule, the feedback items, the redacted comments, the anonymised raw
// answers and the definitions of every figure.
//
// Every figure comes from package metrics, the code behind the API and the dashboard, so the
// three never disagree; this package only lays the figures out. Everything a visitor or an
// officer typed is written as a text cell with a quote-prefix style, never as a formula, and
// the long sheets (Synpunkter, Rådata) are streamed page by page so that memory stays bounded
// however many answers a period holds.
package report
