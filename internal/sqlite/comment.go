package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"medborgarlofte/internal/lofte"
)

// commentPath is where a response's comment sits in its answers.
const commentPath = "$." + lofte.CommentItem

// commentColumns read a comment: the moderator's text over the visitor's, pending while no
// review row exists.
const commentColumns = `r.id, r.stop_id, l.name, r.answered_date,
	coalesce(cr.edited_text, json_extract(r.answers, '` + commentPath + `')), coalesce(cr.status, 'pending'),
	coalesce(cr.reviewed_by, ''), cr.reviewed_at
	FROM responses r JOIN stops s ON s.id = r.stop_id JOIN localities l ON l.id = s.locality_id
	LEFT JOIN comment_reviews cr ON cr.response_id = r.id
	WHERE json_type(r.answers, '` + commentPath + `') = 'text'`

func scanComment(row scanner) (*lofte.Comment, error) {
	var (
		c        lofte.Comment
		date     string
		reviewed sql.NullString
	)
	if err := row.Scan(&c.ResponseID, &c.StopID, &c.Basort, &date, &c.Text, &c.Status, &c.ReviewedBy, &reviewed); err != nil {
		return nil, err
	}
	var err error
	if c.Date, err = lofte.ParseDate(date); err != nil {
		return nil, fmt.Errorf("comment of %s: %w", c.ResponseID, err)
	}
	if c.ReviewedAt, err = parseTimePtr(reviewed); err != nil {
		return nil, fmt.Errorf("comment of %s: %w", c.ResponseID, err)
	}
	return &c, nil
}

// commentConds are the conditions selecting the comments f asks for, after commentColumns.
func commentConds(f lofte.CommentFilter) ([]string, []any) {
	where, args := scopeConds(f.PromiseID, f.From, f.To, f.Basorter)
	where = append(where, "r.suspect = 0")
	if f.Status != "" {
		where, args = append(where, "coalesce(cr.status, 'pending') = ?"), append(args, string(f.Status))
	}
	return where, args
}

// FindComments returns the comments of a promise's non-suspect responses, by date of
// answering and id (never by arrival).
func (db *DB) FindComments(ctx context.Context, f lofte.CommentFilter) ([]*lofte.Comment, error) {
	where, args := commentConds(f)
	out := []*lofte.Comment{}
	err := db.read(ctx, func(tx *sql.Tx) error {
		cs, err := queryAll(ctx, tx, scanComment, "SELECT "+commentColumns+" AND "+strings.Join(where, " AND ")+
			" ORDER BY r.answered_date, r.id", args...)
		out = append(out, cs...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find comments: %w", err)
	}
	return out, nil
}

// ReviewComment records a moderator's decision on a response's comment; a later decision
// replaces an earlier one.
func (db *DB) ReviewComment(ctx context.Context, responseID string, r lofte.CommentReview) (*lofte.Comment, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var c *lofte.Comment
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		if c, err = findComment(ctx, tx, responseID); err != nil {
			return err
		}
		var text any
		if r.Text != nil {
			text = *r.Text
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO comment_reviews (response_id, status, edited_text, reviewed_by, reviewed_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (response_id) DO UPDATE SET status = excluded.status,
			edited_text = excluded.edited_text, reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at`,
			c.ResponseID, string(r.Status), text, r.By, fmtTime(r.At)); err != nil {
			return err
		}
		c, err = findComment(ctx, tx, c.ResponseID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("review comment of %s: %w", responseID, err)
	}
	return c, nil
}

// findComment reads the comment of one response, whose id is matched as stored or in lower
// case (ids are compared case-insensitively).
func findComment(ctx context.Context, tx *sql.Tx, responseID string) (*lofte.Comment, error) {
	for _, id := range []string{responseID, strings.ToLower(responseID)} {
		c, err := scanComment(tx.QueryRowContext(ctx, "SELECT "+commentColumns+" AND r.id = ?", id))
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	return nil, lofte.NotFound("svaret %s finns inte eller har ingen synpunkt", responseID)
}
