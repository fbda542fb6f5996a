package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"medborgarlofte/internal/sqlite"
	"medborgarlofte/internal/sqlite/sqlitetest"
	"medborgarlofte/internal/survey"
)

// upgradeFixture is the committed database at the schema before the newest
// (scripts/make-upgrade-fixture), with part of the demo year.
const upgradeFixture = "../../internal/sqlite/testdata/upgrade.db"

// fixtureSchema is upgradeFixture's schema version.
const fixtureSchema = 11

// stopGently sends SIGTERM, waits for the process to end and returns its exit code.
func (s *serving) stopGently(t *testing.T) int {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("still running 30 s after SIGTERM; log:\n%s", s.log)
	}
	return s.cmd.ProcessState.ExitCode()
}

// walSize is the size of db's write-ahead log, -1 when there is none.
func walSize(t *testing.T, db string) int64 {
	t.Helper()
	fi, err := os.Stat(db + "-wal")
	if os.IsNotExist(err) {
		return -1
	}
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestSIGTERMUnderLoad: kiosks post answers from four goroutines while the server gets
// SIGTERM. It finishes the requests in flight and exits 0; every answer it acknowledged is
// stored exactly once, and the write-ahead log is empty or gone.
func TestSIGTERMUnderLoad(t *testing.T) {
	db := filepath.Join(t.TempDir(), "term.db")
	code, out, stderr := runBin(t, "", "token", "create", "--role", "kiosk", "--name", "kiosk-term", "--db", db)
	if code != 0 {
		t.Fatalf("token create: %s", stderr)
	}
	kiosk := strings.TrimSpace(out)
	keepEverything(t, db)
	stopID := stopToday(t, db)
	for round := range 2 {
		s := startKillable(t, db, "--kiosk-rate-limit", "0")
		acked := postUntil(t, s, kiosk, stopID, round, 500*time.Millisecond, func() {
			if code := s.stopGently(t); code != 0 {
				t.Errorf("round %d: exit code %d after SIGTERM; log:\n%s", round, code, s.log)
			}
		})
		if len(acked) == 0 {
			t.Fatalf("round %d: no answer acknowledged", round)
		}
		if !strings.Contains(s.log.String(), "msg=stopped") {
			t.Errorf("round %d: no 'stopped' in the log:\n%s", round, s.log)
		}
		if n := walSize(t, db); n > 0 {
			t.Errorf("round %d: write-ahead log of %d bytes left", round, n)
		}
		counts, check := readBack(t, db)
		if check != "ok" {
			t.Fatalf("round %d: integrity_check %q", round, check)
		}
		for _, id := range acked {
			if counts[id] != 1 {
				t.Errorf("round %d: acknowledged %s stored %d times", round, id, counts[id])
			}
		}
		t.Logf("round %d: %d acknowledged, %d stored in all", round, len(acked), len(counts))
	}
}

// postUntil posts single answers and small batches from four goroutines; after load it calls
// stop (which ends the server) while they go on, and returns the ids the server acknowledged.
func postUntil(t *testing.T, s *serving, kiosk string, stopID int64, round int, load time.Duration, stop func()) []string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
	)
	at := time.Now().Format(time.RFC3339)
	for w := range 4 {
		wg.Go(func() {
			for seq := 0; ctx.Err() == nil; seq++ {
				n := 1 + seq%5
				ids, items := make([]string, n), make([]string, n)
				for i := range n {
					ids[i] = fmt.Sprintf("c7a50000-%04x-4%03x-8%03x-%012x", round, w, i, seq)
					items[i] = fmt.Sprintf(`{"id":%q,"stop_id":%d,"lang":"sv","answered_at":%q,"answers":{"trust":"neither"}}`,
						ids[i], stopID, at)
				}
				var res struct {
					Results []struct{ ID, Result string } `json:"results"`
				}
				status, err := call(ctx, http.MethodPost, s.base+"/api/v1/responses", kiosk,
					`{"responses":[`+strings.Join(items, ",")+`]}`, &res)
				if err != nil {
					return // the server has gone: not acknowledged
				}
				if status != 201 && status != 200 {
					t.Errorf("post: status %d", status)
					return
				}
				mu.Lock()
				for _, r := range res.Results {
					acked = append(acked, r.ID)
				}
				mu.Unlock()
			}
		})
	}
	time.Sleep(load)
	stop()
	cancel()
	wg.Wait()
	return acked
}

// stalledRequest opens a connection and sends a request whose body never ends, so the server
// has a request in flight until it gives up on it.
func stalledRequest(t *testing.T, base string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":")
	time.Sleep(200 * time.Millisecond) // let the server read the headers
	return conn
}

// TestStopIsBounded: a request that never finishes holds the stop 10 s at most, after which
// the server exits 0; a second signal meanwhile ends it at once.
func TestStopIsBounded(t *testing.T) {
	t.Run("grace period", func(t *testing.T) {
		t.Parallel()
		s := startKillable(t, filepath.Join(t.TempDir(), "bound.db"))
		stalledRequest(t, s.base)
		start := time.Now()
		code := s.stopGently(t)
		took := time.Since(start)
		if code != 0 || took < 9*time.Second || took > 20*time.Second {
			t.Errorf("exit %d after %v, want 0 after about 10 s; log:\n%s", code, took, s.log)
		}
	})
	t.Run("second signal", func(t *testing.T) {
		t.Parallel()
		s := startKillable(t, filepath.Join(t.TempDir(), "twice.db"))
		stalledRequest(t, s.base)
		start := time.Now()
		s.cmd.Process.Signal(syscall.SIGTERM)
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(s.log.String(), "shutting down") && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		code := s.stopGently(t)
		if took := time.Since(start); code != 1 || took > 5*time.Second || !strings.Contains(s.log.String(), "second signal") {
			t.Errorf("exit %d after %v, want 1 at once; log:\n%s", code, took, s.log)
		}
	})
}

// copyFile copies src to dst with mode.
func copyFile(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, mode); err != nil {
		t.Fatal(err)
	}
}

// TestUpgradeFromPreviousSchema: serve on the committed database of the schema before the
// newest writes <db>.before-<version>.bak (0600, the old schema, the same answers), says so
// in the log, migrates, and keeps every answer.
func TestUpgradeFromPreviousSchema(t *testing.T) {
	db := filepath.Join(t.TempDir(), "old.db")
	copyFile(t, upgradeFixture, db, 0o600)
	if v := sqlitetest.SchemaVersion(t, db); v != fixtureSchema || v >= sqlite.SchemaVersion() {
		t.Fatalf("fixture at schema %d, program at %d", v, sqlite.SchemaVersion())
	}
	before, _ := readBack(t, db)
	if len(before) == 0 {
		t.Fatal("the fixture has no answers")
	}
	s := startKillable(t, db)
	if code := s.stopGently(t); code != 0 {
		t.Fatalf("exit %d; log:\n%s", code, s.log)
	}
	backup := fmt.Sprintf("%s.before-%d.bak", db, sqlite.SchemaVersion())
	if !strings.Contains(s.log.String(), "upgraded the database schema") || !strings.Contains(s.log.String(), "backup="+backup) {
		t.Errorf("the log does not name the backup %s:\n%s", backup, s.log)
	}
	fi, err := os.Stat(backup)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", fi.Mode().Perm())
	}
	if v := sqlitetest.SchemaVersion(t, backup); v != fixtureSchema {
		t.Errorf("backup at schema %d, want %d", v, fixtureSchema)
	}
	if v := sqlitetest.SchemaVersion(t, db); v != sqlite.SchemaVersion() {
		t.Errorf("database at schema %d after serve, want %d", v, sqlite.SchemaVersion())
	}
	for name, p := range map[string]string{"database": db, "backup": backup} {
		if got, check := readBack(t, p); check != "ok" || !maps.Equal(got, before) {
			t.Errorf("%s: %d answers (integrity %s), the fixture had %d", name, len(got), check, len(before))
		}
	}
	// A second start has nothing to upgrade.
	s = startKillable(t, db)
	s.stopGently(t)
	if strings.Contains(s.log.String(), "upgraded") {
		t.Errorf("second start upgraded again:\n%s", s.log)
	}
}

func TestVersionCommand(t *testing.T) {
	code, out, stderr := runBin(t, "", "version")
	if code != 0 {
		t.Fatalf("version: %d %s", code, stderr)
	}
	for _, want := range []string{"medborgarlofte ", "databasschema " + strconv.FormatInt(sqlite.SchemaVersion(), 10), runtime.Version()} {
		if !strings.Contains(out, want) {
			t.Errorf("version output %q lacks %q", out, want)
		}
	}
}

// get fetches url with a bearer token (none when empty) and extra header pairs.
func get(t *testing.T, url, token string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// nonLoopbackIP returns an address of this machine other than loopback, or "" if none.
func nonLoopbackIP() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	return ""
}

// TestMetricsEndpoint: behind a reverse proxy on this machine (--trusted-proxy 127.0.0.1),
// /metrics answers a request straight from loopback and an admin's token, refuses a proxied
// request (401) and another role's token (403), counts the answers posted and the backup
// taken, and names no basort and no answer code.
func TestMetricsEndpoint(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "m.db")
	token := func(role string) string {
		code, out, stderr := runBin(t, "", "token", "create", "--role", role, "--name", role+"-metrics", "--db", db)
		if code != 0 {
			t.Fatalf("token create: %s", stderr)
		}
		return strings.TrimSpace(out)
	}
	admin, officer, kiosk := token("admin"), token("officer"), token("kiosk")
	keepEverything(t, db)
	stopID := stopToday(t, db)
	s := startKillable(t, db, "--trusted-proxy", "127.0.0.1")
	at := time.Now().Format(time.RFC3339)
	body := fmt.Sprintf(`{"responses":[{"id":"0e7a0000-0000-4000-8000-000000000001","stop_id":%d,"lang":"sv","answered_at":%q,"answers":{"trust":"fairly_high","problems":["traffic"]}}]}`, stopID, at)
	if status, err := call(context.Background(), http.MethodPost, s.base+"/api/v1/responses", kiosk, body, nil); status != 201 {
		t.Fatalf("post: %d %v", status, err)
	}
	get(t, s.base+"/basort/Tollarp", "")
	if code, out, stderr := runBin(t, "", "backup", "--out", filepath.Join(dir, "b.db"), "--db", db); code != 0 {
		t.Fatalf("backup: %s %s", out, stderr)
	}
	proxied := []string{"X-Forwarded-For", "198.51.100.7"}
	for _, tt := range []struct {
		name   string
		token  string
		header []string
		want   int
	}{
		{"loopback", "", nil, 200},
		{"through the proxy", "", proxied, 401},
		{"officer's token through the proxy", officer, proxied, 403},
		{"kiosk's token through the proxy", kiosk, proxied, 403},
		{"admin's token through the proxy", admin, proxied, 200},
	} {
		status, text := get(t, s.base+"/metrics", tt.token, tt.header...)
		if status != tt.want {
			t.Errorf("%s: %d, want %d: %.200s", tt.name, status, tt.want, text)
			continue
		}
		if status != 200 {
			continue
		}
		for _, want := range []string{`medborgarlofte_answers_ingested_total{result="created"} 1`,
			`medborgarlofte_http_requests_total{method="GET",route="/basort/:name",status="200"} 1`,
			"medborgarlofte_database_size_bytes ",
			fmt.Sprintf(`medborgarlofte_build_info{schema="%d",version=`, sqlite.SchemaVersion())} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: no %q", tt.name, want)
			}
		}
		if m := regexp.MustCompile(`(?m)^medborgarlofte_last_backup_timestamp_seconds (\S+)$`).FindStringSubmatch(text); m == nil {
			t.Errorf("%s: no last backup time", tt.name)
		} else if v, _ := strconv.ParseFloat(m[1], 64); time.Since(time.Unix(int64(v), 0)) > time.Minute {
			t.Errorf("%s: last backup at %s, not the one just taken", tt.name, m[1])
		}
		for _, name := range []string{"Tollarp", "Åhus", "Degeberga"} {
			if strings.Contains(text, name) {
				t.Errorf("%s: the figures name %s", tt.name, name)
			}
		}
		for _, it := range survey.Default().Items() {
			for _, o := range it.Options {
				if strings.Contains(text, `"`+o+`"`) {
					t.Errorf("%s: the figures hold the answer code %q", tt.name, o)
				}
			}
		}
		if strings.Contains(text, "-metrics") {
			t.Errorf("%s: the figures name a token", tt.name)
		}
	}
	s.stopGently(t)
	// Served on another address of this machine, a request without a token comes from that
	// address, not loopback.
	ip := nonLoopbackIP()
	if ip == "" {
		t.Log("this machine has no address but loopback: the request from another address is not tried")
		return
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s = startKillableAt(t, addr, db)
	if status, _ := get(t, s.base+"/metrics", ""); status != 401 {
		t.Errorf("from %s without a token: %d, want 401", ip, status)
	}
	if status, _ := get(t, s.base+"/metrics", admin); status != 200 {
		t.Errorf("from %s with an admin's token: %d, want 200", ip, status)
	}
}

// TestRestoreGivesSameFigures follows the README's backup and restore: a backup taken while
// the server runs, restored into a fresh folder as the only file, serves the same figures.
func TestRestoreGivesSameFigures(t *testing.T) {
	live := filepath.Join(t.TempDir(), "data", "medborgarlofte.db")
	mustDemoDB(t, live)
	code, out, stderr := runBin(t, "", "token", "create", "--role", "admin", "--name", "admin-restore", "--db", live)
	if code != 0 {
		t.Fatalf("token create: %s", stderr)
	}
	admin := strings.TrimSpace(out)
	figures := func(s *serving) map[string]string {
		out := map[string]string{}
		for _, path := range []string{"/api/v1/metrics", "/api/v1/metrics?basort=Tollarp", "/api/v1/outcomes"} {
			status, body := get(t, s.base+path, admin)
			if status != 200 {
				t.Fatalf("%s: %d %.300s", path, status, body)
			}
			out[path] = body
		}
		return out
	}
	s := startKillable(t, live)
	before := figures(s)
	if !strings.Contains(before["/api/v1/metrics"], `"suppressed":false`) {
		t.Fatalf("no figure shown before the backup: %.500s", before["/api/v1/metrics"])
	}
	backup := filepath.Join(t.TempDir(), "backups", "medborgarlofte-2018-12-31.db")
	if code, _, stderr := runBin(t, "", "backup", "--out", backup, "--db", live); code != 0 {
		t.Fatalf("backup while serving: %s", stderr)
	}
	s.stopGently(t)

	// Restore: the server is stopped; the copy replaces the database and no -wal or -shm of
	// another file stays beside it.
	fresh := filepath.Join(t.TempDir(), "data", "medborgarlofte.db")
	if err := os.MkdirAll(filepath.Dir(fresh), 0o700); err != nil {
		t.Fatal(err)
	}
	copyFile(t, backup, fresh, 0o600)
	for _, p := range []string{fresh + "-wal", fresh + "-shm"} {
		if _, err := os.Stat(p); err == nil {
			t.Fatalf("%s beside the restored file", p)
		}
	}
	s = startKillable(t, fresh)
	after := figures(s)
	s.stopGently(t)
	for path, b := range before {
		if after[path] != b {
			t.Errorf("%s differs after the restore:\nbefore %.500s\nafter  %.500s", path, b, after[path])
		}
	}
}

// TestFailedUpgradeExitsClearly: when a migration fails (here the schema-11 fixture already
// has a column that migration 12 adds), serve exits 1 with one line that says the database is
// as it was and where the backup is, and the file keeps its schema and its answers.
func TestFailedUpgradeExitsClearly(t *testing.T) {
	db := filepath.Join(t.TempDir(), "old.db")
	copyFile(t, upgradeFixture, db, 0o600)
	conn, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec("ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0")
	conn.Close()
	if err != nil {
		t.Fatal(err)
	}
	before, _ := readBack(t, db)
	code, _, stderr := runBin(t, "", "serve", "--addr", freeAddr(t), "--db", db)
	backup := fmt.Sprintf("%s.before-%d.bak", db, sqlite.SchemaVersion())
	if code != 1 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 ||
		!strings.Contains(stderr, "uppgraderingen av databasen misslyckades och den lämnas som den var") ||
		!strings.Contains(stderr, backup) {
		t.Errorf("exit %d, stderr %q: want 1 and one line naming %s", code, stderr, backup)
	}
	if v := sqlitetest.SchemaVersion(t, db); v != fixtureSchema {
		t.Errorf("database at schema %d after the failure, want %d", v, fixtureSchema)
	}
	if got, check := readBack(t, db); check != "ok" || !maps.Equal(got, before) {
		t.Errorf("%d answers after the failure (integrity %s), %d before", len(got), check, len(before))
	}
}
