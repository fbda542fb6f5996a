// Package schedule plans stops in bulk from a rule ("every other Tuesday 10–13 at Tollarp,
// Torget, until 30 November") and writes the public schedule as an iCalendar feed
// (RFC 5545) that residents' phones can subscribe to. It is pure: no storage, no HTTP.
//
// Expand turns a Rule into draft stops at local wall clock times in Europe/Stockholm; a
// regular series skips the promise's excluded periods (the summer, when the office goes to
// events instead). WriteICS and ICS write the published, held and cancelled stops, never a
// draft, using github.com/arran4/golang-ical for escaping, folding and CRLF line ends.
package schedule
