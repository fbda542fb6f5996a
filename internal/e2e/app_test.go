package e2e

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
	"medborgarlofte/internal/sqlite"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// app is a running server that can be stopped and started again on the same address.
type app struct {
	db    *sqlite.DB
	p     *lofte.Promise
	srv   *server.Server
	hs    *http.Server
	addr  string
	url   string
	shots string
	// clock is the app's own clock (startAppAt), nil for the real one.
	clock *walkClock
}

func startApp(t *testing.T) *app {
	t.Helper()
	return startAppOn(t, nil)
}

// startAppOn starts the app on a fresh database with the built-in promise; clock, when not
// nil, is the server's and the store's clock.
func startAppOn(t *testing.T, clock *walkClock) *app {
	t.Helper()
	db, p := sqlitetest.MustOpenSeeded(t)
	cfg := server.Config{Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SecureCookies: true, KioskRateLimit: 10}
	if clock != nil {
		db.Now, cfg.Now = clock.now, clock.now
	}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a := &app{db: db, p: p, srv: srv, shots: os.Getenv("MEDBORGARLOFTE_SHOTS"), clock: clock}
	if a.shots == "" {
		a.shots = t.TempDir()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a.addr = ln.Addr().String()
	a.url = "http://" + a.addr
	a.serve(ln)
	t.Cleanup(func() { a.hs.Close() })
	return a
}

func (a *app) serve(ln net.Listener) {
	a.hs = a.srv.HTTPServer()
	go a.hs.Serve(ln)
}

// stop takes the server away, as a lost network does.
func (a *app) stop(t *testing.T) {
	t.Helper()
	if err := a.hs.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		t.Fatal(err)
	}
}

// restart brings the server back on the same address.
func (a *app) restart(t *testing.T) {
	t.Helper()
	var ln net.Listener
	var err error
	for range 50 {
		if ln, err = net.Listen("tcp", a.addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	a.serve(ln)
}

// chromium finds Debian's Chromium; the tests need it and say how to get it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Fatal("Chromium not found: run scripts/install-test-deps (Debian package chromium)")
	return ""
}

func axePath(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	p := filepath.Join(filepath.Dir(file), "..", "..", ".cache", "npm", "node_modules", "axe-core", "axe.min.js")
	if _, err := os.Stat(p); err != nil {
		t.Fatal("axe-core not found: run scripts/install-test-deps (npm package axe-core)")
	}
	return p
}

// browser starts a headless Chromium with a fresh profile, tablet-sized.
func (a *app) browser(t *testing.T) context.Context {
	t.Helper()
	// The profile is removed after Chromium is gone; its helper processes may still be
	// writing for a moment, which made t.TempDir's cleanup fail now and then.
	profile, err := os.MkdirTemp("", "medborgarlofte-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1024, 768),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}
