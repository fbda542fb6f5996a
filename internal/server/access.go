package server

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

// access says who may use a route: anyone, or people and devices with one of the roles.
type access struct {
	anyone bool
	roles  []lofte.Role
}

func (a access) allows(r lofte.Role) bool {
	return a.anyone || slices.Contains(a.roles, r)
}

var (
	anyone      = access{anyone: true}
	adminOnly   = access{roles: []lofte.Role{lofte.RoleAdmin}}
	staff       = access{roles: []lofte.Role{lofte.RoleAdmin, lofte.RoleOfficer}}
	readers     = access{roles: []lofte.Role{lofte.RoleAdmin, lofte.RoleOfficer, lofte.RoleCouncil}}
	councilRead = access{roles: []lofte.Role{lofte.RoleAdmin, lofte.RoleCouncil}}
	kioskOnly   = access{roles: []lofte.Role{lofte.RoleKiosk}}
)

// policy is the role × route table (docs/access.md explains the roles), the one place access
// is decided. A route registered without an entry here panics at start, so none can slip
// through unguarded.
var policy = map[string]access{
	"GET /healthz":                    anyone,
	"GET /api/v1/basorter":            anyone,
	"GET /api/v1/stops":               anyone, // drafts only for staff, decided in the handler
	"POST /api/v1/stops":              adminOnly,
	"PATCH /api/v1/stops/:id":         staff,
	"POST /api/v1/stops/plan":         adminOnly,
	"POST /api/v1/stops/publish":      adminOnly,
	"POST /api/v1/stops/:id/visitors": staff,
	"POST /api/v1/responses":          kioskOnly,
	"GET /api/v1/responses":           adminOnly, // the data controller's raw copy (metrics.md §6)
	"GET /api/v1/metrics":             readers,
	"GET /api/v1/outcomes":            readers,
	"GET /schedule.ics":               anyone,
	"GET /":                           anyone,
	"GET /kiosk":                      kioskOnly,
	"GET /kiosk/pair":                 anyone, // a tablet pairs itself with a code from staff
	"POST /kiosk/pair":                anyone,
	"GET /kiosk/devices":              staff,
	"POST /kiosk/devices/pairing":     staff,
	"POST /kiosk/devices/:id/revoke":  staff,
	"GET /kiosk-sw.js":                anyone,
	"GET /dashboard":                  readers,
	"GET /login":                      anyone,
	"POST /login":                     anyone,
	"POST /logout":                    anyone,
	"GET /reports/bra.xlsx":           councilRead,
	"GET /static/*file":               anyone,
	"GET /api/v1/feedback":            anyone, // the public sees closed items only
	"POST /api/v1/feedback":           staff,
	"PATCH /api/v1/feedback/:id":      staff,
	"GET /feedback":                   staff,
	"POST /feedback/:id":              staff,
	"GET /api/v1/comments":            readers, // the council sees approved ones only, decided in the handler
	"PATCH /api/v1/comments/:id":      staff,
	"GET /comments":                   staff,
	"POST /comments/:id":              staff,
	"GET /basort/:name":               anyone,
	"GET /plan":                       adminOnly,
	"POST /plan":                      adminOnly,
	"POST /plan/publish":              adminOnly,
	"POST /plan/:id/cancel":           adminOnly,
	"POST /plan/:id/move":             adminOnly,
	"GET /api/v1/baselines":           readers,
	"POST /api/v1/baselines":          adminOnly,
	"DELETE /api/v1/baselines/:id":    adminOnly,
	"GET /baselines":                  adminOnly,
	"POST /baselines":                 adminOnly,
	"POST /baselines/import":          adminOnly,
	"POST /baselines/:id/delete":      adminOnly,
	"GET /baselines.csv":              adminOnly,
	"GET /field":                      staff,
	"GET /field/:id":                  staff,
	"POST /field/:id":                 staff,
	"POST /field/:id/feedback":        staff,
}

// route registers h for method and path behind the policy's access check.
func (s *Server) route(method, path string, h handlerFunc) {
	a, ok := policy[method+" "+path]
	if !ok {
		panic("no access policy for " + method + " " + path)
	}
	s.registered[method+" "+path] = true
	s.engine.Handle(method, path, s.authorize(a), s.wrap(h))
}

// authorize lets a request through when the policy allows its identity: 401 for nobody,
// 403 for the wrong role.
func (s *Server) authorize(a access) gin.HandlerFunc {
	return func(c *gin.Context) {
		if a.anyone {
			c.Next()
			return
		}
		id := lofte.IdentityFrom(c.Request.Context())
		if id.Anonymous() {
			s.writeError(c, &lofte.Error{Code: lofte.EUNAUTHORIZED, Message: "inloggning eller token krävs"})
			return
		}
		if !a.allows(id.Role) {
			s.writeError(c, &lofte.Error{Code: lofte.EFORBIDDEN, Message: "din roll får inte använda detta"})
			return
		}
		c.Next()
	}
}

// navItem is a link in the menu.
type navItem struct {
	Href, Label string
	Current     bool
}

// menu lists the pages in the order they appear; each shows to the roles the policy allows.
var menu = []navItem{
	{Href: "/", Label: "Schema"},
	{Href: "/plan", Label: "Planera"},
	{Href: "/field", Label: "Fältlogg"},
	{Href: "/feedback", Label: "Ni sa – vi gjorde"},
	{Href: "/comments", Label: "Synpunkter"},
	{Href: "/kiosk", Label: "Kiosk"},
	{Href: "/kiosk/devices", Label: "Kioskplattor"},
	{Href: "/dashboard", Label: "Uppföljning"},
	{Href: "/baselines", Label: "Baslinjer"},
	{Href: "/reports/bra.xlsx", Label: "BRÅ-rapport (Excel)"},
}

// navFor returns the menu items the identity may open.
func navFor(id *lofte.Identity, current string) []navItem {
	var out []navItem
	for _, m := range menu {
		a := policy[http.MethodGet+" "+m.Href]
		if a.anyone || (!id.Anonymous() && a.allows(id.Role)) {
			m.Current = m.Href == current
			out = append(out, m)
		}
	}
	return out
}
