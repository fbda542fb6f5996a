package redact_test

import (
	"testing"

	"medborgarlofte/internal/redact"
)

// spellings are the ways people type what must go, each on its own in a sentence. The issue's
// examples are among them.
// When a spelling keeps a word before the number, want says what stays.
var spellings = []struct{ kind, typed, want string }{
	// Personal identity and coordination numbers.
	{"personnummer, dash", "811218-9876", ""},
	{"personnummer, no separator", "8112189876", ""},
	{"personnummer, space", "811218 9876", ""},
	{"personnummer, en dash", "811218–9876", ""},
	{"personnummer, minus sign", "811218−9876", ""},
	{"personnummer, spaced dash", "811218 - 9876", ""},
	{"personnummer, non-breaking space", "811218\u00a09876", ""},
	{"personnummer, century and dash", "19811218-9876", ""},
	{"personnummer, century, no separator", "198112189876", ""},
	{"personnummer, century and space", "19811218 9876", ""},
	{"personnummer, plus (100 or older)", "121212+1212", ""},
	{"coordination number (day + 60)", "701063-2391", ""},
	{"coordination number, century", "19701063 2391", ""},
	{"personnummer, full-width digits", "８１１２１８－９８７６", ""},
	{"personnummer, Arabic-Indic digits", "٨١١٢١٨-٩٨٧٦", ""},
	{"personnummer glued to a label", "pnr:811218-9876", "pnr:[borttaget]"},
	// Phone numbers.
	{"mobile, dash and spaces", "070-123 45 67", ""},
	{"mobile, no separator", "0701234567", ""},
	{"mobile, spaces", "070 123 45 67", ""},
	{"mobile, dots", "070.123.45.67", ""},
	{"mobile, dashes throughout", "070-123-45-67", ""},
	{"mobile, en dash", "070–123 45 67", ""},
	{"mobile, non-breaking spaces", "070\u00a0123\u00a045\u00a067", ""},
	{"mobile, thin spaces", "070\u2009123\u200945\u200967", ""},
	{"mobile, narrow non-breaking spaces", "070\u202f123\u202f45\u202f67", ""},
	{"mobile, four-digit prefix", "0701 23 45 67", ""},
	{"mobile, slash", "070/123 45 67", ""},
	{"mobile, parentheses", "(070) 123 45 67", ""},
	{"mobile, zero-width space inside", "070\u200b1234567", ""},
	{"mobile, full-width digits", "０７０１２３４５６７", ""},
	{"mobile, Arabic-Indic digits", "٠٧٠١٢٣٤٥٦٧", ""},
	{"Stockholm, eight digits", "08-123 456 78", ""},
	{"Stockholm, seven digits", "08-123 45 67", ""},
	{"Stockholm, parentheses", "(08) 123 456 78", ""},
	{"landline, two-digit area code", "044-12 34 56", ""},
	{"landline, three-digit area code", "0451-123 45", ""},
	{"international, spaces", "+46 70 123 45 67", ""},
	{"international, no separator", "+46701234567", ""},
	{"international with (0)", "+46 (0)70-123 45 67", ""},
	{"international, Stockholm", "+46 8 123 456 78", ""},
	{"international, dashes", "+46-70-123 45 67", ""},
	{"international in parentheses", "(+46) 70 123 45 67", ""},
	{"international, full-width plus", "＋46701234567", ""},
	{"0046, spaces", "0046 70 123 45 67", ""},
	{"0046, no separator", "0046701234567", ""},
	{"46 without the plus", "46701234567", ""},
	{"46 without the plus, spaces", "46 70 123 45 67", ""},
	{"foreign number", "+358 40 123 4567", ""},
	{"foreign number after 00", "0047 912 34 567", ""},
	// E-mail addresses.
	{"e-mail", "anna@example.se", ""},
	{"e-mail with a dot", "anna.svensson@polisen.se", ""},
	{"e-mail, non-ASCII local part", "åsa@example.se", ""},
	{"e-mail, non-ASCII domain", "åsa@bjärred.se", ""},
	{"e-mail, capitals", "ANNA@EXAMPLE.SE", ""},
	{"e-mail, plus and subdomains", "anna+tips@mail.example.co.uk", ""},
	{"e-mail, full-width @", "anna＠example.se", ""},
	{"e-mail, spaced @", "anna @ example.se", ""},
	{"e-mail, (at)", "anna (at) example.se", ""},
	{"e-mail, [at]", "anna[at]example.se", ""},
	{"e-mail, {at}", "anna{at}example.se", ""},
	{"e-mail, (a)", "anna(a)example.se", ""},
	{"e-mail, (snabel-a)", "anna (snabel-a) example.se", ""},
	{"e-mail, (at) and (dot)", "anna(at)example(dot)se", ""},
	{"e-mail, [at] and [punkt]", "anna [at] example [punkt] se", ""},
	{"e-mail, at and dot as words", "anna at example dot se", ""},
	{"e-mail, at as a word", "anna.svensson at example.com", ""},
	{"e-mail, AT and DOT in capitals", "ANNA AT EXAMPLE DOT SE", ""},
	{"e-mail, snabel-a as a word", "anna snabel-a example punkt se", ""},
	// Registration plates.
	{"plate, space", "ABC 123", ""},
	{"plate, no space", "ABC123", ""},
	{"plate, letter last", "ABC 12A", ""},
	{"plate, small letters and dash", "abc-123", ""},
	{"plate, small letters, no space", "abc123", ""},
	{"plate, dash, letter last", "ABC-12A", ""},
	{"plate, non-breaking space", "ABC\u00a0123", ""},
	{"plate, full-width", "ＡＢＣ１２３", ""},
	{"plate, small letters after a cue", "bilen abc 123", "bilen [borttaget]"},
	{"plate, small letters after regnr", "regnr: xyz 12a", "regnr: [borttaget]"},
}

func TestTextSpellings(t *testing.T) {
	for _, sp := range spellings {
		t.Run(sp.kind, func(t *testing.T) {
			in, want := "Hej, "+sp.typed+" tack.", "Hej, "+redact.Mark+" tack."
			if sp.want != "" {
				want = "Hej, " + sp.want + " tack."
			}
			if got := redact.Text(in); got != want {
				t.Errorf("Text(%q) = %q, want %q", in, got, want)
			}
		})
	}
	if len(spellings) < 49 {
		t.Errorf("%d spellings; the issue counts 49 common ones", len(spellings))
	}
}

// TestTextLeavesOrdinaryText: what has the digits or letters of a number but is none stays
// as typed.
func TestTextLeavesOrdinaryText(t *testing.T) {
	for _, s := range []string{
		"Sedan 2018-03-14 har det blivit lugnare",
		"Mötet den 14.03.2018 och den 07.03.2018",
		"Datum 07/03/2018 eller 07-03-2018",
		"Öppet kl 10:00-13:00, kl 08.30-16.00, kl 0800-1200 och kl 08.00 - 12.00",
		"2018-03-14 0800-1200 vid torget",
		"2018-03-14 08.00 vid torget",
		"kl 10 123 stod vi där",
		"Det kostade 150 kr, i år 1 500 kr och 12 000 kr",
		"Vi hade 12 besökare, 0 anmälningar och 3-4 tips",
		"291 94 Kristianstad",
		"Ring 114 14, vid nöd 112",
		"Kostnaden SEK 150 och OCH 150 PERSONER, SMS 123 45",
		"och 150 personer kom, hus 123 brann",
		"NTU 2017 och BRÅ 2016",
		"Väg 19 och E22 mot Karlskrona",
		"Fel kontrollsiffra 811218-9877 och månad 811318-9876",
		"Polisens organisationsnummer 202100-6297",
		"0,5 procent, 3-2 i matchen, säsongen 2017/2018, vecka 12",
		"0 - 100 000 000 kr",
		"Hej @alla, vi ses at home",
		"Trygghetsmätning 2017, Polisens trygghetsmätning 2017",
		"شكراً جزيلاً ٢٠١٨",
		"", " ", "[borttaget]",
	} {
		if got := redact.Text(s); got != s {
			t.Errorf("Text(%q) = %q, want it unchanged", s, got)
		}
	}
}

func TestTextSeveralInOneText(t *testing.T) {
	in := "Anna (811218-9876) ringer från 070–123 45 67 eller 08-123 456 78, mejl åsa@example.se, bil ABC 123."
	want := "Anna ([borttaget]) ringer från [borttaget] eller [borttaget], mejl [borttaget], bil [borttaget]."
	if got := redact.Text(in); got != want {
		t.Errorf("Text(%q)\n = %q\nwant %q", in, got, want)
	}
}

func TestTextNumberAfterADate(t *testing.T) {
	for in, want := range map[string]string{
		"2018-03-14 070-123 45 67":    "2018-03-14 [borttaget]",
		"2018-03-14-0701234567":       "2018-03-14-[borttaget]",
		"070-123 45 67/08-123 456 78": "[borttaget]/[borttaget]",
	} {
		if got := redact.Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}
