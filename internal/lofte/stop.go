package lofte

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"medborgarlofte/internal/redact"
)

// StopKind tells a regular stop from a summer event.
type StopKind string

// Stop kinds.
const (
	KindRegular StopKind = "regular"
	KindEvent   StopKind = "event"
)

// StopStatus is where a stop is in its life: draft → published → held | cancelled.
type StopStatus string

// Stop statuses.
const (
	StatusDraft     StopStatus = "draft"
	StatusPublished StopStatus = "published"
	StatusHeld      StopStatus = "held"
	StatusCancelled StopStatus = "cancelled"
)

// StopKinds lists every kind.
var StopKinds = []StopKind{KindRegular, KindEvent}

// StopStatuses lists every status in the order of a stop's life.
var StopStatuses = []StopStatus{StatusDraft, StatusPublished, StatusHeld, StatusCancelled}

// LoggedStatuses are the statuses an officer logs a stop as, on the day or after it.
var LoggedStatuses = []StopStatus{StatusHeld, StatusCancelled}

// Valid reports whether k is a known kind.
func (k StopKind) Valid() bool { return slices.Contains(StopKinds, k) }

// Label returns the kind's Swedish name, shown on pages, in the calendar and in the workbook.
func (k StopKind) Label() string {
	switch k {
	case KindRegular:
		return "Ordinarie"
	case KindEvent:
		// Events are labelled by kind, whatever the month; a promise's excluded period (such
		// as the summer) carries its own label.
		return "Evenemang"
	}
	return string(k)
}

// Valid reports whether s is a known status.
func (s StopStatus) Valid() bool { return slices.Contains(StopStatuses, s) }

// Label returns the status's Swedish name, shown on pages, in the calendar and in the workbook.
func (s StopStatus) Label() string {
	switch s {
	case StatusDraft:
		return "Utkast"
	case StatusPublished:
		return "Planerat"
	case StatusHeld:
		return "Genomfört"
	case StatusCancelled:
		return "Inställt"
	}
	return string(s)
}

// Public reports whether a stop with this status may be shown to anyone.
func (s StopStatus) Public() bool { return s != StatusDraft }

// Validate returns an invalid-input error naming the field status when s is not a known
// status, so a value nobody may set is refused as what it is before anyone asks who set it.
func (s StopStatus) Validate() error {
	if !s.Valid() {
		return Invalid("status", "status måste vara draft, published, held eller cancelled")
	}
	return nil
}

// CanBecome reports whether a stop may go from s to next (Transition says why not).
func (s StopStatus) CanBecome(next StopStatus) bool { return s.Transition(next) == nil }

// Transition returns nil when a stop may go from s to next, else a conflict saying why:
//
//	draft → published → held | cancelled;   held | cancelled → published
//
// A draft only becomes published: it was never promised, so it is deleted rather than
// cancelled (Stop.Deletable), and a cancelled or held draft would appear in the public
// schedule without ever having been announced. Once published a stop is never a draft
// again. Held and cancelled are the outcome an officer logs, and one never becomes the
// other: a held stop took place, and cancelling it would take a visit out of the delivery
// figures; a cancelled stop was announced as called off, so it was not held as promised. An
// outcome logged by mistake is corrected by putting the stop back to published, which only
// an admin may (the server's access table), and logging it again. Who may set a status is
// the server's decision; when a stop may be held is Stop.HeldByNow.
func (s StopStatus) Transition(next StopStatus) error {
	if err := next.Validate(); err != nil {
		return err
	}
	switch {
	case s == next:
		return nil
	case s == StatusDraft && next == StatusCancelled:
		return ErrDraftCancelled
	case s == StatusDraft && next == StatusHeld:
		return conflict("status", "ett utkast måste publiceras innan besöket kan markeras som genomfört")
	case next == StatusDraft:
		return conflict("status", "ett publicerat tillfälle blir aldrig utkast igen; ställ in det i stället")
	case s == StatusHeld && next == StatusCancelled:
		return conflict("status", "ett genomfört besök kan inte ställas in; "+
			"var det fel markerat återställer en administratör det först till planerat")
	case s == StatusCancelled && next == StatusHeld:
		return conflict("status", "ett inställt besök kan inte markeras som genomfört; "+
			"var det fel markerat återställer en administratör det först till planerat")
	}
	return nil // published → held | cancelled, held | cancelled → published
}

// conflict returns an ECONFLICT error naming the field: a request that is well formed but
// does not fit the stop as it now is.
func conflict(field, format string, args ...any) *Error {
	return &Error{Code: ECONFLICT, Message: fmt.Sprintf(format, args...), Field: field}
}

// Contacts counts the officer-logged contacts of a stop by type.
type Contacts struct {
	CrimeReport int `json:"crime_report"`
	Tip         int `json:"tip"`
	Advice      int `json:"advice"`
	Other       int `json:"other"`
}

// FieldLog is what the officers note about a stop.
type FieldLog struct {
	ActualStart *time.Time `json:"actual_start,omitempty"`
	ActualEnd   *time.Time `json:"actual_end,omitempty"`
	Staff       int        `json:"staff"`
	Visitors    int        `json:"visitors"`
	Contacts    Contacts   `json:"contacts"`
	Topics      []string   `json:"topics"`
	Notes       string     `json:"notes"`
}

// Stop is one visit of the mobile police office.
type Stop struct {
	ID           int64      `json:"id"`
	PromiseID    int64      `json:"-"`
	LocalityID   int64      `json:"-"`
	Basort       string     `json:"basort"`
	Place        string     `json:"place"`
	StartsAt     time.Time  `json:"starts_at"`
	EndsAt       time.Time  `json:"ends_at"`
	Kind         StopKind   `json:"kind"`
	Status       StopStatus `json:"status"`
	PublishedAt  *time.Time `json:"published_at"`
	CancelReason string     `json:"cancel_reason"`
	FieldLog
	// Sequence rises whenever a public stop changes in the calendar feed: moved, cancelled,
	// another kind or reason (iCalendar SEQUENCE).
	Sequence int `json:"-"`
	// Version rises with every update (not with a +1 tap, which only adds to the tally); an
	// update that names the version it read is refused when someone changed the stop since.
	Version   int       `json:"-"`
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
}

// MaxPlaceLen is the longest place a stop may have, in bytes.
const MaxPlaceLen = 200

// Validate redacts the stop's free text and checks its own fields; the store checks the
// locality exists. The store validates before every write, so what staff typed is never
// stored, nor published, unredacted.
func (s *Stop) Validate() error {
	switch {
	case tooLongToRedact(s.Place, MaxPlaceLen):
		return Invalid("place", "platsen får vara högst %d tecken", MaxPlaceLen)
	case tooLongToRedact(s.CancelReason, MaxCancelReasonLen):
		return Invalid("cancel_reason", "orsaken får vara högst %d tecken", MaxCancelReasonLen)
	case tooLongToRedact(s.Notes, MaxNotesLen):
		return Invalid("notes", "anteckningar får vara högst %d tecken", MaxNotesLen)
	}
	if err := s.checkTimes(); err != nil {
		return err
	}
	s.redactText()
	switch {
	case s.LocalityID == 0 && strings.TrimSpace(s.Basort) == "":
		return Invalid("basort", "basort saknas")
	case strings.TrimSpace(s.Place) == "":
		return Invalid("place", "plats saknas")
	case len(s.Place) > MaxPlaceLen:
		return Invalid("place", "platsen får vara högst %d tecken", MaxPlaceLen)
	case s.StartsAt.IsZero():
		return Invalid("starts_at", "starttid saknas")
	case s.EndsAt.IsZero():
		return Invalid("ends_at", "sluttid saknas")
	case !s.EndsAt.After(s.StartsAt):
		return Invalid("ends_at", "sluttiden måste ligga efter starttiden")
	case s.EndsAt.Sub(s.StartsAt) > 24*time.Hour:
		return Invalid("ends_at", "ett tillfälle kan vara högst 24 timmar")
	case !s.Kind.Valid():
		return Invalid("kind", "typ måste vara regular eller event")
	case !s.Status.Valid():
		return Invalid("status", "status måste vara draft, published, held eller cancelled")
	case s.Status != StatusDraft && s.PublishedAt == nil:
		return Invalid("published_at", "publiceringstid saknas för ett publicerat tillfälle")
	case s.Status == StatusDraft && s.PublishedAt != nil:
		return Invalid("published_at", "ett utkast kan inte ha publiceringstid")
	case s.Status == StatusCancelled && strings.TrimSpace(s.CancelReason) == "":
		return Invalid("cancel_reason", "ange varför tillfället ställdes in")
	case tooLong(s.CancelReason, MaxCancelReasonLen):
		return Invalid("cancel_reason", "orsaken får vara högst %d tecken", MaxCancelReasonLen)
	case tooLong(s.Notes, MaxNotesLen):
		return Invalid("notes", "anteckningar får vara högst %d tecken", MaxNotesLen)
	}
	if err := s.checkCounts(); err != nil {
		return err
	}
	if s.ActualStart != nil && s.ActualEnd != nil && !s.ActualEnd.After(*s.ActualStart) {
		return Invalid("actual_end", "faktisk sluttid måste ligga efter faktisk starttid")
	}
	return nil
}

// MaxNotesLen is the most characters the officers' notes on a stop may have.
const MaxNotesLen = 4000

// checkCounts refuses a negative count of the field log, or one beyond its bound.
func (s *Stop) checkCounts() error {
	counts := []struct {
		field, what string
		n, max      int
	}{
		{"staff", "antal personal", s.Staff, MaxStaff},
		{"visitors", "antal besökare", s.Visitors, MaxVisitors},
		{"contacts.crime_report", "antal", s.Contacts.CrimeReport, MaxContacts},
		{"contacts.tip", "antal", s.Contacts.Tip, MaxContacts},
		{"contacts.advice", "antal", s.Contacts.Advice, MaxContacts},
		{"contacts.other", "antal", s.Contacts.Other, MaxContacts},
	}
	for _, c := range counts {
		switch {
		case c.n < 0:
			return Invalid(c.field, "%s kan inte vara negativt", c.what)
		case c.n > c.max:
			return Invalid(c.field, "%s kan vara högst %d", c.what, c.max)
		}
	}
	return nil
}

// checkTimes refuses a time of the stop with an impossible offset or year (CheckTime); a
// missing one is left for Validate to name.
func (s *Stop) checkTimes() error {
	times := []struct {
		field string
		t     *time.Time
	}{{"starts_at", &s.StartsAt}, {"ends_at", &s.EndsAt}, {"published_at", s.PublishedAt},
		{"actual_start", s.ActualStart}, {"actual_end", s.ActualEnd}}
	for _, x := range times {
		if x.t == nil || x.t.IsZero() {
			continue
		}
		if err := CheckTime(x.field, *x.t); err != nil {
			return err
		}
	}
	return nil
}

// redactText replaces what identifies a person in the text staff type about a stop
// (redact.Text): the place, the cancel reason and the notes. The first two are public.
func (s *Stop) redactText() {
	s.Place, s.CancelReason, s.Notes = redact.Text(s.Place), redact.Text(s.CancelReason), redact.Text(s.Notes)
}

// DefaultKind returns the kind a stop starting at start has by default: event inside one of
// the promise's excluded periods (summer stops count as events), regular otherwise. The day
// is taken in Zone.
func DefaultKind(p *Promise, start time.Time) StopKind {
	if p != nil && p.InExcluded(LocalDate(start)) {
		return KindEvent
	}
	return KindRegular
}

// ExcludedOn returns the index of p's excluded period that day falls in, or -1 (also for no
// promise).
func ExcludedOn(p *Promise, day Date) int {
	if p == nil {
		return -1
	}
	for i, e := range p.Excluded {
		if e.Contains(day) {
			return i
		}
	}
	return -1
}

// ExcludedName names p's excluded period i as a sentence uses it: "undantagsperioden
// Sommarevenemang (2018-06-01–2018-08-31)".
func ExcludedName(p *Promise, i int) string {
	e := p.Excluded[i]
	name := "undantagsperioden"
	if l := strings.TrimSpace(e.Label); l != "" {
		name += " " + l
	}
	return fmt.Sprintf("%s (%s–%s)", name, e.From, e.To)
}

// CheckNew refuses, naming the field, a new stop s of promise p that does not fit the
// promise as of now: a day outside the promise's period; a regular stop in an excluded period
// (the summer is for events, so such a stop is planned as kind event); a publication time to
// come, or after the stop began; and a stop that has already begun, unless it is history
// registered with the time it really was published (PublishedAt), so a planner's slip of the
// date does not become a visit that was never announced. It runs before SetDefaults, which
// stamps a public stop's publication time now; a missing start is left for Validate to name.
func (s *Stop) CheckNew(p *Promise, now time.Time) error {
	if s.StartsAt.IsZero() || p == nil {
		return nil
	}
	day := LocalDate(s.StartsAt)
	kind := s.Kind
	if kind == "" {
		kind = DefaultKind(p, s.StartsAt)
	}
	switch {
	case !p.Period.Contains(day):
		return outsidePeriod(p, day)
	case kind == KindRegular && ExcludedOn(p, day) >= 0:
		return Invalid("kind", "%s ligger i %s: där planeras evenemang, inte ordinarie besök; välj typen evenemang",
			day, ExcludedName(p, ExcludedOn(p, day)))
	case s.PublishedAt != nil && s.PublishedAt.After(now):
		return Invalid("published_at", "publiceringstiden kan inte ligga i framtiden")
	case s.PublishedAt != nil && s.PublishedAt.After(s.StartsAt):
		return Invalid("published_at", "publiceringstiden ligger efter besökets start")
	case s.StartsAt.Before(now) && s.PublishedAt == nil:
		return Invalid("starts_at", "starttiden %s har redan passerat; ett besök som redan har ägt rum "+
			"registreras som historik, med tiden då det publicerades (published_at)", When(s.StartsAt, s.EndsAt))
	}
	return nil
}

// outsidePeriod is the refusal of a stop on day, outside p's period.
func outsidePeriod(p *Promise, day Date) *Error {
	return Invalid("starts_at", "%s ligger utanför löftets period %s–%s", day, p.Period.From, p.Period.To)
}

// Describe names the stop for a reader: "Åhus, Hamnen, tis 13 mars 2018 kl. 10.00–13.00".
func (s *Stop) Describe() string {
	return s.Basort + ", " + s.Place + ", " + When(s.StartsAt, s.EndsAt)
}

// Occupies reports whether s takes up the mobile office for its time: every stop but a
// cancelled one, drafts too, since a draft is a plan about to be published.
func (s *Stop) Occupies() bool { return s.Status != StatusCancelled }

// Overlaps reports whether s and o share any time; a stop ending as the other begins does not.
func (s *Stop) Overlaps(o *Stop) bool {
	return s.StartsAt.Before(o.EndsAt) && o.StartsAt.Before(s.EndsAt)
}

// Clash is the refusal of s because the mobile office is already at other then: there is
// one office, and it cannot be at two stops at once. It names the other stop so the planner
// can find it.
func Clash(s, other *Stop) *Error {
	return conflict("starts_at", "det mobila poliskontoret är redan bokat då: %s krockar med %s (%s, tillfälle %d)",
		When(s.StartsAt, s.EndsAt), other.Describe(), strings.ToLower(other.Status.Label()), other.ID)
}

// SetDefaults fills in what a new stop of promise p may leave out: the kind (DefaultKind),
// the status draft, and for a public stop the publication time now.
func (s *Stop) SetDefaults(p *Promise, now time.Time) {
	if s.Kind == "" && !s.StartsAt.IsZero() {
		s.Kind = DefaultKind(p, s.StartsAt)
	}
	if s.Status == "" {
		s.Status = StatusDraft
	}
	s.stampPublished(now)
}

// stampPublished records now as the publication time of a public stop that has none.
func (s *Stop) stampPublished(now time.Time) {
	if s.Status.Public() && s.PublishedAt == nil {
		t := now
		s.PublishedAt = &t
	}
}

// OpenHours returns how long the office stood open: the actual times when logged, else the plan.
func (s *Stop) OpenHours() float64 {
	if s.ActualStart != nil && s.ActualEnd != nil {
		return s.ActualEnd.Sub(*s.ActualStart).Hours()
	}
	return s.EndsAt.Sub(s.StartsAt).Hours()
}

// StopFilter selects stops; nil fields are not set.
type StopFilter struct {
	PromiseID int64
	// From and To are inclusive local dates of the stop's start (Europe/Stockholm).
	From, To   *Date
	Basorter   []string
	Statuses   []StopStatus
	PublicOnly bool
	Offset     int
	Limit      int
}

// StopUpdate changes a stop; nil fields are left as they are. Version, when set, is the
// version the change was made from: the update is refused (a conflict) when the stop has
// changed since. VisitorsFrom, when set, is the visitor count a new Visitors replaces: a
// correction, refused when taps have changed the count since.
type StopUpdate struct {
	Version      *int        `json:"version"`
	Basort       *string     `json:"basort"`
	Place        *string     `json:"place"`
	StartsAt     *time.Time  `json:"starts_at"`
	EndsAt       *time.Time  `json:"ends_at"`
	Kind         *StopKind   `json:"kind"`
	Status       *StopStatus `json:"status"`
	PublishedAt  *time.Time  `json:"published_at"`
	CancelReason *string     `json:"cancel_reason"`
	ActualStart  *time.Time  `json:"actual_start"`
	ActualEnd    *time.Time  `json:"actual_end"`
	Staff        *int        `json:"staff"`
	Visitors     *int        `json:"visitors"`
	VisitorsFrom *int        `json:"visitors_from"`
	Contacts     *Contacts   `json:"contacts"`
	Topics       *[]string   `json:"topics"`
	Notes        *string     `json:"notes"`
}

// StopStore keeps stops.
type StopStore interface {
	FindStopByID(ctx context.Context, id int64) (*Stop, error)
	// FindStops returns the stops matching f, ordered by start, and how many match in all.
	FindStops(ctx context.Context, f StopFilter) ([]*Stop, int, error)
	CreateStop(ctx context.Context, s *Stop) error
	// CreateStops stores many stops in one transaction, or none.
	CreateStops(ctx context.Context, stops []*Stop) error
	// PlanStops stores stops planned now like CreateStops, refusing the first that takes up
	// the mobile office while another stop of its promise does (Clash).
	PlanStops(ctx context.Context, stops []*Stop) error
	UpdateStop(ctx context.Context, id int64, upd StopUpdate) (*Stop, error)
	// UpdateStops applies one update to several stops, all or none (publishing a plan).
	UpdateStops(ctx context.Context, ids []int64, upd StopUpdate) ([]*Stop, error)
	// DeleteStop deletes a draft; any other stop is a conflict (Stop.Deletable).
	DeleteStop(ctx context.Context, id int64) error
	// AddVisitors adds n to a stop's visitor tally atomically (the officer's +1 button).
	AddVisitors(ctx context.Context, id int64, n int) (*Stop, error)
}

// ErrDraftCancelled is the refusal to cancel a draft: a draft is withdrawn by deleting it.
var ErrDraftCancelled = &Error{Code: ECONFLICT, Field: "status", Message: "ett utkast tas bort i stället för att ställas in"}

// Deletable reports whether s may be deleted: only a draft, which was never promised and
// appears nowhere public. A published stop is cancelled instead, so the schedule and the
// delivery figures keep what was announced.
func (s *Stop) Deletable() error {
	if s.Status != StatusDraft {
		return &Error{Code: ECONFLICT, Field: "status",
			Message: "bara ett utkast kan tas bort; ett publicerat tillfälle ställs in i stället"}
	}
	return nil
}

// ErrHeldBeforeStart is the refusal to log a stop as held before it has begun.
var ErrHeldBeforeStart = &Error{Code: ECONFLICT, Field: "status",
	Message: "ett besök kan markeras som genomfört först när det har börjat"}

// HeldByNow returns a conflict when s is held but has not begun by now: a visit is logged as
// held on the day or after it, never in advance.
func (s *Stop) HeldByNow(now time.Time) error {
	if s.Status == StatusHeld && s.StartsAt.After(now) {
		return ErrHeldBeforeStart
	}
	return nil
}

// Apply changes s, a stop of promise p, by upd as of now: it refuses a stale or impossible
// update before changing anything (checkUpdate), records the publication time, raises
// Sequence when a public stop changes in the calendar feed (moved, cancelled, another kind or
// reason), and raises Version. A stop moved to
// another start gets the kind of its new date (DefaultKind: an event in the excluded period,
// regular outside it) unless upd sets the kind or the stop's kind was not its old date's, an
// exception someone chose. The caller validates the result and resolves a changed Basort.
func (s *Stop) Apply(upd StopUpdate, p *Promise, now time.Time) error {
	if err := s.checkUpdate(upd, p, now); err != nil {
		return err
	}
	wasPublic := s.Status.Public()
	moved, kind, reason := false, s.Kind, s.CancelReason
	if upd.Basort != nil && *upd.Basort != s.Basort {
		s.Basort, s.LocalityID, moved = *upd.Basort, 0, true
	}
	if upd.Place != nil && *upd.Place != s.Place {
		s.Place, moved = *upd.Place, true
	}
	if upd.StartsAt != nil && !upd.StartsAt.Equal(s.StartsAt) {
		if s.Kind == DefaultKind(p, s.StartsAt) {
			s.Kind = DefaultKind(p, *upd.StartsAt)
		}
		s.StartsAt, moved = *upd.StartsAt, true
	}
	if upd.EndsAt != nil && !upd.EndsAt.Equal(s.EndsAt) {
		s.EndsAt, moved = *upd.EndsAt, true
	}
	set(&s.Kind, upd.Kind)
	statusChanged := false
	if upd.Status != nil && *upd.Status != s.Status {
		s.Status, statusChanged = *upd.Status, true
		if s.Status != StatusCancelled && upd.CancelReason == nil {
			s.CancelReason = ""
		}
	}
	setCopy(&s.PublishedAt, upd.PublishedAt)
	s.stampPublished(now)
	set(&s.CancelReason, upd.CancelReason)
	setCopy(&s.ActualStart, upd.ActualStart)
	setCopy(&s.ActualEnd, upd.ActualEnd)
	set(&s.Staff, upd.Staff)
	set(&s.Visitors, upd.Visitors)
	set(&s.Contacts, upd.Contacts)
	if upd.Topics != nil {
		s.Topics = append([]string(nil), (*upd.Topics)...)
	}
	set(&s.Notes, upd.Notes)
	// Whatever the public feed shows of the stop (its time, place, kind, status and reason)
	// changed: subscribed calendars replace their copy only when the SEQUENCE rises.
	if wasPublic && (moved || statusChanged || s.Kind != kind || s.CancelReason != reason) {
		s.Sequence++
	}
	s.Version++
	return nil
}

// checkUpdate refuses upd as of now before anything of s changes: an update made from
// another version than s's, a visitor count correcting another count than s's (taps came in
// since), a status s may not go to (StopStatus.Transition), a move out of the promise's
// period, a stop held, or a held stop moved, before it has begun (HeldByNow), and a draft
// or a coming published stop moved into the past.
func (s *Stop) checkUpdate(upd StopUpdate, p *Promise, now time.Time) error {
	if upd.Version != nil && *upd.Version != s.Version {
		return conflict("version", "någon har ändrat tillfället sedan du hämtade det (version %d, nu %d)",
			*upd.Version, s.Version)
	}
	if upd.VisitorsFrom != nil {
		switch {
		case upd.Visitors == nil:
			return Invalid("visitors_from", "visitors_from anger vilket antal besökare som rättas; ange också visitors")
		case *upd.VisitorsFrom != s.Visitors:
			return conflict("visitors_from", "antalet besökare är nu %d, inte %d: någon har räknat sedan du läste det",
				s.Visitors, *upd.VisitorsFrom)
		}
	}
	next := Stop{Status: s.Status, StartsAt: s.StartsAt}
	if upd.Status != nil {
		if err := s.Status.Transition(*upd.Status); err != nil {
			return err
		}
		next.Status = *upd.Status
	}
	if upd.StartsAt != nil {
		next.StartsAt = *upd.StartsAt
		if day := LocalDate(next.StartsAt); p != nil && !p.Period.Contains(day) {
			return outsidePeriod(p, day)
		}
	}
	if next.Status != s.Status || !next.StartsAt.Equal(s.StartsAt) {
		if err := next.HeldByNow(now); err != nil {
			return err
		}
	}
	// A draft moved is still a plan not yet announced: like a new stop, it cannot start in the
	// past (CheckNew). A kind chosen against the date is kept on any move (Apply).
	if next.Status == StatusDraft && upd.StartsAt != nil && next.StartsAt.Before(now) {
		return Invalid("starts_at", "starttiden %s kl. %s har redan passerat; ett utkast planeras framåt i tiden",
			LocalDate(next.StartsAt), next.StartsAt.In(Zone).Format("15.04"))
	}
	// A coming published stop moved into the past would tell its followers of a visit they
	// could not go to. Correcting a stop that has begun, or registering history with its
	// publication time (published_at), is a record of what was, and stays allowed.
	if next.Status == StatusPublished && upd.StartsAt != nil && upd.PublishedAt == nil &&
		!s.StartsAt.Before(now) && next.StartsAt.Before(now) {
		return Invalid("starts_at", "starttiden %s kl. %s har redan passerat; ett kommande besök flyttas framåt i tiden",
			LocalDate(next.StartsAt), next.StartsAt.In(Zone).Format("15.04"))
	}
	return nil
}

// AcceptsResponseOn reports whether an answer given on day may be stored for s: the stop is
// published or held, and day is the stop's local day or one day either side, so a tablet that
// syncs late is never refused.
func (s *Stop) AcceptsResponseOn(day Date) error {
	if s.Status != StatusPublished && s.Status != StatusHeld {
		return Invalid("stop_id", "tillfälle %d tar inte emot svar (status %s)", s.ID, s.Status)
	}
	d := LocalDate(s.StartsAt).DaysUntil(day)
	if d < -1 || d > 1 {
		return Invalid("answered_at", "svaret är daterat %s men tillfälle %d var %s", day, s.ID, LocalDate(s.StartsAt))
	}
	return nil
}
