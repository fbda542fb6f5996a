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
	people      = readers
)

// routeKey names a route as "METHOD /path", the key of the policy.
type routeKey string

// Routes whose access row is read outside their own handler: the home page after login and
// the report link on the dashboard follow the table rather than repeat it.
const (
	routeDashboard routeKey = "GET /dashboard"
	routeReport    routeKey = "GET /reports/bra.xlsx"
	// routePromises is where the banner for an ended promise leads the admin (promiseRenewal).
	routePromises routeKey = "GET /promises"
	routeFieldLog routeKey = "GET /field"
	// A person with a password someone else was shown may open only these until they choose
	// their own (mustChoosePassword).
	routePassword     routeKey = "GET /password"
	routePasswordSave routeKey = "POST /password"
)

// policy is the role × route table (docs/access.md explains the roles), the one place access
// is decided. A route registered without an entry here panics at start, so none can slip
// through unguarded. What a handler shows or accepts for each role beyond this table is in
// the predicates below.
var policy = map[routeKey]access{
	"GET /healthz":                                anyone,
	"GET /api/v1/basorter":                        anyone,
	"GET /api/v1/stops":                           anyone, // drafts and the field log: canSeeDrafts, canSeeFieldLog
	"POST /api/v1/stops":                          adminOnly,
	"PATCH /api/v1/stops/:id":                     staff,     // which fields: forbiddenStopField
	"DELETE /api/v1/stops/:id":                    adminOnly, // drafts only: lofte.Stop.Deletable
	"POST /api/v1/stops/plan":                     adminOnly,
	"POST /api/v1/stops/publish":                  adminOnly,
	"POST /api/v1/stops/:id/visitors":             staff,
	"GET /api/v1/stops/:id/suspect":               staff, // answers set aside, and the officers' review of them
	"POST /api/v1/stops/:id/suspect/:response_id": staff,
	"POST /api/v1/responses":                      kioskOnly,
	"GET /api/v1/responses":                       adminOnly, // the data controller's raw copy (docs/access.md, "What leaves the app")
	"GET /api/v1/metrics":                         readers,
	"GET /api/v1/outcomes":                        readers,
	"GET /schedule.ics":                           anyone,
	"GET /":                                       anyone,
	"GET /kiosk":                                  kioskOnly,
	"GET /kiosk/preview":                          staff,  // the survey without a tablet; answers go nowhere
	"GET /kiosk/pair":                             anyone, // a tablet pairs itself with a code from staff
	"POST /kiosk/pair":                            anyone,
	"GET /kiosk/devices":                          staff,
	"POST /kiosk/devices/pairing":                 staff,
	"POST /kiosk/devices/:id/revoke":              staff,
	"POST /kiosk/devices/:id/rename":              staff,
	"GET /kiosk-sw.js":                            anyone,
	routeDashboard:                                readers,
	"GET " + routeDashboardPrint:                  readers,
	"GET /metod":                                  anyone, // how the figures are made: public, like the method it describes
	"GET /login":                                  anyone,
	"POST /login":                                 anyone,
	"POST /logout":                                anyone,
	routeReport:                                   councilRead,
	"GET /static/*file":                           anyone,
	"GET /api/v1/feedback":                        anyone, // open items: canSeeOpenFeedback
	"POST /api/v1/feedback":                       staff,
	"PATCH /api/v1/feedback/:id":                  staff,
	"GET /feedback":                               staff,
	"POST /feedback/:id":                          staff,
	"GET /api/v1/comments":                        readers, // all statuses: canModerateComments
	"PATCH /api/v1/comments/:id":                  staff,
	"GET /comments":                               staff,
	"POST /comments/:id":                          staff,
	"GET /basort/:name":                           anyone,
	"GET /basort/:name/affisch":                   anyone, // a poster to print and put up
	"GET /vi-gjorde":                              anyone,
	"GET /plan":                                   adminOnly,
	"POST /plan":                                  adminOnly,
	"POST /plan/publish":                          adminOnly,
	"POST /plan/:id/cancel":                       adminOnly,
	"POST /plan/:id/move":                         adminOnly,
	"POST /plan/:id/delete":                       adminOnly,
	"POST /plan/stop":                             adminOnly,
	"POST /plan/:id/edit":                         adminOnly,
	"GET /api/v1/baselines":                       readers,
	"POST /api/v1/baselines":                      adminOnly,
	"DELETE /api/v1/baselines/:id":                adminOnly,
	"GET /baselines":                              adminOnly,
	"POST /baselines":                             adminOnly,
	"POST /baselines/import":                      adminOnly,
	"POST /baselines/:id/delete":                  adminOnly,
	"GET /baselines.csv":                          adminOnly,
	"GET /field":                                  staff,
	"GET /field/:id":                              staff,
	"POST /field/:id":                             staff,
	"POST /field/:id/feedback":                    staff,
	"POST /field/:id/suspect/:response_id":        staff,
	"GET /api/v1/audit":                           adminOnly,
	"GET /audit":                                  adminOnly,
	"GET /tillganglighet":                         anyone, // the accessibility statement the law asks of public services
	"GET /api/v1/promises":                        readers,
	"GET /api/v1/promises/:id":                    readers,
	"POST /api/v1/promises":                       adminOnly,
	"PATCH /api/v1/promises/:id":                  adminOnly,
	"POST /api/v1/promises/:id/copy":              adminOnly,
	"POST /api/v1/promises/:id/activate":          adminOnly,
	"GET /api/v1/promises/:id/export":             adminOnly, // the schedule with the field log's counts: staff's record
	"POST /api/v1/promises/import":                adminOnly,
	routePromises:                                 adminOnly,
	"GET /promises/new":                           adminOnly,
	"POST /promises":                              adminOnly,
	"GET /promises/:id":                           adminOnly,
	"POST /promises/:id":                          adminOnly,
	"POST /promises/:id/copy":                     adminOnly,
	"GET /promises/:id/activate":                  adminOnly,
	"POST /promises/:id/activate":                 adminOnly,
	"POST /promises/import":                       adminOnly,
	"GET /promises/:id/basorter":                  adminOnly,
	"POST /promises/:id/basorter":                 adminOnly,
	"POST /promises/:id/basorter/:bid":            adminOnly,
	"POST /promises/:id/basorter/:bid/retire":     adminOnly,
	"POST /promises/:id/basorter/:bid/delete":     adminOnly,
	"GET /api/v1/users":                           adminOnly,
	"POST /api/v1/users":                          adminOnly,
	"PATCH /api/v1/users/:id":                     adminOnly, // never disabling oneself: lofte.UserUpdate.CheckActor
	"GET /users":                                  adminOnly,
	"POST /users":                                 adminOnly,
	"POST /users/:id":                             adminOnly,
	"GET /api/v1/tokens":                          adminOnly,
	"POST /api/v1/tokens":                         adminOnly,
	"DELETE /api/v1/tokens/:id":                   adminOnly,
	"GET /tokens":                                 adminOnly,
	"POST /tokens":                                adminOnly,
	"POST /tokens/:id/revoke":                     adminOnly,
	routePassword:                                 people, // a person's own: choosesOwnPassword
	routePasswordSave:                             people,
	"GET /metrics":                                anyone, // monitoring: loopback or an admin's token only, mayScrape
}

// route registers h for method and path behind the policy's access check; a GET route answers
// HEAD too, under the same row.
func (s *Server) route(method, path string, h handlerFunc) {
	a, ok := policy[routeKey(method+" "+path)]
	if !ok {
		panic("no access policy for " + method + " " + path)
	}
	s.registered[method+" "+path] = true
	s.engine.Handle(method, path, s.authorize(a), s.wrap(h))
	if method == http.MethodGet {
		// HEAD is GET whose body net/http drops: uptime monitors and calendar clients ask it.
		s.engine.Handle(http.MethodHead, path, s.authorize(a), s.wrap(h))
	}
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
		if id.Anonymous() && c.GetBool(kioskExpiredKey) {
			s.refuseExpiredKiosk(c)
			return
		}
		if id.Anonymous() {
			s.writeError(c, &lofte.Error{Code: lofte.EUNAUTHORIZED, Message: "inloggning eller token krävs"})
			return
		}
		if !a.allows(id.Role) {
			s.writeError(c, &lofte.Error{Code: lofte.EFORBIDDEN, Message: "din roll får inte använda detta"})
			return
		}
		if mustChoosePassword(id) && !leadsToPassword(routeKey(c.Request.Method+" "+c.FullPath())) {
			s.refuseUntilPassword(c)
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
	{Href: "/kiosk/preview", Label: "Förhandsvisa kiosken"},
	{Href: "/dashboard", Label: "Uppföljning"},
	{Href: "/baselines", Label: "Baslinjer"},
	{Href: "/promises", Label: "Löften"},
	{Href: "/reports/bra.xlsx", Label: "BRÅ-rapport (Excel)"},
	{Href: "/audit", Label: "Händelselogg"},
	{Href: "/users", Label: "Användare"},
	{Href: "/tokens", Label: "Tokens"},
}

// navFor returns the menu items the identity may open.
func navFor(id *lofte.Identity, current string) []navItem {
	var out []navItem
	for _, m := range menu {
		if mayUse(id, routeKey(http.MethodGet+" "+m.Href)) {
			m.Current = m.Href == current
			out = append(out, m)
		}
	}
	return out
}

// mayUse reports whether the policy lets id use the route.
func mayUse(id *lofte.Identity, r routeKey) bool {
	a := policy[r]
	return a.anyone || (!id.Anonymous() && a.allows(id.Role))
}

// homeFor is where a role lands after logging in: officers at the field log, what they
// open at a stop; others at the dashboard when they may see it.
func homeFor(r lofte.Role) string {
	if r == lofte.RoleOfficer && policy[routeFieldLog].allows(r) {
		return "/field"
	}
	if policy[routeDashboard].allows(r) {
		return "/dashboard"
	}
	return "/"
}

// canDownloadReport reports whether id may fetch the BRÅ workbook, so the dashboard offers
// the link only to those the table lets through.
func canDownloadReport(id *lofte.Identity) bool { return mayUse(id, routeReport) }

// canSeeDrafts reports whether id sees unpublished stops in the stop list: the police side,
// which plans them.
func canSeeDrafts(id *lofte.Identity) bool { return id.Role.Staff() }

// canSeeFieldLog reports whether id sees a stop's field log (actual times, staff, visitors,
// contacts, topics, notes): the police's internal record. Everyone else, the council too,
// sees the schedule; the council follows the work through the figures, where visitors and
// contacts are counted over stops (docs/access.md, "What leaves the app").
func canSeeFieldLog(id *lofte.Identity) bool { return id.Role.Staff() }

// canSeeOpenFeedback reports whether id sees feedback items still open or in progress; the
// public sees closed ones only, what was done.
func canSeeOpenFeedback(id *lofte.Identity) bool { return id.Role.Staff() }

// canModerateComments reports whether id sees visitors' comments of every status, with
// their stop and date; others (the council) see approved ones only, placed in no time.
func canModerateComments(id *lofte.Identity) bool { return id.Role.Staff() }

// forbiddenStopField names the first field of upd that id may not change, or "" when id may
// make the whole update: an admin anything, an officer only the field log and whether the
// stop was held or cancelled.
func forbiddenStopField(id *lofte.Identity, upd lofte.StopUpdate) string {
	if id.Role != lofte.RoleOfficer {
		return ""
	}
	return planningField(upd)
}

// mustChoosePassword reports whether id is a person who logged in with a password someone
// else was shown (an invitation or a reset) and has not chosen their own yet.
func mustChoosePassword(id *lofte.Identity) bool { return id.User != nil && id.User.MustChangePassword }

// leadsToPassword reports whether a route is open to a person who must choose a password
// first: the password form itself (logging out and public pages need no role).
func leadsToPassword(r routeKey) bool {
	return r == routePassword || r == routePasswordSave || (r == "HEAD /password")
}

// choosesOwnPassword reports whether id may change a password on the password page: a
// person logged in with one, not a token of a person's role.
func choosesOwnPassword(id *lofte.Identity) bool { return id.User != nil }

// mayScrape reports whether a request may read the monitoring figures (GET /metrics): one
// straight from this machine (fromLoopback; never one through a reverse proxy), or one with
// an admin's token, which a monitoring system elsewhere keeps in its configuration. A
// person's session is not enough: the figures are for machines.
func mayScrape(id *lofte.Identity, r *http.Request) bool {
	return fromLoopback(r) || (id.Token != nil && id.Role == lofte.RoleAdmin)
}

// seesPrivatePages reports whether what id is shown may be its own, not the public's: a
// signed-in person or a staff or council token. A kiosk sees only public things.
func seesPrivatePages(id *lofte.Identity) bool { return !id.Anonymous() && id.Role != lofte.RoleKiosk }

// kioskCookieMayCarry reports whether a token found by a kiosk cookie may identify the
// browser: only a kiosk's, so a leaked staff token set as a cookie grants nothing.
func kioskCookieMayCarry(t *lofte.Token) bool { return t.Role == lofte.RoleKiosk }

// planningField names the first field of upd that only a planner may change.
func planningField(upd lofte.StopUpdate) string {
	switch {
	case upd.Basort != nil:
		return "basort"
	case upd.Place != nil:
		return "place"
	case upd.StartsAt != nil:
		return "starts_at"
	case upd.EndsAt != nil:
		return "ends_at"
	case upd.Kind != nil:
		return "kind"
	case upd.PublishedAt != nil:
		return "published_at"
	case upd.Status != nil && !slices.Contains(lofte.LoggedStatuses, *upd.Status):
		return "status"
	}
	return ""
}
