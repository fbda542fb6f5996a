package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"medborgarlofte/internal/lofte"
)

// contentHash identifies what a response says, so a retry can be told from a clash of ids.
func contentHash(r *lofte.Response) (string, string, error) {
	answers, err := json.Marshal(r.Answers)
	if err != nil {
		return "", "", fmt.Errorf("encode answers: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00%s\x00%s\x00%d\x00", r.StopID, r.Lang, r.Date, r.Hour)
	h.Write(answers)
	return hex.EncodeToString(h.Sum(nil)), string(answers), nil
}

// CreateResponses stores a batch in one transaction: new ids are created, ids stored with the
// same content are duplicates, and an id stored with other content fails the whole batch.
func (db *DB) CreateResponses(ctx context.Context, rs []*lofte.Response) ([]lofte.IngestResult, error) {
	for i, r := range rs {
		if err := r.Validate(); err != nil {
			return nil, itemError(err, i)
		}
	}
	results := make([]lofte.IngestResult, len(rs))
	err := db.write(ctx, func(tx *sql.Tx) error {
		// A batch runs the same few statements hundreds of times: prepare them once.
		st, err := prepareIngest(ctx, tx)
		if err != nil {
			return err
		}
		defer st.close()
		stops := map[int64]*lofte.Stop{}
		received := lofte.LocalDate(db.now()).String()
		seen := map[string]string{}
		for i, r := range rs {
			hash, answers, err := contentHash(r)
			if err != nil {
				return err
			}
			results[i] = lofte.IngestResult{ID: r.ID, Result: lofte.ResultDuplicate}
			if prev, ok := seen[r.ID]; ok {
				if prev != hash {
					return itemError(lofte.Errorf(lofte.ECONFLICT, "id %s förekommer två gånger med olika innehåll", r.ID), i)
				}
				continue
			}
			seen[r.ID] = hash
			var stored string
			err = st.find.QueryRowContext(ctx, r.ID).Scan(&stored)
			switch {
			case err == nil && stored == hash:
				continue
			case err == nil:
				return itemError(lofte.Errorf(lofte.ECONFLICT, "id %s finns redan med annat innehåll", r.ID), i)
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			s, ok := stops[r.StopID]
			if !ok {
				if s, err = findStop(ctx, tx, r.StopID); err != nil {
					if lofte.ErrorCodeOf(err) == lofte.ENOTFOUND {
						return itemError(lofte.Invalid("stop_id", "tillfälle %d finns inte", r.StopID), i)
					}
					return err
				}
				stops[r.StopID] = s
			}
			if err := s.AcceptsResponseOn(r.Date); err != nil {
				return itemError(err, i)
			}
			r.Basort = s.Basort
			if _, err := st.insert.ExecContext(ctx, r.ID, r.StopID, r.Lang, r.Date.String(), r.Hour, answers, hash,
				r.Suspect, received); err != nil {
				return fmt.Errorf("insert response %s: %w", r.ID, err)
			}
			if err := addCounts(ctx, st.count, r); err != nil {
				return err
			}
			results[i].Result = lofte.ResultCreated
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("create responses: %w", err)
	}
	return results, nil
}

// itemError marks err as the batch's item i; the caller names the position.
func itemError(err error, i int) error { return &lofte.ItemError{Index: i, Err: err} }

// ingestStmts are the statements of one ingest transaction.
type ingestStmts struct{ find, insert, count *sql.Stmt }

func prepareIngest(ctx context.Context, tx *sql.Tx) (*ingestStmts, error) {
	var s ingestStmts
	var err error
	if s.find, err = tx.PrepareContext(ctx, "SELECT content_hash FROM responses WHERE id = ?"); err != nil {
		return nil, err
	}
	if s.insert, err = tx.PrepareContext(ctx, `INSERT INTO responses (id, stop_id, lang, answered_date, answered_hour,
		answers, content_hash, suspect, received_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
		s.close()
		return nil, err
	}
	if s.count, err = tx.PrepareContext(ctx, `INSERT INTO response_counts (stop_id, suspect, item, option, n) VALUES (?, ?, ?, ?, 1)
		ON CONFLICT (stop_id, suspect, item, option) DO UPDATE SET n = n + 1`); err != nil {
		s.close()
		return nil, err
	}
	return &s, nil
}

func (s *ingestStmts) close() {
	for _, st := range []*sql.Stmt{s.find, s.insert, s.count} {
		if st != nil {
			st.Close()
		}
	}
}

// addCounts keeps response_counts in step with one inserted response.
func addCounts(ctx context.Context, count *sql.Stmt, r *lofte.Response) error {
	inc := func(item, option string) error {
		_, err := count.ExecContext(ctx, r.StopID, r.Suspect, item, option)
		if err != nil {
			return fmt.Errorf("count %s=%s: %w", item, option, err)
		}
		return nil
	}
	if err := inc("*", "*"); err != nil {
		return err
	}
	for item, v := range r.Answers {
		var err error
		switch v := v.(type) {
		case string:
			err = inc(item, v)
		case int:
			err = inc(item, strconv.Itoa(v))
		case lofte.FreeText:
			err = inc(item, "*")
		case []string:
			if err = inc(item, "*"); err == nil {
				for _, o := range v {
					if err = inc(item, o); err != nil {
						break
					}
				}
			}
		default:
			err = fmt.Errorf("answer %s has unexpected type %T", item, v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// FindResponses returns responses of a promise's stops, oldest first, paged by cursor.
func (db *DB) FindResponses(ctx context.Context, f lofte.ResponseFilter) ([]*lofte.Response, string, error) {
	where := []string{"s.promise_id = ?"}
	args := []any{f.PromiseID}
	if f.From != nil {
		where, args = append(where, "s.local_date >= ?"), append(args, f.From.String())
	}
	if f.To != nil {
		where, args = append(where, "s.local_date <= ?"), append(args, f.To.String())
	}
	if len(f.Basorter) > 0 {
		where = append(where, "l.name IN ("+placeholders(len(f.Basorter))+")")
		for _, b := range f.Basorter {
			args = append(args, b)
		}
	}
	if f.After != "" {
		after, err := strconv.ParseInt(f.After, 10, 64)
		if err != nil || after < 0 {
			return nil, "", lofte.Invalid("after", "ogiltig fortsättningsmarkör")
		}
		where, args = append(where, "r.seq > ?"), append(args, after)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	args = append(args, limit+1)
	var (
		out  []*lofte.Response
		seqs []int64
	)
	err := db.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT r.seq, r.id, r.stop_id, l.name, r.lang, r.answered_date, r.answered_hour,
			r.answers, r.suspect FROM responses r JOIN stops s ON s.id = r.stop_id JOIN localities l ON l.id = s.locality_id
			WHERE `+strings.Join(where, " AND ")+` ORDER BY r.seq LIMIT ?`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				r             lofte.Response
				seq           int64
				date, answers string
			)
			if err := rows.Scan(&seq, &r.ID, &r.StopID, &r.Basort, &r.Lang, &date, &r.Hour, &answers, &r.Suspect); err != nil {
				return err
			}
			if err := errors.Join(r.Date.UnmarshalText([]byte(date)), decodeAnswers([]byte(answers), &r.Answers)); err != nil {
				return fmt.Errorf("decode response %s: %w", r.ID, err)
			}
			out, seqs = append(out, &r), append(seqs, seq)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, "", fmt.Errorf("find responses: %w", err)
	}
	next := ""
	if len(out) > limit {
		out, seqs = out[:limit], seqs[:limit]
		next = strconv.FormatInt(seqs[len(seqs)-1], 10)
	}
	return out, next, nil
}

// decodeAnswers reads stored answers back in the shape lofte.Answers promises. Plain JSON
// decoding would give float64 for a scale and []any for several options; the stored form has
// only strings, integers and lists of strings, so the JSON kind says which Go type it was.
func decodeAnswers(b []byte, out *lofte.Answers) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil || raw == nil {
		return err
	}
	a := make(lofte.Answers, len(raw))
	for item, v := range raw {
		var err error
		switch v[0] {
		case 'n': // null: skipped, as the kiosk says it
			continue
		case '"':
			var s string
			err = json.Unmarshal(v, &s)
			a[item] = s
		case '[':
			var l []string
			err = json.Unmarshal(v, &l)
			a[item] = l
		default:
			var n int
			err = json.Unmarshal(v, &n)
			a[item] = n
		}
		if err != nil {
			return fmt.Errorf("answer %s: %w", item, err)
		}
	}
	*out = a
	return nil
}

// CountResponses returns how many responses a promise has, suspect ones included.
func (db *DB) CountResponses(ctx context.Context, promiseID int64) (int, error) {
	var n int
	err := db.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM responses r JOIN stops s ON s.id = r.stop_id
			WHERE s.promise_id = ?`, promiseID).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count responses: %w", err)
	}
	return n, nil
}
