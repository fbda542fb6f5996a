// Package redact removes from free text what identifies a person before it is stored:
// Swedish personal identity and coordination numbers, phone numbers and e-mail addresses
// become "[borttaget]".
//
// What it does not catch, by design or by limit: names, street addresses, car registration
// numbers, personal numbers with an invalid check digit or odd spacing ("850709 - 9805"),
// phone numbers split by other characters than spaces, dashes or parentheses, foreign
// numbers other than Swedish +46/0046, and e-mail addresses written out ("anna at example dot
// se"). The kiosk asks visitors not to write such things; the comments are shown only where at
// least ten responses hide any one of them, and a retention setting deletes them.
package redact

import (
	"regexp"
	"strings"
)

// Mark replaces what is removed.
const Mark = "[borttaget]"

var (
	email = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	// A personal number: optional century, YYMMDD, optional - or +, four digits.
	personnummer = regexp.MustCompile(`\b(?:(?:19|20)\d{2}|\d{2})\d{4}[-+]?\d{4}\b`)
	// A phone-number candidate; the digits are checked in phoneLike.
	phone = regexp.MustCompile(`(?:\+46|\b0046|\b0)[ \-]?(?:\(0\)[ \-]?)?\d(?:[ \-]?\d){5,11}\b`)
)

// Text returns s with personal numbers, phone numbers and e-mail addresses replaced by Mark.
func Text(s string) string {
	s = email.ReplaceAllString(s, Mark)
	s = personnummer.ReplaceAllStringFunc(s, func(m string) string {
		if ValidPersonnummer(m) {
			return Mark
		}
		return m
	})
	return phone.ReplaceAllStringFunc(s, func(m string) string {
		if phoneLike(m) {
			return Mark
		}
		return m
	})
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// phoneLike reports whether m has the digit count of a Swedish phone number.
func phoneLike(m string) bool {
	d := digits(m)
	switch {
	case strings.HasPrefix(m, "+46"):
		d = strings.TrimPrefix(d, "46")
		d = strings.TrimPrefix(d, "0") // "+46 (0)70 …"
		return len(d) >= 7 && len(d) <= 9
	case strings.HasPrefix(m, "0046"):
		d = strings.TrimPrefix(d, "0046")
		d = strings.TrimPrefix(d, "0")
		return len(d) >= 7 && len(d) <= 9
	}
	// National: 0 + area code + number, 8 to 10 digits in all; "00" starts other countries.
	return len(d) >= 8 && len(d) <= 10 && !strings.HasPrefix(d, "00")
}

// ValidPersonnummer reports whether s is a personal identity or coordination number with a
// plausible date and a valid check digit.
func ValidPersonnummer(s string) bool {
	d := digits(s)
	if len(d) == 12 {
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
