package survey_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/survey"
)

func TestCatalogueIsComplete(t *testing.T) {
	c := survey.Default() // Load checks every language has every text
	if got := c.Langs(); !cmp.Equal(got, []string{"sv", "ar", "en"}) {
		t.Errorf("Langs() = %v", got)
	}
	if c.Lang("ar").Dir != "rtl" || c.Lang("sv").Dir != "ltr" {
		t.Error("Arabic must be right to left, Swedish left to right")
	}
	var codes []string
	for _, it := range c.Items() {
		codes = append(codes, it.Code)
	}
	want := []string{"reason", "got_help", "knew_in_advance", "channel", "alternative", "safety", "trust", "cares",
		"satisfaction", "problems", "worry", "easier_contact", "resident", "age_band", "gender", "comment"}
	if diff := cmp.Diff(want, codes); diff != "" {
		t.Errorf("items (-want +got)\n%s", diff)
	}
	if got := c.Lang("sv").Items["safety"].Text; got != "Hur trygg eller otrygg känner du dig när du är ute ensam sent en kväll i [basort]?" {
		t.Errorf("Swedish safety text %q", got)
	}
	if got := c.OptionText("xx", "trust", "very_high"); got != "Mycket stort" {
		t.Errorf("fallback to Swedish: %q", got)
	}
	if got := c.ItemHead("en", "satisfaction"); got != "Nöjdhet (1–5)" {
		t.Errorf("heading falls back to Swedish: %q", got)
	}
}

func TestItemCodes(t *testing.T) {
	c := survey.Default()
	tests := []struct {
		item string
		want []string
	}{
		{"got_help", []string{"yes", "partly", "no"}},
		{"satisfaction", []string{"1", "2", "3", "4", "5"}},
		{"comment", nil},
	}
	for _, tt := range tests {
		t.Run(tt.item, func(t *testing.T) {
			it, ok := c.Item(tt.item)
			if !ok {
				t.Fatalf("no item %s", tt.item)
			}
			if diff := cmp.Diff(tt.want, it.Codes()); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestDecode(t *testing.T) {
	c := survey.Default()
	tests := []struct {
		name  string
		in    string
		want  lofte.Answers
		field string // when an error is wanted
	}{
		// The example submission of docs/survey.md.
		{"docs/survey.md example", `{"reason": "question", "got_help": "yes", "knew_in_advance": "yes",
			"channel": "local_press", "alternative": "travel_to_station", "safety": "fairly_safe", "trust": "fairly_high",
			"cares": "agree_partly", "satisfaction": 5, "problems": ["traffic", "burglary"]}`,
			lofte.Answers{"reason": "question", "got_help": "yes", "knew_in_advance": "yes", "channel": "local_press",
				"alternative": "travel_to_station", "safety": "fairly_safe", "trust": "fairly_high", "cares": "agree_partly",
				"satisfaction": 5, "problems": []string{"traffic", "burglary"}}, ""},
		{"empty", `{}`, lofte.Answers{}, ""},
		{"null answers", `null`, lofte.Answers{}, ""},
		{"null item is skipped", `{"trust": null}`, lofte.Answers{}, ""},
		{"comment redacted", `{"comment": " Ring 070-123 45 67 "}`, lofte.Answers{"comment": lofte.FreeText("Ring [borttaget]")}, ""},
		{"blank comment skipped", `{"comment": "   "}`, lofte.Answers{}, ""},
		{"got_help when reason skipped", `{"got_help": "no"}`, lofte.Answers{"got_help": "no"}, ""},
		{"unknown item", `{"mood": "happy"}`, nil, "answers.mood"},
		{"unknown option", `{"trust": "total"}`, nil, "answers.trust"},
		{"two values for one choice", `{"trust": ["very_high", "neither"]}`, nil, "answers.trust"},
		{"number for option", `{"trust": 5}`, nil, "answers.trust"},
		{"four problems", `{"problems": ["traffic", "drugs", "fraud", "violence"]}`, nil, "answers.problems"},
		{"repeated problem", `{"problems": ["traffic", "traffic"]}`, nil, "answers.problems"},
		{"problem not a list", `{"problems": "traffic"}`, nil, "answers.problems"},
		{"satisfaction 0", `{"satisfaction": 0}`, nil, "answers.satisfaction"},
		{"satisfaction 6", `{"satisfaction": 6}`, nil, "answers.satisfaction"},
		{"satisfaction 4.5", `{"satisfaction": 4.5}`, nil, "answers.satisfaction"},
		{"satisfaction string", `{"satisfaction": "5"}`, nil, "answers.satisfaction"},
		{"long comment", `{"comment": "` + strings.Repeat("å", 501) + `"}`, nil, "answers.comment"},
		{"500 characters fit", `{"comment": "` + strings.Repeat("å", 500) + `"}`, lofte.Answers{"comment": lofte.FreeText(strings.Repeat("å", 500))}, ""},
		{"comment not text", `{"comment": 12}`, nil, "answers.comment"},
		{"duplicate key", `{"trust": "neither", "trust": "very_high"}`, nil, "answers.trust"},
		{"channel without yes", `{"knew_in_advance": "no", "channel": "poster"}`, nil, "answers.channel"},
		{"channel alone", `{"channel": "poster"}`, nil, "answers.channel"},
		{"got_help when curious", `{"reason": "curious", "got_help": "yes"}`, nil, "answers.got_help"},
		{"not an object", `["trust"]`, nil, "answers"},
		{"string", `"x"`, nil, "answers"},
		{"broken", `{"trust": `, nil, "answers.trust"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Decode(json.RawMessage(tt.in))
			if tt.field != "" {
				e := lofte.AsError(err)
				if e == nil || e.Code != lofte.EINVALID || e.Field != tt.field {
					t.Fatalf("err = %v, want invalid %s", err, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{}`, `{"trust":"neither","satisfaction":3}`, `{"problems":["traffic"]}`,
		`{"comment":"811218-9876"}`, `{"a":1}`, `[`, `{"satisfaction":1e400}`, `{"reason":"curious","got_help":null}`} {
		f.Add(s)
	}
	c := survey.Default()
	f.Fuzz(func(t *testing.T, s string) {
		a, err := c.Decode(json.RawMessage(s))
		if err != nil {
			if lofte.ErrorCodeOf(err) != lofte.EINVALID {
				t.Fatalf("error of code %s: %v", lofte.ErrorCodeOf(err), err)
			}
			return
		}
		for k, v := range a {
			switch v.(type) {
			case string, int, []string, lofte.FreeText:
			default:
				t.Fatalf("answer %s has type %T", k, v)
			}
		}
		// What was accepted is accepted again, unchanged (comments are already redacted).
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		again, err := c.Decode(b)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if !cmp.Equal(a, again) {
			t.Fatalf("round trip changed %v to %v", a, again)
		}
	})
}
