package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// deployDir holds the files the README's "Drift" section installs.
const deployDir = "../../deploy"

// need skips the test when tool is missing, naming the step that installs it.
func need(t *testing.T, tool string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		t.Skipf("SKIPPED, NOT PASSED: %s is not installed (scripts/install-test-deps installs it from Debian)", tool)
	}
	return p
}

// TestSystemdUnitsVerify runs systemd-analyze verify on the service, the backup service and
// its timer, with the programs' paths pointing at the built binary and the backup script.
// Any warning fails: systemd only warns about an unknown or misspelt setting.
func TestSystemdUnitsVerify(t *testing.T) {
	analyze := need(t, "systemd-analyze")
	dir := t.TempDir()
	script := filepath.Join(dir, "medborgarlofte-backup")
	copyFile(t, filepath.Join(deployDir, "medborgarlofte-backup"), script, 0o755)
	units := []string{"medborgarlofte.service", "medborgarlofte-backup.service", "medborgarlofte-backup.timer"}
	for _, u := range units {
		b, err := os.ReadFile(filepath.Join(deployDir, u))
		if err != nil {
			t.Fatal(err)
		}
		s := strings.ReplaceAll(string(b), "/usr/local/bin/medborgarlofte-backup", script)
		s = strings.ReplaceAll(s, "/usr/local/bin/medborgarlofte ", binary+" ")
		if err := os.WriteFile(filepath.Join(dir, u), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(analyze, "verify", "--man=no")
	for _, u := range units {
		cmd.Args = append(cmd.Args, filepath.Join(dir, u))
	}
	out, err := cmd.CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	// What the README promises of the service.
	b, _ := os.ReadFile(filepath.Join(deployDir, "medborgarlofte.service"))
	for _, want := range []string{"User=medborgarlofte", "StateDirectory=medborgarlofte", "ProtectSystem=strict",
		"NoNewPrivileges=yes", "Restart=on-failure", "--trusted-proxy 127.0.0.1", "--addr 127.0.0.1:8080"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the service lacks %s", want)
		}
	}
}

// TestBackupScriptKeepsTheNewest: the nightly script writes a new copy, notes it for
// /metrics, and keeps the newest KEEP copies, leaving other files alone.
func TestBackupScriptKeepsTheNewest(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "medborgarlofte.db")
	if code, _, stderr := runBin(t, "", "token", "create", "--role", "kiosk", "--name", "k", "--db", db); code != 0 {
		t.Fatal(stderr)
	}
	backups := filepath.Join(dir, "backups")
	if err := os.Mkdir(backups, 0o700); err != nil {
		t.Fatal(err)
	}
	old := []string{"medborgarlofte-2018-01-01T023000Z.db", "medborgarlofte-2018-01-02T023000Z.db",
		"medborgarlofte-2018-01-03T023000Z.db", "medborgarlofte-2018-01-04T023000Z.db", "notes.txt"}
	for _, f := range old {
		if err := os.WriteFile(filepath.Join(backups, f), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(filepath.Join(deployDir, "medborgarlofte-backup"), db, backups, "3")
	cmd.Env = append(os.Environ(), "MEDBORGARLOFTE="+binary)
	code, out, stderr := runCmd(t, cmd)
	if code != 0 {
		t.Fatalf("backup script: %d %s %s", code, out, stderr)
	}
	got := entries(t, backups)
	var fresh string
	for _, f := range got {
		if !slices.Contains(old, f) {
			fresh = f
		}
	}
	want := []string{"medborgarlofte-2018-01-03T023000Z.db", "medborgarlofte-2018-01-04T023000Z.db", fresh, "notes.txt"}
	slices.Sort(want)
	if fresh == "" || !slices.Equal(got, want) {
		t.Errorf("backups after the script: %v, want %v", got, want)
	}
	if before, _ := readBack(t, filepath.Join(backups, fresh)); before == nil {
		t.Errorf("the new copy %s is not a database", fresh)
	}
	if at, ok := lastBackup(db); !ok || time.Since(at) > time.Minute {
		t.Errorf("last backup noted %v %v", at, ok)
	}
	if code, _, stderr := runCmd(t, exec.Command(filepath.Join(deployDir, "medborgarlofte-backup"), db, backups, "0")); code != 2 || !strings.Contains(stderr, "KEEP") {
		t.Errorf("KEEP 0: %d %s", code, stderr)
	}
}

// tail is the last n bytes of s.
func tail(s string, n int) string { return s[max(0, len(s)-n):] }

// TestCaddyExample runs deploy/Caddyfile with Caddy's own test certificate in place of the
// public one, in front of the app started as the service starts it: pages come through
// HTTPS, /metrics does not, and the app refuses it too when the proxy lets it through.
func TestCaddyExample(t *testing.T) {
	caddy := need(t, "caddy")
	dir := t.TempDir()
	db := filepath.Join(dir, "medborgarlofte.db")
	app := startKillable(t, db, "--trusted-proxy", "127.0.0.1")
	site := freeAddr(t)
	b, err := os.ReadFile(filepath.Join(deployDir, "Caddyfile"))
	if err != nil {
		t.Fatal(err)
	}
	conf := string(b)
	for old, repl := range map[string]string{
		"medborgarlofte.example.se {": "https://" + site + " {\n\ttls internal",
		"127.0.0.1:8080":              strings.TrimPrefix(app.base, "http://"),
	} {
		if !strings.Contains(conf, old) {
			t.Fatalf("the Caddyfile has no %q", old)
		}
		conf = strings.ReplaceAll(conf, old, repl)
	}
	global := "{\n\tadmin off\n\tskip_install_trust\n\tauto_https disable_redirects\n\tstorage file_system " + filepath.Join(dir, "caddy") + "\n}\n"
	for name, c := range map[string]string{"as given": conf, "without the /metrics line": strings.Replace(conf, "respond /metrics 404", "", 1)} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "Caddyfile")
			if err := os.WriteFile(file, []byte(global+c), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			cmd := exec.CommandContext(ctx, caddy, "run", "--config", file, "--adapter", "caddyfile")
			cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir)
			logb := &lockedBuffer{}
			cmd.Stdout, cmd.Stderr = logb, logb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cancel(); cmd.Wait() })
			client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
				TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} // Caddy's test CA is not trusted here
			getTLS := func(path string) (int, http.Header) {
				resp, err := client.Get("https://" + site + path)
				if err != nil {
					return 0, nil
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				return resp.StatusCode, resp.Header
			}
			deadline := time.Now().Add(30 * time.Second)
			for status, _ := getTLS("/healthz"); status != 200; status, _ = getTLS("/healthz") {
				if time.Now().After(deadline) {
					cancel()
					cmd.Wait()
					t.Fatalf("no answer through Caddy from\n%s\nthe end of its log:\n%s", global+c, tail(logb.String(), 2000))
				}
				time.Sleep(100 * time.Millisecond)
			}
			status, h := getTLS("/")
			if status != 200 || h.Get("Strict-Transport-Security") == "" {
				t.Errorf("start page through Caddy: %d, HSTS %q", status, h.Get("Strict-Transport-Security"))
			}
			want := map[string]int{"as given": 404, "without the /metrics line": 401}[name]
			if status, _ := getTLS("/metrics"); status != want {
				t.Errorf("/metrics through Caddy: %d, want %d", status, want)
			}
		})
	}
	if !strings.Contains(app.log.String(), fmt.Sprintf("route=%s", "/healthz")) {
		t.Errorf("the app logged no request through Caddy:\n%s", app.log)
	}
}
