package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
	"medborgarlofte/internal/sqlite"
)

// failingStore fails every ingest with an error naming the first id, as a driver error
// wrapped on its way up would.
type failingStore struct{ *sqlite.DB }

func (f failingStore) CreateResponses(_ context.Context, rs []*lofte.Response, _ ...lofte.SuspectFlag) ([]lofte.IngestResult, error) {
	return nil, fmt.Errorf("insert response %s: disk I/O error", rs[0].ID)
}

// TestAnswerPostsLeaveNoOrder posts answers one at a time: the log gets no line per post
// (whose time would give the order of arrival), only a summary without ids when asked.
func TestAnswerPostsLeaveNoOrder(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	at := "2018-03-14T10:22:05+01:00"
	e.do(http.MethodGet, "/healthz", "", "")
	before := e.logs.String()
	const n = 6
	for i := range n {
		if status, _, b := e.do(http.MethodPost, "/api/v1/responses", lofte.RoleKiosk,
			respJSON(i, st.ID, at, `{"trust":"fairly_high"}`)); status != 201 {
			t.Fatalf("answer %d: %d %s", i, status, b)
		}
	}
	e.do(http.MethodPost, "/api/v1/responses", lofte.RoleKiosk, respJSON(0, st.ID, at, `{"trust":"very_low"}`)) // 409
	e.do(http.MethodPost, "/api/v1/responses", lofte.RoleKiosk, `{}`)                                           // 400
	if got := e.logs.String(); got != before {
		t.Errorf("posting answers wrote to the log:\n%s", strings.TrimPrefix(got, before))
	}
	e.app.LogAnswerPosts()
	summary := strings.TrimPrefix(e.logs.String(), before)
	if lines := strings.Count(summary, "\n"); lines != 1 {
		t.Fatalf("%d summary lines, want 1:\n%s", lines, summary)
	}
	for _, want := range []string{"requests=8", "status.201=6", "status.400=1", "status.409=1"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %s: %s", want, summary)
		}
	}
	if strings.Contains(summary, uuidN(0)[:8]) {
		t.Errorf("summary names an answer: %s", summary)
	}
	e.app.LogAnswerPosts()
	if got := strings.TrimPrefix(e.logs.String(), before); got != summary {
		t.Errorf("a summary of nothing was logged: %s", strings.TrimPrefix(got, before+summary))
	}
}

// TestFailedAnswerPostIsSummarised makes ingest fail: the error is kept for the summary, with
// the id blanked, rather than logged at the moment of the post.
func TestFailedAnswerPostIsSummarised(t *testing.T) {
	e := newEnv(t, func(c *server.Config) { c.Store = failingStore{c.Store.(*sqlite.DB)} })
	st := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	before := e.logs.String()
	if status, _, _ := e.do(http.MethodPost, "/api/v1/responses", lofte.RoleKiosk,
		respJSON(1, st.ID, "2018-03-14T10:22:05+01:00", `{}`)); status != 500 {
		t.Fatalf("status %d, want 500", status)
	}
	if got := e.logs.String(); got != before {
		t.Errorf("the failed post was logged at once:\n%s", strings.TrimPrefix(got, before))
	}
	e.app.LogAnswerPosts()
	summary := strings.TrimPrefix(e.logs.String(), before)
	if !strings.Contains(summary, "level=ERROR") || !strings.Contains(summary, "insert response <id>: disk I/O error (×1)") ||
		!strings.Contains(summary, "status.500=1") {
		t.Errorf("summary: %s", summary)
	}
	if strings.Contains(summary, uuidN(1)) {
		t.Errorf("summary names the answer: %s", summary)
	}
}
