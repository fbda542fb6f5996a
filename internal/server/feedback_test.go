package server_test

import (
	"net/http"
	"testing"

	"medborgarlofte/internal/lofte"
)

func TestFeedbackAPI(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name, body string
		status     int
		field      string
	}{
		{"ok", `{"basort":"Tollarp","topic":"drugs","said":"Langning vid busstationen"}`, 201, ""},
		{"unknown basort", `{"basort":"Atlantis","topic":"drugs","said":"x"}`, 400, "basort"},
		{"unknown topic", `{"basort":"Tollarp","topic":"aliens","said":"x"}`, 400, "topic"},
		{"nothing said", `{"basort":"Tollarp","topic":"drugs","said":" "}`, 400, "said"},
		{"unknown stop", `{"basort":"Tollarp","topic":"drugs","said":"x","stop_id":999}`, 400, "stop_id"},
	}
	for _, tt := range tests {
		status, _, b := e.do(http.MethodPost, "/api/v1/feedback", lofte.RoleOfficer, tt.body)
		if status != tt.status || (status >= 400 && apiError(t, b).Field != tt.field) {
			t.Errorf("%s: %d %s", tt.name, status, b)
		}
	}
	if status, _, b := e.do(http.MethodPatch, "/api/v1/feedback/1", lofte.RoleAdmin, `{"status":"closed","action":"Kontroller","feedback_on":"2018-05-02","channel":"fax"}`); status != 400 || apiError(t, b).Field != "channel" {
		t.Errorf("unknown channel: %d %s", status, b)
	}
}
