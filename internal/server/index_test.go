package server_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"medborgarlofte/internal/lofte"
)

func TestStartPageShowsSchedule(t *testing.T) {
	e := newEnv(t)
	mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusPublished)
	mustStop(t, e, "Tollarp", "2018-03-01 10:00", lofte.StatusHeld)
	mustStop(t, e, "Åhus", "2018-03-20 14:00", lofte.StatusDraft)
	mustStop(t, e, "Degeberga", "2018-03-22 10:00", lofte.StatusCancelled)
	status, _, b := e.do(http.MethodGet, "/", "", "")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string][]string{} // basort → texts of its stops, in order
	var cur string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "h2" {
			cur = text(n)
			sections[cur] = nil
		}
		if n.Type == html.ElementNode && n.Data == "li" && hasClass(n, "stop") {
			sections[cur] = append(sections[cur], text(n))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if got := sections["Tollarp"]; len(got) != 2 || !strings.Contains(got[0], "ons 14 mars 2018 kl. 10.00–13.00") {
		t.Errorf("Tollarp: %q (want the coming stop first)", got)
	}
	if got := sections["Åhus"]; len(got) != 0 {
		t.Errorf("a draft is public: %q", got)
	}
	if got := sections["Degeberga"]; len(got) != 1 || !strings.Contains(got[0], "Inställt") {
		t.Errorf("cancelled stop not marked: %q", got)
	}
	if len(sections) < 6 {
		t.Errorf("%d basorter on the page, want all six", len(sections))
	}
}
