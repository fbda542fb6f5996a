package redact

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Swedish registration plates have three letters (never I, Q, V, Å, Ä or Ö) and three
// digits, or since 2019 two digits and a letter (never O, which looks like 0).
var (
	plateWhole = regexp.MustCompile(`(?i)^[A-HJ-PR-UW-Z]{3}[0-9]{2}[0-9A-HJ-NPR-UW-Z]$`)
	plateHead  = regexp.MustCompile(`^[A-HJ-PR-UW-Z]{3}$`)
	plateTail  = regexp.MustCompile(`^[0-9]{2}[0-9A-HJ-NPR-UW-Z]$`)
)

// plateCues are words after which "abc 123" in small letters is a registration.
var plateCues = map[string]bool{
	"reg": true, "regnr": true, "nr": true, "registreringsnummer": true, "registreringsnumret": true,
	"registreringsnr": true, "bil": true, "bilen": true, "bilnummer": true, "bilnumret": true, "bilnr": true,
	"skylt": true, "skylten": true, "nummerplåt": true, "nummerplåten": true, "plåt": true, "plåten": true,
}

// notPlates are capital three-letter words that stand before a number in ordinary text.
var notPlates = map[string]bool{
	"SEK": true, "EUR": true, "USD": true, "NOK": true, "DKK": true, "GBP": true, "CHF": true,
	"OCH": true, "MED": true, "DEN": true, "DET": true, "SOM": true, "HAR": true, "MAN": true,
	"KAN": true, "SKA": true, "NER": true, "UPP": true, "UTE": true, "ALL": true, "TRE": true,
	"SEX": true, "FEM": true, "NYA": true, "ETT": true, "TEL": true, "TFN": true, "MOB": true,
	"NUM": true, "AVG": true, "SMS": true, "MMS": true, "GPS": true, "PDF": true, "APP": true,
}

// plateSpans finds registrations in f: "ABC123" and "abc123" (any case, no space), "ABC-123"
// and "abc-123" (a dash), "ABC 123" (a space: capitals only, and not a currency or a common
// word such as "SEK 150" or "OCH 150"), and "abc 123" in small letters right after a cue
// such as "reg", "regnr", "bil" or "bilen". Each may end in a letter: "ABC 12A".
func plateSpans(f folded) [][2]int {
	var spans [][2]int
	toks := words(f.s)
	for k, t := range toks {
		w := f.s[t[0]:t[1]]
		if len(w) == 6 && plateWhole.MatchString(w) {
			spans = append(spans, f.span(t[0], t[1]))
			continue
		}
		if len(w) != 3 || k+1 == len(toks) {
			continue
		}
		n := toks[k+1]
		head, tail, gap := w, f.s[n[0]:n[1]], f.s[t[1]:n[0]]
		up, upTail := strings.ToUpper(head), strings.ToUpper(tail)
		if len(tail) != 3 || !plateHead.MatchString(up) || !plateTail.MatchString(upTail) {
			continue
		}
		var ok bool
		switch gap {
		case "-", " - ":
			ok = true
		case " ":
			ok = head == up && tail == upTail && !notPlates[head] ||
				k > 0 && plateCues[strings.ToLower(f.s[toks[k-1][0]:toks[k-1][1]])] &&
					strings.Trim(f.s[toks[k-1][1]:t[0]], " :.,") == ""
		}
		if ok {
			spans = append(spans, f.span(t[0], n[1]))
		}
	}
	return spans
}

// words returns where the words of s begin and end: runs of letters, marks and digits.
func words(s string) [][2]int {
	var out [][2]int
	start := -1
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		in := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r))
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, [2]int{start, i})
			start = -1
		}
		i += n
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(s)})
	}
	return out
}
