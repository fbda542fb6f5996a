package server

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	qr "github.com/piglig/go-qr"

	"medborgarlofte/internal/lofte"
)

// posterStops is how many coming stops a poster lists: what fits an A4 sheet in large type.
const posterStops = 8

type posterPage struct {
	Public
	Locality *lofte.Locality
	Stops    []publicStop
	// PageURL is the basort's page, where the QR code leads; QR is the code as inline SVG.
	PageURL string
	QR      template.HTML
	Back    string
}

// handlePoster is a printable A4 poster for a basort: its coming stops and a QR code to its
// page, where a phone can subscribe to the stops.
func (s *Server) handlePoster(c *gin.Context) error {
	pub := s.publicBase(c, "poster.title", "basort", c.Param("name"))
	if _, err := pub.promised(); err != nil {
		return err
	}
	loc, moved, err := s.publicLocality(c, pub.Base, "/affisch")
	if err != nil || moved {
		return err
	}
	pub.Title = pub.TF("poster.title", "basort", loc.Name)
	pub.Bare = true // a sheet to print, without the site's header and footer
	stops, _, err := s.store.FindStops(c.Request.Context(), lofte.StopFilter{PromiseID: pub.Promise.ID,
		Basorter: []string{loc.Name}, PublicOnly: true})
	if err != nil {
		return err
	}
	now := s.now()
	var coming []*lofte.Stop
	if !pub.Promise.Ended(now) {
		coming, _ = splitStops(stops, false, now)
	}
	p := &posterPage{Public: pub, Locality: loc, Stops: pub.stops(coming[:min(len(coming), posterStops)]),
		PageURL: pub.URL(basortPath(loc.Name)), Back: pub.Link(basortPath(loc.Name))}
	if p.QR, err = qrSVG(p.PageURL, pub.TF("poster.qralt", "url", p.PageURL)); err != nil {
		return err
	}
	s.render(c, http.StatusOK, "poster", p)
	return nil
}

// qrSVG draws text as a QR code in inline SVG, one unit a module with the standard quiet zone
// of four, so that it prints sharp at any size. Error correction is raised to Quartile: a
// poster on a notice board gets torn and rained on.
func qrSVG(text, label string) (template.HTML, error) {
	code, err := qr.EncodeText(text, qr.Quartile)
	if err != nil {
		return "", fmt.Errorf("qr code for %s: %w", text, err)
	}
	const quiet = 4
	n := code.Size()
	var path strings.Builder
	for y := range n {
		for x := range n {
			if code.Module(x, y) {
				fmt.Fprintf(&path, "M%d %dh1v1h-1z", x+quiet, y+quiet)
			}
		}
	}
	return template.HTML(fmt.Sprintf(`<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" `+
		`aria-label="%s" shape-rendering="crispEdges"><rect width="100%%" height="100%%" fill="#fff"/>`+
		`<path d="%s" fill="#000"/></svg>`, n+2*quiet, n+2*quiet, template.HTMLEscapeString(label), path.String())), nil
}
