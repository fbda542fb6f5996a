package server

import (
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/report"
)

// xlsxType is the content type of an Excel workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *Server) registerReportRoutes() {
	s.route(http.MethodGet, "/reports/bra.xlsx", s.handleReport)
}

// reportRetry is how long a client refused a workbook is told to wait: about what one takes.
const reportRetry = 10 * time.Second

// handleReport sends the BRÅ workbook for the chosen period (default: the promise's) and
// basorter. It is written to a temporary file first, so a failure is a JSON error rather
// than half a file, and a large period does not sit in memory. At most Config.ReportJobs are
// written at once; another is refused with 429 rather than queued, so that a burst of
// downloads cannot add up to more memory than the server has.
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
	earlier, err := s.comparePromise(c)
	if err != nil {
		return err
	}
	select {
	case s.reportSlots <- struct{}{}:
		defer func() { <-s.reportSlots }()
	default:
		c.Header("Retry-After", retryAfter(reportRetry))
		return &lofte.Error{Code: lofte.ERATELIMITED, Message: "rapporten skrivs redan åt andra just nu; försök igen om en stund"}
	}
	tmp, err := os.CreateTemp("", "bra-*.xlsx")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if err := report.WriteCompared(ctx, tmp, s.store, p, earlier, sc, s.now(), nil); err != nil {
		return err
	}
	info, err := tmp.Stat()
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if _, err := tmp.Seek(0, 0); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	c.Header("Cache-Control", "no-store")
	c.DataFromReader(http.StatusOK, info.Size(), xlsxType, tmp, map[string]string{
		"Content-Disposition": attachment(reportFileName(sc.Basort, *sc.From, *sc.To)),
	})
	return nil
}
