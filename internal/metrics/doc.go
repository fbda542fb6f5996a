// Package metrics computes every figure of metrics.md from per-stop counts: survey shares
// and means with their intervals, distributions, suppression of small cells (and secondary
// suppression within a grouping), the delivery of the schedule, and the status of the
// promise's outcomes. It is pure: the API, the dashboards and the report all call it, so
// they can never disagree, and its cost grows with the number of stops, not of answers.
package metrics
