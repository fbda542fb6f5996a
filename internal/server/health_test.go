package server_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	status, _, b := e.do(http.MethodGet, "/healthz", "", "")
	if status != 200 || !strings.Contains(string(b), `"ok"`) {
		t.Errorf("healthz: %d %s", status, b)
	}
}
