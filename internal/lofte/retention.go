package lofte

import (
	"context"
	"fmt"
	"strings"
)

// Retention limits of a promise (its RetentionMonths).
const (
	// DefaultRetentionMonths is how long after a promise ends its free text is kept unless
	// the promise says otherwise.
	DefaultRetentionMonths = 12
	// MaxRetentionMonths bounds the setting; 0, not a large number, keeps free text for good.
	MaxRetentionMonths = 120
)

// FreeTextKeptUntil returns the last day the promise's free text is kept: RetentionMonths
// after its end. ok is false when RetentionMonths is 0, which keeps it for good.
func (p *Promise) FreeTextKeptUntil() (last Date, ok bool) {
	if p.RetentionMonths <= 0 {
		return Date{}, false
	}
	return p.Period.To.AddMonths(p.RetentionMonths), true
}

// ResponsesKeptUntil returns the last day the promise's responses are kept: twice
// RetentionMonths after its end, so one setting says when free text goes and, as long again
// later, the responses. ok is false when RetentionMonths is 0, which keeps them for good.
func (p *Promise) ResponsesKeptUntil() (last Date, ok bool) {
	if p.RetentionMonths <= 0 {
		return Date{}, false
	}
	return p.Period.To.AddMonths(2 * p.RetentionMonths), true
}

// RetentionDue says what applying the promise's retention on day removes.
func (p *Promise) RetentionDue(day Date) (freeText, responses bool) {
	if last, ok := p.FreeTextKeptUntil(); ok && day.After(last) {
		freeText = true
	}
	if last, ok := p.ResponsesKeptUntil(); ok && day.After(last) {
		responses = true
	}
	return freeText, responses
}

// Retention is what applying one promise's retention removed.
type Retention struct {
	PromiseID int64
	Slug      string
	// Comments counts visitors' comments removed from their responses, with any moderation
	// of them (an edited text, who reviewed it).
	Comments int
	// Notes counts stops whose field notes were emptied.
	Notes int
	// Responses counts responses deleted; the per-stop counts they were counted in stay.
	Responses int
}

// Removed reports whether anything was removed.
func (r Retention) Removed() bool { return r.Comments+r.Notes+r.Responses > 0 }

// Text says in Swedish what was removed ("tog bort 3 synpunkter (med granskningen) och 12
// svar (siffrorna finns kvar)"), or that nothing was, for the command's output and the audit log.
func (r Retention) Text() string {
	var parts []string
	if r.Comments > 0 {
		parts = append(parts, countText(r.Comments, "synpunkt", "synpunkter")+" (med granskningen)")
	}
	if r.Notes > 0 {
		parts = append(parts, countText(r.Notes, "fältanteckning", "fältanteckningar"))
	}
	if r.Responses > 0 {
		parts = append(parts, fmt.Sprintf("%d svar (siffrorna finns kvar)", r.Responses))
	}
	switch len(parts) {
	case 0:
		return "inget att ta bort"
	case 1:
		return "tog bort " + parts[0]
	}
	return "tog bort " + strings.Join(parts[:len(parts)-1], ", ") + " och " + parts[len(parts)-1]
}

func countText(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// RetentionStore applies retention.
type RetentionStore interface {
	// ApplyRetention applies every promise's retention as if today were day: first free
	// text, then responses, past their time. Running it again removes nothing more.
	ApplyRetention(ctx context.Context, day Date) ([]Retention, error)
}
