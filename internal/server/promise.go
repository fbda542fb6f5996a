package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

func (s *Server) registerPromiseRoutes() {
	s.route(http.MethodGet, "/api/v1/promises", s.handlePromiseList)
	s.route(http.MethodGet, "/api/v1/promises/:id", s.handlePromiseGet)
	s.route(http.MethodPost, "/api/v1/promises", s.handlePromiseCreate)
	s.route(http.MethodPatch, "/api/v1/promises/:id", s.handlePromiseUpdate)
	s.route(http.MethodPost, "/api/v1/promises/:id/copy", s.handlePromiseCopy)
	s.route(http.MethodPost, "/api/v1/promises/:id/activate", s.handlePromiseActivate)
	s.route(http.MethodGet, "/api/v1/promises/:id/export", s.handlePromiseExport)
	s.route(http.MethodPost, "/api/v1/promises/import", s.handlePromiseImport)
}

// promiseDoc is a promise in the API's shape (the README's "Promises"). Every field
// is a pointer so that one type reads a POST (all fields), a PATCH (those to change) and the
// promise part of an exported file; id, slug, active and created_at are written out and
// ignored on the way in.
type promiseDoc struct {
	ID              *int64          `json:"id,omitempty"`
	Slug            *string         `json:"slug,omitempty"`
	Municipality    *string         `json:"municipality,omitempty"`
	PoliceArea      *string         `json:"police_area,omitempty"`
	Title           *string         `json:"title,omitempty"`
	Text            *string         `json:"text,omitempty"`
	From            *lofte.Date     `json:"from,omitempty"`
	To              *lofte.Date     `json:"to,omitempty"`
	Excluded        *[]lofte.Period `json:"excluded,omitempty"`
	MinN            *int            `json:"min_n,omitempty"`
	StatusMinN      *int            `json:"status_min_n,omitempty"`
	RetentionMonths *int            `json:"retention_months,omitempty"`
	Active          *bool           `json:"active,omitempty"`
	CreatedAt       *time.Time      `json:"created_at,omitempty"`
	Basorter        *[]basortDoc    `json:"basorter,omitempty"`
	Outcomes        *[]outcomeDoc   `json:"outcomes,omitempty"`
	Notes           []string        `json:"notes,omitempty"`
	SignedOn        *lofte.Date     `json:"signed_on,omitempty"`
	SignedBy        *string         `json:"signed_by,omitempty"`
}

// basortDoc is a place of a promise. basort defaults to true and coordinates to
// "approximate"; retired (or a retired_at) retires it.
type basortDoc struct {
	ID               int64      `json:"id,omitempty"`
	Name             string     `json:"name"`
	Population       int        `json:"population"`
	PopulationSource string     `json:"population_source"`
	PopulationYear   int        `json:"population_year,omitempty"`
	Lat              float64    `json:"lat"`
	Lon              float64    `json:"lon"`
	Basort           *bool      `json:"basort,omitempty"`
	Coordinates      string     `json:"coordinates,omitempty"`
	Retired          bool       `json:"retired"`
	RetiredAt        *time.Time `json:"retired_at,omitempty"`
}

type outcomeDoc struct {
	Key        string         `json:"key"`
	Title      string         `json:"title,omitempty"`
	Indicators []indicatorDoc `json:"indicators"`
}

type indicatorDoc struct {
	Metric             string  `json:"metric"`
	Direction          string  `json:"direction"`
	Target             float64 `json:"target"`
	RelativeToBaseline bool    `json:"relative_to_baseline"`
}

// directions maps the API's ">=" and "<=" to the domain's directions.
var directions = map[string]lofte.Direction{">=": lofte.AtLeast, "<=": lofte.AtMost}

func newPromiseDoc(p *lofte.Promise, ls []*lofte.Locality) *promiseDoc {
	excluded := append([]lofte.Period{}, p.Excluded...)
	d := &promiseDoc{ID: &p.ID, Slug: &p.Slug, Municipality: &p.Municipality, PoliceArea: &p.PoliceArea, Title: &p.Title,
		Text: &p.Summary, From: &p.Period.From, To: &p.Period.To, Excluded: &excluded, MinN: &p.MinN,
		StatusMinN: &p.StatusMinN, RetentionMonths: &p.RetentionMonths, Active: &p.Active, CreatedAt: &p.CreatedAt,
		SignedBy: &p.SignedBy}
	if !p.SignedOn.IsZero() {
		d.SignedOn = &p.SignedOn
	}
	bs := make([]basortDoc, len(ls))
	for i, l := range ls {
		bs[i] = basortDoc{ID: l.ID, Name: l.Name, Population: l.Population, PopulationSource: l.PopulationSource,
			PopulationYear: l.PopulationYear, Lat: l.Lat, Lon: l.Lon, Basort: &l.Basort, Coordinates: l.Coordinates,
			Retired: l.Retired(), RetiredAt: l.RetiredAt}
	}
	d.Basorter = &bs
	outs := make([]outcomeDoc, len(p.Outcomes))
	for i, o := range p.Outcomes {
		od := outcomeDoc{Key: o.Code, Title: o.Title, Indicators: make([]indicatorDoc, len(o.Indicators))}
		for j, ind := range o.Indicators {
			dir := ">="
			if ind.Direction == lofte.AtMost {
				dir = "<="
			}
			od.Indicators[j] = indicatorDoc{Metric: ind.Metric, Direction: dir, Target: ind.Target,
				RelativeToBaseline: ind.Kind == lofte.TargetBaselineDelta}
		}
		outs[i] = od
	}
	d.Outcomes = &outs
	return d
}

// update turns the document into a domain update; it checks only what the domain cannot
// (a direction's spelling).
func (d *promiseDoc) update() (lofte.PromiseUpdate, error) {
	u := lofte.PromiseUpdate{Title: d.Title, Municipality: d.Municipality, PoliceArea: d.PoliceArea, Summary: d.Text,
		Excluded: d.Excluded, MinN: d.MinN, StatusMinN: d.StatusMinN, RetentionMonths: d.RetentionMonths}
	if d.From != nil || d.To != nil {
		u.Period = &lofte.Period{}
		if d.From != nil {
			u.Period.From = *d.From
		}
		if d.To != nil {
			u.Period.To = *d.To
		}
	}
	if d.Outcomes != nil {
		outs := make([]lofte.Outcome, len(*d.Outcomes))
		for i, od := range *d.Outcomes {
			o := lofte.Outcome{Code: od.Key, Title: od.Title, Indicators: make([]lofte.Indicator, len(od.Indicators))}
			for j, id := range od.Indicators {
				dir, ok := directions[id.Direction]
				if !ok {
					return u, lofte.Invalid(fmt.Sprintf("outcomes[%d].indicators[%d].direction", i, j), "riktning måste vara \">=\" eller \"<=\"")
				}
				kind := lofte.TargetAbsolute
				if id.RelativeToBaseline {
					kind = lofte.TargetBaselineDelta
				}
				o.Indicators[j] = lofte.Indicator{Metric: id.Metric, Direction: dir, Kind: kind, Target: id.Target}
			}
			outs[i] = o
		}
		u.Outcomes = &outs
	}
	if d.Basorter != nil {
		ls := make([]*lofte.Locality, len(*d.Basorter))
		for i, b := range *d.Basorter {
			ls[i] = b.locality()
		}
		u.Basorter = &ls
	}
	return u, nil
}

func (b basortDoc) locality() *lofte.Locality {
	l := &lofte.Locality{ID: b.ID, Name: strings.TrimSpace(b.Name), Population: b.Population, PopulationSource: strings.TrimSpace(b.PopulationSource),
		PopulationYear: b.PopulationYear, Lat: b.Lat, Lon: b.Lon, Basort: b.Basort == nil || *b.Basort, Coordinates: b.Coordinates}
	if l.Coordinates == "" {
		l.Coordinates = "approximate"
	}
	if b.Retired || b.RetiredAt != nil {
		at := time.Time{}
		if b.RetiredAt != nil {
			at = *b.RetiredAt
		}
		l.RetiredAt = &at
	}
	return l
}

// newPromise builds a promise to create from a document, with the defaults a form would
// show: thresholds, retention and a slug made from the municipality and year.
func newPromise(d *promiseDoc) (*lofte.Promise, []*lofte.Locality, error) {
	u, err := d.update()
	if err != nil {
		return nil, nil, err
	}
	p := &lofte.Promise{MinN: lofte.DefaultMinN, StatusMinN: lofte.DefaultStatusMinN, RetentionMonths: lofte.DefaultRetentionMonths}
	u.Apply(p)
	if d.SignedOn != nil {
		p.SignedOn = *d.SignedOn
	}
	if d.SignedBy != nil {
		p.SignedBy = *d.SignedBy
	}
	p.Slug = lofte.SlugFor(p)
	var ls []*lofte.Locality
	if u.Basorter != nil {
		ls = *u.Basorter
	}
	if len(ls) == 0 {
		return nil, nil, lofte.Invalid("basorter", "lägg till minst en basort")
	}
	return p, ls, nil
}

// checkPromise applies the rules only the server can reach: targets against the metrics
// package's scales.
func checkPromise(p *lofte.Promise) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return p.ValidateTargets(metrics.Scale)
}

// promiseField renames a domain field to the API's: a promise's period is from/to, its
// summary text, an outcome's code key, an indicator's kind relative_to_baseline.
func promiseField(err error) error {
	var ie *lofte.ItemError
	if errors.As(err, &ie) {
		err = prefixField(ie.Err, "basorter["+strconv.Itoa(ie.Index)+"]")
	}
	e := lofte.AsError(err)
	if e == nil || e.Field == "" {
		return err
	}
	c := *e
	c.Field = apiFieldNames.Replace(c.Field)
	c.Field = outcomeCode.ReplaceAllString(c.Field, "$1.key")
	if f, ok := strings.CutSuffix(c.Field, ".kind"); ok {
		c.Field = f + ".relative_to_baseline"
	}
	return &c
}

var (
	apiFieldNames = strings.NewReplacer("period.from", "from", "period.to", "to", "period", "from", "summary", "text")
	outcomeCode   = regexp.MustCompile(`^(outcomes\[\d+\])\.code$`)
)

// promiseByID returns the promise the path's :id names with its localities.
func (s *Server) promiseByID(c *gin.Context) (*lofte.Promise, []*lofte.Locality, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request.Context()
	p, err := s.store.FindPromise(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	ls, err := s.store.FindLocalities(ctx, id)
	return p, ls, err
}

// promiseDocOf reads the promise's places and returns it in the API's shape.
func (s *Server) promiseDocOf(ctx context.Context, p *lofte.Promise) (*promiseDoc, error) {
	ls, err := s.store.FindLocalities(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	return newPromiseDoc(p, ls), nil
}

func (s *Server) handlePromiseList(c *gin.Context) error {
	ps, err := s.store.FindPromises(c.Request.Context())
	if err != nil {
		return err
	}
	out := make([]*promiseDoc, len(ps))
	for i, p := range ps {
		if out[i], err = s.promiseDocOf(c.Request.Context(), p); err != nil {
			return err
		}
	}
	c.JSON(http.StatusOK, gin.H{"promises": out})
	return nil
}

func (s *Server) handlePromiseGet(c *gin.Context) error {
	p, ls, err := s.promiseByID(c)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, newPromiseDoc(p, ls))
	return nil
}

// createPromise stores a new promise and its places, audited; activate makes it the active
// one as well.
func (s *Server) createPromise(c *gin.Context, p *lofte.Promise, ls []*lofte.Locality, activate bool, detail string) error {
	if err := checkPromise(p); err != nil {
		return promiseField(err)
	}
	ctx := c.Request.Context()
	if err := s.store.CreatePromise(ctx, p, ls); err != nil {
		return promiseField(err)
	}
	s.audit(c, "promise.create", promiseObject(p), detail)
	if activate && !p.Active {
		return s.activate(c, p)
	}
	return nil
}

func promiseObject(p *lofte.Promise) string { return auditID("promise", p.ID) }

func promiseLabel(p *lofte.Promise) string {
	return "”" + p.Title + "” (" + p.Period.From.String() + "–" + p.Period.To.String() + ")"
}

func (s *Server) activate(c *gin.Context, p *lofte.Promise) error {
	if _, err := s.store.ActivatePromise(c.Request.Context(), p.ID); err != nil {
		return err
	}
	p.Active = true
	s.audit(c, "promise.activate", promiseObject(p), "Löftet "+promiseLabel(p)+" blev det aktiva löftet")
	return nil
}

func (s *Server) handlePromiseCreate(c *gin.Context) error {
	var d promiseDoc
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	p, ls, err := newPromise(&d)
	if err != nil {
		return promiseField(err)
	}
	if err := s.createPromise(c, p, ls, d.Active != nil && *d.Active, "Nytt löfte "+promiseLabel(p)+" med "+
		strconv.Itoa(len(ls))+" orter"); err != nil {
		return err
	}
	return s.answerPromise(c, http.StatusCreated, p, nil)
}

func (s *Server) answerPromise(c *gin.Context, status int, p *lofte.Promise, notes []string) error {
	d, err := s.promiseDocOf(c.Request.Context(), p)
	if err != nil {
		return err
	}
	d.Notes = notes
	c.JSON(status, d)
	return nil
}

// updatePromise checks and stores upd, and audits the promise's change and each place's.
func (s *Server) updatePromise(c *gin.Context, p *lofte.Promise, before []*lofte.Locality, upd lofte.PromiseUpdate) (*lofte.Promise, error) {
	probe := *p
	upd.Apply(&probe)
	if err := checkPromise(&probe); err != nil {
		return nil, promiseField(err)
	}
	ctx := c.Request.Context()
	q, err := s.store.UpdatePromise(ctx, p.ID, upd)
	if err != nil {
		return nil, promiseField(err)
	}
	if changed := changedSettings(p, q); len(changed) > 0 {
		s.audit(c, "promise.update", promiseObject(q), "Ändrat i löftet "+promiseLabel(q)+": "+strings.Join(changed, ", "))
	}
	if upd.Basorter != nil {
		after, err := s.store.FindLocalities(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		s.auditPlaces(c, q, before, after)
	}
	return q, nil
}

// changedSettings names the settings that differ between a and b, in Swedish.
func changedSettings(a, b *lofte.Promise) []string {
	var out []string
	add := func(changed bool, label string) {
		if changed {
			out = append(out, label)
		}
	}
	add(a.Title != b.Title, "rubrik")
	add(a.Municipality != b.Municipality, "kommun")
	add(a.PoliceArea != b.PoliceArea, "polisområde")
	add(a.Summary != b.Summary, "text")
	add(a.Period != b.Period, "period "+b.Period.From.String()+"–"+b.Period.To.String())
	add(fmt.Sprint(a.Excluded) != fmt.Sprint(b.Excluded), "undantagna perioder")
	add(a.MinN != b.MinN, "minsta antal svar "+strconv.Itoa(b.MinN))
	add(a.StatusMinN != b.StatusMinN, "svar för status "+strconv.Itoa(b.StatusMinN))
	add(a.RetentionMonths != b.RetentionMonths, "gallring "+strconv.Itoa(b.RetentionMonths)+" månader")
	add(fmt.Sprint(a.Outcomes) != fmt.Sprint(b.Outcomes), "effekter och mål")
	return out
}

// auditPlaces writes one entry per place added, changed, retired, reinstated or deleted.
func (s *Server) auditPlaces(c *gin.Context, p *lofte.Promise, before, after []*lofte.Locality) {
	old := map[int64]*lofte.Locality{}
	for _, l := range before {
		old[l.ID] = l
	}
	in := " i " + promiseLabel(p)
	for _, l := range after {
		o := old[l.ID]
		delete(old, l.ID)
		obj := auditID("basort", l.ID)
		switch {
		case o == nil:
			s.audit(c, "basort.create", obj, l.Name+" lades till"+in)
		case !o.Retired() && l.Retired():
			s.audit(c, "basort.retire", obj, l.Name+" avvecklades"+in+"; historiken finns kvar")
		case o.Retired() && !l.Retired():
			s.audit(c, "basort.reinstate", obj, l.Name+" togs upp igen"+in)
		case placeChanged(o, l):
			s.audit(c, "basort.update", obj, l.Name+" ändrades"+in)
		}
	}
	for id, o := range old {
		s.audit(c, "basort.delete", auditID("basort", id), o.Name+" togs bort"+in+" (hade ingen historik)")
	}
}

func placeChanged(a, b *lofte.Locality) bool {
	return a.Name != b.Name || a.Population != b.Population || a.PopulationSource != b.PopulationSource ||
		a.PopulationYear != b.PopulationYear || a.Lat != b.Lat || a.Lon != b.Lon || a.Basort != b.Basort || a.Coordinates != b.Coordinates
}

func (s *Server) handlePromiseUpdate(c *gin.Context) error {
	var d promiseDoc
	if err := decodeJSON(c, &d); err != nil {
		return err
	}
	p, before, err := s.promiseByID(c)
	if err != nil {
		return err
	}
	upd, err := d.update()
	if err != nil {
		return err
	}
	// A period half given keeps the other end.
	if upd.Period != nil {
		if d.From == nil {
			upd.Period.From = p.Period.From
		}
		if d.To == nil {
			upd.Period.To = p.Period.To
		}
	}
	if d.Active != nil && !*d.Active && p.Active {
		return lofte.Invalid("active", "aktivera ett annat löfte i stället: ett löfte är alltid det aktiva")
	}
	q, err := s.updatePromise(c, p, before, upd)
	if err != nil {
		return err
	}
	if d.Active != nil && *d.Active && !q.Active {
		if err := s.activate(c, q); err != nil {
			return err
		}
	}
	return s.answerPromise(c, http.StatusOK, q, nil)
}

// copyOf makes a new promise for period from p, not yet stored: its settings, outcomes,
// targets and the places that are not retired; no stops, answers or baselines. notes say
// what was left behind.
func copyOf(p *lofte.Promise, ls []*lofte.Locality, period lofte.Period) (*lofte.Promise, []*lofte.Locality, []string) {
	q, dropped := p.Copy(period)
	var places []*lofte.Locality
	for _, l := range ls {
		if !l.Retired() {
			c := *l
			c.ID, c.PromiseID = 0, 0
			places = append(places, &c)
		}
	}
	var notes []string
	for _, e := range dropped {
		notes = append(notes, "Den undantagna perioden "+e.From.String()+"–"+e.To.String()+" ("+e.Label+
			") ryms inte i den nya perioden och kopierades inte.")
	}
	notes = append(notes, "Baslinjer, besök och svar kopieras inte: lägg in årets baslinjer under Baslinjer.")
	return q, places, notes
}

// copyPromise stores copyOf(p, ls, period), audited.
func (s *Server) copyPromise(c *gin.Context, p *lofte.Promise, ls []*lofte.Locality, period lofte.Period) (*lofte.Promise, []string, error) {
	if err := period.Validate("period"); err != nil {
		return nil, nil, promiseField(err)
	}
	q, places, notes := copyOf(p, ls, period)
	detail := "Kopia av " + promiseLabel(p) + " för " + period.From.String() + "–" + period.To.String()
	if err := s.createPromise(c, q, places, false, detail); err != nil {
		return nil, nil, err
	}
	return q, notes, nil
}

func (s *Server) handlePromiseCopy(c *gin.Context) error {
	var in struct {
		From lofte.Date `json:"from"`
		To   lofte.Date `json:"to"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, ls, err := s.promiseByID(c)
	if err != nil {
		return err
	}
	q, notes, err := s.copyPromise(c, p, ls, lofte.Period{From: in.From, To: in.To})
	if err != nil {
		return err
	}
	return s.answerPromise(c, http.StatusCreated, q, notes)
}

func (s *Server) handlePromiseActivate(c *gin.Context) error {
	p, _, err := s.promiseByID(c)
	if err != nil {
		return err
	}
	if !p.Active {
		if err := s.activate(c, p); err != nil {
			return err
		}
	}
	return s.answerPromise(c, http.StatusOK, p, nil)
}
