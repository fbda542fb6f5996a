package server

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
)

// FuzzDecodeResponses feeds arbitrary bodies to the ingest decoder: it must answer with
// inputs or an error the API can show (invalid or too large), never panic, and its quick
// paths must answer exactly as the careful one.
func FuzzDecodeResponses(f *testing.F) {
	for _, s := range []string{
		`{"id":"6f1c2a9e-4b1d-4c3e-9a57-0d2a7b1f9c11","stop_id":42,"lang":"sv","answered_at":"2018-03-14T10:22:05+01:00","answers":{}}`,
		`{"responses":[{"id":"x"},{}]}`, `{"responses":null}`, `{"responses":[]}`, `[]`, `null`, `{"stop_id":"1"}`,
		`{"answered_at":"yesterday"}`, `{"responses":{}}`, `{"a":1,"a":2}`,
		`{"Responses":[{"id":"x"}]}`, `{"responses":[{"id":"x"}],"responses":[{"id":"y"}]}`,
		`{"id":"x","responses":[{"id":"y"}]}`, `{"responses":[{"id":"x","extra":1}]}`, `{"responses":[null]}`,
		`{"responses":[{"id":"x"}]} {}`, ` {"responses" : [{"ID":"x","Stop_ID":3}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ins, batch, err := decodeResponses(b)
		careful, carefulBatch, carefulErr := decodeCarefully(b)
		if d := cmp.Diff(careful, ins); d != "" || batch != carefulBatch || fmt.Sprint(err) != fmt.Sprint(carefulErr) {
			t.Fatalf("quick and careful differ: batch %v/%v, error %v/%v, inputs (-careful +quick)\n%s",
				batch, carefulBatch, err, carefulErr, d)
		}
		if err != nil {
			if c := lofte.ErrorCodeOf(err); c != lofte.EINVALID && c != lofte.ETOOLARGE {
				t.Fatalf("error code %s: %v", c, err)
			}
			return
		}
		if len(ins) == 0 || len(ins) > MaxBatch {
			t.Fatalf("%d inputs without an error", len(ins))
		}
	})
}

func TestJSONPath(t *testing.T) {
	for in, want := range map[string]string{
		"staff":                      "staff",
		"logFields.staff":            "staff",
		"schedule.0.logFields.staff": "schedule.0.staff",
		"stopFields.starts_at":       "starts_at",
		"promise.basorter.1.min_n":   "promise.basorter.1.min_n",
	} {
		if got := jsonPath(in); got != want {
			t.Errorf("jsonPath(%q) = %q, want %q", in, got, want)
		}
	}
}
