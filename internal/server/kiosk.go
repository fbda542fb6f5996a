package server

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"html/template"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/survey"
	"medborgarlofte/web"
)

// kioskCookie holds a paired tablet's kiosk token. It is a cookie rather than page storage so
// that loading /kiosk itself needs the pairing, and HttpOnly so page scripts cannot read it.
const kioskCookie = "mlf_kiosk"

// pairingLife is how long a pairing code works.
const pairingLife = 15 * time.Minute

func (s *Server) registerKioskRoutes() {
	s.route(http.MethodGet, "/kiosk", s.handleKiosk)
	s.route(http.MethodGet, "/kiosk/preview", s.handleKioskPreview)
	s.route(http.MethodGet, "/kiosk/pair", s.handlePairPage)
	s.route(http.MethodPost, "/kiosk/pair", s.handlePair)
	s.route(http.MethodGet, "/kiosk/devices", s.handleDevices)
	s.route(http.MethodPost, "/kiosk/devices/pairing", s.handlePairingCode)
	s.route(http.MethodPost, "/kiosk/devices/:id/revoke", s.handleRevokeDevice)
	s.route(http.MethodPost, "/kiosk/devices/:id/rename", s.handleRenameDevice)
	s.route(http.MethodGet, "/kiosk-sw.js", s.handleServiceWorker)
}

// kioskConfig is what the kiosk script needs, embedded in the page as JSON data.
type kioskConfig struct {
	Items  []survey.Item           `json:"items"`
	Langs  []string                `json:"langs"`
	Texts  map[string]*survey.Lang `json:"texts"`
	Device string                  `json:"device"`
	// Assets the service worker caches for offline use.
	Assets []string `json:"assets"`
	// Preview is staff looking at the survey without a paired tablet: the page queues and
	// sends nothing, and the server would refuse it anyway (POST /api/v1/responses is the
	// kiosk's alone).
	Preview bool `json:"preview"`
}

type kioskPage struct {
	Base
	Config template.JS
}

func (s *Server) handleKiosk(c *gin.Context) error { return s.renderKiosk(c, false) }

// handleKioskPreview shows admins and officers the survey as a tablet shows it, without
// pairing one; nothing answered there is stored.
func (s *Server) handleKioskPreview(c *gin.Context) error { return s.renderKiosk(c, true) }

func (s *Server) renderKiosk(c *gin.Context, preview bool) error {
	cat := survey.Default()
	cfg := kioskConfig{Items: cat.Items(), Langs: cat.Langs(), Texts: map[string]*survey.Lang{}, Preview: preview,
		Device: lofte.IdentityFrom(c.Request.Context()).Name,
		Assets: []string{s.assets.URL("kiosk.js"), s.assets.URL("kiosk.css"), s.assets.URL("favicon.svg")}}
	for _, l := range cfg.Langs {
		cfg.Texts[l] = cat.Lang(l)
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		return fmt.Errorf("kiosk config: %w", err)
	}
	// The JSON goes into a <script type="application/json"> element; escaping < keeps any
	// text from closing it.
	js := strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`).Replace(string(b))
	c.Header("Cache-Control", "no-cache")
	title := "Kiosk"
	if preview {
		title = "Förhandsvisning av kiosken"
	}
	b2 := s.base(c, title)
	b2.Bare = true
	s.render(c, http.StatusOK, "kiosk", &kioskPage{Base: b2, Config: template.JS(js)})
	return nil
}

type pairPage struct {
	Base
	Code, Error string
}

func (s *Server) handlePairPage(c *gin.Context) error {
	s.render(c, http.StatusOK, "pair", &pairPage{Base: s.base(c, "Para ihop surfplatta"), Code: c.Query("code")})
	return nil
}

// handlePair turns a valid pairing code into a kiosk token kept in the tablet's cookie.
//
// Guessing is limited twice: per client address, and for wrong codes from everyone together
// (pairFailures), which is what bounds guessing from many addresses. A wrong guess cannot be
// held against one code, since only codes' hashes are stored and a guess names none of them;
// the shared budget bounds the tries any live code can get instead. A right code gives its
// share of the budget back, so pairing tablets never uses it up.
func (s *Server) handlePair(c *gin.Context) error {
	code := strings.TrimSpace(strings.ReplaceAll(c.PostForm("code"), " ", ""))
	page := &pairPage{Base: s.base(c, "Para ihop surfplatta")}
	if len(code) <= 8 {
		page.Code = code
	}
	now := s.now()
	tooMany := func(wait time.Duration) error {
		page.Error = "För många försök. Vänta en stund."
		return s.renderTooMany(c, wait, "pair", page)
	}
	if ok, wait := s.pairByClient.allow(clientKey(c), now); !ok {
		return tooMany(wait)
	}
	if len(code) != 8 || strings.Trim(code, "0123456789") != "" {
		page.Error = "Koden har åtta siffror."
		s.render(c, http.StatusBadRequest, "pair", page)
		return nil
	}
	r := s.pairFailures.ReserveN(now, 1)
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		return tooMany(wait)
	}
	plain, hash := auth.NewToken()
	t := &lofte.Token{Name: "Surfplatta " + now.In(lofte.Zone).Format("2006-01-02 15.04"), Role: lofte.RoleKiosk, Hash: hash}
	if err := s.store.RedeemPairingCode(c.Request.Context(), auth.Hash("pair:"+code), t, now); err != nil {
		if lofte.ErrorCodeOf(err) == lofte.ENOTFOUND {
			page.Error = "Koden är okänd, redan använd eller för gammal. Be om en ny kod."
			s.render(c, http.StatusBadRequest, "pair", page)
			return nil
		}
		r.CancelAt(now)
		return err
	}
	r.CancelAt(now)
	s.auditAs(c, "token:"+t.Name, "kiosk.pair", auditID("token", t.ID), "Surfplattan parades ihop med en parningskod")
	http.SetCookie(c.Writer, &http.Cookie{Name: kioskCookie, Value: plain, Path: "/", MaxAge: 400 * 24 * 3600,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
	s.log.InfoContext(c.Request.Context(), "kiosk paired", "token_id", t.ID)
	c.Redirect(http.StatusSeeOther, "/kiosk")
	return nil
}

type devicesPage struct {
	Base
	Devices []*lofte.Token
	// Now tells which devices have expired.
	Now time.Time
	// Suspect counts answers set aside (lofte.MarkSuspect), per stop, newest first.
	Suspect      []suspectRow
	SuspectTotal int
	Code         string
	Expires      string
	Link         string
	// Address is Link in full, as it is typed on a tablet.
	Address string
	// Error is a refused rename of the device ErrorDevice.
	Error       string
	ErrorDevice int64
}

func (s *Server) devices(c *gin.Context) (*devicesPage, error) {
	ts, err := s.store.FindTokens(c.Request.Context(), lofte.RoleKiosk)
	if err != nil {
		return nil, err
	}
	p := &devicesPage{Base: s.base(c, "Kioskplattor"), Devices: ts, Now: s.now()}
	if p.Promise == nil {
		return p, nil
	}
	stops, _, err := s.store.FindStops(c.Request.Context(), lofte.StopFilter{PromiseID: p.Promise.ID})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(stops))
	byID := map[int64]*lofte.Stop{}
	for i, st := range stops {
		ids[i], byID[st.ID] = st.ID, st
	}
	tallies, err := s.store.FindTallies(c.Request.Context(), ids)
	if err != nil {
		return nil, err
	}
	for _, t := range tallies {
		if t.Suspect > 0 {
			p.Suspect = append(p.Suspect, suspectRow{Stop: byID[t.StopID], N: t.Suspect, Of: t.Suspect + t.Responses})
			p.SuspectTotal += t.Suspect
		}
	}
	slices.Reverse(p.Suspect)
	return p, nil
}

type suspectRow struct {
	Stop  *lofte.Stop
	N, Of int
}

func (s *Server) handleDevices(c *gin.Context) error {
	p, err := s.devices(c)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "devices", p)
	return nil
}

// handlePairingCode makes a one-time eight-digit code to type on the tablet.
func (s *Server) handlePairingCode(c *gin.Context) error {
	n, err := rand.Int(rand.Reader, big.NewInt(100_000_000))
	if err != nil {
		return fmt.Errorf("pairing code: %w", err)
	}
	code := fmt.Sprintf("%08d", n.Int64())
	expires := s.now().Add(pairingLife)
	id := lofte.IdentityFrom(c.Request.Context())
	if err := s.store.CreatePairingCode(c.Request.Context(), auth.Hash("pair:"+code), id.Name, s.now(), expires); err != nil {
		return err
	}
	// A code has no id of its own; its time names it, and the code itself never enters the log.
	s.audit(c, "kiosk.pairing_code", "pairing:"+strconv.FormatInt(s.now().Unix(), 10),
		"Parningskod skapad, gäller till kl. "+expires.In(lofte.Zone).Format("15.04"))
	p, err := s.devices(c)
	if err != nil {
		return err
	}
	p.Code = code[:4] + " " + code[4:]
	p.Expires = expires.In(lofte.Zone).Format("15.04")
	p.Link = "/kiosk/pair?code=" + code
	p.Address = s.origin(c) + p.Link
	c.Header("Cache-Control", "no-store")
	s.render(c, http.StatusOK, "devices", p)
	return nil
}

func (s *Server) handleRevokeDevice(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := s.revokeToken(c, id, lofte.RoleKiosk); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/kiosk/devices")
	return nil
}

// handleRenameDevice gives a paired tablet a name staff recognise ("Tollarp-plattan"); a
// bad name shows the page again with the mistake, nothing changed.
func (s *Server) handleRenameDevice(c *gin.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	t, err := s.liveToken(c.Request.Context(), id, lofte.RoleKiosk)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(c.PostForm("name"))
	if err := s.store.RenameToken(c.Request.Context(), id, name); err != nil {
		if lofte.ErrorCodeOf(err) != lofte.EINVALID {
			return err
		}
		p, perr := s.devices(c)
		if perr != nil {
			return perr
		}
		p.Error, p.ErrorDevice = lofte.AsError(err).Message, id
		s.render(c, http.StatusBadRequest, "devices", p)
		return nil
	}
	s.audit(c, "device.rename", auditID("token", id), fmt.Sprintf("Plattan %s bytte namn till %s.", t.Name, name))
	c.Redirect(http.StatusSeeOther, "/kiosk/devices")
	return nil
}

// handleServiceWorker serves the kiosk's service worker from the site root, so its scope
// covers /kiosk and the API.
func (s *Server) handleServiceWorker(c *gin.Context) error {
	b, err := web.ReadFile("kiosk-sw.js")
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-cache")
	c.Header("Service-Worker-Allowed", "/")
	c.Data(http.StatusOK, "text/javascript; charset=utf-8", b)
	return nil
}
