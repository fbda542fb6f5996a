package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"medborgarlofte/internal/lofte"
)

// TestResponseExportIsTheAdminsCopy: only the admin gets the raw export (docs/access.md, "What leaves the app"); it
// carries each response's record key, ids in lower case and in id order whatever the order of
// arrival, and nothing that counts arrivals.
func TestResponseExportIsTheAdminsCopy(t *testing.T) {
	e := newEnv(t)
	st := mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusHeld)
	ids := []string{"F0000000-0000-4000-8000-000000000001", "a0000000-0000-4000-8000-000000000002",
		"c0000000-0000-4000-8000-000000000003"}
	for _, id := range ids { // one request each: arrival order f, a, c
		body := `{"id":"` + id + `","stop_id":` + strconv.FormatInt(st.ID, 10) + `,"lang":"sv","answered_at":"2018-03-14T11:00:00+01:00","answers":{}}`
		if status, _, b := e.do(http.MethodPost, "/api/v1/responses", lofte.RoleKiosk, body); status != 201 {
			t.Fatalf("%d %s", status, b)
		}
	}
	for _, role := range []lofte.Role{lofte.RoleCouncil, lofte.RoleOfficer, lofte.RoleKiosk} {
		if status, _, b := e.do(http.MethodGet, "/api/v1/responses", role, ""); status != 403 || apiError(t, b).Code != lofte.EFORBIDDEN {
			t.Errorf("%s: %d %s", role, status, b)
		}
	}
	status, _, b := e.do(http.MethodGet, "/api/v1/responses", lofte.RoleAdmin, "")
	if status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	var page struct {
		Responses []map[string]json.RawMessage `json:"responses"`
	}
	if err := json.Unmarshal(b, &page); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range page.Responses {
		var id string
		var key *uint32
		if err := json.Unmarshal(r["id"], &id); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(r["record_key"], &key); err != nil || key == nil {
			t.Errorf("%s: record_key %s", id, r["record_key"])
		}
		for _, field := range []string{"seq", "received_on", "received_at"} {
			if _, ok := r[field]; ok {
				t.Errorf("%s: the export shows %s", id, field)
			}
		}
		got = append(got, id)
	}
	want := []string{strings.ToLower(ids[1]), strings.ToLower(ids[2]), strings.ToLower(ids[0])}
	if !slices.Equal(got, want) {
		t.Errorf("export ids %v, want %v", got, want)
	}
}
