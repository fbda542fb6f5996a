package redact

import "testing"

// FuzzMayHoldEmail: the quick test never turns away a text the e-mail pattern matches.
func FuzzMayHoldEmail(f *testing.F) {
	for _, s := range []string{"anna@example.se", "anna (at) example.se", "anna[ a ]example.se", "anna AT example DOT se",
		"anna snabel-a example.se", "anna(SNABEL-A)example.se", "Kat at", "at", "(a)", "<A>", "katten"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if fs := fold(s).s; email.MatchString(fs) && !mayHoldEmail(fs) {
			t.Errorf("mayHoldEmail(%q) = false, but the pattern matches %q", fs, email.FindString(fs))
		}
	})
}
