package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite"
)

func uuid(i int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", i) }

func response(i int, stop *lofte.Stop, answers lofte.Answers) *lofte.Response {
	return &lofte.Response{ID: uuid(i), StopID: stop.ID, Date: lofte.LocalDate(stop.StartsAt), Hour: 11, Lang: "sv", Answers: answers}
}

// wantStored fails the test unless the promise holds n responses; when says at which step.
func wantStored(t *testing.T, db *sqlite.DB, p *lofte.Promise, n int, when string) {
	t.Helper()
	if got, err := db.CountResponses(context.Background(), p.ID); err != nil || got != n {
		t.Errorf("%s: %d responses stored, want %d (%v)", when, got, n, err)
	}
}

func TestCreateResponsesIdempotent(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	batch := []*lofte.Response{
		response(1, s, lofte.Answers{"trust": "fairly_high", "satisfaction": 5, "problems": []string{"traffic", "drugs"}}),
		response(2, s, lofte.Answers{"trust": "very_low", "comment": lofte.FreeText("Bra")}),
	}
	res, err := db.CreateResponses(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	want := []lofte.IngestResult{{ID: uuid(1), Result: "created"}, {ID: uuid(2), Result: "created"}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("first (-want +got)\n%s", diff)
	}
	// The same batch again, plus a new one: duplicates and one created.
	batch = append(batch, response(3, s, lofte.Answers{}))
	res, err = db.CreateResponses(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	want = []lofte.IngestResult{{ID: uuid(1), Result: "duplicate"}, {ID: uuid(2), Result: "duplicate"}, {ID: uuid(3), Result: "created"}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("retry (-want +got)\n%s", diff)
	}
	wantStored(t, db, p, 3, "after the retry")
	counts, err := db.StopCounts(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts := map[string]int{"*=*": 3, "trust=fairly_high": 1, "trust=very_low": 1, "satisfaction=5": 1,
		"problems=*": 1, "problems=traffic": 1, "problems=drugs": 1, "comment=*": 1}
	if diff := cmp.Diff(wantCounts, counts); diff != "" {
		t.Errorf("counts (-want +got)\n%s", diff)
	}
}

func TestCreateResponsesRefusals(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	held := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	draft := MustCreateStop(t, db, "Åhus", day("2018-03-15"), lofte.StatusDraft)
	if _, err := db.CreateResponses(ctx, []*lofte.Response{response(1, held, lofte.Answers{"trust": "neither"})}); err != nil {
		t.Fatal(err)
	}
	late := response(5, held, nil)
	late.Date = late.Date.AddDays(2)
	ghost := response(6, held, nil)
	ghost.StopID = 999
	tests := []struct {
		name  string
		batch []*lofte.Response
		code  lofte.ErrorCode
		field string
		item  int // the position the error names
	}{
		{"same id other content", []*lofte.Response{response(1, held, lofte.Answers{"trust": "very_high"})}, lofte.ECONFLICT, "", 0},
		{"unknown stop", []*lofte.Response{ghost}, lofte.EINVALID, "stop_id", 0},
		{"draft stop", []*lofte.Response{response(7, draft, nil)}, lofte.EINVALID, "stop_id", 0},
		{"two days late", []*lofte.Response{late}, lofte.EINVALID, "answered_at", 0},
		{"bad id", []*lofte.Response{{ID: "x", StopID: held.ID, Date: day("2018-03-14"), Lang: "sv"}}, lofte.EINVALID, "id", 0},
		{"one bad in a batch", []*lofte.Response{response(8, held, nil), ghost}, lofte.EINVALID, "stop_id", 1},
		{"id twice in a batch, different", []*lofte.Response{response(9, held, nil), response(9, held, lofte.Answers{"trust": "neither"})}, lofte.ECONFLICT, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.CreateResponses(ctx, tt.batch)
			e := lofte.AsError(err)
			if e == nil || e.Code != tt.code || e.Field != tt.field {
				t.Fatalf("err = %v, want %s %q", err, tt.code, tt.field)
			}
			var ie *lofte.ItemError
			if !errors.As(err, &ie) || ie.Index != tt.item {
				t.Errorf("err = %v, want it to name item %d", err, tt.item)
			}
			wantStored(t, db, p, 1, "after a refusal (nothing written)")
		})
	}
}

func TestConcurrentRetriesStoredOnce(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	var wg sync.WaitGroup
	created := make(chan string, 16)
	for range 16 {
		wg.Go(func() {
			res, err := db.CreateResponses(ctx, []*lofte.Response{response(1, s, lofte.Answers{"trust": "neither"})})
			if err != nil {
				t.Error(err)
				return
			}
			created <- res[0].Result
		})
	}
	wg.Wait()
	close(created)
	n := 0
	for r := range created {
		if r == "created" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d calls said created, want 1", n)
	}
	wantStored(t, db, p, 1, "after 16 concurrent retries")
}

func TestFindResponsesPaging(t *testing.T) {
	db, p, s, o := mustHeldStops(t)
	ctx := context.Background()
	var batch []*lofte.Response
	for i := range 7 {
		st := s
		if i%2 == 1 {
			st = o
		}
		batch = append(batch, response(i, st, lofte.Answers{"satisfaction": 4}))
	}
	if _, err := db.CreateResponses(ctx, batch); err != nil {
		t.Fatal(err)
	}
	var got []string
	after := ""
	for page := 0; page < 10; page++ {
		rs, next, err := db.FindResponses(ctx, lofte.ResponseFilter{PromiseID: p.ID, After: after, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			got = append(got, r.ID)
		}
		if next == "" {
			break
		}
		after = next
	}
	var want []string
	for i := range 7 {
		want = append(want, uuid(i))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("paged ids (-want +got)\n%s", diff)
	}
	rs, _, err := db.FindResponses(ctx, lofte.ResponseFilter{PromiseID: p.ID, Basorter: []string{"Åhus"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 || rs[0].Basort != "Åhus" {
		t.Errorf("Åhus filter: %d responses", len(rs))
	}
	if _, _, err := db.FindResponses(ctx, lofte.ResponseFilter{PromiseID: p.ID, After: "abc"}); lofte.ErrorCodeOf(err) != lofte.EINVALID {
		t.Errorf("bad cursor: err = %v", err)
	}
}

func TestFindResponsesAnswerTypes(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	in := lofte.Answers{"trust": "fairly_high", "satisfaction": 5, "problems": []string{"traffic", "drugs"},
		"comment": lofte.FreeText("Bra")}
	if _, err := db.CreateResponses(ctx, []*lofte.Response{response(1, s, in), response(2, s, nil)}); err != nil {
		t.Fatal(err)
	}
	rs, _, err := db.FindResponses(ctx, lofte.ResponseFilter{PromiseID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	// As lofte.Answers documents: no float64 or []any from JSON, free text a plain string.
	want := lofte.Answers{"trust": "fairly_high", "satisfaction": 5, "problems": []string{"traffic", "drugs"}, "comment": "Bra"}
	if len(rs) != 2 {
		t.Fatalf("%d responses, want 2", len(rs))
	}
	if diff := cmp.Diff(want, rs[0].Answers); diff != "" {
		t.Errorf("answers (-want +got)\n%s", diff)
	}
	if rs[1].Answers != nil {
		t.Errorf("no answers read back as %#v", rs[1].Answers)
	}
}
