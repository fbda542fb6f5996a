package lofte

import (
	"context"
	"time"
)

// Answers holds a response's answers keyed by item code; a skipped item is absent. A value
// is a string (an option code, or free text), an int (a scale) or a []string (several
// options), as validation returns them and as a store gives them back, with one exception:
// validation hands free text to the store as FreeText.
type Answers map[string]any

// FreeText is the type of a free-text answer on its way into a store, so that the store
// counts it as answered rather than as an option; read back, free text is a plain string.
type FreeText string

// Response is one visitor's anonymous answers at a stop. Only the date and hour of answering
// are kept, and nothing that identifies the device or the person.
type Response struct {
	// ID is the client-made UUID that makes a retry harmless.
	ID      string  `json:"id"`
	StopID  int64   `json:"stop_id"`
	Basort  string  `json:"basort"`
	Date    Date    `json:"date"`
	Hour    int     `json:"hour"`
	Lang    string  `json:"lang"`
	Answers Answers `json:"answers"`
	// Suspect marks an answer left out of the figures: set aside by a rule of MarkSuspect and
	// not released by an officer. It is kept and counted apart.
	Suspect bool `json:"suspect"`
	// SuspectReasons are the rules that set the answer aside, if any; an officer's release
	// keeps them.
	SuspectReasons []SuspectReason `json:"suspect_reasons,omitempty"`
	// RecordKey is the cell key method's random key (see package metrics), drawn by the store when
	// the response is first stored and never changed; only the admin's export shows it.
	RecordKey uint32 `json:"-"`
	// CompletedAt is the device's exact completion time on a kiosk answer's way into the
	// store, which judges it against the stop's hours (JudgeHours) in the transaction that
	// stores it and keeps the date and hour alone. Zero when read back, and never stored.
	CompletedAt time.Time `json:"-"`
}

// JudgeHours sets r aside when its device completed it outside s's opening hours
// (OutsideHours); an answer with no completion time is not judged. The store calls it where
// it reads the stop, so an officer's latest logged times count.
func (r *Response) JudgeHours(s *Stop) {
	if !r.CompletedAt.IsZero() && OutsideHours(s, r.CompletedAt) {
		r.SuspectReasons = AddReasons(r.SuspectReasons, ReasonOutsideHours)
	}
	r.Suspect = r.Suspect || len(r.SuspectReasons) > 0
}

// Validate checks the fields that do not need the question catalogue.
func (r *Response) Validate() error {
	switch {
	case !IsUUID(r.ID):
		return Invalid("id", "id måste vara ett UUID")
	case r.StopID <= 0:
		return Invalid("stop_id", "tillfälle saknas")
	case r.Date.IsZero():
		return Invalid("answered_at", "svarstid saknas")
	case r.Hour < 0 || r.Hour > 23:
		return Invalid("answered_at", "timmen måste vara 0–23")
	case r.Lang == "":
		return Invalid("lang", "språk saknas")
	}
	return nil
}

// IsUUID reports whether s is a UUID in its canonical 36-character form.
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// IngestResult says what happened to one submitted response.
type IngestResult struct {
	ID     string `json:"id"`
	Result string `json:"result"`
}

// Results of ingesting a response.
const (
	ResultCreated   = "created"
	ResultDuplicate = "duplicate"
)

// ResponseFilter selects responses for export.
type ResponseFilter struct {
	PromiseID int64
	From, To  *Date
	Basorter  []string
	// After pages on: only responses whose id comes after this one.
	After string
	Limit int
}

// ResponseStore keeps responses.
type ResponseStore interface {
	// CreateResponses stores a whole batch or nothing; a stored id with the same content is a
	// duplicate, with other content a conflict. A duplicate's suspect reasons are added to the
	// stored answer's, and flags set stored answers aside, in the same transaction.
	CreateResponses(ctx context.Context, rs []*Response, flags ...SuspectFlag) ([]IngestResult, error)
	// FindResponses returns responses ordered by id, never by arrival, and the cursor to page
	// on ("" at the end).
	FindResponses(ctx context.Context, f ResponseFilter) ([]*Response, string, error)
	CountResponses(ctx context.Context, promiseID int64) (int, error)
}

// Tally is the per-stop count of every answered option, which figures are computed from so
// that their cost does not grow with the number of answers.
type Tally struct {
	StopID int64
	// Responses counts the stop's responses that are not suspect.
	Responses int
	// Suspect counts responses set aside (MarkSuspect) and not released.
	Suspect int
	// Options maps item → option → number of non-suspect responses giving it. For a
	// multi-choice or free-text item, option "*" counts the respondents who answered it.
	Options map[string]map[string]int
	// ResponsesKey and OptionKeys are the sums mod 2^32 of the record keys of the responses
	// counted in Responses and Options, from which cell keys are made (package metrics).
	ResponsesKey uint32
	OptionKeys   map[string]map[string]uint32
}

// KeyedCount is a count of responses with the sum mod 2^32 of their record keys: the two
// things a perturbed count is made from.
type KeyedCount struct {
	N   int
	Key uint32
}

// Add returns the count of both sets, which must not overlap.
func (k KeyedCount) Add(o KeyedCount) KeyedCount { return KeyedCount{N: k.N + o.N, Key: k.Key + o.Key} }

// Option returns the keyed count of an item's option; item "*" is the stop's responses.
func (t *Tally) Option(item, option string) KeyedCount {
	if item == "*" {
		return KeyedCount{N: t.Responses, Key: t.ResponsesKey}
	}
	return KeyedCount{N: t.Options[item][option], Key: t.OptionKeys[item][option]}
}

// TallyStore reads tallies.
type TallyStore interface {
	// FindTallies returns the tallies of the given stops (stops without responses are left out).
	FindTallies(ctx context.Context, stopIDs []int64) ([]*Tally, error)
}
