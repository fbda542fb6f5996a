package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
	"medborgarlofte/internal/sqlite"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// env is a running server on a real SQLite file with one token per role.
type env struct {
	t      *testing.T
	db     *sqlite.DB
	p      *lofte.Promise
	srv    *httptest.Server
	app    *server.Server
	tokens map[lofte.Role]string
	logs   *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// now is the clock the test server runs on: inside the built-in 2018 promise.
var now = time.Date(2018, 3, 10, 12, 0, 0, 0, lofte.Zone)

func newEnv(t *testing.T, edit ...func(*server.Config)) *env {
	t.Helper()
	ctx := context.Background()
	db, p := sqlitetest.MustOpenSeeded(t)
	e := &env{t: t, db: db, p: p, tokens: map[lofte.Role]string{}, logs: &syncBuffer{}}
	for _, r := range lofte.Roles {
		plain, hash := auth.NewToken()
		if err := db.CreateToken(ctx, &lofte.Token{Name: string(r) + "-test", Role: r, Hash: hash}); err != nil {
			t.Fatal(err)
		}
		e.tokens[r] = plain
	}
	cfg := server.Config{Store: db, Logger: slog.New(slog.NewTextHandler(e.logs, nil)), Now: func() time.Time { return now },
		SecureCookies: false, KioskRateLimit: 0}
	for _, f := range edit {
		f(&cfg)
	}
	// One clock: the store stamps what the server decides (sessions, publication times).
	if cfg.Now != nil {
		db.Now = cfg.Now
	}
	s, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.app = s
	e.srv = httptest.NewServer(s.Handler())
	t.Cleanup(e.srv.Close)
	return e
}

// do sends a request as role ("" for anonymous) and returns status, headers and body.
func (e *env) do(method, path string, role lofte.Role, body string, header ...string) (int, http.Header, []byte) {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// apiError decodes the error body, failing the test when it is not one.
func apiError(t *testing.T, b []byte) lofte.Error {
	t.Helper()
	var body struct {
		Error *lofte.Error `json:"error"`
	}
	if err := json.Unmarshal(b, &body); err != nil || body.Error == nil {
		t.Fatalf("not an error body: %s", b)
	}
	return *body.Error
}

// call is one request of a scenario table: who sends body, and what must come back: the
// status and, for a refusal, the field its error names ("" for none).
type call struct {
	name   string
	who    lofte.Role
	body   string
	status int
	field  string
}

// send sends c's body to path as c.who and fails the test unless the answer has c's status.
// A refusal (4xx) must name c.field; its error comes back for what else the caller checks,
// nil when the request was accepted.
func (e *env) send(t *testing.T, method, path string, c call) ([]byte, *lofte.Error) {
	t.Helper()
	status, _, b := e.do(method, path, c.who, c.body)
	if status != c.status {
		t.Fatalf("status %d, want %d: %s", status, c.status, b)
	}
	if status < 400 {
		return b, nil
	}
	got := apiError(t, b)
	if got.Field != c.field {
		t.Errorf("field %q, want %q (%s)", got.Field, c.field, got.Message)
	}
	return b, &got
}

// fileForm is a form with one file, named name, as a browser uploads it: the body and its
// Content-Type header for env.do.
func fileForm(name, content string) (string, []string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	return body.String(), []string{"Content-Type", mw.FormDataContentType()}
}

// apiJSON fetches an API answer as the council into v.
func apiJSON(t *testing.T, e *env, path string, v any) {
	t.Helper()
	status, _, b := e.do(http.MethodGet, path, lofte.RoleCouncil, "")
	if err := json.Unmarshal(b, v); status != http.StatusOK || err != nil {
		t.Fatalf("%s: %d %v", path, status, err)
	}
}

// lastAudit is the newest audit entry; for an empty log an empty entry, ID 0, that no test's
// expected action matches.
func (e *env) lastAudit() *lofte.AuditEntry {
	e.t.Helper()
	es, err := e.db.FindAudit(context.Background(), lofte.AuditFilter{Limit: 1})
	if err != nil {
		e.t.Fatal(err)
	}
	if len(es) == 0 {
		return &lofte.AuditEntry{}
	}
	return es[0]
}
