package web_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/web"
)

// TestLangsSayEverything: every language has each text Swedish has, no other, the same
// placeholders, and names for the seven days and twelve months.
func TestLangsSayEverything(t *testing.T) {
	langs := web.Langs()
	if !slices.Equal(langs, []string{"sv", "ar", "en"}) {
		t.Errorf("languages %v", langs)
	}
	sv := web.Lang("sv")
	for _, code := range langs {
		l := web.Lang(code)
		if l.Name == "" || (l.Dir != "ltr" && l.Dir != "rtl") || len(l.Weekdays) != 7 || len(l.Months) != 12 {
			t.Errorf("%s: name %q, dir %q, %d weekdays, %d months", code, l.Name, l.Dir, len(l.Weekdays), len(l.Months))
		}
		if got, want := slices.Sorted(maps.Keys(l.Texts)), slices.Sorted(maps.Keys(sv.Texts)); !slices.Equal(got, want) {
			t.Errorf("%s has texts %v, want those of sv %v", code, got, want)
		}
		for k, v := range sv.Texts {
			if got, want := placeholders(l.Texts[k]), placeholders(v); !slices.Equal(got, want) {
				t.Errorf("%s %s: placeholders %v, want %v", code, k, got, want)
			}
		}
	}
	if web.Lang("ar").Dir != "rtl" || web.Lang("xx") != nil {
		t.Error("Arabic is not right to left, or an unknown language exists")
	}
	if got := web.Lang("en").T("no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key shows %q", got)
	}
}

func placeholders(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "{")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "}")
		if j < 0 {
			break
		}
		out = append(out, s[i:i+j+1])
		s = s[i+j+1:]
	}
	slices.Sort(out)
	return out
}

// TestSwedishNamesAsLofte: Swedish public pages write dates with lofte.When, so the Swedish
// file's day and month names must be the same words, or a page would use two spellings.
func TestSwedishNamesAsLofte(t *testing.T) {
	sv := web.Lang("sv")
	for i := range 7 {
		day := time.Date(2018, 3, 11+i, 12, 0, 0, 0, lofte.Zone) // 11 March 2018 was a Sunday
		if got := lofte.Moment(day); !strings.HasPrefix(got, sv.Weekdays[i]+" ") {
			t.Errorf("weekday %d: sv.json says %q, lofte writes %q", i, sv.Weekdays[i], got)
		}
	}
	for m := range 12 {
		day := time.Date(2018, time.Month(m+1), 1, 12, 0, 0, 0, lofte.Zone)
		if got := lofte.Moment(day); !strings.Contains(got, " "+sv.Months[m]+" ") {
			t.Errorf("month %d: sv.json says %q, lofte writes %q", m+1, sv.Months[m], got)
		}
	}
}
