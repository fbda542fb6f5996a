package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite"
)

// binary is the command built once for the tests that need real exit codes.
var binary string

func TestMain(m *testing.M) {
	if kind := os.Getenv(benchChildEnv); kind != "" { // a child of BenchmarkReportScale
		flag.Parse()
		if err := runBenchChild(kind, flag.Args()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "medborgarlofte-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "medborgarlofte")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runBin runs the built command and returns its exit code, stdout and stderr.
func runBin(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Stdin = strings.NewReader(stdin)
	return runCmd(t, cmd)
}

// runCmd runs cmd and returns its exit code, stdout and stderr.
func runCmd(t *testing.T, cmd *exec.Cmd) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String(), errb.String()
	case err != nil:
		t.Fatal(err)
	}
	return 0, out.String(), errb.String()
}

func TestBadInputGivesOneLine(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.db")
	junkBytes := []byte("this is a spreadsheet, not a database; it must stay as it is")
	os.WriteFile(junk, junkBytes, 0o600)
	file := filepath.Join(dir, "plainfile")
	os.WriteFile(file, nil, 0o600)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", nil, 2, "inget kommando"},
		{"unknown command", []string{"frobnicate"}, 2, "okänt kommando"},
		{"bad flag", []string{"serve", "--bogus"}, 2, "flag provided but not defined"},
		{"bad flag value", []string{"serve", "--kiosk-rate-limit", "fast"}, 2, "kiosk-rate-limit"},
		{"negative rate", []string{"serve", "--kiosk-rate-limit", "-1"}, 2, "negativ"},
		{"bad trusted proxy", []string{"serve", "--trusted-proxy", "proxyn"}, 2, "trusted-proxy"},
		{"trusting everyone", []string{"serve", "--trusted-proxy", "10.0.0.1,0.0.0.0/0"}, 2, "alla adresser"},
		{"not a database", []string{"serve", "--addr", "127.0.0.1:0", "--db", junk}, 1, "inte en medborgarlofte-databas"},
		{"unwritable folder", []string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(file, "x.db")}, 1, "data folder"},
		{"taken port", []string{"serve", "--addr", ln.Addr().String(), "--db", filepath.Join(dir, "p.db")}, 1, "används redan"},
		{"bad role", []string{"token", "create", "--role", "root", "--name", "x", "--db", filepath.Join(dir, "t.db")}, 2, "--role"},
		{"user without name", []string{"user", "add", "--role", "admin", "--db", filepath.Join(dir, "t.db")}, 2, "--name"},
		{"backup without out", []string{"backup", "--db", filepath.Join(dir, "t.db")}, 2, "--out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runBin(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			last := lines[len(lines)-1]
			if !strings.Contains(last, tt.want) {
				t.Errorf("last line %q does not say %q", last, tt.want)
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Errorf("stack trace on stderr: %s", stderr)
			}
		})
	}
	if b, _ := os.ReadFile(junk); !bytes.Equal(b, junkBytes) {
		t.Error("the junk file was changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "p.db")); err == nil {
		t.Error("a taken port still created the database")
	}
}

func TestUserAddAndTokenCreate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	code, out, stderr := runBin(t, "", "user", "add", "--name", "anna", "--role", "admin", "--db", db)
	if code != 0 || len(strings.TrimSpace(out)) != 20 {
		t.Fatalf("generated password: code %d out %q err %q", code, out, stderr)
	}
	code, out, _ = runBin(t, "ett långt lösenord\n", "user", "add", "--name", "lisa", "--role", "council", "--db", db)
	if code != 0 || out != "" {
		t.Errorf("piped password: code %d, printed %q", code, out)
	}
	code, _, stderr = runBin(t, "kort\n", "user", "add", "--name", "kalle", "--role", "council", "--db", db)
	if code != 2 || !strings.Contains(stderr, "lösenordet") {
		t.Errorf("short password: code %d %q", code, stderr)
	}
	code, _, stderr = runBin(t, "", "user", "add", "--name", "ANNA", "--role", "officer", "--db", db)
	if code != 1 || !strings.Contains(stderr, "finns redan") {
		t.Errorf("taken name: code %d %q", code, stderr)
	}
	code, out, _ = runBin(t, "", "token", "create", "--role", "kiosk", "--name", "surfplatta-1", "--db", db)
	if code != 0 || !strings.HasPrefix(out, "mlt_") {
		t.Errorf("token: code %d out %q", code, out)
	}
}

// TestServeRestartKeepsDataAndSeedsOnce starts the real binary twice on one file with --demo.
func TestServeRestartKeepsDataAndSeedsOnce(t *testing.T) {
	db := filepath.Join(t.TempDir(), "data", "serve.db")
	code, tok, _ := runBin(t, "", "token", "create", "--role", "admin", "--name", "test", "--db", db)
	if code != 0 {
		t.Fatal("token create failed")
	}
	tok = strings.TrimSpace(tok)
	count := func() (stops int, basorter string, logs string) {
		base, stop := startServe(t, "--demo", "--db", db)
		defer stop()
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/stops", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Sscanf(string(b[strings.LastIndex(string(b), `"total":`)+8:]), "%d", &stops)
		resp, err = http.Get(base + "/api/v1/basorter")
		if err != nil {
			t.Fatal(err)
		}
		bb, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return stops, string(bb), stop()
	}
	first, b1, logs1 := count()
	second, b2, logs2 := count()
	if first < 60 {
		t.Errorf("first start: %d stops, want a demo year", first)
	}
	if second != first || b1 != b2 {
		t.Errorf("restart changed the data: %d → %d stops", first, second)
	}
	if !strings.Contains(logs1, "loaded the demo year") || strings.Contains(logs2, "loaded the demo year") {
		t.Errorf("demo should load on the first start only\nfirst: %s\nsecond: %s", logs1, logs2)
	}
	if !strings.Contains(logs1, "no admin exists yet") {
		t.Error("first start without an admin does not say how to create one")
	}
	if strings.Contains(logs1+logs2, "retention removed") {
		t.Errorf("retention removed some of the demo year:\n%s%s", logs1, logs2)
	}
}

// startServe starts the built binary's serve on a free address and waits until it is
// healthy; stop interrupts it, waits for it to end and returns its log.
func startServe(t *testing.T, args ...string) (base string, stop func() string) {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, binary, append([]string{"serve", "--addr", addr}, args...)...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	stop = func() string {
		cancel()
		<-exited
		return errb.String()
	}
	base = "http://" + addr
	if !waitHealthy(base, exited) {
		t.Fatalf("server did not become healthy; log:\n%s", stop())
	}
	return base, stop
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitHealthy polls /healthz until it answers 200, the process exits, or a minute passes.
func waitHealthy(base string, exited <-chan struct{}) bool {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return true
			}
		}
		select {
		case <-exited:
			return false
		case <-time.After(100 * time.Millisecond):
		}
	}
	return false
}

func TestBackup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "b.db")
	if code, _, _ := runBin(t, "", "token", "create", "--role", "kiosk", "--name", "k", "--db", db); code != 0 {
		t.Fatal("token create failed")
	}
	// The audit log is kept with the data, so a backup holds it.
	ctx := context.Background()
	live, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	entry := &lofte.AuditEntry{At: time.Date(2018, 3, 10, 11, 0, 0, 0, time.UTC), Actor: "anna", Action: "stop.cancel",
		Object: "stop:42", Detail: "Inställt: fordonet på service"}
	err = live.Audit(ctx, entry)
	live.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "copy.db")
	if code, stdout, stderr := runBin(t, "", "backup", "--out", out, "--db", db); code != 0 || strings.TrimSpace(stdout) != out {
		t.Fatalf("backup: %d %q %q", code, stdout, stderr)
	}
	cp, err := sqlite.Open(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	// Only the entry about stop 42: the commands that set the database up wrote their own.
	if es, err := cp.FindAudit(ctx, lofte.AuditFilter{Object: entry.Object}); err != nil || len(es) != 1 || *es[0] != *entry {
		t.Errorf("the backup's audit log: %v (%v), want %v", es, err, entry)
	}
	if code, _, stderr := runBin(t, "", "backup", "--out", out, "--db", db); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("second backup to the same file: %d %q", code, stderr)
	}
	if code, _, stderr := runBin(t, "", "backup", "--out", filepath.Join(dir, "c2.db"), "--db", filepath.Join(dir, "none.db")); code != 1 || !strings.Contains(stderr, "finns inte") {
		t.Errorf("backup of a missing database: %d %q", code, stderr)
	}
}
