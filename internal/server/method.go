package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/metrics"
)

func (s *Server) registerMethodRoutes() {
	s.route(http.MethodGet, "/metod", s.handleMethodPage)
}

// methodPage explains how the figures are made, in the words the workbook's method sheet
// also uses (metrics.Method), with the promise's own thresholds.
type methodPage struct {
	Base
	Sections []metrics.MethodSection
}

// ReadsFigures reports whether the page's reader follows the figures (may open the
// dashboard): the footer links the method page for them.
func (b Base) ReadsFigures() bool { return mayUse(b.Identity, routeDashboard) }

func (s *Server) handleMethodPage(c *gin.Context) error {
	b := s.base(c, "Så räknas siffrorna")
	if _, err := b.promised(); err != nil {
		return err
	}
	s.render(c, http.StatusOK, "method", &methodPage{Base: b, Sections: metrics.Method(b.Promise)})
	return nil
}
