package redact_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"medborgarlofte/internal/redact"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"personnummer with dash", "Mitt nr är 811218-9876 tack", "Mitt nr är [borttaget] tack"},
		{"personnummer 12 digits", "198112189876", "[borttaget]"},
		{"personnummer no dash", "8112189876", "[borttaget]"},
		{"personnummer plus (over 100)", "121212+1212", "[borttaget]"},
		{"coordination number", "701063-2391", "[borttaget]"},
		{"invalid check digit stays", "811218-9877", "811218-9877"},
		{"impossible month stays", "811318-9876", "811318-9876"},
		{"mobile", "ring 070-123 45 67", "ring [borttaget]"},
		{"mobile compact", "0701234567", "[borttaget]"},
		{"mobile spaced", "070 123 45 67!", "[borttaget]!"},
		{"landline", "044-12 34 56", "[borttaget]"},
		{"stockholm", "08-123 456 78", "[borttaget]"},
		{"international", "+46 70 123 45 67", "[borttaget]"},
		{"international compact", "+46701234567", "[borttaget]"},
		{"international with (0)", "+46 (0)70-123 45 67", "[borttaget]"},
		{"0046", "0046701234567", "[borttaget]"},
		{"email", "skriv till anna.svensson@example.se nu", "skriv till [borttaget] nu"},
		{"year stays", "Sedan 2018 har det blivit bättre", "Sedan 2018 har det blivit bättre"},
		{"time stays", "kl 10:00-13:00", "kl 10:00-13:00"},
		{"amount stays", "Det kostade 500 kr", "Det kostade 500 kr"},
		{"114 14 stays", "Ring 114 14", "Ring 114 14"},
		{"112 stays", "Ring 112 vid nöd", "Ring 112 vid nöd"},
		{"postcode stays", "291 94 Kristianstad", "291 94 Kristianstad"},
		{"short number stays", "Vi var 12 personer", "Vi var 12 personer"},
		{"arabic text", "شكراً 0701234567", "شكراً [borttaget]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := redact.Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"811218-9876", "070-123 45 67", "a@b.se", "2018", "+46 70 123 45 67", "",
		"ring 0046701234567 eller mejla x.y@z.com", "١٢٣", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := redact.Text(s)
		if redact.Text(out) != out {
			t.Errorf("not idempotent: %q → %q → %q", s, out, redact.Text(out))
		}
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Errorf("invalid UTF-8 out of valid input %q", s)
		}
		if strings.Contains(out, "@") && strings.Contains(out, ".se") && strings.Count(s, "@") == 1 &&
			strings.Contains(s, "a@b.se") {
			t.Errorf("e-mail kept: %q", out)
		}
	})
}
