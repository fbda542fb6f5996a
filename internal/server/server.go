package server

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/survey"
	"medborgarlofte/web"
)

// Config is what the server needs from its surroundings.
type Config struct {
	Store  Store
	Logger *slog.Logger
	// Now is the clock; nil means time.Now. The store keeps its own (sqlite.DB.Now): give
	// both the same one, as cmd's serve and the tests do, so that what the server decides
	// (a session's expiry) and what the store stamps agree.
	Now func() time.Time
	// KioskRateLimit is requests per second per kiosk token (bursts of 5×); 0 turns it off.
	KioskRateLimit float64
	// SecureCookies marks session cookies Secure; browsers keep them on https and localhost.
	SecureCookies bool
	// MaxBody is the largest request body accepted, in bytes.
	MaxBody int64
	// TrustedProxies are the reverse proxies in front of the server. Only when the direct
	// peer is inside one of them is the client's address read from X-Forwarded-For; with
	// none the header is never believed, since any client can send it.
	TrustedProxies []netip.Prefix
	// A11yContact is where the accessibility statement (/tillganglighet) tells people to report
	// a problem: an e-mail address, or a sentence with e-mail and phone; empty shows
	// DefaultA11yContact.
	A11yContact string
	// PublicURL is the address people reach the app at ("https://mobilapolisen.example.se"):
	// the posters' QR codes, the calendar links and the tablets' pairing link use it. Empty
	// takes the address each request came to (origin).
	PublicURL string
	// ReportJobs is how many BRÅ workbooks are written at once; more are refused with 429 and
	// Retry-After. 0 means DefaultReportJobs.
	ReportJobs int
	// Collectors are figures GET /metrics gives beside the server's own: cmd's serve adds
	// the database's size and the time of the last backup.
	Collectors []prometheus.Collector
}

// DefaultReportJobs keeps the workbooks written at once, each some tens of MiB, to two.
const DefaultReportJobs = 2

// DefaultMaxBody fits a full batch of 500 responses with long comments.
const DefaultMaxBody = 2 << 20

// Server is the web application.
type Server struct {
	cfg           Config
	store         Store
	log           *slog.Logger
	engine        *gin.Engine
	pages         map[string]*template.Template
	assets        *web.Assets
	registered    map[string]bool
	loginByName   *limiters
	loginByClient *limiters
	pairByClient  *limiters
	pairFailures  *rate.Limiter
	kioskLimit    *limiters
	reportSlots   chan struct{}
	catalogue     *survey.Catalogue
	topicCodes    map[string]bool
	answerPosts   answerPosts
	recent        recentAnswers
	mon           *monitor
}

// ginMode sets gin's process-wide mode once, before the first engine is built: release mode,
// so gin prints no debug route table and warnings into the log.
var ginMode sync.Once

// New builds the server and its routes.
func New(cfg Config) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	assets, err := web.NewAssets()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, store: cfg.Store, log: cfg.Logger, assets: assets,
		registered:    map[string]bool{},
		loginByName:   newLimiters(1.0/12, 5), // 5 tries, then one every 12 s
		loginByClient: newLimiters(1.0/3, 20),
		pairByClient:  newLimiters(1.0/6, 10),
		// Wrong pairing codes from everyone together: 30, then one every 2 s. A code lives
		// 15 minutes, so at most 480 of the 10^8 codes can be tried against it.
		pairFailures: rate.NewLimiter(rate.Limit(1.0/2), 30),
		reportSlots:  make(chan struct{}, cfg.ReportJobs),
	}
	if cfg.KioskRateLimit > 0 {
		s.kioskLimit = newLimiters(cfg.KioskRateLimit, max(1, int(5*cfg.KioskRateLimit)))
	}
	if s.mon, err = newMonitor(func() int { return len(s.reportSlots) }, cfg.Collectors...); err != nil {
		return nil, fmt.Errorf("server: metrics: %w", err)
	}
	s.catalogue = survey.Default()
	s.topicCodes = map[string]bool{}
	for _, code := range survey.Default().Options("problems") {
		s.topicCodes[code] = true
	}
	s.pages, err = web.Parse(templateFuncs(assets))
	if err != nil {
		return nil, err
	}
	if s.engine, err = s.newEngine(); err != nil {
		return nil, err
	}
	s.registerRoutes()
	return s, nil
}

// withDefaults is the configuration with the defaults filled in where a setting is unset,
// and the public address in its canonical form; a configuration the server cannot run with
// is refused.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.Store == nil {
		return cfg, fmt.Errorf("server: no store")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.ReportJobs <= 0 {
		cfg.ReportJobs = DefaultReportJobs
	}
	if cfg.PublicURL != "" {
		u, err := CheckPublicURL(cfg.PublicURL)
		if err != nil {
			return cfg, err
		}
		cfg.PublicURL = u
	}
	return cfg, nil
}

// newEngine is the gin engine with the middleware every request passes through, before any
// route is registered.
func (s *Server) newEngine() (*gin.Engine, error) {
	ginMode.Do(func() { gin.SetMode(gin.ReleaseMode) })
	e := gin.New()
	e.ContextWithFallback = true
	// gin's ClientIP then walks X-Forwarded-For from the right past trusted proxies only;
	// X-Real-IP is not read, as a proxy that does not set it passes on a client's own.
	e.RemoteIPHeaders = []string{"X-Forwarded-For"}
	var proxies []string
	for _, p := range s.cfg.TrustedProxies {
		if !p.IsValid() {
			return nil, fmt.Errorf("server: invalid trusted proxy %v", p)
		}
		proxies = append(proxies, p.Masked().String())
	}
	if err := e.SetTrustedProxies(proxies); err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	e.HandleMethodNotAllowed = true
	// observe is outermost, so that it counts the 500 a recovered panic becomes.
	e.Use(s.observe(), s.recovery(), s.requestLog(), securityHeaders(), s.bodyLimit(s.cfg.MaxBody), s.identify(), noStoreForSignedIn())
	e.NoRoute(s.wrap(func(c *gin.Context) error { return errNoSuchPath() }))
	e.NoMethod(methodNotAllowed)
	return e, nil
}

func (s *Server) registerRoutes() {
	s.registerHealthRoutes()
	s.registerStaticRoutes()
	s.registerIndexRoutes()
	s.registerArchiveRoutes()
	s.registerAuthRoutes()
	s.registerBasortRoutes()
	s.registerStopRoutes()
	s.registerSuspectRoutes()
	s.registerResponseRoutes()
	s.registerKioskRoutes()
	s.registerScheduleRoutes()
	s.registerFeedbackRoutes()
	s.registerCommentRoutes()
	s.registerPlanRoutes()
	s.registerFieldRoutes()
	s.registerMetricsRoutes()
	s.registerBaselineRoutes()
	s.registerDashboardRoutes()
	s.registerMethodRoutes()
	s.registerReportRoutes()
	s.registerAuditRoutes()
	s.registerAccessibilityRoutes()
	s.registerPromiseRoutes()
	s.registerPromisePageRoutes()
	s.registerUserRoutes()
	s.registerTokenRoutes()
	s.registerPasswordRoutes()
	s.registerMonitoringRoutes()
}

// Handler returns the HTTP handler: the engine behind cross-origin protection, which refuses
// cookie-carrying form posts from other sites (CSRF) while bearer clients are unaffected.
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	deny := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"error":{"code":"forbidden","message":"begäran kom från en annan webbplats och avvisades"}}`)
	})
	cop.SetDenyHandler(deny)
	return refererCheck(cop.Handler(s.engine), deny)
}

// refererCheck refuses a cookie-carrying change whose only sign of where it came from is a
// Referer from another site: CrossOriginProtection reads Sec-Fetch-Site and Origin, which old
// browsers do not send, and lets such a request through. Bearer-token clients send no
// cookie and are not affected; a request without any of the three headers is not a browser's
// cross-site form and passes, as before.
func refererCheck(next, deny http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		ref := r.Referer()
		if ref == "" || r.Header.Get("Sec-Fetch-Site") != "" || r.Header.Get("Origin") != "" || !hasAppCookie(r) {
			next.ServeHTTP(w, r)
			return
		}
		if u, err := url.Parse(ref); err != nil || !strings.EqualFold(u.Host, r.Host) {
			deny.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// hasAppCookie reports whether the request carries a cookie that signs it in: a person's
// session or a paired tablet's.
func hasAppCookie(r *http.Request) bool {
	for _, name := range []string{sessionCookie, kioskCookie} {
		if _, err := r.Cookie(name); err == nil {
			return true
		}
	}
	return false
}

// HTTPServer returns an http.Server with timeouts, so a slow client cannot hold a connection.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute, // a large report may take a while to write
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// Routes lists the registered "METHOD /path" routes.
func (s *Server) Routes() []string {
	var out []string
	for r := range s.registered {
		out = append(out, r)
	}
	return out
}

func (s *Server) now() time.Time { return s.cfg.Now() }

// Base is what every page shares.
type Base struct {
	Title    string
	AppName  string
	Identity *lofte.Identity
	Nav      []navItem
	Promise  *lofte.Promise
	// Bare leaves out the site's header and footer (the kiosk).
	Bare bool
	// Renewal, for an admin, leads from an ended active promise to this year's.
	Renewal *navItem
	// promiseErr is why Promise is nil (promised).
	promiseErr error
	// Lang is the language of a residents' page (public.go); nil, on staff pages, is Swedish.
	Lang *web.Texts
}

func (s *Server) base(c *gin.Context, title string) Base {
	id := lofte.IdentityFrom(c.Request.Context())
	b := Base{Title: title, AppName: "Medborgarlöfte", Identity: id, Nav: navFor(id, c.Request.URL.Path)}
	p, err := s.promise(c)
	if err != nil {
		b.promiseErr = err
		return b
	}
	b.Promise = p
	b.Renewal = s.promiseRenewal(c, id, p)
	return b
}

// promised is the page's promise, or why there is none: a promise=ID that is malformed (400)
// or names nothing (404), or no promise at all.
func (b Base) promised() (*lofte.Promise, error) {
	if b.promiseErr != nil {
		return nil, b.promiseErr
	}
	if b.Promise == nil {
		return nil, lofte.NotFound("inget medborgarlöfte är inlagt")
	}
	return b.Promise, nil
}

type messagePage struct {
	Base
	Message string
	Link    *navItem
}

// render executes a page into a buffer first, so a template error never sends half a page.
func (s *Server) render(c *gin.Context, status int, page string, data any) {
	t, ok := s.pages[page]
	if !ok {
		panic("page not registered: " + page)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		s.log.ErrorContext(c.Request.Context(), "render", "page", page, "err", err)
		c.AbortWithStatusJSON(http.StatusInternalServerError, errorBody{Error: lofte.Error{
			Code: lofte.EINTERNAL, Message: "ett internt fel inträffade"}})
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}
