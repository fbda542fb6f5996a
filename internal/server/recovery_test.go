package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/sqlite/sqlitetest"
)

func TestPanicBecomesJSON500(t *testing.T) {
	db := sqlitetest.MustOpen(t)
	s, err := New(Config{Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s.engine.GET("/boom", func(*gin.Context) { panic("kaboom") })
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/boom", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"code":"internal"`) || strings.Contains(rec.Body.String(), "kaboom") {
		t.Errorf("status %d body %s", rec.Code, rec.Body)
	}
}

// TestPagesUsedAreParsed fails when a page the server renders has no template.
func TestPagesUsedAreParsed(t *testing.T) {
	db := sqlitetest.MustOpen(t)
	s, err := New(Config{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"index", "login", "message", "comments", "method"} {
		if _, ok := s.pages[p]; !ok {
			t.Errorf("page %s is not parsed", p)
		}
	}
}
