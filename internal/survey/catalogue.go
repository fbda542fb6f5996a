// Package survey holds the kiosk's question catalogue as data, in one place: the items, their
// options, when each is shown, and the texts per language (one file per language under
// catalogue/lang; adding a language is adding a file). The same catalogue drives the kiosk
// page and the server's validation of submitted answers.
package survey

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed catalogue
var files embed.FS

// Kind is how an item is answered.
type Kind string

// Item kinds.
const (
	One   Kind = "one"   // one option
	Many  Kind = "many"  // several options, at most Max
	Scale Kind = "scale" // an integer Min..Max
	Text  Kind = "text"  // free text of at most Max characters
)

// Condition refers to another item's answer.
type Condition struct {
	Item string   `json:"item"`
	In   []string `json:"in"`
}

// Item is one question.
type Item struct {
	Code    string   `json:"code"`
	Kind    Kind     `json:"kind"`
	Part    string   `json:"part"` // "core" or "extended"
	Options []string `json:"options,omitempty"`
	Min     int      `json:"min,omitempty"`
	Max     int      `json:"max,omitempty"`
	// Basort marks texts that name the stop's locality with the placeholder [basort].
	Basort bool `json:"basort,omitempty"`
	// OnlyIf shows the item only when the other item was answered with one of In.
	OnlyIf *Condition `json:"only_if,omitempty"`
	// Unless hides the item when the other item was answered with one of In.
	Unless *Condition `json:"unless,omitempty"`
}

// ItemText is an item's wording in one language.
type ItemText struct {
	// Head names the item in a column heading; Swedish must have one, as the workbook is in
	// Swedish.
	Head    string            `json:"head,omitempty"`
	Text    string            `json:"text"`
	Options map[string]string `json:"options"`
}

// Lang is the catalogue's texts in one language.
type Lang struct {
	Code  string              `json:"code"`
	Name  string              `json:"name"`
	Dir   string              `json:"dir"`
	UI    map[string]string   `json:"ui"`
	More  map[string]string   `json:"more"`
	Items map[string]ItemText `json:"items"`
}

// Catalogue is the question set with its texts.
type Catalogue struct {
	items  []Item
	byCode map[string]*Item
	langs  map[string]*Lang
}

var (
	defaultOnce sync.Once
	defaultCat  *Catalogue
)

// Default returns the embedded catalogue; the embedded data is checked by the tests, so a
// failure here is a build defect.
func Default() *Catalogue {
	defaultOnce.Do(func() {
		sub, err := fs.Sub(files, "catalogue")
		if err != nil {
			panic(err)
		}
		c, err := Load(sub)
		if err != nil {
			panic("survey catalogue: " + err.Error())
		}
		defaultCat = c
	})
	return defaultCat
}

// uiKeys are the interface texts every language must have.
var uiKeys = []string{"title", "welcome", "start", "skip", "next", "back", "progress", "thanks", "thanks_sub",
	"language", "choose_up_to", "chars_left", "send", "yes", "no", "feedback", "too_many"}

// Load reads items.json and lang/*.json from fsys and checks that every language has a text
// for every item, option and interface string.
func Load(fsys fs.FS) (*Catalogue, error) {
	raw, err := fs.ReadFile(fsys, "items.json")
	if err != nil {
		return nil, err
	}
	var doc struct {
		Items []Item `json:"items"`
	}
	if err := strictUnmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("items.json: %w", err)
	}
	c := &Catalogue{items: doc.Items, byCode: map[string]*Item{}, langs: map[string]*Lang{}}
	for i := range c.items {
		it := &c.items[i]
		if it.Code == "" || c.byCode[it.Code] != nil {
			return nil, fmt.Errorf("items.json: item %d: empty or repeated code %q", i, it.Code)
		}
		switch it.Kind {
		case One, Many:
			if len(it.Options) == 0 {
				return nil, fmt.Errorf("items.json: %s has no options", it.Code)
			}
		case Scale, Text:
		default:
			return nil, fmt.Errorf("items.json: %s has unknown kind %q", it.Code, it.Kind)
		}
		c.byCode[it.Code] = it
	}
	for _, it := range c.items {
		for _, cond := range []*Condition{it.OnlyIf, it.Unless} {
			if cond != nil && c.byCode[cond.Item] == nil {
				return nil, fmt.Errorf("items.json: %s depends on unknown item %q", it.Code, cond.Item)
			}
		}
	}
	names, err := fs.Glob(fsys, "lang/*.json")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		code := strings.TrimSuffix(path.Base(n), ".json")
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		var l Lang
		if err := strictUnmarshal(b, &l); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		l.Code = code
		if err := c.check(&l); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		c.langs[code] = &l
	}
	if c.langs["sv"] == nil {
		return nil, fmt.Errorf("no Swedish texts (lang/sv.json)")
	}
	return c, nil
}

func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func (c *Catalogue) check(l *Lang) error {
	if l.Name == "" || (l.Dir != "ltr" && l.Dir != "rtl") {
		return fmt.Errorf("name missing or dir not ltr/rtl")
	}
	for _, k := range uiKeys {
		if l.UI[k] == "" {
			return fmt.Errorf("ui.%s missing", k)
		}
	}
	for _, k := range []string{"text", "yes", "no"} {
		if l.More[k] == "" {
			return fmt.Errorf("more.%s missing", k)
		}
	}
	for code := range l.Items {
		if c.byCode[code] == nil {
			return fmt.Errorf("text for unknown item %q", code)
		}
	}
	for _, it := range c.items {
		t, ok := l.Items[it.Code]
		if !ok || t.Text == "" {
			return fmt.Errorf("item %s has no text", it.Code)
		}
		if l.Code == "sv" && t.Head == "" {
			return fmt.Errorf("item %s has no head", it.Code)
		}
		if it.Basort != strings.Contains(t.Text, "[basort]") {
			return fmt.Errorf("item %s: [basort] placeholder does not match the catalogue", it.Code)
		}
		want := it.Codes()
		for _, o := range want {
			if t.Options[o] == "" {
				return fmt.Errorf("item %s option %s has no text", it.Code, o)
			}
		}
		for o := range t.Options {
			if !slices.Contains(want, o) {
				return fmt.Errorf("item %s: text for unknown option %q", it.Code, o)
			}
		}
	}
	return nil
}

// Codes returns the answer codes of an item as figures count them: its options in order, or
// for a scale its integers Min..Max as text.
func (it Item) Codes() []string {
	if it.Kind != Scale {
		return slices.Clone(it.Options)
	}
	var out []string
	for v := it.Min; v <= it.Max; v++ {
		out = append(out, strconv.Itoa(v))
	}
	return out
}

// Items returns the items in the order they are asked.
func (c *Catalogue) Items() []Item { return slices.Clone(c.items) }

// Item returns one item by code.
func (c *Catalogue) Item(code string) (Item, bool) {
	it, ok := c.byCode[code]
	if !ok {
		return Item{}, false
	}
	return *it, true
}

// Options returns an item's option codes (nil for an unknown item).
func (c *Catalogue) Options(code string) []string {
	if it, ok := c.byCode[code]; ok {
		return slices.Clone(it.Options)
	}
	return nil
}

// Langs returns the language codes, Swedish first, then alphabetical.
func (c *Catalogue) Langs() []string {
	var out []string
	for k := range c.langs {
		if k != "sv" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return append([]string{"sv"}, out...)
}

// HasLang reports whether the catalogue has texts in code.
func (c *Catalogue) HasLang(code string) bool { return c.langs[code] != nil }

// Lang returns the texts in code, or Swedish for an unknown code.
func (c *Catalogue) Lang(code string) *Lang {
	if l := c.langs[code]; l != nil {
		return l
	}
	return c.langs["sv"]
}

// OptionText returns an option's text in lang, falling back to Swedish, then to the code.
func (c *Catalogue) OptionText(lang, item, option string) string {
	return c.text(lang, option, func(l *Lang) string { return l.Items[item].Options[option] })
}

// ItemHead returns an item's column heading in lang, falling back to Swedish, then to the code.
func (c *Catalogue) ItemHead(lang, item string) string {
	return c.text(lang, item, func(l *Lang) string { return l.Items[item].Head })
}

// text picks a text in lang, else in Swedish, else gives code.
func (c *Catalogue) text(lang, code string, pick func(*Lang) string) string {
	for _, l := range []*Lang{c.Lang(lang), c.langs["sv"]} {
		if t := pick(l); t != "" {
			return t
		}
	}
	return code
}

// Shown reports whether item is asked given the answers so far.
func (it Item) Shown(a map[string]any) bool {
	if it.OnlyIf != nil {
		v, ok := a[it.OnlyIf.Item].(string)
		if !ok || !slices.Contains(it.OnlyIf.In, v) {
			return false
		}
	}
	if it.Unless != nil {
		if v, ok := a[it.Unless.Item].(string); ok && slices.Contains(it.Unless.In, v) {
			return false
		}
	}
	return true
}
