package sqlite

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"medborgarlofte/internal/lofte"
)

// contentHash identifies what a response says, so a retry can be told from a clash of ids.
// It returns the answers as stored, too.
func contentHash(r *lofte.Response) (string, string, error) { return hashContent(r, "") }

// hashContent hashes a response's content after a marker that tells kinds of hash apart.
func hashContent(r *lofte.Response, marker string) (string, string, error) {
	answers, err := json.Marshal(r.Answers)
	if err != nil {
		return "", "", fmt.Errorf("encode answers: %w", err)
	}
	h := sha256.New()
	io.WriteString(h, marker)
	fmt.Fprintf(h, "%d\x00%s\x00%s\x00%d\x00", r.StopID, r.Lang, r.Date, r.Hour)
	h.Write(answers)
	return hex.EncodeToString(h.Sum(nil)), string(answers), nil
}

// CreateResponses stores a batch all or nothing: new ids are created, ids stored with the
// same content are duplicates, and an id stored with other content fails the whole batch.
// A response with suspect reasons is stored suspect; a duplicate's reasons are added to the
// stored response's, and flags set stored responses aside, with the batch.
//
// Concurrent batches share one durable transaction (group commit, groupcommit.go); one
// batch's failure leaves its neighbours stored, and a call returns only after the transaction
// holding its batch has committed.
func (db *DB) CreateResponses(ctx context.Context, rs []*lofte.Response, flags ...lofte.SuspectFlag) ([]lofte.IngestResult, error) {
	for i, r := range rs {
		if err := r.Validate(); err != nil {
			return nil, itemError(err, i)
		}
	}
	j := &ingestJob{ctx: ctx, rs: rs, flags: flags, wake: make(chan struct{}, 1)}
	db.ingest.submit(db, j)
	if j.err != nil {
		return nil, fmt.Errorf("create responses: %w", j.err)
	}
	return j.results, nil
}

// ingestBatch stores one batch inside tx; on an error the caller undoes what it wrote.
// stops caches the stops read in tx.
func (db *DB) ingestBatch(ctx context.Context, tx *sql.Tx, st *ingestStmts, stops map[int64]*lofte.Stop, received string,
	j *ingestJob) error {
	rs := j.rs
	results := make([]lofte.IngestResult, len(rs))
	seen := map[string]ingested{}
	for i, r := range rs {
		hash, answers, err := contentHash(r)
		if err != nil {
			return err
		}
		results[i] = lofte.IngestResult{ID: r.ID, Result: lofte.ResultDuplicate}
		// Ids are compared case-insensitively, so they are kept in one case; the result
		// echoes the id as sent.
		id := strings.ToLower(r.ID)
		if prev, ok := seen[id]; ok {
			if prev.hash != hash {
				return itemError(lofte.Errorf(lofte.ECONFLICT, "id %s förekommer två gånger med olika innehåll", r.ID), i)
			}
			r.RecordKey = prev.key
			continue
		}
		known, err := st.known(ctx, id, hash, r)
		switch {
		case lofte.ErrorCodeOf(err) == lofte.ECONFLICT:
			return itemError(err, i)
		case err != nil:
			return err
		case known:
			seen[id] = ingested{hash, r.RecordKey}
			if err := st.judgeAgain(ctx, tx, stops, id, r); err != nil {
				return err
			}
			continue
		}
		if err := st.insertNew(ctx, tx, stops, id, r, hash, answers, received); lofte.AsError(err) != nil {
			return itemError(err, i)
		} else if err != nil {
			return err
		}
		seen[id] = ingested{hash, r.RecordKey}
		results[i].Result = lofte.ResultCreated
	}
	for _, f := range j.flags {
		if err := st.flag(ctx, tx, strings.ToLower(f.ResponseID), f.Reason); err != nil {
			return err
		}
	}
	j.results = results
	return nil
}

// cachedStop reads a stop in tx once per group transaction.
func cachedStop(ctx context.Context, tx *sql.Tx, stops map[int64]*lofte.Stop, id int64) (*lofte.Stop, error) {
	if s, ok := stops[id]; ok {
		return s, nil
	}
	s, err := findStop(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	stops[id] = s
	return s, nil
}

// judgeAgain judges a resent answer again and adds any new reason to the stored one.
func (s *ingestStmts) judgeAgain(ctx context.Context, tx *sql.Tx, stops map[int64]*lofte.Stop, id string, r *lofte.Response) error {
	if st, err := cachedStop(ctx, tx, stops, r.StopID); err == nil {
		r.JudgeHours(st)
	} else if lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
		return err
	}
	return s.flag(ctx, tx, id, r.SuspectReasons...)
}

// flag adds reasons to the stored response id. Flagging moves stored counts, so the
// transaction's pending ones are written first.
func (s *ingestStmts) flag(ctx context.Context, tx *sql.Tx, id string, reasons ...lofte.SuspectReason) error {
	if len(reasons) == 0 {
		return nil
	}
	if err := s.flushCounts(ctx); err != nil {
		return err
	}
	return flagStored(ctx, tx, id, reasons...)
}

// insertNew stores a new answer with its record key and counts it; a refusal of the answer
// itself (its stop, its date) is a *lofte.Error.
func (s *ingestStmts) insertNew(ctx context.Context, tx *sql.Tx, stops map[int64]*lofte.Stop, id string, r *lofte.Response,
	hash, answers, received string) error {
	st, err := cachedStop(ctx, tx, stops, r.StopID)
	if lofte.ErrorCodeOf(err) == lofte.ENOTFOUND {
		return lofte.Invalid("stop_id", "tillfälle %d finns inte", r.StopID)
	} else if err != nil {
		return err
	}
	if err := st.AcceptsResponseOn(r.Date); err != nil {
		return err
	}
	r.JudgeHours(st)
	r.Basort = st.Basort
	// The key is drawn here, never taken from the client, and a retry keeps the first.
	r.RecordKey = newRecordKey()
	if _, err := s.insert.ExecContext(ctx, id, r.StopID, r.Lang, r.Date.String(), r.Hour, answers, hash,
		r.Suspect, joinReasons(r.SuspectReasons), received, r.RecordKey); err != nil {
		return fmt.Errorf("insert response %s: %w", r.ID, err)
	}
	return s.addCounts(r)
}

// ingested is what a batch remembers of an id it has seen.
type ingested struct {
	hash string
	key  uint32
}

// newRecordKey draws a record key from the operating system's cryptographic source.
func newRecordKey() uint32 {
	var b [4]byte
	rand.Read(b[:]) // never fails: crypto/rand crashes the program rather than return an error
	return binary.LittleEndian.Uint32(b[:])
}

// itemError marks err as the batch's item i; the caller names the position.
func itemError(err error, i int) error { return &lofte.ItemError{Index: i, Err: err} }

// countCellSQL counts n responses with the given key sum in one row of response_counts:
// stop, suspect, item, option, n, key sum.
const countCellSQL = `INSERT INTO response_counts (stop_id, suspect, item, option, n, keysum)
	VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (stop_id, suspect, item, option)
	DO UPDATE SET n = n + excluded.n, keysum = (keysum + excluded.keysum) % 4294967296`

// ingestStmts are the statements of one ingest transaction, and the counts of its new
// responses not yet written.
type ingestStmts struct {
	find, insert, count *sql.Stmt
	// pending adds up the new responses' counts per row of response_counts, so that a row
	// many answers share is written once per transaction rather than once per answer.
	pending map[countRow]countSum
}

// countRow is one row of response_counts.
type countRow struct {
	stop         int64
	suspect      bool
	item, option string
}

// countSum is what a row counts: responses, and the sum of their record keys mod 2³².
type countSum struct {
	n   int64
	key uint32
}

// known reports whether id is stored with r's content already, taking its record key into r;
// an id stored with other content is a conflict. After retention a stored response may have
// lost its comment (its hash is then textFreeHash) or be gone with only its id kept: a retry
// of it is still known, since its answer is counted already.
func (s *ingestStmts) known(ctx context.Context, id, hash string, r *lofte.Response) (bool, error) {
	var (
		stored  sql.NullString
		key     sql.NullInt64
		retired bool
	)
	err := s.find.QueryRowContext(ctx, id).Scan(&stored, &key, &retired)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, err
	case retired:
		return true, nil
	}
	r.RecordKey = uint32(key.Int64)
	if stored.String == hash {
		return true, nil
	}
	if free, _, err := textFreeHash(r); err != nil || stored.String == free {
		return err == nil, err
	}
	return false, lofte.Errorf(lofte.ECONFLICT, "id %s finns redan med annat innehåll", r.ID)
}

// findIngestedSQL finds an id among the stored responses, or else among the retired ones
// (retired 1): one statement for the question every new answer asks.
const findIngestedSQL = `SELECT content_hash, record_key, 0 AS retired FROM responses WHERE id = ?1
	UNION ALL SELECT NULL, NULL, 1 FROM retired_responses WHERE id = ?1 ORDER BY retired LIMIT 1`

func prepareIngest(ctx context.Context, tx *sql.Tx) (*ingestStmts, error) {
	var s ingestStmts
	var err error
	if s.find, err = tx.PrepareContext(ctx, findIngestedSQL); err != nil {
		return nil, err
	}
	if s.insert, err = tx.PrepareContext(ctx, `INSERT INTO responses (id, stop_id, lang, answered_date, answered_hour,
		answers, content_hash, suspect, suspect_reason, received_on, record_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
		s.close()
		return nil, err
	}
	if s.count, err = tx.PrepareContext(ctx, countCellSQL); err != nil {
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

// addCounts counts one inserted response, and its key, in the pending rows.
func (s *ingestStmts) addCounts(r *lofte.Response) error {
	cells, err := countedIn(r)
	if err != nil {
		return err
	}
	if s.pending == nil {
		s.pending = map[countRow]countSum{}
	}
	for _, c := range cells {
		k := countRow{r.StopID, r.Suspect, c.item, c.option}
		p := s.pending[k]
		// uint32 addition wraps as the table's key sums do (mod 2³²).
		s.pending[k] = countSum{p.n + 1, p.key + r.RecordKey}
	}
	return nil
}

// flushCounts writes the pending counts into response_counts; it runs before anything reads
// or moves stored counts, and before the transaction commits.
func (s *ingestStmts) flushCounts(ctx context.Context) error {
	for k, c := range s.pending {
		if _, err := s.count.ExecContext(ctx, k.stop, k.suspect, k.item, k.option, c.n, c.key); err != nil {
			return fmt.Errorf("count %s=%s: %w", k.item, k.option, err)
		}
	}
	clear(s.pending)
	return nil
}

// countCell is one row of response_counts for a stop and suspect flag.
type countCell struct{ item, option string }

// countedIn lists the response_counts rows a response is counted in: item "*" for every
// response, an option under its code (a scale under its decimal text), several options under
// "*" and each option, free text under "*". Migration 00004 recomputes key sums by the same
// rule in SQL; keep the two in step.
func countedIn(r *lofte.Response) ([]countCell, error) {
	out := []countCell{{"*", "*"}}
	for item, v := range r.Answers {
		switch v := v.(type) {
		case string:
			out = append(out, countCell{item, v})
		case int:
			out = append(out, countCell{item, strconv.Itoa(v)})
		case lofte.FreeText:
			out = append(out, countCell{item, "*"})
		case []string:
			out = append(out, countCell{item, "*"})
			for _, o := range v {
				out = append(out, countCell{item, o})
			}
		default:
			return nil, fmt.Errorf("answer %s has unexpected type %T", item, v)
		}
	}
	return out, nil
}

// FindResponses returns responses of a promise's stops ordered by id, paged by the last id of
// the previous page: the export must not show the order in which answers arrived.
func (db *DB) FindResponses(ctx context.Context, f lofte.ResponseFilter) ([]*lofte.Response, string, error) {
	where, args := scopeConds(f.PromiseID, f.From, f.To, f.Basorter)
	if f.After != "" {
		if !lofte.IsUUID(f.After) {
			return nil, "", lofte.Invalid("after", "ogiltig fortsättningsmarkör")
		}
		where, args = append(where, "r.id > ?"), append(args, f.After)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	args = append(args, limit+1)
	var out []*lofte.Response
	err := db.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT r.id, r.stop_id, l.name, r.lang, r.answered_date, r.answered_hour,
			r.answers, r.suspect, r.suspect_reason, r.record_key FROM responses r JOIN stops s ON s.id = r.stop_id JOIN localities l ON l.id = s.locality_id
			WHERE `+strings.Join(where, " AND ")+` ORDER BY r.id LIMIT ?`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				r                      lofte.Response
				date, answers, reasons string
			)
			if err := rows.Scan(&r.ID, &r.StopID, &r.Basort, &r.Lang, &date, &r.Hour, &answers, &r.Suspect, &reasons, &r.RecordKey); err != nil {
				return err
			}
			r.SuspectReasons = splitReasons(reasons)
			if err := errors.Join(r.Date.UnmarshalText([]byte(date)), decodeAnswers([]byte(answers), &r.Answers)); err != nil {
				return fmt.Errorf("decode response %s: %w", r.ID, err)
			}
			out = append(out, &r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, "", fmt.Errorf("find responses: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = out[len(out)-1].ID
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
