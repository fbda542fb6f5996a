package redact

import "regexp"

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

var (
	email = regexp.MustCompile(`(?i)` + local + `(?:` + atSign + domain + `\p{L}{2,}|` + atWord + domain + commonTLDs + `)`)
	// anAt finds what every address has, quickly, so that the slow pattern runs only on
	// the few texts that may hold one.
	anAt = regexp.MustCompile(`(?i)@|\bat\b|` + openB + `\s*a\s*` + closeB + `|snabel`)
)

// emailSpans finds e-mail addresses in f.
func emailSpans(f folded) [][2]int {
	if !anAt.MatchString(f.s) {
		return nil
	}
	var spans [][2]int
	for _, m := range email.FindAllStringIndex(f.s, -1) {
		spans = append(spans, f.span(m[0], m[1]))
	}
	return spans
}
