package server

import (
	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

// stopObject is a stop as the audit log names it: "stop:42".
func stopObject(st *lofte.Stop) string { return auditID("stop", st.ID) }

// auditStopChange writes the audit entry of a stored change of a stop from before to after:
// the action says what kind of change it was (stopChange).
func (s *Server) auditStopChange(c *gin.Context, before, after *lofte.Stop) {
	action, detail := stopChange(before, after)
	s.audit(c, action, stopObject(after), detail)
}

// stopChange names a change of a stop from before to after as the audit log shows it: a
// publication, a cancellation, a move of a public stop (its time, place or basort), an edit
// (a draft's plan, a kind, a stop put back to planned) or a save of the field log.
func stopChange(before, after *lofte.Stop) (action, detail string) {
	moved := before.Basort != after.Basort || before.Place != after.Place ||
		!before.StartsAt.Equal(after.StartsAt) || !before.EndsAt.Equal(after.EndsAt)
	switch {
	case before.Status == lofte.StatusDraft && after.Status == lofte.StatusPublished:
		return "stop.publish", "Publicerade besöket " + after.Describe() + "."
	case after.Status == lofte.StatusCancelled && before.Status != lofte.StatusCancelled:
		return "stop.cancel", "Ställde in besöket " + after.Describe() + ". Skäl: " + after.CancelReason
	case moved && before.Status.Public():
		return "stop.move", "Flyttade besöket " + before.Describe() + " till " + after.Describe() + "."
	case moved:
		return "stop.edit", "Ändrade utkastet " + before.Describe() + " till " + after.Describe() + "."
	case before.Kind != after.Kind:
		return "stop.edit", "Ändrade typen av besöket " + after.Describe() + " till " + after.Kind.Label() + "."
	case before.Status != after.Status && after.Status == lofte.StatusPublished:
		return "stop.edit", "Återställde besöket " + after.Describe() + " till planerat (var " +
			before.Status.Label() + ")."
	case after.Status == lofte.StatusCancelled && before.CancelReason != after.CancelReason:
		return "stop.edit", "Ändrade skälet till att besöket " + after.Describe() + " ställdes in. Skäl: " + after.CancelReason
	case before.Status != after.Status && after.Status == lofte.StatusHeld:
		return "stop.field_log", "Markerade besöket " + after.Describe() + " som genomfört och sparade fältloggen."
	}
	return "stop.field_log", "Sparade fältloggen för besöket " + after.Describe() + "."
}
