// Package redact removes from free text what identifies a person before it is stored: the
// visitors' comments and everything staff type (feedback, cancel reasons, notes, baseline
// sources). What it finds becomes Mark, "[borttaget]"; the rest of the text is kept as typed.
//
// It finds, however they are typed (full-width or Arabic-Indic digits, full-width @,
// non-breaking or thin spaces, en dashes and minus signs, zero-width characters in between):
//
//   - personal identity and coordination numbers (day + 60) with a valid check digit, with or
//     without century, with a dash, plus, space, spaced dash or nothing before the last four:
//     "811218-9876", "19811218 9876", "811218 – 9876", "121212+1212";
//   - Swedish phone numbers, national (0 and 8 to 10 digits) or with +46, 0046 or 46 without
//     the plus, "(0)" or not, grouped by spaces, one dash or slash, dots or dashes throughout,
//     or parentheses: "070-123 45 67", "070.123.45.67", "46701234567", "(08) 123 456 78";
//     and foreign numbers after + or 00 (8 to 15 digits);
//   - e-mail addresses with local parts and domains in any script, also written out:
//     "åsa@exempel.se", "anna (at) example.se", "anna[at]example[dot]se", "anna(a)example.se",
//     "anna at example dot se" (this bare form only with a common top-level domain: se, nu,
//     com, net, org, eu …);
//   - Swedish registration plates: "ABC123", "abc123", "ABC-123", "abc-123", "ABC 12A"; with a
//     space only in capitals ("ABC 123", but not "SEK 150" or "OCH 150") or after a word such
//     as "reg", "regnr" or "bilen" ("bilen abc 123").
//
// It leaves alone what has the digits of a number but is not one: dates ("2018-03-14",
// "07.03.2018"), clock times and spans ("kl 10:00-13:00", "08.30-16.00", "0800-1200"), years,
// prices ("150 kr", "1 500 kr"), counts ("12 besökare"), postal codes ("291 94", which name an
// area, not a person), the police's own 114 14 and 112, and a space-separated "abc 123" in
// small letters without a cue ("kl 10 123", "och 150").
//
// What it does not catch, by design or by limit: names and street addresses; personal numbers
// with an invalid check digit or grouped otherwise ("8112 18-9876"); phone numbers without an
// area code ("123 45 67"), with a lone-digit first group or digits split by letters or other
// characters ("070 x 123 45 67", "noll sju noll …"); e-mail addresses written out in other
// ways ("anna snabel a example punkt se" without the hyphen, "anna på example.se"); foreign
// registrations; and numbers written in words. The kiosk asks visitors not to write such
// things, comments are shown only after a person approved them, a staff member sees the
// exact public text before a feedback item is published, and a retention setting deletes
// free text.
package redact

import (
	"slices"
	"strings"
)

// Mark replaces what is removed.
const Mark = "[borttaget]"

// Text returns s with personal numbers, phone numbers, e-mail addresses and registration
// plates replaced by Mark; the rest of s is returned byte for byte.
func Text(s string) string {
	// Removing one find can free what was glued to it ("0701234567ABC123" leaves "ABC123",
	// a plate), so the text is read again until nothing more is found. A mark is never part
	// of a find, so every round removes something new; the bound is only a guard.
	for range 8 {
		out := once(s)
		if out == s {
			break
		}
		s = out
	}
	return s
}

// once replaces what one reading of s finds.
func once(s string) string {
	f := fold(s)
	spans := numberSpans(f)
	spans = append(spans, emailSpans(f)...)
	spans = append(spans, plateSpans(f)...)
	if len(spans) == 0 {
		return s
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	var b strings.Builder
	last := 0
	for i := 0; i < len(spans); {
		start, end := spans[i][0], spans[i][1]
		// Overlapping or touching finds become one mark.
		for i++; i < len(spans) && spans[i][0] <= end; i++ {
			end = max(end, spans[i][1])
		}
		b.WriteString(s[last:start])
		b.WriteString(Mark)
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}

// ValidPersonnummer reports whether s is a personal identity or coordination number with a
// plausible date and a valid check digit: ten digits, or twelve beginning with a century
// 18, 19 or 20; anything else in s is ignored.
func ValidPersonnummer(s string) bool {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if len(d) == 12 {
		if c := d[:2]; c != "18" && c != "19" && c != "20" {
			return false
		}
		d = d[2:]
	}
	if len(d) != 10 {
		return false
	}
	month := int(d[2]-'0')*10 + int(d[3]-'0')
	day := int(d[4]-'0')*10 + int(d[5]-'0')
	if month < 1 || month > 12 {
		return false
	}
	if day > 60 {
		day -= 60 // a coordination number adds 60 to the day
	}
	if day < 1 || day > 31 {
		return false
	}
	sum := 0
	for i := 0; i < 10; i++ {
		n := int(d[i] - '0')
		if i%2 == 0 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}
