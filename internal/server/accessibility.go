package server

import (
	"net/http"
	"net/mail"
	"strings"

	"github.com/gin-gonic/gin"
)

// accessibilityReviewed is when the accessibility statement was last reviewed against the app:
// change it with the statement whenever a page or the kiosk changes what it says.
const accessibilityReviewed = "2026-12-03"

// DefaultA11yContact is what the accessibility statement says until the municipality names
// where to report a problem (serve --a11y-contact).
const DefaultA11yContact = "Kontaktuppgiften är inte ifylld ännu: den som driftar tjänsten anger den när tjänsten startas " +
	"(medborgarlofte serve --a11y-contact). Till dess når du kommunen via dess växel, och polisen på 114 14."

func (s *Server) registerAccessibilityRoutes() {
	s.route(http.MethodGet, "/tillganglighet", s.handleAccessibilityPage)
}

// accessibilityPage is the accessibility statement (tillgänglighetsredogörelse) that the law
// on accessible digital public services (2018:1937) asks for, in DIGG's model.
type accessibilityPage struct {
	Base
	// Contact says where to report a problem; ContactMail is its address when it is one.
	Contact, ContactMail string
	Reviewed             string
}

func (s *Server) handleAccessibilityPage(c *gin.Context) error {
	p := &accessibilityPage{Base: s.base(c, "Tillgänglighetsredogörelse"), Reviewed: accessibilityReviewed,
		Contact: strings.TrimSpace(s.cfg.A11yContact)}
	if p.Contact == "" {
		p.Contact = DefaultA11yContact
	} else if a, err := mail.ParseAddress(p.Contact); err == nil && a.Name == "" {
		p.ContactMail = a.Address
	}
	s.render(c, http.StatusOK, "accessibility", p)
	return nil
}
