// Package metrics computes every figure the app shows from per-stop counts: survey shares
// and means with their intervals, distributions, suppression of small cells (and secondary
// suppression within a grouping), the delivery of the schedule, and the status of the
// promise's outcomes. It is pure: the API, the dashboards and the report all call it, so
// they can never disagree, and its cost grows with the number of stops, not of answers.
//
// The building blocks of the next version of the figures sit beside it, each file stating
// its rule: the cell key method that perturbs every survey count consistently (cellkey.go,
// with the perturbation table ptable.csv), clustered intervals and the whole-area estimate
// weighted by population (estimate.go), and statuses judged on the interval (judge.go).
package metrics
