package sqlite_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite"
	"medborgarlofte/internal/survey"
)

// countKey names a response_counts row.
type countKey struct {
	stop         int64
	suspect      bool
	item, option string
}

// tallied is what a response_counts row must hold.
type tallied struct {
	N      int
	KeySum uint32
}

// cellsOf states, independently of the store, which rows a response is counted in: every
// response under item "*", an option under its code, a scale under its number, several options
// under "*" and each one, free text under "*".
func cellsOf(a lofte.Answers) [][2]string {
	out := [][2]string{{"*", "*"}}
	for item, v := range a {
		switch v := v.(type) {
		case string:
			out = append(out, [2]string{item, v})
		case int:
			out = append(out, [2]string{item, strconv.Itoa(v)})
		case lofte.FreeText:
			out = append(out, [2]string{item, "*"})
		case []string:
			out = append(out, [2]string{item, "*"})
			for _, o := range v {
				out = append(out, [2]string{item, o})
			}
		default:
			panic(fmt.Sprintf("answer %s of type %T", item, v))
		}
	}
	return out
}

// wantCounts sums responses into the rows they are counted in, with keys by stored id.
func wantCounts(t *testing.T, rs []*lofte.Response, keys map[string]uint32) map[countKey]tallied {
	t.Helper()
	out := map[countKey]tallied{}
	for _, r := range rs {
		key, ok := keys[r.ID]
		if !ok {
			t.Fatalf("response %s has no stored key", r.ID)
		}
		for _, c := range cellsOf(r.Answers) {
			k := countKey{r.StopID, r.Suspect, c[0], c[1]}
			cur := out[k]
			out[k] = tallied{N: cur.N + 1, KeySum: cur.KeySum + key} // uint32 wraps: mod 2^32
		}
	}
	return out
}

// gotCounts reads response_counts.
func gotCounts(t *testing.T, db *sqlite.DB) map[countKey]tallied {
	t.Helper()
	rows, err := db.CountRows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[countKey]tallied{}
	for _, c := range rows {
		out[countKey{c.StopID, c.Suspect, c.Item, c.Option}] = tallied{N: c.N, KeySum: c.KeySum}
	}
	return out
}

// mustRecordKeys reads every stored response's record key, by id.
func mustRecordKeys(t *testing.T, db *sqlite.DB) map[string]uint32 {
	t.Helper()
	keys, err := db.RecordKeys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// checkCounts fails the test unless every response_counts row holds the count and the key
// sum of the responses of rs it counts (keys by stored id).
func checkCounts(t *testing.T, db *sqlite.DB, rs []*lofte.Response, keys map[string]uint32) {
	t.Helper()
	if diff := cmp.Diff(wantCounts(t, rs, keys), gotCounts(t, db)); diff != "" {
		t.Errorf("response_counts (-want +got)\n%s", diff)
	}
}

// randomBatch makes a batch of 1 to most responses, as kiosks send them: numbered on from
// next, each at a random one of stops with random answers, and passed to mark (which may
// flag it, drawing on rng too) as it is made.
func randomBatch(rng *rand.Rand, stops []*lofte.Stop, next, most int, mark func(*lofte.Response)) []*lofte.Response {
	var batch []*lofte.Response
	for range 1 + rng.IntN(most) {
		r := response(next+len(batch), stops[rng.IntN(len(stops))], randomAnswers(rng, survey.Default()))
		mark(r)
		batch = append(batch, r)
	}
	return batch
}

// randomAnswers answers some of the catalogue's items at random, as a kiosk might.
func randomAnswers(rng *rand.Rand, cat *survey.Catalogue) lofte.Answers {
	a := lofte.Answers{}
	for _, it := range cat.Items() {
		if rng.IntN(3) == 0 {
			continue
		}
		switch it.Kind {
		case survey.One:
			a[it.Code] = it.Options[rng.IntN(len(it.Options))]
		case survey.Scale:
			a[it.Code] = it.Min + rng.IntN(it.Max-it.Min+1)
		case survey.Many:
			var picked []string
			for _, i := range rng.Perm(len(it.Options))[:1+rng.IntN(it.Max)] {
				picked = append(picked, it.Options[i])
			}
			a[it.Code] = picked
		case survey.Text:
			a[it.Code] = lofte.FreeText(fmt.Sprintf("Synpunkt %d", rng.IntN(1000)))
		}
	}
	return a
}

// TestKeySumsFollowInserts: after random batches, retries among them, every response_counts
// row's keysum is the sum mod 2^32 of the record keys of the responses it counts.
func TestKeySumsFollowInserts(t *testing.T) {
	db, _, tollarp, ahus := mustHeldStops(t)
	ctx := context.Background()
	stops := []*lofte.Stop{tollarp, ahus, MustCreateStop(t, db, "Tollarp", day("2018-03-21"), lofte.StatusHeld)}
	rng := rand.New(rand.NewPCG(10, 4))
	var stored []*lofte.Response
	for len(stored) < 400 {
		batch := randomBatch(rng, stops, len(stored), 40, func(r *lofte.Response) { r.Suspect = rng.IntN(8) == 0 })
		fresh := len(batch)
		// A retry of some already stored responses rides along: it must change nothing.
		for range rng.IntN(5) {
			if len(stored) > 0 {
				old := *stored[rng.IntN(len(stored))]
				batch = append(batch, &old)
			}
		}
		if _, err := db.CreateResponses(ctx, batch); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, batch[:fresh]...)
	}
	keys := mustRecordKeys(t, db)
	if len(keys) != len(stored) {
		t.Fatalf("%d keys for %d responses", len(keys), len(stored))
	}
	for _, r := range stored {
		if keys[r.ID] != r.RecordKey {
			t.Errorf("response %s: stored key %d, the store reported %d", r.ID, keys[r.ID], r.RecordKey)
		}
	}
	checkCounts(t, db, stored, keys)
	if distinct(keys) < len(keys)-1 {
		t.Errorf("only %d distinct keys among %d", distinct(keys), len(keys))
	}
}

func distinct(keys map[string]uint32) int {
	seen := map[uint32]bool{}
	for _, k := range keys {
		seen[k] = true
	}
	return len(seen)
}

// TestRetryKeepsRecordKey: a duplicate, whatever the case of its id, keeps the first key,
// and the key sums do not move.
func TestRetryKeepsRecordKey(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	first := response(1, s, lofte.Answers{"trust": "neither", "problems": []string{"drugs"}})
	first.ID = strings.ToUpper("abcdef00-0000-4000-8000-000000000001")
	if _, err := db.CreateResponses(ctx, []*lofte.Response{first}); err != nil {
		t.Fatal(err)
	}
	before := gotCounts(t, db)
	for _, id := range []string{first.ID, strings.ToLower(first.ID)} {
		again := *first
		again.ID, again.RecordKey = id, 0
		res, err := db.CreateResponses(ctx, []*lofte.Response{&again})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Result != lofte.ResultDuplicate || res[0].ID != id {
			t.Errorf("retry as %s: %+v", id, res[0])
		}
		if again.RecordKey != first.RecordKey {
			t.Errorf("retry as %s: key %d, first %d", id, again.RecordKey, first.RecordKey)
		}
	}
	if diff := cmp.Diff(before, gotCounts(t, db)); diff != "" {
		t.Errorf("counts moved on a retry (-before +after)\n%s", diff)
	}
	rs, _, err := db.FindResponses(ctx, lofte.ResponseFilter{PromiseID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || rs[0].ID != strings.ToLower(first.ID) || rs[0].RecordKey != first.RecordKey {
		t.Errorf("export: %+v", rs)
	}
}

// TestExportOrderedByID: the export is in id order whatever the order of arrival, each row
// with its record key.
func TestExportOrderedByID(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	rng := rand.New(rand.NewPCG(1, 2))
	var ids []string
	for _, i := range rng.Perm(25) {
		r := response(i*7919%1000, s, lofte.Answers{"satisfaction": 3})
		if _, err := db.CreateResponses(ctx, []*lofte.Response{r}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	keys := mustRecordKeys(t, db)
	var got []string
	after := ""
	for range 30 {
		rs, next, err := db.FindResponses(ctx, lofte.ResponseFilter{PromiseID: p.ID, After: after, Limit: 4})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			got = append(got, r.ID)
			if r.RecordKey != keys[r.ID] {
				t.Errorf("%s: exported key %d, stored %d", r.ID, r.RecordKey, keys[r.ID])
			}
		}
		if next == "" {
			break
		}
		if next != rs[len(rs)-1].ID {
			t.Errorf("next_after %s is not the page's last id %s", next, rs[len(rs)-1].ID)
		}
		after = next
	}
	slices.Sort(ids)
	if diff := cmp.Diff(ids, got); diff != "" {
		t.Errorf("export order (-want +got)\n%s", diff)
	}
}

// TestMigrationAssignsRecordKeys migrates a database whose responses were stored before record
// keys existed: each gets a key, ids are lower-cased where that clashes with nothing, and every
// count row's keysum is the sum of the keys of the responses it counts, its n unchanged.
func TestMigrationAssignsRecordKeys(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sqlite.MigrateTo(ctx, path, 3)
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) int64 {
		t.Helper()
		res, err := raw.ExecContext(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	pid := exec(`INSERT INTO promises (slug, title, municipality, police_area, period_from, period_to, created_at)
		VALUES ('p', 'Löfte', 'Kommun', 'LPO', '2018-01-01', '2018-12-31', '2018-01-01T00:00:00Z')`)
	lid := exec(`INSERT INTO localities (promise_id, name, lat, lon, basort, coordinates) VALUES (?, 'Tollarp', 55.9, 13.9, 1, 'published')`, pid)
	var stopIDs []int64
	for _, d := range []string{"2018-03-14", "2018-03-21"} {
		stopIDs = append(stopIDs, exec(`INSERT INTO stops (promise_id, locality_id, place, starts_at, ends_at, local_date, kind,
			status, created_at, updated_at) VALUES (?, ?, 'Torget', ?, ?, ?, 'regular', 'held', ?, ?)`,
			pid, lid, d+"T09:00:00Z", d+"T12:00:00Z", d, d+"T00:00:00Z", d+"T00:00:00Z"))
	}
	rng := rand.New(rand.NewPCG(3, 3))
	cat := survey.Default()
	var (
		rs     []*lofte.Response
		stored = map[string]string{} // id as inserted → id expected after the migration
	)
	add := func(id string, stop int64, suspect bool, a lofte.Answers) {
		answers, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		exec(`INSERT INTO responses (id, stop_id, lang, answered_date, answered_hour, answers, content_hash, suspect, received_on)
			VALUES (?, ?, 'sv', '2018-03-14', 11, ?, ?, ?, '2018-03-14')`, id, stop, string(answers), "h"+id, suspect)
		for _, c := range cellsOf(a) {
			exec(`INSERT INTO response_counts (stop_id, suspect, item, option, n) VALUES (?, ?, ?, ?, 1)
				ON CONFLICT (stop_id, suspect, item, option) DO UPDATE SET n = n + 1`, stop, suspect, c[0], c[1])
		}
		rs = append(rs, &lofte.Response{ID: id, StopID: stop, Suspect: suspect, Answers: a})
		stored[id] = strings.ToLower(id)
	}
	for i := range 60 {
		add(uuid(i), stopIDs[i%2], i%7 == 0, randomAnswers(rng, cat))
	}
	add("ABCDEF00-0000-4000-8000-000000000001", stopIDs[0], false, lofte.Answers{"trust": "neither"})
	// An upper-case id whose lower-case form is another response's stays as it was.
	add("abcdef00-0000-4000-8000-000000000002", stopIDs[0], false, lofte.Answers{"trust": "very_high"})
	add("ABCDEF00-0000-4000-8000-000000000002", stopIDs[1], false, lofte.Answers{"satisfaction": 2})
	stored["ABCDEF00-0000-4000-8000-000000000002"] = "ABCDEF00-0000-4000-8000-000000000002"
	db := reopen(t, raw, path)
	if v, err := db.SchemaVersionInDB(ctx); err != nil || v < 4 {
		t.Fatalf("schema version %d, %v", v, err)
	}
	keys := mustRecordKeys(t, db)
	if len(keys) != len(rs) {
		t.Fatalf("%d responses after the migration, %d before", len(keys), len(rs))
	}
	for _, r := range rs {
		r.ID = stored[r.ID]
	}
	if distinct(keys) < len(keys)-1 {
		t.Errorf("only %d distinct keys among %d", distinct(keys), len(keys))
	}
	checkCounts(t, db, rs, keys)
}
