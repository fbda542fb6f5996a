package server

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
)

// checkRead reads a part of the promise form with read and compares what it gives and what
// it notes beside: the inputs of the promise's fields (paths) and the fields refused. It
// returns the form as read, for checks of its own.
func checkRead[T any](t *testing.T, read func(*promiseForm, func(string) string, *fieldErrors) T, form url.Values,
	want T, wantPaths map[string]string, wantFields []string) *promiseForm {
	t.Helper()
	f := &promiseForm{labels: map[string]string{}, paths: map[string]string{}}
	var errs fieldErrors
	if diff := cmp.Diff(want, read(f, form.Get, &errs)); diff != "" {
		t.Errorf("read (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantPaths, f.paths); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	var fields []string
	for _, err := range errs {
		fields = append(fields, err.(*lofte.Error).Field)
	}
	if diff := cmp.Diff(wantFields, fields); diff != "" {
		t.Errorf("fields refused (-want +got):\n%s", diff)
	}
	return f
}

func TestReadExcluded(t *testing.T) {
	tests := []struct {
		name       string
		form       url.Values
		want       []lofte.Period
		wantRows   int
		wantPaths  map[string]string
		wantFields []string
	}{
		{"none: one empty row to fill in", url.Values{}, []lofte.Period{}, 1, map[string]string{}, nil},
		{"an empty row before a filled one", url.Values{"ex_label_0": {"  "}, "ex_from_1": {"2018-06-15"}, "ex_to_1": {"2018-08-15"},
			"ex_label_1": {" Sommar "}},
			[]lofte.Period{{From: lofte.Date{Year: 2018, Month: 6, Day: 15}, To: lofte.Date{Year: 2018, Month: 8, Day: 15}, Label: "Sommar"}},
			2, map[string]string{"excluded[0]": "ex_from_1"}, nil},
		{"a date that is no date", url.Values{"ex_from_0": {"15/6"}, "ex_to_0": {"2018-08-15"}},
			[]lofte.Period{{To: lofte.Date{Year: 2018, Month: 8, Day: 15}}}, 1, map[string]string{"excluded[0]": "ex_from_0"},
			[]string{"ex_from_0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := checkRead(t, (*promiseForm).readExcluded, tt.form, tt.want, tt.wantPaths, tt.wantFields)
			if len(f.Excluded) != tt.wantRows || len(f.labels) != 2*tt.wantRows {
				t.Errorf("%d rows with %d labels, want %d rows with two labels each", len(f.Excluded), len(f.labels), tt.wantRows)
			}
		})
	}
}

func TestReadOutcomes(t *testing.T) {
	tests := []struct {
		name       string
		form       url.Values
		want       []lofte.Outcome
		wantPaths  map[string]string
		wantFields []string
	}{
		{"none", url.Values{}, []lofte.Outcome{}, map[string]string{}, nil},
		{"a title alone", url.Values{"o_safety_title": {" Tryggare "}},
			[]lofte.Outcome{{Code: lofte.OutcomeSafety, Title: "Tryggare"}}, map[string]string{}, nil},
		{"an empty row before a change from the baseline", url.Values{
			"i_service_0_metric": {""}, "i_service_0_dir": {"at_least"}, "i_service_0_target": {""},
			"i_service_1_metric": {"trust_high"}, "i_service_1_dir": {"delta_at_least"}, "i_service_1_target": {" 0,05 "}},
			[]lofte.Outcome{{Code: lofte.OutcomeService, Indicators: []lofte.Indicator{{Metric: "trust_high", Direction: lofte.AtLeast,
				Kind: lofte.TargetBaselineDelta, Target: 0.05}}}},
			map[string]string{"outcomes[0].indicators[0]": "i_service_1_"}, nil},
		{"a target that is no number", url.Values{
			"i_dialogue_0_metric": {"delivery_rate"}, "i_dialogue_0_dir": {"at_most"}, "i_dialogue_0_target": {"nio"}},
			[]lofte.Outcome{{Code: lofte.OutcomeDialogue, Indicators: []lofte.Indicator{{Metric: "delivery_rate", Direction: lofte.AtMost,
				Kind: lofte.TargetAbsolute}}}},
			map[string]string{"outcomes[0].indicators[0]": "i_dialogue_0_"}, []string{"i_dialogue_0_target"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := checkRead(t, (*promiseForm).readOutcomes, tt.form, tt.want, tt.wantPaths, tt.wantFields)
			if len(f.Outcomes) != len(lofte.OutcomeCodes) {
				t.Errorf("the form has %d outcomes, want all %d", len(f.Outcomes), len(lofte.OutcomeCodes))
			}
		})
	}
}
