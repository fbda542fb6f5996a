// Command mlfload measures durable ingest: N concurrent kiosks post answers to
// POST /api/v1/responses of the app, started in this process on a temporary database, for T
// seconds; then the same load, in the same run, against (a) a bare Gin handler that decodes
// the same JSON and answers 201 without storing, and (b) raw SQLite inserts, one row per
// durable transaction. It prints throughput, latency and errors of each, and the ratios
// app/(a) and app/(b).
//
// Everything runs on loopback in this one process: it needs no running server, never sends
// to another host, and stops after the given time or number of requests, whichever comes
// first. The kiosk rate limit is off for the run; durability (WAL, synchronous=FULL),
// validation and the suspect rules are the app's own.
//
//	mlfload -kiosks 64 -duration 10s -batch 1,20
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"
)

// Bounds: a run never goes on longer or wider than these, whatever the flags ask.
const (
	maxDuration = 2 * time.Minute
	maxKiosks   = 1024
	maxBatch    = 500 // the API's own limit (server.MaxBatch)
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "mlfload:", err)
		os.Exit(1)
	}
}

// options are the flags of one run.
type options struct {
	kiosks   int
	duration time.Duration
	batches  []int
	requests int
	listen   string
	dir      string
	targets  string
	profile  string
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("mlfload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.kiosks, "kiosks", 64, "concurrent kiosks, each with its own token (1–1024)")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long each target is loaded (at most 2m)")
	batch := fs.String("batch", "1", "answers per request; a comma list runs each size (1–500)")
	fs.IntVar(&o.requests, "requests", 1_000_000, "at most this many requests per target")
	fs.StringVar(&o.listen, "listen", "127.0.0.1", "loopback address the servers listen on")
	fs.StringVar(&o.dir, "dir", "", "folder for the temporary databases (default the system's temporary folder); its disk decides the fsync cost")
	fs.StringVar(&o.targets, "targets", "app,gin,sqlite", "which targets to load, comma separated")
	fs.StringVar(&o.profile, "cpuprofile", "", "write a CPU profile of the whole run to this file")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for _, s := range strings.Split(*batch, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > maxBatch {
			return o, fmt.Errorf("-batch %q: sizes are whole numbers from 1 to %d", *batch, maxBatch)
		}
		o.batches = append(o.batches, n)
	}
	switch {
	case o.kiosks < 1 || o.kiosks > maxKiosks:
		return o, fmt.Errorf("-kiosks %d: from 1 to %d", o.kiosks, maxKiosks)
	case o.duration <= 0 || o.duration > maxDuration:
		return o, fmt.Errorf("-duration %s: more than 0, at most %s", o.duration, maxDuration)
	case o.requests < 1:
		return o, fmt.Errorf("-requests %d: at least 1", o.requests)
	}
	if ip := net.ParseIP(o.listen); ip == nil || !ip.IsLoopback() {
		return o, fmt.Errorf("-listen %q: only a loopback address (127.0.0.1, ::1); the load never leaves this machine", o.listen)
	}
	for _, t := range strings.Split(o.targets, ",") {
		if t != "app" && t != "gin" && t != "sqlite" {
			return o, fmt.Errorf("-targets %q: app, gin and sqlite", o.targets)
		}
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp(o.dir, "mlfload-")
	if err != nil {
		return fmt.Errorf("temporary folder: %w", err)
	}
	defer os.RemoveAll(dir)
	if o.profile != "" {
		f, err := os.Create(o.profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	fmt.Fprintf(stdout, "mlfload: %d kiosks, %s per target, at most %d requests, databases in %s\n",
		o.kiosks, o.duration, o.requests, dir)
	for _, b := range o.batches {
		if err := runBatch(ctx, o, b, dir, stdout); err != nil {
			return err
		}
	}
	return nil
}

// runBatch loads each target with requests of b answers and prints the comparison.
func runBatch(ctx context.Context, o options, b int, dir string, stdout io.Writer) error {
	fmt.Fprintf(stdout, "\nbatch %d answer(s) per request\n", b)
	fmt.Fprintf(stdout, "%-22s %10s %9s %9s %9s %7s\n", "target", "answers/s", "req/s", "p50", "p99", "errors")
	want := strings.Split(o.targets, ",")
	has := func(t string) bool {
		for _, w := range want {
			if w == t {
				return true
			}
		}
		return false
	}
	var app, bare, raw *result
	if has("app") {
		t, err := startApp(ctx, o, dir, b)
		if err != nil {
			return err
		}
		app = drive(ctx, o, b, t.post)
		t.report(app)
		if err := t.close(); err != nil {
			return err
		}
		app.print(stdout, "app (durable)")
		fmt.Fprintf(stdout, "  %s\n", t.note)
	}
	if has("gin") {
		t, err := startBare(o)
		if err != nil {
			return err
		}
		bare = drive(ctx, o, b, t.post)
		if err := t.close(); err != nil {
			return err
		}
		bare.print(stdout, "(a) bare Gin, no store")
	}
	if has("sqlite") {
		t, err := openRaw(ctx, dir, b)
		if err != nil {
			return err
		}
		raw = drive(ctx, o, 1, t.insert)
		if err := t.close(); err != nil {
			return err
		}
		raw.print(stdout, "(b) raw SQLite, 1 row/tx")
	}
	if app != nil && bare != nil {
		fmt.Fprintf(stdout, "app/(a) = %.2f (answers/s)\n", ratio(app, bare))
	}
	if app != nil && raw != nil {
		fmt.Fprintf(stdout, "app/(b) = %.2f (answers/s)\n", ratio(app, raw))
	}
	return ctx.Err()
}

func ratio(a, b *result) float64 {
	if b.rate() == 0 {
		return 0
	}
	return a.rate() / b.rate()
}
