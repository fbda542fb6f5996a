package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
)

func uuidN(i int) string { return fmt.Sprintf("6f1c2a9e-4b1d-4c3e-9a57-%012d", i) }

func respJSON(i int, stopID int64, at string, answers string) string {
	return fmt.Sprintf(`{"id":%q,"stop_id":%d,"lang":"sv","answered_at":%q,"answers":%s}`, uuidN(i), stopID, at, answers)
}

func batchJSON(items ...string) string { return `{"responses":[` + strings.Join(items, ",") + `]}` }

func countResponses(t *testing.T, e *env) int {
	t.Helper()
	n, err := e.db.CountResponses(context.Background(), e.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestResponseIngestScenarios(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	draft := mustStop(t, e, "Åhus", "2018-03-15 10:00", lofte.StatusDraft)
	at := "2018-03-14T10:22:05+01:00"
	ok := respJSON(1, st.ID, at, `{"trust":"fairly_high","satisfaction":5}`)
	tests := []struct {
		call
		results string // the wanted results, as "id-suffix:result,..."
		added   int
	}{
		{call{"single", lofte.RoleKiosk, ok, 201, ""}, "1:created", 1},
		{call{"single again is a duplicate", lofte.RoleKiosk, ok, 200, ""}, "1:duplicate", 0},
		{call{"same id other content", lofte.RoleKiosk, respJSON(1, st.ID, at, `{"trust":"very_low"}`), 409, ""}, "", 0},
		{call{"batch with a repeat", lofte.RoleKiosk, batchJSON(ok, respJSON(2, st.ID, at, `{}`), respJSON(3, st.ID, "2018-03-15T09:00:00+01:00", `{"reason":"meet"}`)), 201, ""}, "1:duplicate,2:created,3:created", 2},
		{call{"late sync of yesterday's answer", lofte.RoleKiosk, respJSON(4, st.ID, "2018-03-13T23:10:00+01:00", `{}`), 201, ""}, "4:created", 1},
		{call{"one bad item fails the batch", lofte.RoleKiosk, batchJSON(respJSON(5, st.ID, at, `{}`), respJSON(6, st.ID, at, `{"trust":"total"}`)), 400, "responses[1].answers.trust"}, "", 0},
		{call{"unknown field", lofte.RoleKiosk, `{"id":"` + uuidN(7) + `","stop_id":1,"lang":"sv","answered_at":"` + at + `","answers":{},"ip":"1.2.3.4"}`, 400, "ip"}, "", 0},
		{call{"unknown item", lofte.RoleKiosk, respJSON(8, st.ID, at, `{"mood":"ok"}`), 400, "answers.mood"}, "", 0},
		{call{"unknown stop", lofte.RoleKiosk, respJSON(9, 9999, at, `{}`), 400, "stop_id"}, "", 0},
		{call{"unknown stop in a batch of one", lofte.RoleKiosk, batchJSON(respJSON(9, 9999, at, `{}`)), 400, "responses[0].stop_id"}, "", 0},
		{call{"draft stop", lofte.RoleKiosk, respJSON(10, draft.ID, "2018-03-15T10:30:00+01:00", `{}`), 400, "stop_id"}, "", 0},
		{call{"answer dated a week off", lofte.RoleKiosk, respJSON(11, st.ID, "2018-03-21T10:00:00+01:00", `{}`), 400, "answered_at"}, "", 0},
		{call{"bad uuid", lofte.RoleKiosk, `{"id":"42","stop_id":1,"lang":"sv","answered_at":"` + at + `","answers":{}}`, 400, "id"}, "", 0},
		{call{"unknown language", lofte.RoleKiosk, strings.Replace(respJSON(12, st.ID, at, `{}`), `"sv"`, `"xx"`, 1), 400, "lang"}, "", 0},
		{call{"no answered_at", lofte.RoleKiosk, `{"id":"` + uuidN(13) + `","stop_id":1,"lang":"sv","answers":{}}`, 400, "answered_at"}, "", 0},
		{call{"empty batch", lofte.RoleKiosk, `{"responses":[]}`, 400, "responses"}, "", 0},
		{call{"empty body", lofte.RoleKiosk, ``, 400, ""}, "", 0},
		{call{"not json", lofte.RoleKiosk, `<html>hej</html>`, 400, ""}, "", 0},
		{call{"json array", lofte.RoleKiosk, `[1,2]`, 400, ""}, "", 0},
		{call{"trailing garbage", lofte.RoleKiosk, ok + `{}`, 400, ""}, "", 0},
		{call{"no token", "", ok, 401, ""}, "", 0},
		{call{"officer may not submit", lofte.RoleOfficer, ok, 403, ""}, "", 0},
		{call{"council may not submit", lofte.RoleCouncil, ok, 403, ""}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := countResponses(t, e)
			b, refused := e.send(t, http.MethodPost, "/api/v1/responses", tt.call)
			if got := countResponses(t, e) - before; got != tt.added {
				t.Errorf("%d responses added, want %d", got, tt.added)
			}
			if refused != nil {
				return
			}
			var body struct{ Results []lofte.IngestResult }
			if err := json.Unmarshal(b, &body); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range body.Results {
				got = append(got, strings.TrimLeft(r.ID[len(r.ID)-12:], "0")+":"+r.Result)
			}
			if strings.Join(got, ",") != tt.results {
				t.Errorf("results %v, want %s", got, tt.results)
			}
		})
	}
}

func TestResponseIngestTooLarge(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	var items []string
	for i := range server.MaxBatch + 1 {
		items = append(items, respJSON(i, st.ID, "2018-03-14T10:22:05+01:00", `{}`))
	}
	if status, _, b := e.do(http.MethodPost, "/api/v1/responses", lofte.RoleKiosk, batchJSON(items...)); status != 413 || apiError(t, b).Code != lofte.ETOOLARGE {
		t.Errorf("501 responses: %d %s", status, b)
	}
	huge := respJSON(1, st.ID, "2018-03-14T10:22:05+01:00", `{"comment":"`+strings.Repeat("x", 3<<20)+`"}`)
	if status, _, _ := e.do(http.MethodPost, "/api/v1/responses", lofte.RoleKiosk, huge); status != 413 {
		t.Errorf("3 MiB body: %d, want 413", status)
	}
	if n := countResponses(t, e); n != 0 {
		t.Errorf("%d stored", n)
	}
}

func TestResponsePrivacyAndSuspect(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	// Three answers 2 s apart on one device's clock, sent in one late burst: all three are
	// implausibly fast, the first too (whichever arrived first); a fourth a minute later is fine.
	body := batchJSON(
		respJSON(1, st.ID, "2018-03-14T10:22:05+01:00", `{"comment":"Mitt nummer 0701234567"}`),
		respJSON(2, st.ID, "2018-03-14T10:22:07+01:00", `{}`),
		respJSON(3, st.ID, "2018-03-14T10:22:09+01:00", `{}`),
		respJSON(4, st.ID, "2018-03-14T10:23:09+01:00", `{}`))
	if status, _, b := e.do(http.MethodPost, "/api/v1/responses", lofte.RoleKiosk, body); status != 201 {
		t.Fatalf("%d %s", status, b)
	}
	rs, _, err := e.db.FindResponses(context.Background(), lofte.ResponseFilter{PromiseID: e.p.ID})
	if err != nil {
		t.Fatal(err)
	}
	suspect := map[string]bool{}
	for _, r := range rs {
		suspect[r.ID] = r.Suspect
		if r.Hour != 10 || r.Date.String() != "2018-03-14" {
			t.Errorf("kept %s %d, want the date and hour only", r.Date, r.Hour)
		}
	}
	want := map[string]bool{uuidN(1): true, uuidN(2): true, uuidN(3): true, uuidN(4): false}
	for id, w := range want {
		if suspect[id] != w {
			t.Errorf("%s suspect = %v, want %v", id, suspect[id], w)
		}
	}
	if c := rs[0].Answers["comment"]; c != "Mitt nummer [borttaget]" {
		t.Errorf("comment stored as %q", c)
	}
}

func TestResponseRateLimit(t *testing.T) {
	e := newEnv(t, func(c *server.Config) { c.KioskRateLimit = 1 })
	st := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	var limited bool
	for i := range 8 {
		status, h, _ := e.do(http.MethodPost, "/api/v1/responses", lofte.RoleKiosk,
			respJSON(i, st.ID, time.Date(2018, 3, 14, 10, i, 0, 0, lofte.Zone).Format(time.RFC3339), `{}`))
		if status == http.StatusTooManyRequests {
			limited = true
			if h.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
			break
		}
	}
	if !limited {
		t.Error("8 quick requests at 1/s (burst 5) were never limited")
	}
}
