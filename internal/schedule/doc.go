// Package schedule plans stops in bulk from a rule ("every other Tuesday 10–13 at Tollarp,
// Torget, until 30 November") and writes the public schedule as an iCalendar feed
// (RFC 5545) that phones can subscribe to. It is pure: no storage, no HTTP.
package schedule
