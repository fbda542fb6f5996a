package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
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
	// Every locality but the central town is a basort (the promise's own words).
	var not []string
	for _, l := range body.Basorter {
		if !l.Basort {
			not = append(not, l.Name)
		}
	}
	if body.Promise.Slug != "kristianstad-2018" || len(body.Basorter) != 13 || !slices.Equal(not, []string{"Kristianstad"}) {
		t.Errorf("promise %q, %d localities, not basorter %q", body.Promise.Slug, len(body.Basorter), not)
	}
}
