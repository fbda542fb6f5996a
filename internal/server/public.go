package server

import (
	"fmt"
	"html/template"
	"math"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/web"
)

// The residents' pages (start page, a basort's page and poster, the "ni sa – vi gjorde"
// archive) are written in each language of web's i18n files. Staff pages stay Swedish; their
// Base has no Lang, and T gives the Swedish texts.

// langCookie remembers the language a reader chose for the public pages.
const langCookie = "lang"

// langParam chooses a language for this page and, through langCookie, the next ones.
const langParam = "lang"

// Public is the base of a residents' page: the language it is shown in, the switch to the
// others, and what links between public pages keep.
type Public struct {
	Base
	Langs []langLink
	// keep is the query every link to another public page carries: promise=ID for a promise
	// that is not the active one.
	keep url.Values
	// Cal is where the page's calendar feed is (setCalendar).
	Cal calendarLinks
	// origin is scheme://host as the reader reached us, for addresses used outside the page
	// (the calendar's, the poster's QR code).
	origin string
}

// langLink is one entry of the language switch.
type langLink struct {
	Code, Name, Href string
	Current          bool
}

// T is the text under key in the page's language (Swedish without one).
func (b Base) T(key string) string { return b.Lang.T(key) }

// HTMLLang is the page's language code for <html lang>.
func (b Base) HTMLLang() string {
	if b.Lang == nil {
		return web.DefaultLang
	}
	return b.Lang.Code
}

// Dir is the page's writing direction for <html dir>.
func (b Base) Dir() string {
	if b.Lang.RTL() {
		return "rtl"
	}
	return "ltr"
}

// SV marks an element holding Swedish text (a place's name, what staff or visitors wrote) on
// a page in another language, so that screen readers pronounce it as Swedish and, in Arabic,
// it keeps its left-to-right order.
func (b Base) SV() template.HTMLAttr {
	if b.HTMLLang() == web.DefaultLang {
		return ""
	}
	return ` lang="sv" dir="ltr"`
}

// SVText is s, Swedish text, marked as SV marks an element on a page in another language.
func (b Base) SVText(s string) template.HTML {
	s = template.HTMLEscapeString(s)
	if attr := b.SV(); attr != "" {
		return template.HTML("<span" + string(attr) + ">" + s + "</span>")
	}
	return template.HTML(s)
}

// TF is the text under key with its {placeholders} filled from the name, value pairs.
func (b Base) TF(key string, pairs ...string) string {
	return fill(b.T(key), pairs, func(v string) string { return v })
}

// TSV is TF for values in Swedish (place names, labels staff wrote): each is marked as SV
// marks an element.
func (b Base) TSV(key string, pairs ...string) template.HTML {
	text := template.HTMLEscapeString(b.T(key))
	return template.HTML(fill(text, pairs, func(v string) string { return string(b.SVText(v)) }))
}

// fill replaces each {name} of s by its value from pairs, as wrap writes it.
func fill(s string, pairs []string, wrap func(string) string) string {
	var old []string
	for i := 0; i+1 < len(pairs); i += 2 {
		old = append(old, "{"+pairs[i]+"}", wrap(pairs[i+1]))
	}
	return strings.NewReplacer(old...).Replace(s)
}

// publicBase is the base of a residents' page titled by the text under titleKey (filled
// from pairs): the language chosen with ?lang= (then remembered), remembered, or Swedish.
func (s *Server) publicBase(c *gin.Context, titleKey string, pairs ...string) Public {
	lang := s.pageLang(c)
	p := Public{Base: s.base(c, ""), origin: s.origin(c), keep: url.Values{}}
	p.Lang = lang
	p.Title = p.TF(titleKey, pairs...)
	if v := strings.TrimSpace(c.Query(promiseParam)); v != "" {
		p.keep.Set(promiseParam, v)
	}
	if lang.Code != web.DefaultLang {
		for i, n := range p.Nav {
			if n.Href == "/" {
				p.Nav[i].Label = lang.T("nav.schedule")
			}
		}
	}
	for _, code := range web.Langs() {
		q := c.Request.URL.Query()
		q.Set(langParam, code)
		p.Langs = append(p.Langs, langLink{Code: code, Name: web.Lang(code).Name,
			Href: c.Request.URL.EscapedPath() + "?" + q.Encode(), Current: code == lang.Code})
	}
	c.Header("Vary", "Cookie")
	return p
}

// pageLang is the language of a residents' page: ?lang= when it names one (and then it is
// remembered), else the remembered one, else Swedish.
func (s *Server) pageLang(c *gin.Context) *web.Texts {
	if t := web.Lang(c.Query(langParam)); t != nil {
		// A preference, not a secret: not Secure, so that it is kept on plain http too.
		http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: t.Code, Path: "/",
			MaxAge: int((365 * 24 * time.Hour).Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode})
		return t
	}
	if ck, err := c.Cookie(langCookie); err == nil {
		if t := web.Lang(ck); t != nil {
			return t
		}
	}
	return web.Lang(web.DefaultLang)
}

// Link is path on this site with the query the public pages keep, and pairs added.
func (p Public) Link(path string, pairs ...string) string {
	q := url.Values{}
	for k, v := range p.keep {
		q[k] = v
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		q.Set(pairs[i], pairs[i+1])
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// URL is Link as an absolute address, as the reader reached us.
func (p Public) URL(path string, pairs ...string) string { return p.origin + p.Link(path, pairs...) }

// Webcal is the calendar feed's address for subscribing: webcal:// makes phones and
// calendar programs offer to subscribe, where https:// would only download the file once.
func (p Public) Webcal(pairs ...string) template.URL {
	u := p.URL("/schedule.ics", pairs...)
	_, rest, _ := strings.Cut(u, "://")
	// The address is ours, built from a checked host: safe in an href, which html/template
	// would otherwise refuse for a scheme it does not know.
	return template.URL("webcal://" + rest)
}

// calendarLinks are a calendar feed's addresses: to subscribe, to download, to paste.
type calendarLinks struct {
	Webcal    template.URL
	Link, URL string
}

// setCalendar points the page's calendar links at the feed of pairs ("basort", name).
func (p *Public) setCalendar(pairs ...string) {
	p.Cal = calendarLinks{Webcal: p.Webcal(pairs...), Link: p.Link("/schedule.ics", pairs...), URL: p.URL("/schedule.ics", pairs...)}
}

// basortPath is the path of a basort's public page.
func basortPath(name string) string { return "/basort/" + url.PathEscape(name) }

// CheckPublicURL checks an address for Config.PublicURL and returns it as scheme://host[:port]
// without a trailing slash: an http or https address of a host, nothing after it.
func CheckPublicURL(v string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(v))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !validHost(u.Host) ||
		strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("publik adress %q: skriv den som https://värd (utan sökväg)", v)
	}
	return u.Scheme + "://" + u.Host, nil
}

// origin is scheme://host where people reach the app: Config.PublicURL when set, else as the
// reader reached us. Behind a trusted proxy (the ones whose X-Forwarded-For the server
// believes) the proxy's X-Forwarded-Host and -Proto say it; from anyone else they are ignored.
func (s *Server) origin(c *gin.Context) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	r := c.Request
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if s.fromTrustedProxy(r) {
		if h := firstValue(r.Header.Get("X-Forwarded-Host")); validHost(h) {
			host = h
		}
		if p := strings.ToLower(firstValue(r.Header.Get("X-Forwarded-Proto"))); p == "http" || p == "https" {
			scheme = p
		}
	}
	if !validHost(host) {
		host = "localhost"
	}
	return scheme + "://" + host
}

// fromTrustedProxy reports whether the request's direct peer is one of the trusted proxies.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// firstValue is the first of a header's comma-separated values: the one the proxy nearest
// the client set.
func firstValue(v string) string {
	first, _, _ := strings.Cut(v, ",")
	return strings.TrimSpace(first)
}

// validHost reports whether h is a bare host[:port], nothing that could turn a link into
// another one.
func validHost(h string) bool {
	if h == "" || strings.ContainsAny(h, "/\\@?#% \t\"'<>") {
		return false
	}
	u, err := url.Parse("//" + h)
	return err == nil && u.Host == h
}

// publicStop is a stop as a residents' page shows it, in its language.
type publicStop struct {
	ISO, When, Place string
	Event            string        // the kind's label, for an event
	Cancelled        string        // the status's label, for a cancelled stop
	Reason           template.HTML // why it was cancelled, as staff wrote it
	Held             string        // the status's label, for a held stop
	SV               template.HTMLAttr
}

func (p Public) stops(sts []*lofte.Stop) []publicStop {
	out := make([]publicStop, 0, len(sts))
	for _, st := range sts {
		v := publicStop{ISO: st.StartsAt.In(lofte.Zone).Format(time.RFC3339), When: p.when(st.StartsAt, st.EndsAt),
			Place: st.Place, SV: p.SV()}
		if st.Kind == lofte.KindEvent {
			v.Event = p.T("kind.event")
		}
		switch st.Status {
		case lofte.StatusCancelled:
			v.Cancelled = p.T("status.cancelled")
			if st.CancelReason != "" {
				v.Reason = p.SVText(st.CancelReason)
			}
		case lofte.StatusHeld:
			v.Held = p.T("status.held")
		}
		out = append(out, v)
	}
	return out
}

// when writes a stop's time in the page's language; Swedish as lofte.When writes it.
func (p Public) when(start, end time.Time) string {
	if p.HTMLLang() == web.DefaultLang {
		return lofte.When(start, end)
	}
	s, e := start.In(lofte.Zone), end.In(lofte.Zone)
	date := func(t time.Time) string {
		return p.TF("when.date", "weekday", p.Lang.Weekdays[t.Weekday()], "day", strconv.Itoa(t.Day()),
			"month", p.Lang.Months[t.Month()-1], "year", strconv.Itoa(t.Year()))
	}
	to := e.Format("15:04")
	if lofte.DateOf(s) != lofte.DateOf(e) {
		to = date(e) + " " + to
	}
	return p.TF("when.span", "date", date(s), "from", s.Format("15:04"), "to", to)
}

// Position writes a place's coordinates in the page's language: "55,9330° N, 13,9830° Ö".
func (p Public) Position(l *lofte.Locality) string {
	deg := func(v float64, pos, neg string) (string, string) {
		hemi := p.T(pos)
		if v < 0 {
			hemi = p.T(neg)
		}
		return strings.Replace(fmt.Sprintf("%.4f", math.Abs(v)), ".", p.T("decimal"), 1), hemi
	}
	lat, ns := deg(l.Lat, "coord.n", "coord.s")
	lon, ew := deg(l.Lon, "coord.e", "coord.w")
	return p.TF("coord", "lat", lat, "ns", ns, "lon", lon, "ew", ew)
}

// publicFeedback is a closed feedback item as the public sees it.
type publicFeedback struct {
	Basort, Topic, Said, Action, On string
}

// feedbackViews are items as the public sees them, their topics in lang.
func (s *Server) feedbackViews(items []*lofte.FeedbackItem, lang *web.Texts) []publicFeedback {
	code := web.DefaultLang
	if lang != nil {
		code = lang.Code
	}
	out := make([]publicFeedback, 0, len(items))
	for _, f := range items {
		v := publicFeedback{Basort: f.Basort, Topic: s.catalogue.OptionText(code, "problems", f.Topic), Said: f.Said, Action: f.Action}
		if f.FeedbackOn != nil {
			v.On = f.FeedbackOn.String()
		}
		out = append(out, v)
	}
	return out
}
