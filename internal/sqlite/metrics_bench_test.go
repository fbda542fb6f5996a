package sqlite_test

// The metrics benchmark lives here, in the store's external test package, because its
// yardstick is a raw SQL query and SQL belongs in internal/sqlite; internal/server does not
// import internal/sqlite, so importing the server from here makes no cycle. The raw query runs
// on a read connection of the store's own pool (export_test.go), with the production DSN.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
	"medborgarlofte/internal/sqlite"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// scaleFixtureVersion names the recipe of the cached fixture files; change it whenever the
// recipe changes, so an old file is never measured as a new one.
const scaleFixtureVersion = "v4"

// scaleIndexes are the benchmark's own covering indexes for the raw query: a stop's scope
// and basort, and a response's stop, suspect flag and trust answer, so that the query reads
// indexes only.
var scaleIndexes = []string{
	`CREATE INDEX IF NOT EXISTS bench_stops_scope ON stops (promise_id, local_date, locality_id)`,
	`CREATE INDEX IF NOT EXISTS bench_responses_trust ON responses (stop_id, suspect, json_extract(answers, '$.trust'))`,
}

// scaleRawQuery is the yardstick: one plain GROUP BY over the year's responses, counting the
// trust item's options per basort, as the metrics call would without per-stop counts. The
// option is selected as min() of the grouped expression (constant within a group) because
// SQLite then takes it from the index; selected bare, it is recomputed after sorting from the
// answers column, and the index no longer covers the query.
const scaleRawQuery = `SELECT s.locality_id, min(json_extract(r.answers, '$.trust')), count(*)
	FROM responses r JOIN stops s ON s.id = r.stop_id
	WHERE s.promise_id = ? AND s.local_date BETWEEN ? AND ? AND r.suspect = 0
	GROUP BY s.locality_id, json_extract(r.answers, '$.trust')`

// scaleToken is a fixed council token stored in the fixture, so a cached file is reused as it
// is; it exists only in files under the temporary folder.
var scaleToken = func() string {
	sum := sha256.Sum256([]byte("medborgarlofte metrics benchmark"))
	return auth.TokenPrefix + base64.RawURLEncoding.EncodeToString(sum[:])
}()

// BenchmarkMetricsScale measures GET /api/v1/metrics for the whole demo year grouped by
// basort, beside one raw GROUP BY over the same responses, at growing numbers of responses.
// The 1M size is opt-in with MEDBORGARLOFTE_BENCH_1M=1: its fixture takes about 1.5 minutes to
// build the first time.
func BenchmarkMetricsScale(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("responses=%d", n), func(b *testing.B) {
			if n >= 1_000_000 && os.Getenv("MEDBORGARLOFTE_BENCH_1M") == "" {
				b.Skip("set MEDBORGARLOFTE_BENCH_1M=1 to run the 1M size")
			}
			db, p, built := mustScaleFixture(b, n)
			b.Run("metrics-api", func(b *testing.B) {
				b.Logf("fixture: %s", built)
				benchMetricsAPI(b, db, n)
			})
			b.Run("raw-group-by", func(b *testing.B) { benchRawGroupBy(b, db, p) })
		})
	}
}

func benchMetricsAPI(b *testing.B, db *sqlite.DB, n int) {
	s, err := server.New(server.Config{Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return time.Date(2019, 1, 15, 12, 0, 0, 0, lofte.Zone) }})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	get := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/metrics?from=2018-01-01&to=2018-12-31&group=basort", nil)
		req.Header.Set("Authorization", "Bearer "+scaleToken)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		return rec
	}
	var res struct {
		Groups []struct{ Key string }
		Total  struct {
			Metrics struct {
				Responses, Suspect struct{ Value float64 }
			}
		}
	}
	if err := json.Unmarshal(get().Body.Bytes(), &res); err != nil {
		b.Fatal(err)
	}
	// The promise's figures count answers at regular stops in basorter only (not summer
	// events, not the central town), perturbed: most of the fixture, never more than all of it.
	if got := int(res.Total.Metrics.Responses.Value + res.Total.Metrics.Suspect.Value); len(res.Groups) == 0 || got < n/2 || got > n+2 {
		b.Fatalf("%d groups, %d responses; want groups and between %d and %d responses", len(res.Groups), got, n/2, n)
	}
	b.ReportAllocs()
	for b.Loop() {
		get()
	}
}

func benchRawGroupBy(b *testing.B, db *sqlite.DB, p *lofte.Promise) {
	ctx := context.Background()
	conns, err := db.ReadConns(ctx, 1)
	if err != nil {
		b.Fatal(err)
	}
	conn := conns[0]
	defer conn.Close()
	args := []any{p.ID, "2018-01-01", "2018-12-31"}
	plan, err := scalePlan(ctx, conn, args)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("plan: %s", plan)
	b.ReportAllocs()
	for b.Loop() {
		rows, err := conn.QueryContext(ctx, scaleRawQuery, args...)
		if err != nil {
			b.Fatal(err)
		}
		groups := 0
		for rows.Next() {
			var locality, k int64
			var option *string
			if err := rows.Scan(&locality, &option, &k); err != nil {
				b.Fatal(err)
			}
			groups++
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			b.Fatal(err)
		}
		if groups == 0 {
			b.Fatal("raw query found no rows")
		}
	}
}

// scalePlan returns the raw query's plan, and an error unless it reads the responses from
// the covering index alone.
func scalePlan(ctx context.Context, conn *sql.Conn, args []any) (string, error) {
	text, err := sqlite.QueryPlan(ctx, conn, scaleRawQuery, args...)
	if err != nil {
		return "", err
	}
	if !strings.Contains(text, "USING COVERING INDEX bench_responses_trust") {
		return "", fmt.Errorf("raw query does not read the responses from their covering index alone: %s", text)
	}
	return text, nil
}

// mustScaleFixture opens the cached fixture of n responses (sqlitetest.CachedScaled), with
// the benchmark's token and covering indexes, building it first when missing. It returns, for
// the log, how the fixture came to be.
func mustScaleFixture(b *testing.B, n int) (*sqlite.DB, *lofte.Promise, string) {
	b.Helper()
	ctx := context.Background()
	path, built, err := sqlitetest.CachedScaled(ctx, "metrics-"+scaleFixtureVersion, n, addScaleExtras)
	if err != nil {
		b.Fatal(err)
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	p, err := db.ActivePromise(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if got, err := db.CountResponses(ctx, p.ID); err != nil || got != n {
		b.Fatalf("fixture %s holds %d responses (%v), want %d; delete it to rebuild", path, got, err, n)
	}
	return db, p, built
}

// addScaleExtras gives a fixture the benchmark's council token and covering indexes.
func addScaleExtras(ctx context.Context, db *sqlite.DB, _ *lofte.Promise) error {
	if err := db.CreateToken(ctx, &lofte.Token{Name: "bench", Role: lofte.RoleCouncil, Hash: auth.Hash(scaleToken)}); err != nil {
		return err
	}
	w, err := db.WriteConn(ctx)
	if err != nil {
		return err
	}
	for _, q := range scaleIndexes {
		if _, err := w.ExecContext(ctx, q); err != nil {
			w.Close()
			return err
		}
	}
	return w.Close()
}
