package survey_test

import (
	"testing"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/survey"
)

func TestCheckTopics(t *testing.T) {
	c := survey.Default()
	tests := []struct {
		name   string
		topics []string
		field  string // "" = accepted
	}{
		{"none", nil, ""},
		{"known", []string{"traffic", "drugs"}, ""},
		{"unknown", []string{"traffic", "aliens"}, "topics[1]"},
		{"empty code", []string{""}, "topics[0]"},
		{"twice", []string{"drugs", "traffic", "drugs"}, "topics[2]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldOf(c.CheckTopics(tt.topics)); got != tt.field {
				t.Errorf("field %q, want %q", got, tt.field)
			}
		})
	}
}

func TestCheckTopic(t *testing.T) {
	c := survey.Default()
	for code, field := range map[string]string{"traffic": "", "": "", "aliens": "topic"} {
		if got := fieldOf(c.CheckTopic(code)); got != field {
			t.Errorf("CheckTopic(%q): field %q, want %q", code, got, field)
		}
	}
}

// fieldOf is the field an invalid error names, "" for no error, "?" for another error.
func fieldOf(err error) string {
	if err == nil {
		return ""
	}
	if e := lofte.AsError(err); e != nil && e.Code == lofte.EINVALID {
		return e.Field
	}
	return "?"
}
