package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"medborgarlofte/internal/lofte"
)

// ApplyRetention applies each promise's retention as if today were day, one promise per
// transaction: free text first (visitors' comments, their moderation, stops' field notes),
// then the responses themselves. The per-stop counts are kept, so the figures stay. On an
// error it returns what the promises before the failing one had removed.
func (db *DB) ApplyRetention(ctx context.Context, day lofte.Date) ([]lofte.Retention, error) {
	var ps []*lofte.Promise
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		ps, err = queryAll(ctx, tx, scanPromise, "SELECT "+promiseColumns+" FROM promises ORDER BY id")
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("apply retention: %w", err)
	}
	out := []lofte.Retention{}
	for _, p := range ps {
		freeText, responses := p.RetentionDue(day)
		r := lofte.Retention{PromiseID: p.ID, Slug: p.Slug}
		if freeText || responses {
			err := db.write(ctx, func(tx *sql.Tx) error {
				if err := removeFreeText(ctx, tx, p.ID, &r); err != nil {
					return err
				}
				if responses {
					if err := removeResponses(ctx, tx, p.ID, &r); err != nil {
						return err
					}
				}
				return auditRetention(ctx, tx, db.now(), r)
			})
			if err != nil {
				return out, fmt.Errorf("apply retention of %s: %w", p.Slug, err)
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// auditRetention records a run that removed something, in the same transaction as the
// removal; a run that found nothing leaves no entry, so the daily run does not fill the log.
func auditRetention(ctx context.Context, tx *sql.Tx, at time.Time, r lofte.Retention) error {
	if !r.Removed() {
		return nil
	}
	return insertAudit(ctx, tx, &lofte.AuditEntry{At: at, Actor: lofte.AuditSystem, Action: "retention.run",
		Object: lofte.AuditObjectID("promise", r.PromiseID), Detail: "Gallring av " + r.Slug + ": " + r.Text()})
}

// removeFreeText removes the comments from a promise's responses, their moderation, and the
// notes of its stops. A response without its comment gets the hash of what is left
// (textFreeHash), so a retried upload of the original is still a duplicate while nothing
// derived from the deleted text is kept.
func removeFreeText(ctx context.Context, tx *sql.Tx, promiseID int64, r *lofte.Retention) error {
	rs, err := queryAll(ctx, tx, scanStored, `SELECT r.id, r.stop_id, r.lang, r.answered_date, r.answered_hour, r.answers
		FROM responses r JOIN stops s ON s.id = r.stop_id
		WHERE s.promise_id = ? AND json_type(r.answers, '`+commentPath+`') IS NOT NULL`, promiseID)
	if err != nil {
		return fmt.Errorf("read comments: %w", err)
	}
	for _, resp := range rs {
		delete(resp.Answers, lofte.CommentItem)
		hash, answers, err := textFreeHash(resp)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE responses SET answers = ?, content_hash = ? WHERE id = ?",
			answers, hash, resp.ID); err != nil {
			return fmt.Errorf("remove comment of %s: %w", resp.ID, err)
		}
	}
	r.Comments = len(rs)
	// Every review is of a comment; without the comment it says nothing worth keeping, and
	// an edited text is free text too.
	if _, err := tx.ExecContext(ctx, `DELETE FROM comment_reviews WHERE response_id IN
		(SELECT r.id FROM responses r JOIN stops s ON s.id = r.stop_id WHERE s.promise_id = ?)`, promiseID); err != nil {
		return fmt.Errorf("remove comment reviews: %w", err)
	}
	// The officers' notes may name people; cancel reasons and feedback items are written
	// for the public and stay (README, "Retention").
	res, err := tx.ExecContext(ctx, "UPDATE stops SET notes = '' WHERE promise_id = ? AND notes <> ''", promiseID)
	if err != nil {
		return fmt.Errorf("remove notes: %w", err)
	}
	n, err := res.RowsAffected()
	r.Notes = int(n)
	return err
}

// removeResponses deletes a promise's responses (their reviews go with them) and keeps their
// ids in retired_responses, so a retried upload is a duplicate rather than a new answer
// counted twice. The per-stop counts stay as they are.
func removeResponses(ctx context.Context, tx *sql.Tx, promiseID int64, r *lofte.Retention) error {
	const ofPromise = "stop_id IN (SELECT id FROM stops WHERE promise_id = ?)"
	if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO retired_responses (id) SELECT id FROM responses WHERE "+ofPromise,
		promiseID); err != nil {
		return fmt.Errorf("retire response ids: %w", err)
	}
	res, err := tx.ExecContext(ctx, "DELETE FROM responses WHERE "+ofPromise, promiseID)
	if err != nil {
		return fmt.Errorf("delete responses: %w", err)
	}
	n, err := res.RowsAffected()
	r.Responses = int(n)
	return err
}

// scanStored reads the fields of a stored response that its content hash covers.
func scanStored(row scanner) (*lofte.Response, error) {
	var (
		r             lofte.Response
		date, answers string
	)
	if err := row.Scan(&r.ID, &r.StopID, &r.Lang, &date, &r.Hour, &answers); err != nil {
		return nil, err
	}
	var err error
	if r.Date, err = lofte.ParseDate(date); err != nil {
		return nil, fmt.Errorf("response %s: %w", r.ID, err)
	}
	if err := decodeAnswers([]byte(answers), &r.Answers); err != nil {
		return nil, fmt.Errorf("response %s: %w", r.ID, err)
	}
	return &r, nil
}

// textFreeHash identifies what a response says apart from its free text: the content hash a
// response keeps once retention removed its comment, with the answers it then stores. The
// answers go through the stored form first, so a response as the kiosk sends it and as the
// store reads it back hash alike; a marker keeps this hash from ever equalling a contentHash.
func textFreeHash(r *lofte.Response) (string, string, error) {
	b, err := json.Marshal(r.Answers)
	if err != nil {
		return "", "", fmt.Errorf("encode answers: %w", err)
	}
	var a lofte.Answers
	if err := decodeAnswers(b, &a); err != nil {
		return "", "", err
	}
	delete(a, lofte.CommentItem)
	c := *r
	c.Answers = a
	return hashContent(&c, "without free text\x00")
}
