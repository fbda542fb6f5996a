package survey

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/redact"
)

// Decode checks the answers object of a submission against the catalogue and returns it
// normalised: an option code as string, a scale as int, several options as []string, free
// text as lofte.FreeText after redaction. null means skipped. Every refusal is an EINVALID
// error naming the field as "answers.<code>".
func (c *Catalogue) Decode(raw json.RawMessage) (lofte.Answers, error) {
	out := lofte.Answers{}
	if len(bytes.TrimSpace(raw)) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return out, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, lofte.Invalid("answers", "answers måste vara ett objekt")
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, lofte.Invalid("answers", "answers är inte giltig JSON")
		}
		code := tok.(string) // object keys are always strings
		field := "answers." + code
		if seen[code] {
			return nil, lofte.Invalid(field, "frågan %q förekommer två gånger", code)
		}
		seen[code] = true
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, lofte.Invalid(field, "ogiltigt värde")
		}
		it, ok := c.byCode[code]
		if !ok {
			return nil, lofte.Invalid(field, "okänd fråga %q", code)
		}
		if v == nil {
			continue
		}
		val, err := it.normalise(v)
		if err != nil {
			return nil, lofte.Invalid(field, "%s", err.Error())
		}
		if val != nil {
			out[code] = val
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, lofte.Invalid("answers", "answers är inte giltig JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, lofte.Invalid("answers", "oväntat innehåll efter answers")
	}
	for _, it := range c.items {
		if _, ok := out[it.Code]; ok && !it.Shown(out) {
			return nil, lofte.Invalid("answers."+it.Code, "frågan visas inte med de andra svaren")
		}
	}
	return out, nil
}

// normalise checks one answer; nil means the item counts as skipped.
func (it *Item) normalise(v any) (any, error) {
	switch it.Kind {
	case One:
		s, ok := v.(string)
		if !ok {
			return nil, errors.New("väntade ett svarsalternativ (en textsträng)")
		}
		if !slices.Contains(it.Options, s) {
			return nil, errors.New("okänt svarsalternativ " + quote(s))
		}
		return s, nil
	case Many:
		list, ok := v.([]any)
		if !ok {
			return nil, errors.New("väntade en lista med svarsalternativ")
		}
		if len(list) > it.Max && it.Max > 0 {
			return nil, errors.New("för många val")
		}
		out := make([]string, 0, len(list))
		for _, x := range list {
			s, ok := x.(string)
			if !ok {
				return nil, errors.New("väntade svarsalternativ som textsträngar")
			}
			if !slices.Contains(it.Options, s) {
				return nil, errors.New("okänt svarsalternativ " + quote(s))
			}
			if slices.Contains(out, s) {
				return nil, errors.New("samma alternativ två gånger")
			}
			out = append(out, s)
		}
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	case Scale:
		n, ok := v.(json.Number)
		if !ok {
			return nil, errors.New("väntade ett heltal")
		}
		i, err := n.Int64()
		if err != nil || i < int64(it.Min) || i > int64(it.Max) {
			return nil, fmt.Errorf("väntade ett heltal %d–%d", it.Min, it.Max)
		}
		return int(i), nil
	case Text:
		s, ok := v.(string)
		if !ok {
			return nil, errors.New("väntade text")
		}
		if !utf8.ValidString(s) {
			return nil, errors.New("texten är inte giltig UTF-8")
		}
		if utf8.RuneCountInString(s) > it.Max {
			return nil, errors.New("texten är för lång")
		}
		s = strings.TrimSpace(redact.Text(s))
		if s == "" {
			return nil, nil
		}
		return lofte.FreeText(s), nil
	}
	return nil, errors.New("okänd frågetyp")
}

func quote(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return `"` + s + `"`
}
