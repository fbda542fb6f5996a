package server

import (
	"fmt"
	"net/http"
	"os"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/report"
)

// xlsxType is the content type of an Excel workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *Server) registerReportRoutes() {
	s.route(http.MethodGet, "/reports/bra.xlsx", s.handleReport)
}

// handleReport sends the BRÅ workbook for the chosen period (default: the promise's) and
// basorter. It is written to a temporary file first, so a failure is a JSON error rather
// than half a file, and a large period does not sit in memory.
func (s *Server) handleReport(c *gin.Context) error {
	ctx := c.Request.Context()
	p, sc, err := s.scope(c)
	if err != nil {
		return err
	}
	sc = sc.WithPeriodDefault(p.Period)
	if err := sc.Validate(); err != nil {
		return err
	}
	tmp, err := os.CreateTemp("", "bra-*.xlsx")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if err := report.Write(ctx, tmp, s.store, p, sc, s.now(), nil); err != nil {
		return err
	}
	info, err := tmp.Stat()
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if _, err := tmp.Seek(0, 0); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	name := fmt.Sprintf("bra-%s-%s.xlsx", sc.From, sc.To)
	c.Header("Cache-Control", "no-store")
	c.DataFromReader(http.StatusOK, info.Size(), xlsxType, tmp, map[string]string{
		"Content-Disposition": `attachment; filename="` + name + `"`,
	})
	return nil
}
