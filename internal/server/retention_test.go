package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"medborgarlofte/internal/lofte"
)

// TestRetriedUploadAfterRetention sends the kiosk's same request after retention removed the
// comment and later the response: each time a 200 duplicate, never a 409 or a second row.
func TestRetriedUploadAfterRetention(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	st := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	body := batchJSON(
		respJSON(1, st.ID, "2018-03-14T10:22:05+01:00", `{"trust":"fairly_high","satisfaction":4,"problems":["traffic","drugs"],"comment":"Ring mig på 070-123 45 67, <b>tack</b> & hej"}`),
		respJSON(2, st.ID, "2018-03-14T10:40:00+01:00", `{"comment":"Bra"}`),
	)
	if status, _, b := e.do(http.MethodPost, "/api/v1/responses", lofte.RoleKiosk, body); status != 201 {
		t.Fatalf("first upload: %d %s", status, b)
	}
	for _, step := range []struct {
		asOf string
		kept int
	}{{"2020-01-01", 2}, {"2021-01-01", 0}} {
		asOf := step.asOf
		day, _ := lofte.ParseDate(asOf)
		if _, err := e.db.ApplyRetention(ctx, day); err != nil {
			t.Fatal(err)
		}
		status, _, b := e.do(http.MethodPost, "/api/v1/responses", lofte.RoleKiosk, body)
		if status != 200 || strings.Count(string(b), `"duplicate"`) != 2 {
			t.Errorf("retry after retention as of %s: %d %s", asOf, status, b)
		}
		if n := countResponses(t, e); n != step.kept {
			t.Errorf("as of %s: %d responses, want %d", asOf, n, step.kept)
		}
	}
}
