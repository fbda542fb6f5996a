package lofte

import "fmt"

// Plausibility limits of a field log: figures beyond them are probably typed wrong (an extra
// digit, a count in the wrong box) but may be true, so they are questioned, never refused.
const (
	plausibleStaff    = 10  // officers at one stop
	plausibleVisitors = 300 // visitors at one stop
)

// Doubts lists, in Swedish, what in a stop's field log looks mistyped: more contacts of one
// kind, or in all, than visitors; crime reports from most of a stop's visitors; an unusual
// number of staff or visitors; visitors at a cancelled stop. Empty when nothing does.
func (st *Stop) Doubts() []string {
	var out []string
	c, v := st.Contacts, st.Visitors
	total := c.CrimeReport + c.Tip + c.Advice + c.Other
	switch {
	case total > v:
		out = append(out, fmt.Sprintf("%d kontakter men %d besökare: varje kontakt är väl också en besökare?", total, v))
	case c.CrimeReport >= 5 && 2*c.CrimeReport > v:
		out = append(out, fmt.Sprintf("%d anmälningar av %d besökare är ovanligt många.", c.CrimeReport, v))
	}
	if st.Staff > plausibleStaff {
		out = append(out, fmt.Sprintf("%d poliser vid ett besök är ovanligt många.", st.Staff))
	}
	if v > plausibleVisitors {
		out = append(out, fmt.Sprintf("%d besökare vid ett besök är ovanligt många.", v))
	}
	if st.Status == StatusCancelled && (v > 0 || total > 0) {
		out = append(out, "Besöket är inställt men har besökare eller kontakter.")
	}
	if st.Status == StatusHeld && st.Staff == 0 {
		out = append(out, "Besöket är genomfört men antal poliser är 0.")
	}
	return out
}
