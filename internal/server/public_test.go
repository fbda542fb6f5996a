package server_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"net/http"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"

	qr "github.com/piglig/go-qr"
	"golang.org/x/net/html"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
	"medborgarlofte/web"
)

// nodes returns the elements of page that match.
func nodes(t *testing.T, page []byte, match func(*html.Node) bool) []*html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func tagged(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag }
}

func withClass(tag, class string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag && hasClass(n, class) }
}

// mustClosedFeedback stores a feedback item at basort and closes it, as published.
func mustClosedFeedback(t *testing.T, e *env, basort, said, action string) {
	t.Helper()
	ctx := context.Background()
	f := &lofte.FeedbackItem{PromiseID: e.p.ID, Basort: basort, Topic: "traffic", Said: said}
	if err := e.db.CreateFeedback(ctx, f); err != nil {
		t.Fatal(err)
	}
	st, ch, on := lofte.FeedbackClosed, "web", lofte.Date{Year: 2018, Month: 3, Day: 1}
	if _, err := e.db.UpdateFeedback(ctx, f.ID, lofte.FeedbackUpdate{Status: &st, Action: &action, Channel: &ch, FeedbackOn: &on}); err != nil {
		t.Fatal(err)
	}
}

// TestBasortNamesIgnoreCase: a hand-typed "/basort/tollarp" leads to Tollarp's page (and
// poster) under its own spelling, keeping the query; an unknown name is still a 404.
func TestBasortNamesIgnoreCase(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		path, location string
		status         int
	}{
		{"/basort/Tollarp", "", http.StatusOK},
		{"/basort/tollarp", "/basort/Tollarp", http.StatusMovedPermanently},
		{"/basort/TOLLARP?lang=en", "/basort/Tollarp?lang=en", http.StatusMovedPermanently},
		{"/basort/%C3%B6nnestad", "/basort/%C3%96nnestad", http.StatusMovedPermanently},
		{"/basort/tollarp/affisch", "/basort/Tollarp/affisch", http.StatusMovedPermanently},
		{"/basort/Tollarp/affisch", "", http.StatusOK},
		{"/basort/atlantis", "", http.StatusNotFound},
		{"/basort/atlantis/affisch", "", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			status, h, _ := e.do(http.MethodGet, tt.path, "", "", "Accept", "text/html")
			if status != tt.status || h.Get("Location") != tt.location {
				t.Errorf("%d to %q, want %d to %q", status, h.Get("Location"), tt.status, tt.location)
			}
		})
	}
}

// TestBasortPage checks a basort's page: its coordinates written the Swedish way, and a
// calendar to subscribe to (webcal://) beside the download, with a line for each kind of
// phone or program.
func TestBasortPage(t *testing.T) {
	e := newEnv(t)
	mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusPublished)
	_, _, page := e.do(http.MethodGet, "/basort/Tollarp", "", "")
	if got := nodes(t, page, withClass("span", "coords")); len(got) != 1 || text(got[0]) != "55,9330° N, 13,9830° Ö" {
		t.Errorf("coordinates: %v", got)
	}
	host := strings.TrimPrefix(e.srv.URL, "http://")
	links := map[string]bool{}
	for _, a := range nodes(t, page, tagged("a")) {
		href, _ := attr(a, "href")
		links[href] = true
	}
	for _, want := range []string{"webcal://" + host + "/schedule.ics?basort=Tollarp", "/schedule.ics?basort=Tollarp",
		"/basort/Tollarp/affisch"} {
		if !links[want] {
			t.Errorf("no link to %s", want)
		}
	}
	howto := nodes(t, page, withClass("ul", "howto"))
	if len(howto) != 1 {
		t.Fatal("no subscription help")
	}
	for _, who := range []string{"iPhone", "Android", "Outlook"} {
		if !strings.Contains(text(howto[0]), who) {
			t.Errorf("no line for %s: %s", who, text(howto[0]))
		}
	}
}

// TestCalendarAddressBehindProxy: the calendar's address is the one the reader used, which
// behind a trusted proxy its X-Forwarded-Host and -Proto say, and from anyone else is the
// request's own host.
func TestCalendarAddressBehindProxy(t *testing.T) {
	forwarded := []string{"X-Forwarded-Host", "polisen.example.se", "X-Forwarded-Proto", "https"}
	host := func(e *env) string { return strings.TrimPrefix(e.srv.URL, "http://") }
	tests := []struct {
		name    string
		proxies []netip.Prefix
		header  []string
		want    func(*env) string
	}{
		{"direct", nil, nil, func(e *env) string { return "http://" + host(e) }},
		{"untrusted headers", nil, forwarded, func(e *env) string { return "http://" + host(e) }},
		{"trusted proxy", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, forwarded,
			func(*env) string { return "https://polisen.example.se" }},
		{"trusted proxy, bad host", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
			[]string{"X-Forwarded-Host", "evil.example/x?", "X-Forwarded-Proto", "gopher"},
			func(e *env) string { return "http://" + host(e) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *server.Config) { c.TrustedProxies = tt.proxies })
			_, _, page := e.do(http.MethodGet, "/basort/Tollarp", "", "", tt.header...)
			in := nodes(t, page, func(n *html.Node) bool { id, _ := attr(n, "id"); return id == "kalender-adress" })
			if len(in) != 1 {
				t.Fatal("no calendar address")
			}
			want := tt.want(e) + "/schedule.ics?basort=Tollarp"
			if v, _ := attr(in[0], "value"); v != want {
				t.Errorf("address %q, want %q", v, want)
			}
			wantCal := "webcal://" + strings.SplitN(want, "://", 2)[1]
			if !bytes.Contains(page, []byte(`href="`+wantCal+`"`)) {
				t.Errorf("no subscription link to %s", wantCal)
			}
		})
	}
}

// TestPublicLanguages: the residents' pages come in Swedish by default, in English or Arabic
// when chosen (remembered in a cookie), with lang and dir set, and Swedish names marked.
func TestPublicLanguages(t *testing.T) {
	e := newEnv(t)
	mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusPublished)
	mustStop(t, e, "Degeberga", "2018-03-22 10:00", lofte.StatusCancelled)
	mustClosedFeedback(t, e, "Tollarp", "Bilar kör fort", "Fartkontroller")
	tests := []struct {
		name, path   string
		header       []string
		lang, dir    string
		cookie       string
		h1, stopText string
	}{
		{"default", "/", nil, "sv", "ltr", "", "Mobila poliskontorets schema", "ons 14 mars 2018 kl. 10.00–13.00"},
		{"chosen English", "/?lang=en", nil, "en", "ltr", "en", "The mobile police office's schedule", "Wed 14 March 2018, 10:00–13:00"},
		{"remembered Arabic", "/", []string{"Cookie", "lang=ar"}, "ar", "rtl", "", "جدول مكتب الشرطة المتنقل", "الأربعاء 14 مارس 2018، الساعة 10:00–13:00"},
		{"unknown language", "/?lang=xx", nil, "sv", "ltr", "", "Mobila poliskontorets schema", "ons 14 mars"},
		{"basort page in English", "/basort/Tollarp?lang=en", nil, "en", "ltr", "en", "The mobile police office in Tollarp", "Wed 14 March"},
		{"poster in Arabic", "/basort/Tollarp/affisch?lang=ar", nil, "ar", "rtl", "ar", "الشرطة قادمة إلى Tollarp", "الأربعاء 14 مارس"},
		{"archive in English", "/vi-gjorde?lang=en", nil, "en", "ltr", "en", "You said – we did", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, page := e.do(http.MethodGet, tt.path, "", "", tt.header...)
			if status != 200 {
				t.Fatalf("status %d", status)
			}
			root := nodes(t, page, tagged("html"))[0]
			if l, _ := attr(root, "lang"); l != tt.lang {
				t.Errorf("lang %q, want %q", l, tt.lang)
			}
			if d, _ := attr(root, "dir"); d != tt.dir {
				t.Errorf("dir %q, want %q", d, tt.dir)
			}
			if got := h.Get("Set-Cookie"); (tt.cookie == "" && got != "") || (tt.cookie != "" && !strings.HasPrefix(got, "lang="+tt.cookie+";")) {
				t.Errorf("Set-Cookie %q, want lang=%q", got, tt.cookie)
			}
			if got := text(nodes(t, page, tagged("h1"))[0]); got != tt.h1 {
				t.Errorf("h1 %q, want %q", got, tt.h1)
			}
			if tt.stopText != "" && !strings.Contains(text(nodes(t, page, withClass("li", "stop"))[0]), tt.stopText) {
				t.Errorf("first stop does not say %q", tt.stopText)
			}
			// The switch offers every language, the current one marked.
			sw := nodes(t, page, withClass("nav", "langs"))
			if len(sw) != 1 || !strings.Contains(text(sw[0]), "Svenska") || !strings.Contains(text(sw[0]), "English") ||
				!strings.Contains(text(sw[0]), "العربية") {
				t.Fatalf("language switch: %v", sw)
			}
			cur := nodes(t, []byte(renderNode(sw[0])), func(n *html.Node) bool { _, ok := attr(n, "aria-current"); return ok })
			names := map[string]string{"sv": "Svenska", "en": "English", "ar": "العربية"}
			if len(cur) != 1 || text(cur[0]) != names[tt.lang] {
				t.Errorf("the switch marks %v as current, want %s", cur, names[tt.lang])
			}
			// Swedish words on a page in another language are marked as Swedish.
			if tt.lang != "sv" {
				marked := map[string]bool{}
				for _, n := range nodes(t, page, func(n *html.Node) bool { l, _ := attr(n, "lang"); return l == "sv" }) {
					marked[text(n)] = true
				}
				for _, want := range []string{"Tollarp"} {
					if !marked[want] && !strings.Contains(tt.path, "vi-gjorde") {
						t.Errorf("%q not marked lang=sv", want)
					}
				}
				if strings.Contains(tt.path, "vi-gjorde") && !marked["”Bilar kör fort”"] {
					t.Errorf("what residents said is not marked lang=sv: %v", marked)
				}
			} else if bytes.Contains(page, []byte(`<span lang="sv"`)) {
				t.Error("a Swedish page marks its own words")
			}
		})
	}
}

// TestArchive: the start page shows the latest few closed items and links to all of them.
func TestArchive(t *testing.T) {
	e := newEnv(t)
	for i := range 5 {
		mustClosedFeedback(t, e, "Åhus", fmt.Sprintf("Fråga %d", i), fmt.Sprintf("Svar %d", i))
	}
	_, _, start := e.do(http.MethodGet, "/", "", "")
	if got := len(nodes(t, start, tagged("li"))) - len(nodes(t, start, withClass("li", "stop"))); got < 3 {
		t.Fatalf("start page: %d list items", got)
	}
	fb := nodes(t, start, withClass("ul", "feedback"))
	if len(fb) != 1 || strings.Count(text(fb[0]), "Vi gjorde:") != 3 {
		t.Errorf("start page shows %v, want the latest 3", fb)
	}
	if !bytes.Contains(start, []byte(`href="/vi-gjorde"`)) || !bytes.Contains(start, []byte("Allt vi har återkopplat (5)")) {
		t.Error("no link to the archive")
	}
	_, _, all := e.do(http.MethodGet, "/vi-gjorde", "", "")
	fb = nodes(t, all, withClass("ul", "feedback"))
	if len(fb) != 1 || strings.Count(text(fb[0]), "Vi gjorde:") != 5 {
		t.Errorf("archive shows %v, want all 5", fb)
	}
}

// TestStartPageNextVisitFirst: the first list on the start page is each basort's next visit,
// each a link to its part of the page.
func TestStartPageNextVisitFirst(t *testing.T) {
	e := newEnv(t)
	mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusPublished)
	mustStop(t, e, "Tollarp", "2018-03-28 10:00", lofte.StatusPublished)
	_, _, page := e.do(http.MethodGet, "/", "", "")
	next := nodes(t, page, withClass("ul", "next"))
	if len(next) != 1 {
		t.Fatal("no next-visit list")
	}
	items := nodes(t, []byte(renderNode(next[0])), tagged("li"))
	if len(items) < 6 {
		t.Errorf("%d basorter in the next-visit list", len(items))
	}
	var tollarp string
	for _, li := range items {
		if strings.HasPrefix(text(li), "Tollarp") {
			tollarp = text(li)
			a := li.FirstChild
			for a != nil && a.Data != "a" {
				a = a.NextSibling
			}
			if href, _ := attr(a, "href"); !strings.HasPrefix(href, "#b-") {
				t.Errorf("Tollarp links to %q, want its part of the page", href)
			}
		}
	}
	if !strings.Contains(tollarp, "ons 14 mars 2018 kl. 10.00–13.00") || strings.Contains(tollarp, "28 mars") {
		t.Errorf("Tollarp's next visit: %q", tollarp)
	}
}

func renderNode(n *html.Node) string {
	var b bytes.Buffer
	html.Render(&b, n)
	return b.String()
}

// TestPosterQRCode decodes the poster's QR code, drawn from its SVG path, to the basort's
// page.
func TestPosterQRCode(t *testing.T) {
	e := newEnv(t)
	mustStop(t, e, "Tollarp", "2018-03-14 10:00", lofte.StatusPublished)
	status, h, page := e.do(http.MethodGet, "/basort/Tollarp/affisch", "", "")
	if status != 200 || h.Get("Cache-Control") == "no-store" {
		t.Fatalf("status %d", status)
	}
	svg := nodes(t, page, withClass("svg", "qr"))
	if len(svg) != 1 {
		t.Fatal("no QR code")
	}
	got, err := qr.Decode(rasterQR(t, svg[0], 6))
	if err != nil {
		t.Fatal(err)
	}
	if want := e.srv.URL + "/basort/Tollarp"; got != want {
		t.Errorf("QR code says %q, want %q", got, want)
	}
	if len(nodes(t, page, withClass("li", "stop"))) != 1 {
		t.Error("the poster does not list the coming stop")
	}
	if len(nodes(t, page, withClass("header", "site-header"))) != 0 {
		t.Error("the poster has the site's header")
	}
}

// rasterQR draws the SVG's module path (unit squares "Mx yh1v1h-1z" in a viewBox) into an
// image with scale pixels a module.
func rasterQR(t *testing.T, svg *html.Node, scale int) image.Image {
	t.Helper()
	vb, _ := attr(svg, "viewBox")
	f := strings.Fields(vb)
	if len(f) != 4 {
		t.Fatalf("viewBox %q", vb)
	}
	size, _ := strconv.Atoi(f[2])
	img := image.NewGray(image.Rect(0, 0, size*scale, size*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	var d string
	for c := svg.FirstChild; c != nil; c = c.NextSibling {
		if c.Data == "path" {
			d, _ = attr(c, "d")
		}
	}
	for _, m := range regexp.MustCompile(`M(\d+) (\d+)h1v1h-1z`).FindAllStringSubmatch(d, -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		for dy := range scale {
			for dx := range scale {
				img.SetGray(x*scale+dx, y*scale+dy, color.Gray{})
			}
		}
	}
	return img
}

// TestSwedishLabelsAreTheDomains: the Swedish public texts of a stop's status and kind are
// the labels the rest of the app uses.
func TestSwedishLabelsAreTheDomains(t *testing.T) {
	sv := web.Lang("sv")
	for key, want := range map[string]string{"status.cancelled": lofte.StatusCancelled.Label(),
		"status.held": lofte.StatusHeld.Label(), "kind.event": lofte.KindEvent.Label()} {
		if got := sv.T(key); got != want {
			t.Errorf("%s is %q, the domain says %q", key, got, want)
		}
	}
}

// With a public address set, the poster's QR code, the calendar links and the tablets'
// pairing link use it whatever host the request came to; a malformed one is refused.
func TestPublicURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://mobilapolisen.example.se", "https://mobilapolisen.example.se"},
		{"https://mobilapolisen.example.se/", "https://mobilapolisen.example.se"},
		{"http://10.0.0.5:8080", "http://10.0.0.5:8080"},
		{"mobilapolisen.example.se", ""},
		{"ftp://mobilapolisen.example.se", ""},
		{"https://mobilapolisen.example.se/app", ""},
		{"https://mobilapolisen.example.se/?a=1", ""},
		{"https://user@mobilapolisen.example.se", ""},
	} {
		got, err := server.CheckPublicURL(tc.in)
		if got != tc.want || (err != nil) != (tc.want == "") {
			t.Errorf("CheckPublicURL(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	e := newEnv(t, func(c *server.Config) { c.PublicURL = "https://mobilapolisen.example.se/" })
	_, _, b := e.do(http.MethodGet, "/basort/Tollarp", "", "")
	if want := "webcal://mobilapolisen.example.se/schedule.ics?basort=Tollarp"; !strings.Contains(string(b), want) {
		t.Errorf("the basort page has no %s", want)
	}
	_, _, b = e.do(http.MethodPost, "/kiosk/devices/pairing", lofte.RoleOfficer, "")
	if want := ">https://mobilapolisen.example.se/kiosk/pair?code="; !strings.Contains(string(b), want) {
		t.Errorf("the pairing page has no %s…", want)
	}
	if _, err := server.New(server.Config{Store: e.db, PublicURL: "mobilapolisen"}); err == nil {
		t.Error("a malformed public address was taken")
	}
}
