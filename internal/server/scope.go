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
	p, err := s.promiseNamed(c, promiseParam, c.Query(promiseParam))
	if p == nil && err == nil {
		return s.store.ActivePromise(c.Request.Context())
	}
	return p, err
}

// promiseIDs says, in the 400's message, what each parameter naming a promise must hold.
var promiseIDs = map[string]string{promiseParam: "ett löftes id", compareParam: "ett tidigare löftes id"}

// promiseNamed is the promise v, the value of the parameter param, names: nil when v is empty,
// a 400 naming param when v is not a positive integer, a 404 when no promise has that id.
func (s *Server) promiseNamed(c *gin.Context, param, v string) (*lofte.Promise, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		what, ok := promiseIDs[param]
		if !ok {
			what = promiseIDs[promiseParam]
		}
		return nil, lofte.Invalid(param, "%s ska vara %s, ett positivt heltal", param, what)
	}
	return s.store.FindPromise(c.Request.Context(), id)
}
