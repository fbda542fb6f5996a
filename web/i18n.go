package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
)

// The public pages' texts, one file per language under i18n (adding a language is adding a
// file), kept like the kiosk's catalogue. Swedish is the default and the one every other
// language is checked against.
//
//go:embed i18n
var i18nFiles embed.FS

// DefaultLang is the language pages are shown in unless the reader chose another.
const DefaultLang = "sv"

// Texts is the public pages' wording in one language.
type Texts struct {
	Code string `json:"code"`
	// Name is the language's name in itself, as the language switch shows it.
	Name string `json:"name"`
	Dir  string `json:"dir"` // "ltr" or "rtl"
	// Weekdays (Sunday first) and Months name days and months in dates.
	Weekdays []string          `json:"weekdays"`
	Months   []string          `json:"months"`
	Texts    map[string]string `json:"texts"`
}

var (
	langsOnce sync.Once
	langs     map[string]*Texts
	langErr   error
)

func loadLangs() {
	langs = map[string]*Texts{}
	entries, err := fs.Glob(i18nFiles, "i18n/*.json")
	if err != nil {
		langErr = err
		return
	}
	for _, e := range entries {
		b, err := fs.ReadFile(i18nFiles, e)
		if err != nil {
			langErr = err
			return
		}
		var t Texts
		if err := json.Unmarshal(b, &t); err != nil {
			langErr = fmt.Errorf("i18n %s: %w", e, err)
			return
		}
		if want := strings.TrimSuffix(path.Base(e), ".json"); t.Code != want {
			langErr = fmt.Errorf("i18n %s: code %q", e, t.Code)
			return
		}
		langs[t.Code] = &t
	}
	if langs[DefaultLang] == nil {
		langErr = fmt.Errorf("i18n: no %s.json", DefaultLang)
	}
}

// Langs lists the languages the public pages are written in, Swedish first, then by code.
func Langs() []string {
	langsOnce.Do(loadLangs)
	out := make([]string, 0, len(langs))
	for code := range langs {
		if code != DefaultLang {
			out = append(out, code)
		}
	}
	slices.Sort(out)
	return append([]string{DefaultLang}, out...)
}

// Lang returns the texts in code, or nil when there are none; it panics when the embedded
// files are broken, which every page test would show.
func Lang(code string) *Texts {
	langsOnce.Do(loadLangs)
	if langErr != nil {
		panic(langErr)
	}
	return langs[code]
}

// T is the text under key; a key missing in this language falls back to Swedish, and one
// missing there too shows itself, so a typo is seen rather than hidden.
func (t *Texts) T(key string) string {
	if t != nil {
		if s, ok := t.Texts[key]; ok {
			return s
		}
	}
	if s, ok := Lang(DefaultLang).Texts[key]; ok {
		return s
	}
	return key
}

// RTL reports whether the language is written right to left.
func (t *Texts) RTL() bool { return t != nil && t.Dir == "rtl" }
