package server_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// TestMethodPage: anyone reads how the figures are made, as metrics.Method writes it with the
// promise's own thresholds, under headings in order in a Swedish page; the footer links it
// for those who read the figures.
func TestMethodPage(t *testing.T) {
	e := newEnv(t)
	status, _, b := e.do(http.MethodGet, "/metod", "", "")
	if status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var lang string
	var headings []string // "h2 Title"
	var main []string     // paragraphs in sections
	var walk func(*html.Node, bool)
	walk = func(n *html.Node, inSection bool) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "html":
				lang, _ = attr(n, "lang")
			case "h1", "h2", "h3", "h4":
				headings = append(headings, n.Data+" "+text(n))
			case "section":
				inSection = true
			case "p":
				if inSection {
					main = append(main, text(n))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inSection)
		}
	}
	walk(doc, false)
	want := []string{"h1 Så räknas siffrorna"}
	var texts []string
	for _, s := range metrics.Method(e.p) {
		want = append(want, "h2 "+s.Title)
		texts = append(texts, s.Text)
	}
	if lang != "sv" {
		t.Errorf("lang %q", lang)
	}
	if diff := cmp.Diff(want, headings); diff != "" {
		t.Errorf("headings (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff(texts, main); diff != "" {
		t.Errorf("sections (-want +got)\n%s", diff)
	}
	if !strings.Contains(string(b), fmt.Sprintf("minst %d svar", e.p.MinN)) {
		t.Errorf("the page does not give the promise's threshold %d", e.p.MinN)
	}
	for who, linked := range map[lofte.Role]bool{"": false, lofte.RoleCouncil: true, lofte.RoleOfficer: true, lofte.RoleAdmin: true} {
		_, _, page := e.do(http.MethodGet, "/", who, "")
		if got := strings.Contains(string(page), `href="/metod"`); got != linked {
			t.Errorf("%q: the footer links the method page: %v, want %v", who, got, linked)
		}
	}
}
