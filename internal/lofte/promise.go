package lofte

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"medborgarlofte/internal/redact"
)

// Outcome codes: the four effects the Kristianstad promise names, and most others too.
const (
	OutcomeService    = "service"
	OutcomeLegitimacy = "legitimacy"
	OutcomeSafety     = "safety"
	OutcomeDialogue   = "dialogue"
)

// OutcomeLabel names an outcome code in Swedish, for a form where the promise's own title of
// it may still be empty; an unknown code is returned as it is.
func OutcomeLabel(code string) string {
	switch code {
	case OutcomeService:
		return "Service"
	case OutcomeLegitimacy:
		return "Legitimitet"
	case OutcomeSafety:
		return "Trygghet"
	case OutcomeDialogue:
		return "Återkoppling och dialog"
	}
	return code
}

// Direction says which way an indicator should move.
type Direction string

// Directions of an indicator's target.
const (
	AtLeast Direction = "at_least"
	AtMost  Direction = "at_most"
)

// TargetKind says whether a target is a fixed value or relative to the baseline.
type TargetKind string

// Target kinds.
const (
	TargetAbsolute      TargetKind = "absolute"
	TargetBaselineDelta TargetKind = "baseline_delta"
)

// Indicator is one measurable sign of an outcome, with its target.
type Indicator struct {
	Metric    string     `json:"metric"`
	Direction Direction  `json:"direction"`
	Kind      TargetKind `json:"kind"`
	// Target is the value to reach (absolute) or the change from the baseline (delta).
	Target float64 `json:"target"`
}

// Outcome is one of the promise's promised effects.
type Outcome struct {
	Code       string      `json:"code"`
	Title      string      `json:"title"`
	Indicators []Indicator `json:"indicators"`
}

// Thresholds of the survey figures (package metrics documents their use).
const (
	// DefaultMinN is the default threshold: a survey figure whose perturbed denominator is
	// below it is suppressed.
	DefaultMinN = 10
	// MinMinN is the lowest threshold a promise may set.
	MinMinN = 5
	// DefaultStatusMinN is the default fewest perturbed answers a survey indicator needs
	// before it gets a status other than insufficient data.
	DefaultStatusMinN = 100
)

// Promise is a citizen promise: who made it, for which period, and what it should lead to.
type Promise struct {
	ID           int64     `json:"id"`
	Slug         string    `json:"slug"`
	Title        string    `json:"title"`
	Municipality string    `json:"municipality"`
	PoliceArea   string    `json:"police_area"`
	Period       Period    `json:"period"`
	Excluded     []Period  `json:"excluded"`
	Summary      string    `json:"summary"`
	SignedOn     Date      `json:"signed_on"`
	SignedBy     string    `json:"signed_by"`
	MinN         int       `json:"min_n"`
	StatusMinN   int       `json:"status_min_n"`
	Outcomes     []Outcome `json:"outcomes"`
	Active       bool      `json:"active"`
	CreatedAt    time.Time `json:"created_at"`

	// RetentionMonths is how long after the promise's end its free text is kept; its
	// responses are kept as long again (RetentionDue). 0 keeps both for good, and is also
	// what a Promise made in code without setting it gets: forgetting never deletes.
	RetentionMonths int `json:"retention_months"`
}

// InExcluded reports whether day falls in one of the promise's excluded periods.
func (p *Promise) InExcluded(day Date) bool { return ExcludedOn(p, day) >= 0 }

// IsActiveDay reports whether day lies inside the period and outside the excluded ones.
func (p *Promise) IsActiveDay(day Date) bool {
	return p.Period.Contains(day) && !p.InExcluded(day)
}

// Ended reports whether the promise's period is over on the local day of now.
func (p *Promise) Ended(now time.Time) bool { return LocalDate(now).After(p.Period.To) }

// Validate checks the promise's fields and names the first that fails.
func (p *Promise) Validate() error {
	switch {
	case strings.TrimSpace(p.Slug) == "":
		return Invalid("slug", "kortnamn saknas")
	case strings.TrimSpace(p.Title) == "":
		return Invalid("title", "rubrik saknas")
	case strings.TrimSpace(p.Municipality) == "":
		return Invalid("municipality", "kommun saknas")
	case strings.TrimSpace(p.PoliceArea) == "":
		return Invalid("police_area", "polisområde saknas")
	case p.MinN < MinMinN:
		return Invalid("min_n", "min_n måste vara minst %d", MinMinN)
	case p.StatusMinN < p.MinN:
		return Invalid("status_min_n", "status_min_n får inte vara mindre än min_n")
	case p.RetentionMonths < 0 || p.RetentionMonths > MaxRetentionMonths:
		return Invalid("retention_months", "retention_months måste vara 0–%d (0 behåller allt)", MaxRetentionMonths)
	}
	if err := p.Period.Validate("period"); err != nil {
		return err
	}
	for i, e := range p.Excluded {
		f := "excluded[" + strconv.Itoa(i) + "]"
		if err := e.Validate(f); err != nil {
			return err
		}
		if e.From.Before(p.Period.From) || e.To.After(p.Period.To) {
			return Invalid(f, "undantagen period ligger utanför löftets period")
		}
	}
	seen := map[string]bool{}
	for i, o := range p.Outcomes {
		f := "outcomes[" + strconv.Itoa(i) + "]"
		if o.Code == "" || seen[o.Code] {
			return Invalid(f+".code", "effektkod saknas eller upprepas")
		}
		seen[o.Code] = true
		for j, ind := range o.Indicators {
			g := f + ".indicators[" + strconv.Itoa(j) + "]"
			switch {
			case ind.Metric == "":
				return Invalid(g+".metric", "indikatorn saknar mått")
			case ind.Direction != AtLeast && ind.Direction != AtMost:
				return Invalid(g+".direction", "riktning måste vara at_least eller at_most")
			case ind.Kind != TargetAbsolute && ind.Kind != TargetBaselineDelta:
				return Invalid(g+".kind", "måltyp måste vara absolute eller baseline_delta")
			}
		}
	}
	return nil
}

// Locality is a place in the promise's municipality; basorter are the ones the promise is for.
type Locality struct {
	ID         int64   `json:"id"`
	PromiseID  int64   `json:"-"`
	Name       string  `json:"name"`
	Population int     `json:"population"`
	Lat        float64 `json:"lat"`
	Lon        float64 `json:"lon"`
	Basort     bool    `json:"basort"`
	// Coordinates says where Lat/Lon come from: "published" or "approximate".
	Coordinates string `json:"coordinates"`
	// PopulationSource and PopulationYear say where Population comes from (SCB, 2018), so a
	// reader of a weighted figure can judge the weights.
	PopulationSource string `json:"population_source"`
	PopulationYear   int    `json:"population_year"`
	// RetiredAt is when the promise stopped visiting the place: it keeps its history and its
	// figures, and gets no new stops. A place with history is retired, never deleted.
	RetiredAt *time.Time `json:"retired_at,omitempty"`
}

// Retired reports whether the locality gets no new stops.
func (l *Locality) Retired() bool { return l.RetiredAt != nil }

// Validate checks the locality's fields.
func (l *Locality) Validate() error {
	switch {
	case strings.TrimSpace(l.Name) == "":
		return Invalid("name", "namn saknas")
	case l.Population < 0:
		return Invalid("population", "folkmängden kan inte vara negativ")
	case l.Lat < -90 || l.Lat > 90:
		return Invalid("lat", "latitud utanför -90..90")
	case l.Lon < -180 || l.Lon > 180:
		return Invalid("lon", "longitud utanför -180..180")
	case l.Coordinates != "published" && l.Coordinates != "approximate":
		return Invalid("coordinates", "koordinatkälla måste vara published eller approximate")
	case l.PopulationYear != 0 && (l.PopulationYear < 1900 || l.PopulationYear > 2200):
		return Invalid("population_year", "folkmängdens år måste vara ett årtal (eller tomt)")
	case len(l.Name) > maxPlaceNameLen:
		return Invalid("name", "namnet får vara högst %d tecken", maxPlaceNameLen)
	case len(l.PopulationSource) > maxSourceLen:
		return Invalid("population_source", "källan får vara högst %d tecken", maxSourceLen)
	}
	return nil
}

// LocalityNamed returns the locality of ls with this name, or nil; a name is unique within
// a promise.
func LocalityNamed(ls []*Locality, name string) *Locality {
	for _, l := range ls {
		if l.Name == name {
			return l
		}
	}
	return nil
}

// KnownLocality returns the locality of ls with this name, or UnknownLocality: a stop, a
// baseline or a list names only places of its promise.
func KnownLocality(ls []*Locality, name string) (*Locality, error) {
	if l := LocalityNamed(ls, name); l != nil {
		return l, nil
	}
	return nil, UnknownLocality(name)
}

// UnknownLocality is the error for a name that is none of the promise's places.
func UnknownLocality(name string) *Error { return Invalid("basort", "okänd ort %q", name) }

// Baseline is a reference value for an indicator, for one basort or (LocalityID 0) the area.
type Baseline struct {
	ID         int64   `json:"id"`
	PromiseID  int64   `json:"-"`
	LocalityID int64   `json:"-"`
	Basort     string  `json:"basort,omitempty"`
	Metric     string  `json:"metric"`
	Value      float64 `json:"value"`
	Source     string  `json:"source"`
}

// Validate redacts the source (redact.Text: it is published beside the figures) and checks
// the baseline.
func (b *Baseline) Validate() error {
	if tooLongToRedact(b.Source, maxSourceLen) {
		return Invalid("source", "källan får vara högst %d tecken", maxSourceLen)
	}
	b.Source = redact.Text(b.Source)
	switch {
	case b.Metric == "":
		return Invalid("metric", "mått saknas")
	case b.Value < 0 || b.Value > 1:
		return Invalid("value", "värdet måste ligga mellan 0 och 1")
	case strings.TrimSpace(b.Source) == "":
		return Invalid("source", "källa saknas")
	case len(b.Metric) > maxCodeLen:
		return Invalid("metric", "okänt mått")
	case len(b.Source) > maxSourceLen:
		return Invalid("source", "källan får vara högst %d tecken", maxSourceLen)
	}
	return nil
}

// maxPlaceNameLen is the most a locality's name may hold, in bytes.
const maxPlaceNameLen = 100

// maxSourceLen is the most a baseline's source may hold, in bytes.
const maxSourceLen = 200

// PromiseStore keeps promises, their localities and baselines.
type PromiseStore interface {
	// ActivePromise returns the promise the app currently serves.
	ActivePromise(ctx context.Context) (*Promise, error)
	// FindPromise returns the promise with id, active or not.
	FindPromise(ctx context.Context, id int64) (*Promise, error)
	// FindPromises returns every promise, newest first.
	FindPromises(ctx context.Context) ([]*Promise, error)
	// CreatePromise stores a promise with its localities in one transaction; the first
	// promise becomes the active one. One that overlaps another (Promise.Overlaps) is a
	// conflict.
	CreatePromise(ctx context.Context, p *Promise, localities []*Locality) error
	// UpdatePromise changes the settings and places upd names, all or nothing, and returns
	// the promise as stored. Retiring the last basort is a conflict.
	UpdatePromise(ctx context.Context, id int64, upd PromiseUpdate) (*Promise, error)
	// ActivatePromise makes the promise the one the app serves by default.
	ActivatePromise(ctx context.Context, id int64) (*Promise, error)
	// ImportPromise stores a promise read from a file with its localities, stops and
	// baselines in one transaction: a stop or baseline names its basort by name.
	ImportPromise(ctx context.Context, p *Promise, localities []*Locality, stops []*Stop, baselines []*Baseline) error
	FindLocalities(ctx context.Context, promiseID int64) ([]*Locality, error)
	CreateLocality(ctx context.Context, promiseID int64, l *Locality) error
	CreateBaselines(ctx context.Context, promiseID int64, bs []*Baseline) error
	FindBaselines(ctx context.Context, promiseID int64) ([]*Baseline, error)
	// DeleteBaseline removes one of the promise's baselines; another promise's is not found.
	DeleteBaseline(ctx context.Context, promiseID, id int64) error
}

// ActiveDays counts the days from first to last (inclusive) that lie inside the period and
// outside the excluded ones.
func (p *Promise) ActiveDays(first, last Date) int {
	// Counted on day numbers: the metrics ask this for every gap of every cell, and a
	// calendar step per day was a tenth of a report's time.
	lo := max(first.dayNumber(), p.Period.From.dayNumber())
	hi := min(last.dayNumber(), p.Period.To.dayNumber())
	excluded := make([][2]int64, len(p.Excluded))
	for i, e := range p.Excluded {
		excluded[i] = [2]int64{e.From.dayNumber(), e.To.dayNumber()}
	}
	n := 0
	for d := lo; d <= hi; d++ {
		if !slices.ContainsFunc(excluded, func(e [2]int64) bool { return e[0] <= d && d <= e[1] }) {
			n++
		}
	}
	return n
}
