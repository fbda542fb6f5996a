package server

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

// requestLog logs each request without the client's address or user agent: a visitor's
// answer must not be linkable to a device. Posts of answers are only counted, for an hourly
// summary (LogAnswerPosts), so the log cannot tell the order in which answers arrived.
func (s *Server) requestLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		if isAnswerPost(c) {
			s.answerPosts.count(c.Writer.Status())
			return
		}
		route := c.FullPath()
		if route == "" {
			route = "(unmatched)"
		}
		s.log.InfoContext(c.Request.Context(), "request", "method", c.Request.Method, "route", route,
			"status", c.Writer.Status(), "bytes", c.Writer.Size(), "ms", time.Since(start).Milliseconds())
	}
}

// recovery turns a panic into the JSON 500 and logs the stack.
func (s *Server) recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				if isAnswerPost(c) {
					s.answerPosts.fail(fmt.Errorf("panic: %v\n%s", r, debug.Stack()))
				} else {
					s.log.ErrorContext(c.Request.Context(), "panic", "route", c.FullPath(), "panic", fmt.Sprint(r),
						"stack", string(debug.Stack()))
				}
				if c.Writer.Written() {
					c.Abort()
					return
				}
				c.AbortWithStatusJSON(http.StatusInternalServerError, errorBody{Error: lofte.Error{
					Code: lofte.EINTERNAL, Message: "ett internt fel inträffade"}})
			}
		}()
		c.Next()
	}
}

// bodyLimit refuses bodies over max bytes with 413, before or while they are read.
func (s *Server) bodyLimit(max int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > max {
			s.writeError(c, &lofte.Error{Code: lofte.ETOOLARGE, Message: fmt.Sprintf("begäran är större än %d byte", max)})
			return
		}
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, max)
		}
		c.Next()
	}
}

// contentSecurityPolicy allows only our own scripts, styles and connections.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		c.Next()
	}
}

// noStoreForSignedIn marks every response to a caller who sees private pages (a signed-in
// person, or a staff or council token: seesPrivatePages) Cache-Control: no-store, so that
// neither a shared cache nor the browser's Back button after logging out shows what they saw
// to the next person. A handler may set its own for what is the same for everyone (the
// hashed static assets, the public calendar). The kiosk's page has its own rule.
func noStoreForSignedIn() gin.HandlerFunc {
	return func(c *gin.Context) {
		if seesPrivatePages(lofte.IdentityFrom(c.Request.Context())) {
			c.Header("Cache-Control", "no-store")
		}
		c.Next()
	}
}

// errMethodNotAllowed is the code of the answer to a method a path does not take.
const errMethodNotAllowed lofte.ErrorCode = "method_not_allowed"

// methodNotAllowed answers a method the path does not take with 405, the JSON error body and
// the Allow header gin has set to the methods it does take.
func methodNotAllowed(c *gin.Context) {
	c.AbortWithStatusJSON(http.StatusMethodNotAllowed, errorBody{Error: lofte.Error{Code: errMethodNotAllowed,
		Message: "metoden " + c.Request.Method + " stöds inte här; tillåtna: " + c.Writer.Header().Get("Allow")}})
}
