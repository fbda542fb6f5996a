package server_test

import (
	"net/http"
	"strings"
	"testing"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
)

// TestAccessibilityStatement: anyone reads the statement, with how to report a problem (the
// configured contact, or a default telling the municipality to fill it in), the supervisory
// authority's form and the date; every page with the site's footer links it, the kiosk's
// bare screen does not.
func TestAccessibilityStatement(t *testing.T) {
	tests := []struct {
		name, contact string
		want          []string
	}{
		{"no contact configured", "", []string{"Kontaktuppgiften är inte ifylld ännu", "--a11y-contact"}},
		{"an address", "tillganglighet@kristianstad.se",
			[]string{`Skicka e-post till <a href="mailto:tillganglighet@kristianstad.se">tillganglighet@kristianstad.se</a>.`}},
		{"a sentence", "Ring kommunens kontaktcenter på 044-13 50 00 eller mejla kommunen@kristianstad.se.",
			[]string{"Ring kommunens kontaktcenter på 044-13 50 00 eller mejla kommunen@kristianstad.se."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *server.Config) { c.A11yContact = tt.contact })
			status, h, b := e.do(http.MethodGet, "/tillganglighet", "", "")
			page := string(b)
			if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
				t.Fatalf("status %d %s", status, h.Get("Content-Type"))
			}
			want := append([]string{
				"<h1>Tillgänglighetsredogörelse</h1>",
				"Lokalpolisområde Kristianstad och Kristianstads kommun står",
				"WCAG 2.1 på nivå AA",
				"2018:1937",
				`<a href="https://www.digg.se/tdosanmalan">`,
				"Innehåll som inte är tillgängligt",
				"Kiosken börjar om efter en minut",
				"axe-core",
				`<time datetime="2026-12-03">`,
			}, tt.want...)
			for _, w := range want {
				if !strings.Contains(page, w) {
					t.Errorf("statement lacks %q", w)
				}
			}
			if tt.contact != "" && strings.Contains(page, "inte ifylld") {
				t.Error("a configured contact still shows the default")
			}
		})
	}

	e := newEnv(t)
	for _, tt := range []struct {
		path string
		role lofte.Role
		link bool
	}{
		{"/", "", true},
		{"/basort/Tollarp", "", true},
		{"/metod", "", true},
		{"/login", "", true},
		{"/kiosk/pair", "", true},
		{"/tillganglighet", "", true},
		{"/nosuch", "", true}, // an error page too
		{"/dashboard", lofte.RoleCouncil, true},
		{"/kiosk", lofte.RoleKiosk, false}, // the visitor's screen has no way out of the survey
	} {
		_, _, b := e.do(http.MethodGet, tt.path, tt.role, "", "Accept", "text/html")
		footer := string(b)
		if i := strings.Index(footer, `<footer`); i >= 0 {
			footer = footer[i:]
		} else {
			footer = ""
		}
		if got := strings.Contains(footer, `<a href="/tillganglighet">Tillgänglighetsredogörelse</a>`); got != tt.link {
			t.Errorf("%s: footer links the statement: %v, want %v", tt.path, got, tt.link)
		}
	}
}
