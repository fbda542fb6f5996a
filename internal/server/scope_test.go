package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"medborgarlofte/internal/lofte"
)

// A scoped route serves the promise its promise=ID names, the active one without it, and
// refuses an id that is malformed (400, naming the parameter) or names nothing (404).
func TestPromiseParam(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	next := *e.p
	next.ID, next.Slug, next.Title = 0, "kristianstad-2019", "Medborgarlöfte 2019"
	next.Period = lofte.Period{From: lofte.Date{Year: 2019, Month: 1, Day: 1}, To: lofte.Date{Year: 2019, Month: 12, Day: 31}}
	next.Excluded = nil
	ls := []*lofte.Locality{{Name: "Nyort", Population: 300, Basort: true, Coordinates: "approximate"}}
	if err := e.db.CreatePromise(ctx, &next, ls); err != nil {
		t.Fatal(err)
	}
	basorter := func(query string) (int, []string, lofte.Error) {
		code, _, b := e.do(http.MethodGet, "/api/v1/basorter"+query, "", "")
		if code != http.StatusOK {
			return code, nil, apiError(t, b)
		}
		var body struct {
			Basorter []struct{ Name string } `json:"basorter"`
		}
		if err := json.Unmarshal(b, &body); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, l := range body.Basorter {
			names = append(names, l.Name)
		}
		return code, names, lofte.Error{}
	}
	for _, tc := range []struct {
		name, query string
		code        int
		first       string
		field       string
	}{
		{"active by default", "", http.StatusOK, "Åhus", ""},
		{"the active one named", "?promise=" + strconv.FormatInt(e.p.ID, 10), http.StatusOK, "Åhus", ""},
		{"another promise", "?promise=" + strconv.FormatInt(next.ID, 10), http.StatusOK, "Nyort", ""},
		{"not a number", "?promise=abc", http.StatusBadRequest, "", "promise"},
		{"negative", "?promise=-1", http.StatusBadRequest, "", "promise"},
		{"no such promise", "?promise=9999", http.StatusNotFound, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, names, apiErr := basorter(tc.query)
			if code != tc.code {
				t.Fatalf("status %d, want %d", code, tc.code)
			}
			if tc.first != "" && (len(names) == 0 || names[0] != tc.first) {
				t.Errorf("basorter %v, want %s first", names, tc.first)
			}
			if apiErr.Field != tc.field {
				t.Errorf("error field %q, want %q", apiErr.Field, tc.field)
			}
		})
	}
}

// A page reads promise=ID as the API does: a malformed id is a 400, an unknown one a 404.
func TestPromiseParamOnPages(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		path string
		code int
	}{
		{"/", http.StatusOK},
		{"/?promise=" + strconv.FormatInt(e.p.ID, 10), http.StatusOK},
		{"/?promise=abc", http.StatusBadRequest},
		{"/basort/Tollarp?promise=0", http.StatusBadRequest},
		{"/?promise=9999", http.StatusNotFound},
		{"/basort/Tollarp?promise=9999", http.StatusNotFound},
	} {
		if code, _, _ := e.do(http.MethodGet, tc.path, "", ""); code != tc.code {
			t.Errorf("GET %s: %d, want %d", tc.path, code, tc.code)
		}
	}
}
