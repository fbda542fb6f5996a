package metrics

// Noise exposes the noise distribution of a true count to the external tests, which compare
// what an attacker recovers with what the table alone would let them guess.
func (t *PTable) Noise(i int) map[int]float64 { return t.noise(i) }

// ChangeOf exposes one change of two figures to the external tests.
var ChangeOf = change
