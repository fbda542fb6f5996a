package server

import (
	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

// audit records that the caller did action to object, after the change is stored. The
// change stands even if the entry cannot be written (the failure is logged as an error): a
// planner's saved work is not undone because the log failed. Actions are "thing.verb",
// objects "kind:id" (lofte.AuditEntry).
func (s *Server) audit(c *gin.Context, action, object, detail string) {
	ctx := c.Request.Context()
	id := lofte.IdentityFrom(ctx)
	actor := id.Name
	switch {
	case id.Token != nil:
		actor = "token:" + id.Name // a script's or device's token, told apart from a person
	case actor == "":
		actor = "okänd"
	}
	e := &lofte.AuditEntry{At: s.now(), Actor: actor, Action: action, Object: object, Detail: detail}
	if err := s.store.Audit(ctx, e); err != nil {
		s.log.ErrorContext(ctx, "audit entry not written", "action", action, "object", object, "err", err)
	}
}
