package redact

import "strings"

// A group is a maximal run of ASCII digits in the folded text.
type group struct{ start, end int }

// numberSpans finds personal identity numbers and phone numbers in f. Digits are read in
// groups, and groups joined by one to three separator characters (space, - . / ( ) +) form a
// chain; within a chain, from each group on, the longest run of groups that is a personal
// number or a phone number is taken. Working on groups, never inside one, keeps "2018" from
// being the tail of a number and lets a date or a clock time next to a phone number stand.
func numberSpans(f folded) [][2]int {
	var spans [][2]int
	var chain []group
	flush := func() {
		for i := 0; i < len(chain); {
			start, end, ok := bestNumber(f.s, chain, i)
			if !ok {
				i++
				continue
			}
			spans = append(spans, f.span(start, chain[end].end))
			i = end + 1
		}
		chain = chain[:0]
	}
	for i := 0; i < len(f.s); {
		if !isDigit(f.s[i]) {
			i++
			continue
		}
		g := group{start: i}
		for i < len(f.s) && isDigit(f.s[i]) {
			i++
		}
		g.end = i
		if n := len(chain); n > 0 && !chainGap(f.s[chain[n-1].end:g.start]) {
			flush()
		}
		chain = append(chain, g)
	}
	flush()
	return spans
}

// maxGroups bounds the groups one number may span: "+46 (0)70 123 45 67" has six.
const maxGroups = 8

// bestNumber returns the longest personal or phone number starting at chain[i]: the byte
// where it starts (a leading '+', or '(' closed after the group, included) and the index of
// its last group.
func bestNumber(s string, chain []group, i int) (start, last int, ok bool) {
	pLast, pOK := personnummerAt(s, chain, i)
	lead := chain[i].start
	plus := lead > 0 && s[lead-1] == '+'
	if plus {
		lead--
	}
	paren := lead > 0 && s[lead-1] == '(' && i+1 < len(chain) && strings.Contains(s[chain[i].end:chain[i+1].start], ")")
	if paren {
		lead-- // "(08) 123 45 67", "(+46) 70 …"
	}
	// A group tied to the one before by a bare dash or dot continues it ("2018-03-14 0800"):
	// a phone number starting there must be the whole number in that one group.
	longest := min(len(chain)-1, i+maxGroups-1)
	if i > 0 {
		if gap := s[chain[i-1].end:chain[i].start]; gap == "-" || gap == "." {
			longest = i
		}
	}
	for j := longest; j >= i && (!pOK || j > pLast); j-- {
		if phoneAt(s, chain[i:j+1], plus) {
			if paren && j == i {
				return lead + 1, j, true // the ')' is not part of it
			}
			return lead, j, true
		}
	}
	return chain[i].start, pLast, pOK
}

// personnummerAt reports whether a personal identity or coordination number starts at
// chain[i]: ten or twelve digits in one group, or six or eight, a separator (none, space,
// dash, plus, possibly spaced) and four. It returns the index of the last group.
func personnummerAt(s string, chain []group, i int) (int, bool) {
	g := chain[i]
	switch n := g.end - g.start; n {
	case 10, 12:
		return i, ValidPersonnummer(s[g.start:g.end])
	case 6, 8:
		if i+1 == len(chain) {
			return 0, false
		}
		h := chain[i+1]
		gap := strings.TrimSpace(s[g.end:h.start])
		if h.end-h.start != 4 || len(gap) > 1 || gap == "." || gap == "/" || gap == "(" || gap == ")" {
			return 0, false
		}
		return i + 1, ValidPersonnummer(s[g.start:g.end] + s[h.start:h.end])
	}
	return 0, false
}

// phoneAt reports whether the groups (plus: after a '+') are written as a phone number:
// Swedish, national (0 and 8 to 10 digits) or international (+46, 0046 or 46 without the
// plus, with or without "(0)"), or any other country after + or 00 with 8 to 15 digits.
func phoneAt(s string, gs []group, plus bool) bool {
	var d strings.Builder
	for _, g := range gs {
		d.WriteString(s[g.start:g.end])
	}
	digits := d.String()
	// A country code written apart ("+46-70-123 45 67") has a separator of its own.
	rest := gs
	if n := gs[0].end - gs[0].start; len(gs) > 1 && (plus && n <= 3 || n == 4 && strings.HasPrefix(digits, "00")) {
		rest = gs[1:]
	}
	if len(digits) < 8 || !separatedLikeAPhone(s, rest) || looksLikeDateOrTime(s, gs) {
		return false
	}
	switch {
	case plus && strings.HasPrefix(digits, "46"):
		return swedishNSN(strings.TrimPrefix(digits[2:], "0"), 7)
	case strings.HasPrefix(digits, "0046"):
		return swedishNSN(strings.TrimPrefix(digits[4:], "0"), 7)
	case plus:
		return digits[0] != '0' && len(digits) <= 15
	case strings.HasPrefix(digits, "00"):
		return digits[2] != '0' && len(digits) >= 10 && len(digits) <= 17
	case strings.HasPrefix(digits, "46"):
		// Without the plus, demand a full number: "46 12 34" is more likely a count.
		return swedishNSN(strings.TrimPrefix(digits[2:], "0"), 8)
	case digits[0] == '0':
		// A lone "0" is no area code: "0 - 100 000 000" is a range.
		return gs[0].end-gs[0].start >= 2 && swedishNSN(digits[1:], 7)
	}
	return false
}

// swedishNSN reports whether n is a Swedish national significant number (the number without
// its leading 0) of at least minLen digits: 7 to 9 digits, no leading 0; mobile numbers (7…)
// have 9, and Stockholm's (8…) never continue with 0.
func swedishNSN(n string, minLen int) bool {
	switch {
	case len(n) < minLen || len(n) > 9 || n[0] == '0':
		return false
	case n[0] == '7':
		return len(n) == 9
	case n[0] == '8':
		return n[1] != '0'
	}
	return true
}

// separatedLikeAPhone reports whether the separators between the groups are used as in a
// phone number: spaces with at most one dash or slash ("070-123 45 67", "08/123 456 78"),
// parentheses ("+46 (0)70", "(08) 123"), or one kind throughout ("070.123.45.67",
// "070-123-45-67"). A mix of dots and dashes is a clock ("08.30-16.00"), a '+' inside
// something else.
func separatedLikeAPhone(s string, gs []group) bool {
	var dots, dashes, slashes, others int
	for k := 1; k < len(gs); k++ {
		gap := s[gs[k-1].end:gs[k].start]
		switch {
		case gap == ".":
			dots++
		case gap == "-":
			dashes++
		case strings.Contains(gap, "+"), strings.Contains(gap, "."):
			return false
		case strings.Contains(gap, "-"):
			dashes++
			others++
		case strings.Contains(gap, "/"):
			slashes++
			others++
		default: // spaces and parentheses
			others++
		}
	}
	switch {
	case dots > 0:
		return dots == len(gs)-1
	case dashes > 1:
		return dashes == len(gs)-1 && others == 0
	}
	return dashes+slashes <= 1
}

// looksLikeDateOrTime reports whether the groups are a date with the year last
// ("07.03.2018", "07/03/2018") or a span of clock times ("0800-1200"), which have the
// digits of a phone number.
func looksLikeDateOrTime(s string, gs []group) bool {
	num := func(g group) (int, int) {
		n := 0
		for _, c := range s[g.start:g.end] {
			n = n*10 + int(c-'0')
		}
		return n, g.end - g.start
	}
	switch len(gs) {
	case 3:
		d, dl := num(gs[0])
		m, ml := num(gs[1])
		y, yl := num(gs[2])
		return dl <= 2 && ml <= 2 && yl == 4 && d >= 1 && d <= 31 && m >= 1 && m <= 12 && y >= 1900 && y < 2100
	case 2:
		a, al := num(gs[0])
		b, bl := num(gs[1])
		clock := func(t int) bool { return t/100 <= 24 && t%100 < 60 }
		return al == 4 && bl == 4 && clock(a) && clock(b) && strings.Contains(s[gs[0].end:gs[1].start], "-")
	}
	return false
}

// chainGap reports whether gap may join two digit groups of one number.
func chainGap(gap string) bool {
	if len(gap) == 0 || len(gap) > 3 {
		return false
	}
	for i := 0; i < len(gap); i++ {
		if !strings.ContainsRune(" -./()+", rune(gap[i])) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
