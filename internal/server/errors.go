package server

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

// statusOf maps each error code to its HTTP status; anything else is a 500.
var statusOf = map[lofte.ErrorCode]int{
	lofte.EINVALID:      http.StatusBadRequest,
	lofte.ENOTFOUND:     http.StatusNotFound,
	lofte.ECONFLICT:     http.StatusConflict,
	lofte.EUNAUTHORIZED: http.StatusUnauthorized,
	lofte.EFORBIDDEN:    http.StatusForbidden,
	lofte.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	lofte.ERATELIMITED:  http.StatusTooManyRequests,
	lofte.EUNAVAILABLE:  http.StatusServiceUnavailable,
	lofte.EINTERNAL:     http.StatusInternalServerError,
}

// refusal is err as the sender of a form can correct it: its lofte.Error and status (400 for
// invalid input, 409 for a conflict), to show beside the form with nothing changed. Any other
// error, and nil, give nil and 0: the caller returns it to the error page.
func refusal(err error) (*lofte.Error, int) {
	e := lofte.AsError(err)
	if e == nil || (e.Code != lofte.EINVALID && e.Code != lofte.ECONFLICT) {
		return nil, 0
	}
	return e, statusOf[e.Code]
}

type errorBody struct {
	Error lofte.Error `json:"error"`
}

// publicError returns what a client may see of err, and its status. Unknown errors are logged
// and hidden behind a generic message.
func (s *Server) publicError(c *gin.Context, err error) (int, lofte.Error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge, lofte.Error{Code: lofte.ETOOLARGE, Message: "begäran är för stor"}
	}
	e := lofte.AsError(err)
	status, known := http.StatusInternalServerError, false
	if e != nil {
		status, known = statusOf[e.Code]
	}
	// A failed post of answers goes to the summary without its time (answerPosts).
	answers := isAnswerPost(c)
	if e == nil || !known || status >= 500 && e.Code != lofte.EUNAVAILABLE {
		if answers {
			s.answerPosts.fail(err)
		} else {
			s.log.ErrorContext(c.Request.Context(), "request failed", "method", c.Request.Method,
				"route", c.FullPath(), "err", err)
		}
		return http.StatusInternalServerError, lofte.Error{Code: lofte.EINTERNAL, Message: "ett internt fel inträffade"}
	}
	if status == http.StatusServiceUnavailable {
		if answers {
			s.answerPosts.fail(err)
		} else {
			s.log.WarnContext(c.Request.Context(), "request unavailable", "route", c.FullPath(), "err", err)
		}
	}
	return status, *e
}

// wantsHTML reports whether the client is a browser asking for a page rather than the API.
func wantsHTML(c *gin.Context) bool {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		return false
	}
	return strings.Contains(c.GetHeader("Accept"), "text/html")
}

// writeError answers with err: the JSON error body for the API, a page for browsers. A client
// that has hung up gets nothing (clientGone).
func (s *Server) writeError(c *gin.Context, err error) {
	if s.clientGone(c, err) {
		return
	}
	status, e := s.publicError(c, err)
	if status == http.StatusTooManyRequests && c.Writer.Header().Get("Retry-After") == "" {
		c.Header("Retry-After", retryAfter(0))
	}
	if wantsHTML(c) {
		if status == http.StatusUnauthorized && c.Request.Method == http.MethodGet {
			s.renderLogin(c, status, "Logga in för att se sidan.", c.Request.URL.RequestURI())
			return
		}
		s.render(c, status, "message", &messagePage{Base: s.base(c, errorTitle(status)), Message: e.Message,
			Link: &navItem{Href: "/", Label: "Till startsidan"}})
		c.Abort()
		return
	}
	c.AbortWithStatusJSON(status, errorBody{Error: e})
}

// statusClientClosed is the status logged for a request whose client hung up before the
// answer, as nginx logs it; nobody is left to receive it.
const statusClientClosed = 499

// clientGone reports whether the request's client hung up (its context is cancelled), and
// then logs err at INFO as the hang-up it follows from: a query interrupted or a workbook left
// unfinished because nobody waits for it is no fault of the server.
func (s *Server) clientGone(c *gin.Context, err error) bool {
	ctx := c.Request.Context()
	if !errors.Is(ctx.Err(), context.Canceled) {
		return false
	}
	s.log.InfoContext(ctx, "request cancelled by the client", "method", c.Request.Method, "route", c.FullPath(),
		"err", err)
	c.AbortWithStatus(statusClientClosed)
	return true
}

func errorTitle(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return "Inloggning krävs"
	case http.StatusForbidden:
		return "Du har inte behörighet"
	case http.StatusNotFound:
		return "Sidan finns inte"
	case http.StatusTooManyRequests:
		return "För många försök"
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusConflict:
		return "Det gick inte"
	}
	return "Något gick fel"
}

// handlerFunc is a handler that returns its error for one place to write.
type handlerFunc func(c *gin.Context) error

func (s *Server) wrap(h handlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.writeError(c, err)
		}
	}
}
