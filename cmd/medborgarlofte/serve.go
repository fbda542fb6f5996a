package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/net/netutil"

	"medborgarlofte/internal/demo"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/seed"
	"medborgarlofte/internal/server"
	"medborgarlofte/internal/sqlite"
)

// shutdownGrace is how long a stopping server lets requests in flight finish; systemd's
// TimeoutStopSec (deploy/medborgarlofte.service) leaves room for it and the checkpoint.
const shutdownGrace = 10 * time.Second

// defaultMaxConnections is the default of --max-connections: many times what a municipality's
// staff, kiosks and visitors open at once, well below the descriptors a process may hold.
const defaultMaxConnections = 1024

// serveConfig is what serve's command line asks for.
type serveConfig struct {
	addr, dbPath           string
	demo                   bool
	kioskRate              float64
	secureCookies, logJSON bool
	maxConns               int
	publicURL, a11yContact string
	proxies                proxyFlag
}

// parseServeFlags reads serve's command line, refusing values the server cannot run with
// before anything is opened.
func parseServeFlags(args []string, stderr io.Writer) (*serveConfig, error) {
	var cfg serveConfig
	fs := newFlags("serve", stderr)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "adress och port att lyssna på")
	dbPath := dbFlag(fs)
	fs.BoolVar(&cfg.demo, "demo", false, "fyll en tom databas med ett syntetiskt demoår")
	fs.Float64Var(&cfg.kioskRate, "kiosk-rate-limit", 10, "förfrågningar per sekund per kiosktoken (skurar om 5×), 0 = av")
	fs.BoolVar(&cfg.secureCookies, "secure-cookies", true, "markera inloggningskakan Secure (stäng av bara för test på http utan localhost)")
	fs.BoolVar(&cfg.logJSON, "log-json", false, "skriv loggen som JSON")
	fs.IntVar(&cfg.maxConns, "max-connections", defaultMaxConnections, "högsta antal samtidiga anslutningar; fler väntar tills en stängs")
	fs.StringVar(&cfg.publicURL, "public-url", "", "adressen folk når appen på, t.ex. https://mobilapolisen.kommun.se: affischernas QR-koder, kalenderlänkar och parningslänken använder den (standard: adressen varje begäran kom till)")
	fs.StringVar(&cfg.a11yContact, "a11y-contact", "", "var tillgänglighetsredogörelsen (/tillganglighet) säger att brister rapporteras: e-postadress eller en mening med e-post och telefon")
	fs.Var(&cfg.proxies, "trusted-proxy", "omvänd proxy (CIDR eller adress) vars X-Forwarded-For ger klientens adress; kan upprepas eller kommasepareras")
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	cfg.dbPath = *dbPath
	if cfg.kioskRate < 0 {
		return nil, errUsage{"serve: --kiosk-rate-limit kan inte vara negativ"}
	}
	if cfg.maxConns < 1 {
		return nil, errUsage{"serve: --max-connections måste vara minst 1"}
	}
	if cfg.publicURL != "" {
		if _, err := server.CheckPublicURL(cfg.publicURL); err != nil {
			return nil, errUsage{"serve: --public-url: " + err.Error()}
		}
	}
	return &cfg, nil
}

// logger writes to stderr, as text or, with --log-json, as JSON.
func (cfg *serveConfig) logger(stderr io.Writer) *slog.Logger {
	if cfg.logJSON {
		return slog.New(slog.NewJSONHandler(stderr, nil))
	}
	return slog.New(slog.NewTextHandler(stderr, nil))
}

// runServe is the serve command: it serves the app until ctx ends, then stops gracefully
// and leaves the database file whole.
func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	cfg, err := parseServeFlags(args, stderr)
	if err != nil {
		return err
	}
	log := cfg.logger(stderr)
	// Listen before touching the database, so a taken port changes nothing.
	ln, err := listenCapped(cfg.addr, cfg.maxConns)
	if err != nil {
		return err
	}
	defer ln.Close()
	db, p, err := openServeDB(ctx, log, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	srv, err := server.New(server.Config{Store: db, Logger: log, KioskRateLimit: cfg.kioskRate, SecureCookies: cfg.secureCookies,
		TrustedProxies: cfg.proxies, A11yContact: cfg.a11yContact, PublicURL: cfg.publicURL, Collectors: serveCollectors(log, db, cfg.dbPath)})
	if err != nil {
		return err
	}
	endChores := startChores(ctx, log, db, srv)
	defer endChores()
	defer srv.LogAnswerPosts()

	hs := srv.HTTPServer()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("serving", "url", "http://"+ln.Addr().String(), "db", cfg.dbPath, "promise", p.Slug)
	if err := shutdownOnDone(ctx, log, hs, errc); err != nil {
		return err
	}
	endChores()
	srv.LogAnswerPosts()
	// The file alone is then the whole database, as a copy of it or a restore expects.
	if err := db.Checkpoint(context.Background()); err != nil {
		log.Warn("write-ahead log not emptied; SQLite applies it at the next start", "err", err)
	}
	log.Info("stopped")
	return nil
}

// listenCapped listens on addr, letting at most maxConns connections in at once. Each
// connection holds a file descriptor until its client finishes or a timeout (HTTPServer)
// ends it; beyond the cap the next waits in the kernel's accept queue, so a flood of slow
// clients cannot take the descriptors the database needs.
func listenCapped(addr string, maxConns int) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("adressen %s används redan; välj en annan med --addr", addr)
		}
		return nil, fmt.Errorf("kan inte lyssna på %s: %w", addr, err)
	}
	return netutil.LimitListener(ln, maxConns), nil
}

// openServeDB opens the database (upgrading its schema), loads the built-in promise into a
// new one and the demo year when asked, and warns when no admin exists yet. It returns the
// promise served.
func openServeDB(ctx context.Context, log *slog.Logger, cfg *serveConfig) (_ *sqlite.DB, _ *lofte.Promise, err error) {
	db, err := openDB(ctx, cfg.dbPath)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if err != nil {
			db.Close()
		}
	}()
	if up := db.Upgrade(); up != nil {
		log.Info("upgraded the database schema; the backup taken before is beside it", "from", up.From, "to", up.To,
			"backup", up.Backup, "db", cfg.dbPath)
	}
	p, seeded, err := seed.Ensure(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	if seeded {
		log.Info("loaded the built-in promise into the new database", "promise", p.Slug, "db", cfg.dbPath)
	}
	if cfg.demo {
		if err := fillDemo(ctx, log, db, p); err != nil {
			return nil, nil, err
		}
	}
	if n, err := db.CountUsers(ctx, lofte.RoleAdmin); err != nil {
		return nil, nil, err
	} else if n == 0 {
		log.Warn("no admin exists yet; create one with: medborgarlofte user add --name NAME --role admin --db " + cfg.dbPath)
	}
	return db, p, nil
}

// startChores runs the chores until the returned end is called, which waits for them, so
// they stop before the database closes: retention now and daily, the summary of answer
// posts hourly (the request log has no line per answer). Calling end again does nothing.
func startChores(ctx context.Context, log *slog.Logger, db *sqlite.DB, srv *server.Server) (end func()) {
	choresCtx, stopChores := context.WithCancel(ctx)
	var chores sync.WaitGroup
	daily, hourly := time.NewTicker(24*time.Hour), time.NewTicker(time.Hour)
	chores.Go(func() { retentionDaily(choresCtx, log, db, time.Now, daily.C) })
	chores.Go(func() { atEveryTick(choresCtx, hourly.C, srv.LogAnswerPosts) })
	return func() {
		stopChores()
		chores.Wait()
		daily.Stop()
		hourly.Stop()
	}
}

// shutdownOnDone waits until ctx ends, then stops the server gracefully: no new
// connections, and shutdownGrace for the requests in flight. It returns the server's error
// if serving (errc) fails first.
func shutdownOnDone(ctx context.Context, log *slog.Logger, hs *http.Server, errc <-chan error) error {
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	stopOnSecondSignal(log)
	log.Info("shutting down: no new connections; waiting for requests in flight", "grace", shutdownGrace.String())
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		// What was not answered was not acknowledged: a kiosk keeps it and sends it again.
		log.Warn("requests still running after the grace period were cut off", "err", err)
		hs.Close()
	}
	return nil
}

// stopOnSecondSignal ends the process at once when another SIGINT or SIGTERM arrives
// during the graceful stop. Nothing acknowledged is lost: an answer is acknowledged only
// after its transaction is on disk (synchronous=FULL).
func stopOnSecondSignal(log *slog.Logger) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sig
		log.Warn("second signal: stopping at once", "signal", s.String())
		os.Exit(1)
	}()
}

// serveCollectors are the figures /metrics gives beside the server's own: the program's
// version and schema (which an upgrade changes), the database's size on disk and when the
// backup command last wrote a copy of it.
func serveCollectors(log *slog.Logger, db *sqlite.DB, path string) []prometheus.Collector {
	build := prometheus.NewGauge(prometheus.GaugeOpts{Name: "medborgarlofte_build_info",
		Help:        "Always 1; the labels say the program's version and the database schema it runs.",
		ConstLabels: prometheus.Labels{"version": appVersion(), "schema": strconv.FormatInt(sqlite.SchemaVersion(), 10)}})
	build.Set(1)
	size := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "medborgarlofte_database_size_bytes",
		Help: "Bytes the database takes on disk (the file and its write-ahead log)."}, func() float64 {
		n, err := db.Size()
		if err != nil {
			log.Warn("metrics: database size", "err", err)
		}
		return float64(n)
	})
	last := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "medborgarlofte_last_backup_timestamp_seconds",
		Help: "When the backup command last wrote a copy of this database (Unix time); 0 if never."}, func() float64 {
		at, ok := lastBackup(path)
		if !ok {
			return 0
		}
		return float64(at.Unix())
	})
	return []prometheus.Collector{build, size, last}
}

// proxyFlag collects --trusted-proxy: CIDRs or single addresses, repeated or comma-separated.
type proxyFlag []netip.Prefix

func (p *proxyFlag) String() string { return fmt.Sprint([]netip.Prefix(*p)) }

func (p *proxyFlag) Set(v string) error {
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		pre, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return fmt.Errorf("%q är varken en CIDR (10.0.0.0/8) eller en adress", f)
			}
			pre = netip.PrefixFrom(a, a.BitLen())
		}
		// Trusting every address would let any client choose its own address.
		if pre.Bits() == 0 {
			return fmt.Errorf("%q litar på alla adresser; ange proxyns adress eller nät", f)
		}
		*p = append(*p, pre.Masked())
	}
	return nil
}

// fillDemo loads the demo year, but only into a database without stops: demo data never
// mixes with real data, and a restart with --demo does not load it twice.
func fillDemo(ctx context.Context, log *slog.Logger, db demoDB, p *lofte.Promise) error {
	_, n, err := db.FindStops(ctx, lofte.StopFilter{PromiseID: p.ID, Limit: 1})
	if err != nil {
		return err
	}
	if n > 0 {
		log.Info("demo data not loaded: the database already has stops", "stops", n)
		return nil
	}
	ls, err := db.FindLocalities(ctx, p.ID)
	if err != nil {
		return err
	}
	start := time.Now()
	sum, err := demo.Fill(ctx, db, p, ls, demo.DefaultSeed)
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	log.Info("loaded the demo year (synthetic data)", "summary", fmt.Sprintf("%+v", sum), "ms", time.Since(start).Milliseconds())
	// The demo keeps its free text (retention 0), so it always has comments to show.
	keep := 0
	if _, err := db.UpdatePromise(ctx, p.ID, lofte.PromiseUpdate{RetentionMonths: &keep}); err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	// The demo year is 2018; one published stop today lets the kiosk be tried for real.
	for _, l := range ls {
		if !l.Basort {
			continue
		}
		now := time.Now().In(lofte.Zone)
		day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, lofte.Zone)
		pub := day.AddDate(0, 0, -14)
		st := &lofte.Stop{PromiseID: p.ID, Basort: l.Name, Place: "Torget (demotillfälle i dag)", StartsAt: day.Add(8 * time.Hour),
			EndsAt: day.Add(20 * time.Hour), Kind: lofte.KindRegular, Status: lofte.StatusPublished, PublishedAt: &pub}
		if err := db.CreateStop(ctx, st); err != nil {
			return fmt.Errorf("demo stop today: %w", err)
		}
		log.Info("added a published demo stop today for trying the kiosk", "basort", l.Name, "stop", st.ID)
		break
	}
	return nil
}

type demoDB interface {
	demo.Store
	CreateStop(ctx context.Context, s *lofte.Stop) error
	FindStops(ctx context.Context, f lofte.StopFilter) ([]*lofte.Stop, int, error)
	FindLocalities(ctx context.Context, promiseID int64) ([]*lofte.Locality, error)
	UpdatePromise(ctx context.Context, id int64, upd lofte.PromiseUpdate) (*lofte.Promise, error)
}

// atEveryTick runs fn at every tick until ctx ends.
func atEveryTick(ctx context.Context, tick <-chan time.Time, fn func()) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
			fn()
		}
	}
}
