package server

import (
	"log/slog"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// answerRoute is where kiosks post visitors' answers.
const answerRoute = "/api/v1/responses"

// answerPosts counts the posts of answers between two summaries instead of logging each: a
// line per post, stamped to the millisecond, would tell the order in which answers arrived
// and, from a kiosk online, when a visitor answered, far finer than the hour that is stored.
// Failures are kept as messages, without their time, for the summary.
type answerPosts struct {
	mu       sync.Mutex
	statuses map[int]int
	failures map[string]int
}

// isAnswerPost reports whether the request posts answers.
func isAnswerPost(c *gin.Context) bool {
	return c.Request.Method == http.MethodPost && c.FullPath() == answerRoute
}

// count records one post and the status it got.
func (a *answerPosts) count(status int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.statuses == nil {
		a.statuses = map[int]int{}
	}
	a.statuses[status]++
}

// uuidPattern finds ids in error messages: a response's id beside the moment of a failure
// would date its arrival.
var uuidPattern = regexp.MustCompile(`(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// fail records why a post failed, with any id blanked.
func (a *answerPosts) fail(err error) {
	msg := uuidPattern.ReplaceAllString(err.Error(), "<id>")
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.failures == nil {
		a.failures = map[string]int{}
	}
	a.failures[msg]++
}

// LogAnswerPosts logs how many posts of answers there were since it last ran, by status, and
// why any failed with a server error; it logs nothing when there were none. `serve` runs it
// hourly, the resolution answers are stored with, and once more when it stops.
func (s *Server) LogAnswerPosts() {
	a := &s.answerPosts
	a.mu.Lock()
	statuses, failures := a.statuses, a.failures
	a.statuses, a.failures = nil, nil
	a.mu.Unlock()
	if len(statuses) == 0 && len(failures) == 0 {
		return
	}
	total := 0
	var byStatus []any
	for _, code := range slices.Sorted(maps.Keys(statuses)) {
		total += statuses[code]
		byStatus = append(byStatus, slog.Int(strconv.Itoa(code), statuses[code]))
	}
	attrs := []any{"requests", total, slog.Group("status", byStatus...)}
	if len(failures) > 0 {
		var b strings.Builder
		for i, m := range slices.Sorted(maps.Keys(failures)) {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(m + " (×" + strconv.Itoa(failures[m]) + ")")
		}
		attrs = append(attrs, "errors", b.String())
		s.log.Error("answer posts since the last summary", attrs...)
		return
	}
	s.log.Info("answer posts since the last summary", attrs...)
}
