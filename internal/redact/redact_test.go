package redact_test

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

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
		"ring 0046701234567 eller mejla x.y@z.com", "١٢٣", "\x00\xff",
		"811218 9876", "811218–9876", "070.123.45.67", "46701234567", "anna (at) example.se",
		"０７０１２３４５６７ anna＠example.se", "åsa@example.se", "ABC 123 abc-123 ABC 12A",
		"070\u00a0123\u00a045\u00a067", "2018-03-14 0800-1200", "kl 08.30-16.00", "291 94"} {
		f.Add(s)
	}
	for _, sp := range spellings {
		f.Add("Hej, " + sp.typed + " tack.")
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := redact.Text(s)
		if redact.Text(out) != out {
			t.Errorf("not idempotent: %q → %q → %q", s, out, redact.Text(out))
		}
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Errorf("invalid UTF-8 out of valid input %q", s)
		}
		if what := leak(out); what != "" {
			t.Errorf("Text(%q) = %q keeps %s", s, out, what)
		}
	})
}

// The leak oracle: simpler patterns than the package's, on a text folded another way (by
// golang.org/x/text/width), so that a bug in the package's own folding or grouping shows. A
// digit of another script glued to a number makes it another number, for both.
var (
	pnrTen   = regexp.MustCompile(`(?:^|[^\p{Nd}])([0-9]{10}|[0-9]{12})(?:[^\p{Nd}]|$)`)
	pnrSplit = regexp.MustCompile(`(?:^|[^\p{Nd}])([0-9]{6}(?:[0-9]{2})?) ?[-+]? ?([0-9]{4})(?:[^\p{Nd}]|$)`)
	mobile   = regexp.MustCompile(`(?:^|[^\p{Nd}+])(07[0-9]{8}|07[0-9]-[0-9]{3} [0-9]{2} [0-9]{2}|\+467[0-9]{8})(?:[^\p{Nd}]|$)`)
	mailAt   = regexp.MustCompile(`[\p{L}\p{N}] ?@ ?[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*(?:\.[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*)*\.\p{L}{2,}`)
	plate    = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{M}\p{N}])[A-HJ-PR-UW-Z]{3}-?[0-9]{3}(?:[^\p{L}\p{M}\p{N}]|$)`)
)

// leak names what out still holds that Text should have removed, or "".
func leak(out string) string {
	folded := strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Cf, r):
			return -1
		case unicode.IsSpace(r):
			return ' '
		case unicode.Is(unicode.Pd, r), r == '\u2212':
			return '-'
		}
		return r
	}, width.Fold.String(out))
	if !strings.ContainsAny(folded, "0123456789@") {
		return ""
	}
	for _, m := range pnrTen.FindAllStringSubmatch(folded, -1) {
		if redact.ValidPersonnummer(m[1]) {
			return "personnummer " + m[1]
		}
	}
	for _, m := range pnrSplit.FindAllStringSubmatch(folded, -1) {
		if redact.ValidPersonnummer(m[1] + m[2]) {
			return "personnummer " + m[0]
		}
	}
	for _, re := range []*regexp.Regexp{mobile, mailAt, plate} {
		if m := re.FindString(folded); m != "" {
			return m
		}
	}
	return ""
}

// BenchmarkText runs a field note as long as the longest allowed (4000 bytes).
func BenchmarkText(b *testing.B) {
	s := strings.Repeat("Bilar kör för fort vid skolan 2018-03-14 kl 08.30, ring 070-123 45 67 eller åsa@example.se. ", 43)
	for b.Loop() {
		redact.Text(s)
	}
}

// TestTextRandomPieces glues pieces of the spellings together at random, which finds what
// the byte-level fuzzer rarely builds: a number glued to letters whose removal frees a plate
// ("x008112180014SEK976"), digits of two scripts in one group. Same properties as FuzzText.
func TestTextRandomPieces(t *testing.T) {
	pieces := []string{"0", "7", "4", "6", "8", "1", "9", "5", "2", " ", " ", "-", " - ", ".", "(", ")", "+", "/", ":",
		"@", "＠", "０", "٠", "٧", "\u200b", "\u00a0", "\u2009", "\u3000", "–", "−", "\n", "\xff", "[", "]", "{", "}", "<", ">",
		"a", "A", "B", "C", "x", "å", "Ä", "ö", "_", "%", "at", " at ", "(at)", "(a)", "dot", " dot ", "(dot)", "punkt",
		"snabel-a", "se", ".se", "com", "nu", "anna", "example", "811218", "9876", "19", "20", "12", "070", "123", "45", "67",
		"0701234567", "0046", "46", "+46", "(0)", "00", "08", "0800", "1200", "2018", "03", "14", "ABC", "abc", "12A",
		"ABC123", "abc-123", "SEK", "bilen ", "regnr: ", "reg", "nr", "kl ", redact.Mark}
	r := rand.New(rand.NewPCG(7, 9))
	for range 20000 {
		var b strings.Builder
		for range 1 + r.IntN(20) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		out := redact.Text(s)
		if again := redact.Text(out); again != out {
			t.Fatalf("not idempotent: %q → %q → %q", s, out, again)
		}
		if what := leak(out); what != "" {
			t.Fatalf("Text(%q) = %q keeps %s", s, out, what)
		}
	}
}
