package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/demo"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/seed"
	"medborgarlofte/internal/server"
	"medborgarlofte/internal/sqlite"
)

// answerGap spaces one kiosk's answers by its own clock: at least lofte.SuspectGap, so the
// too-fast rule sees visitors, not a flood, and the answers take the ordinary path.
const answerGap = lofte.SuspectGap

// payloads makes the requests' bodies: demo answers, ids unique in the run, and each kiosk's
// answers lofte.SuspectGap apart within the load stop's hours.
type payloads struct {
	answers [][]byte
	nonce   uint32
	stopID  int64
	start   time.Time
	span    int // answers a kiosk can give within the stop's hours
}

func newPayloads(stopID int64, start, end time.Time) *payloads {
	p := &payloads{nonce: rand.Uint32(), stopID: stopID, start: start, span: int(end.Sub(start) / answerGap)}
	for _, a := range demo.SampleAnswers(rand.Uint64(), 1024) {
		b, err := json.Marshal(a)
		if err != nil {
			panic(err) // demo answers are strings, integers and lists of strings
		}
		p.answers = append(p.answers, b)
	}
	return p
}

// id is answer i of kiosk k's request seq: unique in the run, a UUID as the API wants.
func (p *payloads) id(k, seq, i int) string {
	return fmt.Sprintf("%08x-%04x-4%03x-8000-%012x", p.nonce, k, i, seq)
}

// body is kiosk k's request seq of b answers: one object for one answer, else a batch.
func (p *payloads) body(k, seq, b int) []byte {
	var buf bytes.Buffer
	if b > 1 {
		buf.WriteString(`{"responses":[`)
	}
	for i := range b {
		if i > 0 {
			buf.WriteByte(',')
		}
		n := seq*b + i
		at := p.start.Add(time.Duration(n%p.span) * answerGap).UTC().Format(time.RFC3339)
		fmt.Fprintf(&buf, `{"id":%q,"stop_id":%d,"lang":"sv","answered_at":%q,"answers":%s}`,
			p.id(k, seq, i), p.stopID, at, p.answers[(k*7919+n)%len(p.answers)])
	}
	if b > 1 {
		buf.WriteString(`]}`)
	}
	return buf.Bytes()
}

// httpTarget is a server on loopback that the kiosks post to.
type httpTarget struct {
	base   string
	srv    *http.Server
	client *http.Client
	tokens []string
	bodies *payloads
}

func listen(o options, h http.Handler) (*httpTarget, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(o.listen, "0"))
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	if !ln.Addr().(*net.TCPAddr).IP.IsLoopback() {
		ln.Close()
		return nil, fmt.Errorf("listen: %s is not loopback", ln.Addr())
	}
	t := &httpTarget{base: "http://" + ln.Addr().String(), srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second},
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			MaxIdleConns: o.kiosks, MaxIdleConnsPerHost: o.kiosks, MaxConnsPerHost: o.kiosks, DisableCompression: true}}}
	go t.srv.Serve(ln)
	return t, nil
}

// post sends kiosk k's request and wants 201 Created.
func (t *httpTarget) post(ctx context.Context, k, seq, b int) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.base+"/api/v1/responses", bytes.NewReader(t.bodies.body(k, seq, b)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if t.tokens != nil {
		req.Header.Set("Authorization", "Bearer "+t.tokens[k])
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return fmt.Errorf("status %d: %s", resp.StatusCode, msg)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func (t *httpTarget) close() error {
	t.client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return t.srv.Shutdown(ctx)
}

// appTarget is the app itself, on a fresh database with the built-in promise, one stop open
// from 12 hours ago to 12 hours ahead, and a kiosk token per kiosk.
type appTarget struct {
	*httpTarget
	db   *sqlite.DB
	note string
	rss  *rssSampler
}

func startApp(ctx context.Context, o options, dir string, b int) (*appTarget, error) {
	db, err := sqlite.Open(ctx, filepath.Join(dir, "app-batch"+strconv.Itoa(b)+".db"))
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*appTarget, error) {
		db.Close()
		return nil, err
	}
	p, _, err := seed.Ensure(ctx, db)
	if err != nil {
		return fail(err)
	}
	// The longest stop there may be, around now: a kiosk gives up to 17,280 answers in it.
	start := time.Now().Truncate(time.Minute).Add(-12 * time.Hour)
	end := start.Add(24 * time.Hour)
	pub := start.AddDate(0, 0, -14)
	st := &lofte.Stop{PromiseID: p.ID, Basort: "Tollarp", Place: "Torget", StartsAt: start.UTC(), EndsAt: end.UTC(),
		Kind: lofte.KindRegular, Status: lofte.StatusPublished, PublishedAt: &pub}
	if err := db.CreateStop(ctx, st); err != nil {
		return fail(fmt.Errorf("load stop: %w", err))
	}
	tokens := make([]string, o.kiosks)
	for k := range tokens {
		plain, hash := auth.NewToken()
		if err := db.CreateToken(ctx, &lofte.Token{Name: "mlfload " + strconv.Itoa(k), Role: lofte.RoleKiosk, Hash: hash}); err != nil {
			return fail(err)
		}
		tokens[k] = plain
	}
	srv, err := server.New(server.Config{Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), KioskRateLimit: 0})
	if err != nil {
		return fail(err)
	}
	t, err := listen(o, srv.Handler())
	if err != nil {
		return fail(err)
	}
	t.tokens, t.bodies = tokens, newPayloads(st.ID, start, end)
	return &appTarget{httpTarget: t, db: db, rss: startRSS()}, nil
}

// report notes how the group commit grouped the run and what the process's memory did.
func (t *appTarget) report(r *result) {
	idle, peak := t.rss.stop()
	groups, batches := t.db.IngestStats()
	t.note = fmt.Sprintf("%d requests (warm-up included) in %d durable transactions (%.1f per commit); process RSS %s before the load, %s at most during it (server and load in one process)",
		batches, groups, float64(batches)/max(1, float64(groups)), mib(idle), mib(peak))
}

func (t *appTarget) close() error {
	return errors.Join(t.httpTarget.close(), t.db.Close())
}

// startBare is target (a): Gin decoding the same JSON into the same fields and answering 201
// with a result per id, storing nothing.
func startBare(o options) (*httpTarget, error) {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	type input struct {
		ID         string         `json:"id"`
		StopID     int64          `json:"stop_id"`
		Lang       string         `json:"lang"`
		AnsweredAt *time.Time     `json:"answered_at"`
		Answers    map[string]any `json:"answers"`
	}
	e.POST("/api/v1/responses", func(c *gin.Context) {
		body, err := io.ReadAll(c.Request.Body)
		if err != nil {
			c.AbortWithStatus(http.StatusBadRequest)
			return
		}
		var in struct {
			Responses []input `json:"responses"`
			input
		}
		if err := json.Unmarshal(body, &in); err != nil {
			c.AbortWithStatus(http.StatusBadRequest)
			return
		}
		if in.Responses == nil {
			in.Responses = []input{in.input}
		}
		results := make([]lofte.IngestResult, len(in.Responses))
		for i, r := range in.Responses {
			results[i] = lofte.IngestResult{ID: r.ID, Result: lofte.ResultCreated}
		}
		c.JSON(http.StatusCreated, gin.H{"results": results})
	})
	t, err := listen(o, e)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	t.bodies = newPayloads(1, now, now.Add(24*time.Hour))
	return t, nil
}

// rawTarget is target (b): one row per durable transaction on a bare table, through one
// connection, with the app's pragmas (WAL, synchronous=FULL).
type rawTarget struct {
	db     *sql.DB
	bodies *payloads
}

func openRaw(ctx context.Context, dir string, b int) (*rawTarget, error) {
	path := filepath.Join(dir, "raw-batch"+strconv.Itoa(b)+".db")
	db, err := sqlite.OpenBare(path)
	if err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE answers (id TEXT PRIMARY KEY, stop_id INTEGER NOT NULL,
		answered_at TEXT NOT NULL, answers TEXT NOT NULL)`); err != nil {
		db.Close()
		return nil, fmt.Errorf("raw table: %w", err)
	}
	now := time.Now()
	return &rawTarget{db: db, bodies: newPayloads(1, now, now.Add(24*time.Hour))}, nil
}

// insert stores kiosk k's answer seq in a transaction of its own.
func (t *rawTarget) insert(ctx context.Context, k, seq, _ int) error {
	tx, err := t.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	at := t.bodies.start.Add(time.Duration(seq) * answerGap).UTC().Format(time.RFC3339)
	if _, err := tx.ExecContext(ctx, "INSERT INTO answers (id, stop_id, answered_at, answers) VALUES (?, ?, ?, ?)",
		t.bodies.id(k, seq, 0), t.bodies.stopID, at, t.bodies.answers[(k*7919+seq)%len(t.bodies.answers)]); err != nil {
		return err
	}
	return tx.Commit()
}

func (t *rawTarget) close() error { return t.db.Close() }

// rssSampler records this process's resident memory before and during a run.
type rssSampler struct {
	idle, peak int64
	mu         sync.Mutex
	done       chan struct{}
	stopped    chan struct{}
}

func startRSS() *rssSampler {
	s := &rssSampler{idle: statusKiB("VmRSS"), done: make(chan struct{}), stopped: make(chan struct{})}
	go func() {
		defer close(s.stopped)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-s.done:
				return
			case <-tick.C:
				v := statusKiB("VmRSS")
				s.mu.Lock()
				s.peak = max(s.peak, v)
				s.mu.Unlock()
			}
		}
	}()
	return s
}

func (s *rssSampler) stop() (idle, peak int64) {
	close(s.done)
	<-s.stopped
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.idle, s.peak
}

// statusKiB reads one "kB" line of /proc/self/status; 0 where there is none (not Linux).
func statusKiB(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

func mib(kib int64) string {
	if kib == 0 {
		return "?"
	}
	return fmt.Sprintf("%.0f MiB", float64(kib)/1024)
}
