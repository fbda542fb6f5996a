package lofte

import (
	"context"
	"slices"
	"strings"
	"time"
)

// SuspectGap is how close to another answer of the same device an answer is implausible for
// a person, by the device's own clock.
const SuspectGap = 5 * time.Second

// HoursMargin is how long before its opening and after its closing a stop's answers are
// plausible: a visitor who came early or stayed on.
const HoursMargin = 30 * time.Minute

// SuspectReason names the rule that set an answer aside.
type SuspectReason string

// The rules that set an answer aside (docs/survey.md, "Suspect answers").
const (
	// ReasonTooFast: within SuspectGap of another answer of the same device.
	ReasonTooFast SuspectReason = "too_fast"
	// ReasonOutsideHours: outside the stop's opening hours, HoursMargin either side.
	ReasonOutsideHours SuspectReason = "outside_hours"
)

// suspectReasons lists every reason in the one order they are kept and shown.
var suspectReasons = []SuspectReason{ReasonTooFast, ReasonOutsideHours}

// Valid reports whether r is a known reason.
func (r SuspectReason) Valid() bool { return slices.Contains(suspectReasons, r) }

// Label is the reason's Swedish text.
func (r SuspectReason) Label() string {
	switch r {
	case ReasonTooFast:
		return "inom 5 s från ett annat svar på samma platta"
	case ReasonOutsideHours:
		return "utanför öppettiden (±30 min)"
	}
	return string(r)
}

// AddReasons returns the union of two sets of reasons, in the one order reasons are kept.
func AddReasons(have []SuspectReason, add ...SuspectReason) []SuspectReason {
	var out []SuspectReason
	for _, r := range suspectReasons {
		if slices.Contains(have, r) || slices.Contains(add, r) {
			out = append(out, r)
		}
	}
	return out
}

// ReasonLabels joins the reasons' Swedish texts for a page.
func ReasonLabels(rs []SuspectReason) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Label()
	}
	return strings.Join(out, "; ")
}

// DeviceAnswer is one answer as its device completed it: the answer's id and the device's
// exact completion time. It exists only while answers are judged (MarkSuspect) and is never
// stored with a response, which keeps only the date and hour.
type DeviceAnswer struct {
	ID string
	At time.Time
}

// DeviceHistory is what is remembered of one device's earlier answers, kept in order of
// completion so that judging a new answer looks at its two neighbours only, however many
// answers the device sent before: a tablet's backlog, or a day of answers, costs no more per
// request than its first answer. The zero value is empty.
type DeviceHistory struct {
	// byTime holds each answer once, ordered by completion time; equal times keep the
	// order in which they were added.
	byTime []DeviceAnswer
	// at is each answer's completion time by its id in lower case.
	at map[string]time.Time
}

// Len is the number of answers remembered.
func (h *DeviceHistory) Len() int { return len(h.byTime) }

// Add remembers an answer and reports whether it was new; an id already remembered keeps its
// first completion time, as a resent answer is the same answer.
func (h *DeviceHistory) Add(a DeviceAnswer) bool {
	id := strings.ToLower(a.ID)
	if _, ok := h.at[id]; ok {
		return false
	}
	if h.at == nil {
		h.at = map[string]time.Time{}
	}
	h.at[id] = a.At
	i := h.after(a.At)
	h.byTime = slices.Insert(h.byTime, i, a)
	return true
}

// Forget drops the answer with id, if remembered.
func (h *DeviceHistory) Forget(id string) {
	key := strings.ToLower(id)
	at, ok := h.at[key]
	if !ok {
		return
	}
	delete(h.at, key)
	if i := h.index(key, at); i >= 0 {
		h.byTime = slices.Delete(h.byTime, i, i+1)
	}
}

// after is the position after every remembered answer completed at or before t.
func (h *DeviceHistory) after(t time.Time) int {
	i, _ := slices.BinarySearchFunc(h.byTime, t, func(a DeviceAnswer, t time.Time) int {
		if a.At.After(t) {
			return 1
		}
		return -1
	})
	return i
}

// index is the position of the answer with lower-case id key completed at t, or -1.
func (h *DeviceHistory) index(key string, t time.Time) int {
	for i := h.after(t) - 1; i >= 0 && h.byTime[i].At.Equal(t); i-- {
		if strings.ToLower(h.byTime[i].ID) == key {
			return i
		}
	}
	return -1
}

// TooFast finds the answers of one device that lie within SuspectGap of another of its
// answers: of batch (new answers) by index, and the ids of the remembered answers a new one
// lies close to. Whichever of two close answers arrived first, both are suspect; an answer
// is never close to itself (ids compare case-insensitively, a resent answer is the same
// answer). Only completion times count, never the order of arrival, so a backlog synced in
// one burst is judged as it was answered. It remembers nothing: the caller adds the batch
// once it is stored.
//
// Two answers are judged only when they are neighbours in order of completion and one of
// them is new. A new answer's neighbours are other new answers or the remembered answers
// on either side of where it would stand; a resent answer stands where it was remembered.
// So the judgement needs only those few answers, in the order all of them would have.
func (h *DeviceHistory) TooFast(batch []DeviceAnswer) (fast []bool, earlierFast []string) {
	cand := h.neighbourhood(batch)
	for i := 1; i < len(cand); i++ {
		a, b := cand[i-1], cand[i]
		// Two remembered answers side by side here need not be neighbours among all of
		// them, and were judged when the later of them came: only a new one makes a pair.
		if b.At.Sub(a.At) < SuspectGap && (len(a.batch) > 0 || len(b.batch) > 0) {
			a.fast, b.fast = true, true
		}
	}
	fast = make([]bool, len(batch))
	for _, e := range cand {
		if !e.fast {
			continue
		}
		for _, i := range e.batch {
			fast[i] = true
		}
		if e.earlier {
			earlierFast = append(earlierFast, e.ID)
		}
	}
	return fast, earlierFast
}

// judged is an answer as TooFast judges it.
type judged struct {
	DeviceAnswer
	// pos orders answers completed at the same time: remembered ones first, by position,
	// then new ones by their first place in the batch.
	pos     int
	earlier bool
	// batch lists the answer's places in the batch; none for a remembered neighbour.
	batch []int
	fast  bool
}

// neighbourhood is the batch's answers, each once, with the remembered answers beside each
// of them, in the order all answers would have.
func (h *DeviceHistory) neighbourhood(batch []DeviceAnswer) []*judged {
	var cand []*judged
	byID := map[string]*judged{}
	remembered := map[int]*judged{}
	rememberAt := func(i int) *judged {
		if i < 0 || i >= len(h.byTime) {
			return nil
		}
		e, ok := remembered[i]
		if !ok {
			e = &judged{DeviceAnswer: h.byTime[i], pos: i, earlier: true}
			remembered[i] = e
			cand = append(cand, e)
		}
		return e
	}
	for i, a := range batch {
		key := strings.ToLower(a.ID)
		e, ok := byID[key]
		switch {
		case ok:
		case h.has(key):
			j := h.index(key, h.at[key])
			e = rememberAt(j)
			rememberAt(j - 1)
			rememberAt(j + 1)
			byID[key] = e
		default:
			e = &judged{DeviceAnswer: a, pos: len(h.byTime) + i}
			byID[key] = e
			cand = append(cand, e)
			j := h.after(a.At)
			rememberAt(j - 1)
			rememberAt(j)
		}
		e.batch = append(e.batch, i)
	}
	slices.SortFunc(cand, func(a, b *judged) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return a.pos - b.pos
	})
	return cand
}

// has reports whether an answer with lower-case id key is remembered.
func (h *DeviceHistory) has(key string) bool {
	_, ok := h.at[key]
	return ok
}

// OutsideHours reports whether at lies outside s's opening hours with HoursMargin either
// side. The planned hours count, widened by the logged actual times when those are later or
// earlier: a stop that ran over does not set its last visitors aside.
func OutsideHours(s *Stop, at time.Time) bool {
	open, closed := s.StartsAt, s.EndsAt
	if s.ActualStart != nil && s.ActualStart.Before(open) {
		open = *s.ActualStart
	}
	if s.ActualEnd != nil && s.ActualEnd.After(closed) {
		closed = *s.ActualEnd
	}
	return at.Before(open.Add(-HoursMargin)) || at.After(closed.Add(HoursMargin))
}

// MarkSuspect judges a batch of one device's answers by the rules of docs/survey.md: rs[i]
// was completed at at[i] by the device's clock, and earlier holds the device's answers judged
// before. It sets the answers that are too fast aside, hands each answer its completion time
// for the store to judge against its stop's hours (Response.JudgeHours), and returns the ids
// of earlier answers a new one lies too close to, which are to be set aside too.
func MarkSuspect(rs []*Response, at []time.Time, earlier *DeviceHistory) []string {
	batch := make([]DeviceAnswer, len(rs))
	for i, r := range rs {
		batch[i] = DeviceAnswer{ID: r.ID, At: at[i]}
	}
	fast, earlierFast := earlier.TooFast(batch)
	for i, r := range rs {
		if fast[i] {
			r.SuspectReasons = AddReasons(r.SuspectReasons, ReasonTooFast)
		}
		r.CompletedAt = at[i]
		r.Suspect = r.Suspect || len(r.SuspectReasons) > 0
	}
	return earlierFast
}

// SuspectFlag sets an already stored answer aside for a reason found later: an earlier
// answer of the device that a new one lies too close to.
type SuspectFlag struct {
	ResponseID string
	Reason     SuspectReason
}

// SuspectDecision is an officer's decision on an answer set aside.
type SuspectDecision string

// Decisions on a suspect answer: release it into the figures as genuine, or confirm that it
// stays out. Either may be changed later by the other; both are audited.
const (
	DecisionRelease SuspectDecision = "release"
	DecisionConfirm SuspectDecision = "confirm"
)

// Valid reports whether d is a decision.
func (d SuspectDecision) Valid() bool { return d == DecisionRelease || d == DecisionConfirm }

// Label is the decision's Swedish name; "" is an answer no one has reviewed.
func (d SuspectDecision) Label() string {
	switch d {
	case DecisionRelease:
		return "Släppt, räknas"
	case DecisionConfirm:
		return "Bekräftad, räknas inte"
	}
	return "Ej granskad"
}

// AuditAction is the audit log's name for the decision.
func (d SuspectDecision) AuditAction() string { return "suspect." + string(d) }

// SuspectReview is an officer's decision on a suspect answer: what, by whom, when.
type SuspectReview struct {
	Decision SuspectDecision
	By       string
	At       time.Time
}

// Validate checks the review.
func (r *SuspectReview) Validate() error {
	switch {
	case !r.Decision.Valid():
		return Invalid("action", "action måste vara release eller confirm")
	case strings.TrimSpace(r.By) == "":
		return Invalid("reviewed_by", "vem som granskade saknas")
	case r.At.IsZero():
		return Invalid("reviewed_at", "när granskningen gjordes saknas")
	}
	return nil
}

// SuspectAnswer is an answer set aside as officers review it: when and in which language it
// was given, why it was set aside and what was decided. It carries no answers, since an
// officer could tell a visitor by hour, language and profile and so learn what they said of
// the police; of free text only an approved comment is shown.
type SuspectAnswer struct {
	ResponseID string          `json:"response_id"`
	StopID     int64           `json:"stop_id"`
	Date       Date            `json:"date"`
	Hour       int             `json:"hour"`
	Lang       string          `json:"lang"`
	Reasons    []SuspectReason `json:"reasons"`
	// Suspect says whether the answer is out of the figures now.
	Suspect bool `json:"suspect"`
	// Decision is "" until an officer reviewed the answer.
	Decision SuspectDecision `json:"decision"`
	// Answered counts the items answered, so that an empty answer is told apart.
	Answered int `json:"answered"`
	// Comment is the visitor's comment once a moderator approved it, else "".
	Comment string `json:"comment,omitempty"`
}

// ReasonText is the reasons' Swedish text, for a page.
func (a *SuspectAnswer) ReasonText() string {
	if len(a.Reasons) == 0 {
		return "satt åt sidan före skälen sparades"
	}
	return ReasonLabels(a.Reasons)
}

// SuspectStore keeps the review of suspect answers.
type SuspectStore interface {
	// FindSuspectAnswers lists a stop's answers that were ever set aside, reviewed ones
	// included, by date, hour and id (never by arrival).
	FindSuspectAnswers(ctx context.Context, stopID int64) ([]*SuspectAnswer, error)
	// ReviewSuspect records a decision on one of a stop's suspect answers, moves its counts
	// into or out of the figures and writes the audit entry, all at once; an answer of
	// another stop, or one never set aside, is not found.
	ReviewSuspect(ctx context.Context, stopID int64, responseID string, r SuspectReview) (*SuspectAnswer, error)
}
