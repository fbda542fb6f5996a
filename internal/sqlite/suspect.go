package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"medborgarlofte/internal/lofte"
)

// joinReasons is how suspect reasons are kept in responses.suspect_reason.
func joinReasons(rs []lofte.SuspectReason) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return strings.Join(out, ",")
}

func splitReasons(s string) []lofte.SuspectReason {
	if s == "" {
		return nil
	}
	var out []lofte.SuspectReason
	for _, r := range strings.Split(s, ",") {
		out = append(out, lofte.SuspectReason(r))
	}
	return out
}

// suspectState is what a review or a late flag needs of a stored response.
type suspectState struct {
	r       lofte.Response
	reasons []lofte.SuspectReason
	review  lofte.SuspectDecision
}

// flagged reports whether the response was ever set aside; a response stored suspect before
// reasons were kept has none.
func (s *suspectState) flagged() bool { return s.r.Suspect || len(s.reasons) > 0 || s.review != "" }

// findSuspectState reads a stored response by its lower-case id; ENOTFOUND when there is none.
func findSuspectState(ctx context.Context, tx *sql.Tx, id string) (*suspectState, error) {
	var (
		s                        suspectState
		answers, reasons, review string
	)
	err := tx.QueryRowContext(ctx, `SELECT id, stop_id, answers, suspect, suspect_reason, review, record_key
		FROM responses WHERE id = ?`, id).Scan(&s.r.ID, &s.r.StopID, &answers, &s.r.Suspect, &reasons, &review, &s.r.RecordKey)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lofte.NotFound("svaret %s finns inte", id)
	}
	if err != nil {
		return nil, err
	}
	if err := decodeAnswers([]byte(answers), &s.r.Answers); err != nil {
		return nil, fmt.Errorf("decode response %s: %w", id, err)
	}
	// Stored free text reads back as a plain string; counted, it is FreeText (countedIn).
	if c, ok := s.r.Answers[lofte.CommentItem].(string); ok {
		s.r.Answers[lofte.CommentItem] = lofte.FreeText(c)
	}
	s.reasons, s.review = splitReasons(reasons), lofte.SuspectDecision(review)
	return &s, nil
}

// flagStored adds reasons to a stored response (by its lower-case id) and sets it aside,
// moving its counts, unless an officer has decided on it: that decision stands. A response
// no longer stored is passed over.
func flagStored(ctx context.Context, tx *sql.Tx, id string, add ...lofte.SuspectReason) error {
	if len(add) == 0 {
		return nil
	}
	s, err := findSuspectState(ctx, tx, id)
	if lofte.ErrorCodeOf(err) == lofte.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	reasons := lofte.AddReasons(s.reasons, add...)
	if slices.Equal(reasons, s.reasons) && (s.r.Suspect || s.review != "") {
		return nil // a retry, or a pair judged before
	}
	if s.review == "" && !s.r.Suspect {
		if err := moveCounts(ctx, tx, &s.r, true); err != nil {
			return err
		}
		s.r.Suspect = true
	}
	if _, err := tx.ExecContext(ctx, "UPDATE responses SET suspect = ?, suspect_reason = ? WHERE id = ?",
		s.r.Suspect, joinReasons(reasons), s.r.ID); err != nil {
		return fmt.Errorf("flag response %s: %w", id, err)
	}
	return nil
}

// moveCounts moves a stored response's counts, and their key sums, to the suspect side of
// response_counts or back; a row left counting nothing goes, as if never written.
func moveCounts(ctx context.Context, tx *sql.Tx, r *lofte.Response, toSuspect bool) error {
	cells, err := countedIn(r)
	if err != nil {
		return err
	}
	for _, c := range cells {
		if _, err := tx.ExecContext(ctx, `UPDATE response_counts SET n = n - 1, keysum = (keysum - ? + 4294967296) % 4294967296
			WHERE stop_id = ? AND suspect = ? AND item = ? AND option = ?`, r.RecordKey, r.StopID, !toSuspect, c.item, c.option); err != nil {
			return fmt.Errorf("uncount %s=%s: %w", c.item, c.option, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM response_counts
			WHERE stop_id = ? AND suspect = ? AND item = ? AND option = ? AND n = 0`, r.StopID, !toSuspect, c.item, c.option); err != nil {
			return fmt.Errorf("uncount %s=%s: %w", c.item, c.option, err)
		}
		if _, err := tx.ExecContext(ctx, countCellSQL, r.StopID, toSuspect, c.item, c.option, 1, r.RecordKey); err != nil {
			return fmt.Errorf("count %s=%s: %w", c.item, c.option, err)
		}
	}
	return nil
}

// suspectColumns read a SuspectAnswer; of free text only a comment a moderator approved.
const suspectColumns = `r.id, r.stop_id, r.answered_date, r.answered_hour, r.lang, r.suspect_reason, r.suspect, r.review,
	(SELECT count(*) FROM json_each(r.answers) WHERE json_each.type <> 'null'),
	CASE WHEN cr.status = 'approved' THEN coalesce(cr.edited_text, json_extract(r.answers, '` + commentPath + `')) ELSE '' END
	FROM responses r LEFT JOIN comment_reviews cr ON cr.response_id = r.id`

func scanSuspect(row scanner) (*lofte.SuspectAnswer, error) {
	var (
		a                     lofte.SuspectAnswer
		date, reasons, review string
	)
	if err := row.Scan(&a.ResponseID, &a.StopID, &date, &a.Hour, &a.Lang, &reasons, &a.Suspect, &review, &a.Answered, &a.Comment); err != nil {
		return nil, err
	}
	var err error
	if a.Date, err = lofte.ParseDate(date); err != nil {
		return nil, fmt.Errorf("suspect answer %s: %w", a.ResponseID, err)
	}
	a.Reasons, a.Decision = splitReasons(reasons), lofte.SuspectDecision(review)
	if a.Reasons == nil {
		a.Reasons = []lofte.SuspectReason{}
	}
	return &a, nil
}

// FindSuspectAnswers lists the answers of a stop ever set aside, by date, hour and id.
func (db *DB) FindSuspectAnswers(ctx context.Context, stopID int64) ([]*lofte.SuspectAnswer, error) {
	out := []*lofte.SuspectAnswer{}
	err := db.read(ctx, func(tx *sql.Tx) error {
		as, err := queryAll(ctx, tx, scanSuspect, "SELECT "+suspectColumns+
			` WHERE r.stop_id = ? AND (r.suspect = 1 OR r.suspect_reason <> '' OR r.review <> '')
			ORDER BY r.answered_date, r.answered_hour, r.id`, stopID)
		out = append(out, as...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find suspect answers of stop %d: %w", stopID, err)
	}
	return out, nil
}

// ReviewSuspect records an officer's decision on a suspect answer of a stop: a release moves
// its counts into the figures, a confirmation keeps them out (or takes them back out after a
// release), and the audit entry is written in the same transaction.
func (db *DB) ReviewSuspect(ctx context.Context, stopID int64, responseID string, rev lofte.SuspectReview) (*lofte.SuspectAnswer, error) {
	if err := rev.Validate(); err != nil {
		return nil, err
	}
	id := strings.ToLower(responseID)
	var out *lofte.SuspectAnswer
	err := db.write(ctx, func(tx *sql.Tx) error {
		s, err := findSuspectState(ctx, tx, id)
		if err == nil && (s.r.StopID != stopID || !s.flagged()) {
			err = lofte.NotFound("svaret %s är inte satt åt sidan vid tillfälle %d", responseID, stopID)
		}
		if err != nil {
			return err
		}
		was := s.review
		suspect := rev.Decision == lofte.DecisionConfirm
		if s.r.Suspect != suspect {
			if err := moveCounts(ctx, tx, &s.r, suspect); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE responses SET suspect = ?, review = ? WHERE id = ?",
			suspect, string(rev.Decision), id); err != nil {
			return err
		}
		detail := fmt.Sprintf("tillfälle %d; skäl: %s; före: %s", stopID, joinReasons(s.reasons), was.Label())
		if err := insertAudit(ctx, tx, &lofte.AuditEntry{At: rev.At, Actor: rev.By, Action: rev.Decision.AuditAction(),
			Object: lofte.AuditResponse(id), Detail: detail}); err != nil {
			return err
		}
		out, err = scanSuspect(tx.QueryRowContext(ctx, "SELECT "+suspectColumns+" WHERE r.id = ?", id))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("review suspect answer %s: %w", responseID, err)
	}
	return out, nil
}
