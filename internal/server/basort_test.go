package server_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"medborgarlofte/internal/lofte"
)

func TestBasorter(t *testing.T) {
	e := newEnv(t)
	status, _, b := e.do(http.MethodGet, "/api/v1/basorter", "", "")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	var body struct {
		Promise  struct{ Slug string }
		Basorter []lofte.Locality
	}
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range body.Basorter {
		if l.Basort {
			n++
		}
	}
	if body.Promise.Slug != "kristianstad-2018" || len(body.Basorter) != 13 || n != 6 || !body.Basorter[0].Basort {
		t.Errorf("promise %q, %d localities, %d basorter", body.Promise.Slug, len(body.Basorter), n)
	}
}
