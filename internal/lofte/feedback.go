package lofte

import (
	"context"
	"slices"
	"strings"
	"time"

	"medborgarlofte/internal/redact"
)

// FeedbackStatus is where a feedback item is: open → in progress → closed.
type FeedbackStatus string

// Feedback statuses.
const (
	FeedbackOpen       FeedbackStatus = "open"
	FeedbackInProgress FeedbackStatus = "in_progress"
	FeedbackClosed     FeedbackStatus = "closed"
)

// FeedbackStatuses lists every status in the order of an item's life.
var FeedbackStatuses = []FeedbackStatus{FeedbackOpen, FeedbackInProgress, FeedbackClosed}

// Valid reports whether s is a known status.
func (s FeedbackStatus) Valid() bool { return slices.Contains(FeedbackStatuses, s) }

// Label returns the status's Swedish name, shown on pages and in the workbook.
func (s FeedbackStatus) Label() string {
	switch s {
	case FeedbackOpen:
		return "Öppet"
	case FeedbackInProgress:
		return "Pågår"
	case FeedbackClosed:
		return "Klart, återkopplat"
	}
	return string(s)
}

// FeedbackChannels are the ways what was done was told back to residents: each code with its
// Swedish name, shown on pages and in the workbook.
var FeedbackChannels = map[string]string{"next_stop": "Vid nästa besök", "web": "På webben", "local_press": "I lokaltidningen"}

// FeedbackItem is "ni sa – vi gjorde": a concern raised at a stop, what was done about it,
// and how that was told back.
type FeedbackItem struct {
	ID         int64          `json:"id"`
	PromiseID  int64          `json:"-"`
	LocalityID int64          `json:"-"`
	Basort     string         `json:"basort"`
	StopID     *int64         `json:"stop_id"`
	Topic      string         `json:"topic"`
	Said       string         `json:"said"`
	Action     string         `json:"action"`
	Status     FeedbackStatus `json:"status"`
	// FeedbackOn and Channel record when and how the action was told back.
	FeedbackOn *Date     `json:"feedback_on"`
	Channel    string    `json:"channel"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Validate redacts the item's free text and checks the item; a closed item must say what was
// done and how it was told back. The store validates before every write, so what staff typed
// is never stored, nor published, unredacted.
func (f *FeedbackItem) Validate() error {
	switch {
	case tooLongToRedact(f.Said, MaxFeedbackTextLen):
		return Invalid("said", "högst %d tecken", MaxFeedbackTextLen)
	case tooLongToRedact(f.Action, MaxFeedbackTextLen):
		return Invalid("action", "högst %d tecken", MaxFeedbackTextLen)
	}
	f.redactText()
	switch {
	case f.LocalityID == 0 && strings.TrimSpace(f.Basort) == "":
		return Invalid("basort", "basort saknas")
	case strings.TrimSpace(f.Topic) == "":
		return Invalid("topic", "ämne saknas")
	case len(f.Topic) > maxCodeLen:
		return Invalid("topic", "okänt ämne")
	case strings.TrimSpace(f.Said) == "":
		return Invalid("said", "skriv vad som sades")
	case len(f.Said) > MaxFeedbackTextLen:
		return Invalid("said", "högst %d tecken", MaxFeedbackTextLen)
	case len(f.Action) > MaxFeedbackTextLen:
		return Invalid("action", "högst %d tecken", MaxFeedbackTextLen)
	case !f.Status.Valid():
		return Invalid("status", "status måste vara open, in_progress eller closed")
	case f.FeedbackOn != nil && !f.FeedbackOn.IsZero() && CheckDate("feedback_on", *f.FeedbackOn) != nil:
		return CheckDate("feedback_on", *f.FeedbackOn)
	case f.Channel != "" && FeedbackChannels[f.Channel] == "":
		return Invalid("channel", "kanal måste vara next_stop, web eller local_press")
	case f.Status == FeedbackClosed && strings.TrimSpace(f.Action) == "":
		return Invalid("action", "skriv vad som gjordes innan ärendet stängs")
	case f.Status == FeedbackClosed && (f.FeedbackOn == nil || f.Channel == ""):
		return Invalid("feedback_on", "ange när och hur återkopplingen gavs innan ärendet stängs")
	}
	return nil
}

// MaxFeedbackTextLen is the most a feedback item's said or action may hold, in bytes.
const MaxFeedbackTextLen = 2000

// maxCodeLen bounds a code a client names (a topic): every code of the catalogue is shorter.
const maxCodeLen = 100

// CheckStop returns an invalid-input error naming stop_id when st cannot be the stop f was
// raised at: a stop in another basort (or promise), or a draft, which nobody has visited.
// The store checks it with the stop it finds for f.StopID.
func (f *FeedbackItem) CheckStop(st *Stop) error {
	switch {
	case st.LocalityID != f.LocalityID || st.PromiseID != f.PromiseID:
		return Invalid("stop_id", "tillfälle %d var i %s, inte i %s", st.ID, st.Basort, f.Basort)
	case st.Status == StatusDraft:
		return Invalid("stop_id", "tillfälle %d är ett utkast och har inte ägt rum", st.ID)
	}
	return nil
}

// redactText replaces what identifies a person in what was said and done (redact.Text).
func (f *FeedbackItem) redactText() {
	f.Said, f.Action = redact.Text(f.Said), redact.Text(f.Action)
}

// Told reports whether the item was closed with feedback given back: the dialogue outcome's
// indicator.
func (f *FeedbackItem) Told() bool {
	return f.Status == FeedbackClosed && f.FeedbackOn != nil && f.Channel != ""
}

// FeedbackFilter selects feedback items.
type FeedbackFilter struct {
	PromiseID int64
	Basorter  []string
	Statuses  []FeedbackStatus
	Limit     int
}

// FeedbackUpdate changes an item; nil fields stay.
type FeedbackUpdate struct {
	Said       *string         `json:"said"`
	Action     *string         `json:"action"`
	Status     *FeedbackStatus `json:"status"`
	FeedbackOn *Date           `json:"feedback_on"`
	Channel    *string         `json:"channel"`
}

// Apply changes f by upd; the caller validates the result.
func (f *FeedbackItem) Apply(upd FeedbackUpdate) {
	set(&f.Said, upd.Said)
	set(&f.Action, upd.Action)
	set(&f.Status, upd.Status)
	setCopy(&f.FeedbackOn, upd.FeedbackOn)
	set(&f.Channel, upd.Channel)
}

// FeedbackStore keeps feedback items.
type FeedbackStore interface {
	CreateFeedback(ctx context.Context, f *FeedbackItem) error
	UpdateFeedback(ctx context.Context, id int64, upd FeedbackUpdate) (*FeedbackItem, error)
	// FindFeedback returns items newest first.
	FindFeedback(ctx context.Context, f FeedbackFilter) ([]*FeedbackItem, error)
}
