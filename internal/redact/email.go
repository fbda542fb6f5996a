package redact

import (
	"regexp"
	"strings"
)

// The parts of an e-mail address, as typed or written out to dodge a filter.
const (
	// A piece of the local part: letters of any script, so "åsa" goes whole.
	localPiece = `[\p{L}\p{M}\p{N}_%+\-]+`
	label      = `[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}\-]*[\p{L}\p{M}\p{N}])?`
	openB      = `[(\[{<]`
	closeB     = `[)\]}>]`
	// A dot: ".", "(dot)", "[punkt]", " dot ", " punkt ".
	dotTok = `(?:\.|\s*` + openB + `\s*(?:dot|punkt|pkt|\.)\s*` + closeB + `\s*|\s+(?:dot|punkt)\s+)`
	local  = localPiece + `(?:` + dotTok + localPiece + `)*`
	domain = label + `(?:` + dotTok + label + `)*` + dotTok
	// An at sign: "@", " @ ", "(at)", "[at]", "{at}", "(a)", "(snabel-a)".
	atSign = `(?: ?@ ?|\s*` + openB + `\s*(?:at|a|@|snabel-?a)\s*` + closeB + `\s*)`
	// A bare " at " or " snabel-a " is ordinary English or Swedish often enough that the
	// address must end in a common top-level domain to count.
	atWord     = `\s+(?:at|snabel-?a)\s+`
	commonTLDs = `(?:se|nu|com|net|org|eu|info|io|fi|no|dk|de|uk|co|me|biz)\b`
)

var email = regexp.MustCompile(`(?i)` + local + `(?:` + atSign + domain + `\p{L}{2,}|` + atWord + domain + commonTLDs + `)`)

// mayHoldEmail reports, quickly, whether s has what every address has: an @, the word "at",
// "snabel" or a bracketed "a", so that the slow pattern runs only on the few texts that may
// hold one.
func mayHoldEmail(s string) bool {
	if strings.IndexByte(s, '@') >= 0 {
		return true
	}
	lower := strings.ToLower(s)
	if strings.Contains(lower, "snabel") {
		return true
	}
	for i := strings.Index(lower, "at"); i >= 0; {
		if (i == 0 || !isLetter(lower[i-1])) && (i+2 == len(lower) || !isLetter(lower[i+2])) {
			return true
		}
		j := strings.Index(lower[i+1:], "at")
		if j < 0 {
			break
		}
		i += 1 + j
	}
	for i := 0; i < len(lower); i++ {
		if strings.IndexByte("([{<", lower[i]) < 0 {
			continue
		}
		if rest, ok := strings.CutPrefix(strings.TrimLeft(lower[i+1:], " "), "a"); ok {
			if rest = strings.TrimLeft(rest, " "); rest != "" && strings.IndexByte(")]}>", rest[0]) >= 0 {
				return true
			}
		}
	}
	return false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// emailSpans finds e-mail addresses in f.
func emailSpans(f folded) [][2]int {
	if !mayHoldEmail(f.s) {
		return nil
	}
	var spans [][2]int
	for _, m := range email.FindAllStringIndex(f.s, -1) {
		spans = append(spans, f.span(m[0], m[1]))
	}
	return spans
}
