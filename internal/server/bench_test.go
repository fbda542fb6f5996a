package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// benchEnv is a server on a real SQLite file with one held stop and a kiosk token.
func benchEnv(b *testing.B) (http.Handler, string, int64) {
	b.Helper()
	ctx := context.Background()
	db, p := sqlitetest.MustOpenSeeded(b)
	plain, hash := auth.NewToken()
	if err := db.CreateToken(ctx, &lofte.Token{Name: "bench", Role: lofte.RoleKiosk, Hash: hash}); err != nil {
		b.Fatal(err)
	}
	start := time.Date(2018, 3, 14, 10, 0, 0, 0, lofte.Zone)
	pub := start.AddDate(0, 0, -10)
	st := &lofte.Stop{PromiseID: p.ID, Basort: "Tollarp", Place: "Torget", StartsAt: start, EndsAt: start.Add(3 * time.Hour),
		Kind: lofte.KindRegular, Status: lofte.StatusHeld, PublishedAt: &pub}
	if err := db.CreateStop(ctx, st); err != nil {
		b.Fatal(err)
	}
	s, err := server.New(server.Config{Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	return s.Handler(), plain, st.ID
}

const benchAnswers = `{"reason":"question","got_help":"yes","knew_in_advance":"yes","channel":"local_press",
"alternative":"travel_to_station","safety":"fairly_safe","trust":"fairly_high","cares":"agree_partly","satisfaction":5,
"problems":["traffic","burglary"],"comment":"Bra att ni kommer hit, ring mig inte på 070-123 45 67"}`

func benchPost(b *testing.B, h http.Handler, token, body string, want int) {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/responses", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != want {
		b.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}

// BenchmarkIngestSingle posts one response per request, each a durable commit.
func BenchmarkIngestSingle(b *testing.B) {
	h, tok, stop := benchEnv(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		at := time.Date(2018, 3, 14, 10, 0, 0, 0, lofte.Zone).Add(time.Duration(i) * 10 * time.Second)
		benchPost(b, h, tok, fmt.Sprintf(`{"id":"%s","stop_id":%d,"lang":"sv","answered_at":"%s","answers":%s}`,
			uuidN(i), stop, at.Format(time.RFC3339), benchAnswers), http.StatusCreated)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
}

// BenchmarkIngestBatch posts batches of 500, one transaction each.
func BenchmarkIngestBatch(b *testing.B) {
	h, tok, stop := benchEnv(b)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		items := make([]string, 500)
		for j := range items {
			at := time.Date(2018, 3, 14, 10, 0, 0, 0, lofte.Zone).Add(time.Duration(j) * 10 * time.Second)
			items[j] = fmt.Sprintf(`{"id":"%s","stop_id":%d,"lang":"sv","answered_at":"%s","answers":%s}`,
				uuidN(n), stop, at.Format(time.RFC3339), benchAnswers)
			n++
		}
		benchPost(b, h, tok, `{"responses":[`+strings.Join(items, ",")+`]}`, http.StatusCreated)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "responses/s")
}
