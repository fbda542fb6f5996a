package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// folded is a text with look-alike characters folded to ASCII, so that one pattern matches
// every way of typing it, and a map back to the original: at[i] is where, in the original,
// the character behind folded byte i begins (at[len(s)] is the original's length). Only
// matching uses the folded text; what is kept is always the original.
type folded struct {
	s  string
	at []int
}

// fold folds every digit (full-width, Arabic-Indic, Devanagari …) to its ASCII digit,
// full-width ASCII (＠, ＋, （ …) to ASCII, every space (non-breaking, thin, ideographic,
// line breaks) to ' ', every dash and the minus sign to '-', a few dot and slash look-alikes
// to '.' and '/', and drops invisible format characters (zero-width space, soft hyphen,
// direction marks) that could hide a number.
func fold(s string) folded {
	var b strings.Builder
	b.Grow(len(s))
	at := make([]int, 0, len(s)+1)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if f, keep := foldRune(r); keep {
			before := b.Len()
			if r == utf8.RuneError && n == 1 {
				b.WriteByte(s[i]) // an invalid byte stays itself, so the map stays byte for byte
			} else {
				b.WriteRune(f)
			}
			for range b.Len() - before {
				at = append(at, i)
			}
		}
		i += n
	}
	at = append(at, len(s))
	return folded{s: b.String(), at: at}
}

// span maps the folded byte range [i, j) back to the original's.
func (f folded) span(i, j int) [2]int { return [2]int{f.at[i], f.at[j]} }

// foldRune returns what r folds to, and false when r is dropped.
func foldRune(r rune) (rune, bool) {
	switch {
	case r < utf8.RuneSelf:
		if r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' {
			return ' ', true
		}
		return r, true
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return r - 0xFEE0, true
	case unicode.IsDigit(r):
		return digitValue(r), true
	case unicode.IsSpace(r) || r == 0x3000:
		return ' ', true
	case unicode.Is(unicode.Pd, r), r == '\u2212', r == '\uFE63':
		return '-', true
	case r == '\uFE6B':
		return '@', true
	case r == '\u2024', r == '\uFE52', r == '\u3002', r == '\uFF61':
		return '.', true
	case r == '\u2044', r == '\u2215':
		return '/', true
	case r == '\uFE59':
		return '(', true
	case r == '\uFE5A':
		return ')', true
	case unicode.Is(unicode.Cf, r):
		return 0, false
	}
	return r, true
}

// digitValue returns the ASCII digit of a decimal digit r of any script. Unicode encodes
// every decimal digit in runs of ten from zero, and its table of digits lists those runs
// (merged when adjacent), so the value is the distance from the range's start, modulo ten.
func digitValue(r rune) rune {
	for _, rg := range unicode.Nd.R16 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return '0' + (r-rune(rg.Lo))%10
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return '0' + (r-rune(rg.Lo))%10
		}
	}
	return r
}
