package server

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

// promiseParam is the query parameter every scoped route (stops, figures, comments, feedback,
// the calendar, reports, pages) reads to serve another promise than the active one.
const promiseParam = "promise"

// promise is the promise a request is about: the one its promise=ID names, or the active one.
// A malformed id is a 400 naming the parameter; an id that names no promise is a 404.
func (s *Server) promise(c *gin.Context) (*lofte.Promise, error) {
	ctx := c.Request.Context()
	v := strings.TrimSpace(c.Query(promiseParam))
	if v == "" {
		return s.store.ActivePromise(ctx)
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return nil, lofte.Invalid(promiseParam, "promise ska vara ett löftes id, ett positivt heltal")
	}
	return s.store.FindPromise(ctx, id)
}
