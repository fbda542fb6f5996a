package main

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestConnectionCap: with --max-connections 3, three clients that never finish their headers
// hold every slot and a fourth waits; when one of them leaves, the fourth is answered.
func TestConnectionCap(t *testing.T) {
	if code, _, stderr := runBin(t, "", "serve", "--max-connections", "0"); code != 2 || !strings.Contains(stderr, "--max-connections") {
		t.Errorf("--max-connections 0: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runBin(t, "", "serve", "--public-url", "mobilapolisen.example.se"); code != 2 || !strings.Contains(stderr, "--public-url") {
		t.Errorf("--public-url without a scheme: exit %d, %q", code, stderr)
	}
	base, stop := startServe(t, "--db", filepath.Join(t.TempDir(), "cap.db"), "--max-connections", "3")
	defer stop()
	http.DefaultClient.CloseIdleConnections() // waitHealthy's kept-alive connection holds a slot
	addr := strings.TrimPrefix(base, "http://")
	var slow []net.Conn
	for range 3 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n")); err != nil {
			t.Fatal(err)
		}
		slow = append(slow, c)
	}
	client := &http.Client{Timeout: 500 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	if resp, err := client.Get(base + "/healthz"); err == nil {
		resp.Body.Close()
		t.Fatalf("a fourth connection was served (%d) while three held the cap", resp.StatusCode)
	}
	slow[0].Close()
	client.Timeout = 5 * time.Second
	start := time.Now()
	resp, err := client.Get(base + "/healthz")
	if err != nil {
		t.Fatalf("after a slot was freed: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("after a slot was freed: status %d", resp.StatusCode)
	}
	t.Logf("answered %v after a slot was freed", time.Since(start).Round(time.Millisecond))
}

// TestBackupIsPrivate: the backup command's copy is readable by its owner only.
func TestBackupIsPrivate(t *testing.T) {
	dir := t.TempDir()
	db, out := filepath.Join(dir, "b.db"), filepath.Join(dir, "copy.db")
	if code, _, stderr := runBin(t, "", "token", "create", "--role", "kiosk", "--name", "k", "--db", db); code != 0 {
		t.Fatalf("token create: %s", stderr)
	}
	if code, _, stderr := runBin(t, "", "backup", "--out", out, "--db", db); code != 0 {
		t.Fatalf("backup: %s", stderr)
	}
	for _, p := range []string{db, out} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(p), fi.Mode().Perm())
		}
	}
}
