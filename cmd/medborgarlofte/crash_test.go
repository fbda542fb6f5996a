package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite"
)

// serving is the built binary serving one database file.
type serving struct {
	cmd    *exec.Cmd
	base   string
	exited chan struct{}
	log    *lockedBuffer // written by the process while the test reads it
}

// startKillable starts the binary's serve on db with extra flags, waits until it is healthy,
// and keeps the process to kill (startServe's stop interrupts it gently).
func startKillable(t *testing.T, db string, flags ...string) *serving {
	t.Helper()
	return startKillableAt(t, freeAddr(t), db, flags...)
}

// startKillableAt is startKillable on a given address.
func startKillableAt(t *testing.T, addr, db string, flags ...string) *serving {
	t.Helper()
	s := &serving{base: "http://" + addr, exited: make(chan struct{}), log: &lockedBuffer{}}
	s.cmd = exec.Command(binary, append([]string{"serve", "--addr", addr, "--db", db}, flags...)...)
	s.cmd.Stderr = s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.cmd.Wait(); close(s.exited) }()
	t.Cleanup(func() { s.kill() })
	if !waitHealthy(s.base, s.exited) {
		s.kill()
		t.Fatalf("server did not become healthy; log:\n%s", s.log)
	}
	return s
}

// kill ends the process with SIGKILL, as a power cut or the OOM killer would, and waits.
func (s *serving) kill() {
	s.cmd.Process.Kill()
	<-s.exited
}

// call sends a request with a bearer token and a JSON body and decodes a JSON answer into out.
func call(ctx context.Context, method, url, token, body string, out any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return resp.StatusCode, err
		}
	}
	return resp.StatusCode, nil
}

// TestCrashKeepsAcknowledgedAnswers: kiosks post answers from several goroutines while the
// server is killed with SIGKILL; after each kill every answer the server acknowledged (201 or
// 200) is stored exactly once and the file passes integrity_check, and the server starts
// again on it. Two rounds in the normal run; MEDBORGARLOFTE_SOAK=1 runs twenty, longer.
func TestCrashKeepsAcknowledgedAnswers(t *testing.T) {
	rounds, load := 2, 400*time.Millisecond
	if os.Getenv("MEDBORGARLOFTE_SOAK") != "" {
		rounds, load = 20, 2*time.Second
	}
	db := filepath.Join(t.TempDir(), "crash.db")
	token := func(role string) string {
		code, out, stderr := runBin(t, "", "token", "create", "--role", role, "--name", role+"-crash", "--db", db)
		if code != 0 {
			t.Fatalf("token create: %s", stderr)
		}
		return strings.TrimSpace(out)
	}
	admin, kiosk := token("admin"), token("kiosk")
	keepEverything(t, db)

	s := startKillable(t, db, "--kiosk-rate-limit", "0")
	stop := struct{ ID int64 }{ID: stopToday(t, db)}

	acked := map[string]bool{}
	var stored int
	for round := range rounds {
		if round > 0 {
			s = startKillable(t, db, "--kiosk-rate-limit", "0")
		}
		got := postUntilKilled(t, s, kiosk, stop.ID, round, load+time.Duration(rand.Int64N(int64(load))))
		for _, id := range got {
			acked[id] = true
		}
		counts, check := readBack(t, db)
		if check != "ok" {
			t.Fatalf("round %d: integrity_check %q", round, check)
		}
		for id := range acked {
			if counts[id] != 1 {
				t.Errorf("round %d: acknowledged %s stored %d times", round, id, counts[id])
			}
		}
		stored = len(counts)
		t.Logf("round %d: %d acknowledged in the round, %d in all, %d stored", round, len(got), len(acked), stored)
	}
	if len(acked) == 0 {
		t.Fatal("no answer was acknowledged")
	}
	// The killed server's file serves again.
	s = startKillable(t, db)
	var page struct {
		Responses []json.RawMessage `json:"responses"`
	}
	if status, err := call(context.Background(), http.MethodGet, s.base+"/api/v1/responses?limit=1", admin, "", &page); status != 200 || len(page.Responses) != 1 {
		t.Errorf("export after the crashes: %d %v", status, err)
	}
}

// keepEverything sets the promise's retention to 0, so that a restart does not remove the
// answers of the built-in 2018 promise, long past its retention, that the test counts.
func keepEverything(t *testing.T, path string) {
	t.Helper()
	withActivePromise(t, path, func(ctx context.Context, db *sqlite.DB, p *lofte.Promise) {
		keep := 0
		if _, err := db.UpdatePromise(ctx, p.ID, lofte.PromiseUpdate{RetentionMonths: &keep}); err != nil {
			t.Fatal(err)
		}
	})
}

// stopToday stores a published stop of the built-in promise open now, which the kiosks
// answer for. The planning API would refuse it (the promise is of 2018, and the stop has
// begun): it is stored as history is.
func stopToday(t *testing.T, path string) int64 {
	t.Helper()
	now := time.Now().Truncate(time.Minute)
	pub := now.AddDate(0, 0, -14)
	st := &lofte.Stop{Basort: "Tollarp", Place: "Torget", StartsAt: now.Add(-2 * time.Hour),
		EndsAt: now.Add(2 * time.Hour), Kind: lofte.KindRegular, Status: lofte.StatusPublished, PublishedAt: &pub}
	withActivePromise(t, path, func(ctx context.Context, db *sqlite.DB, p *lofte.Promise) {
		st.PromiseID = p.ID
		if err := db.CreateStop(ctx, st); err != nil {
			t.Fatal(err)
		}
	})
	return st.ID
}

// withActivePromise opens the database at path, calls fn with its active promise and closes
// it again before the server opens it.
func withActivePromise(t *testing.T, path string, fn func(context.Context, *sqlite.DB, *lofte.Promise)) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.ActivePromise(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fn(ctx, db, p)
}

// postUntilKilled posts single answers and small batches from four goroutines until, after
// load, the server is killed; it returns the ids the server acknowledged.
func postUntilKilled(t *testing.T, s *serving, kiosk string, stopID int64, round int, load time.Duration) []string {
	t.Helper()
	return postUntil(t, s, kiosk, stopID, round, load, s.kill)
}

// readBack opens the killed server's file as SQLite itself would after a crash and returns
// how often each response id is stored and what integrity_check says.
func readBack(t *testing.T, db string) (map[string]int, string) {
	t.Helper()
	conn, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var check string
	if err := conn.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.Query("SELECT id, count(*) FROM responses GROUP BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		counts[id] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return counts, check
}
