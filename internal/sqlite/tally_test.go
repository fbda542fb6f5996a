package sqlite_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
)

func TestFindTalliesCountsSuspectOnly(t *testing.T) {
	db, _ := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	other := MustCreateStop(t, db, "Tollarp", day("2018-03-21"), lofte.StatusHeld)
	suspect := response(2, s, lofte.Answers{"trust": "very_low", "problems": []string{"drugs"}})
	suspect.Suspect = true
	first := response(1, s, lofte.Answers{"trust": "fairly_high", "satisfaction": 5, "problems": []string{"traffic"}})
	if _, err := db.CreateResponses(ctx, []*lofte.Response{
		first,
		suspect,
		response(3, other, lofte.Answers{"trust": "neither"}),
	}); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindTallies(ctx, []int64{s.ID})
	if err != nil {
		t.Fatal(err)
	}
	want := []*lofte.Tally{{StopID: s.ID, Responses: 1, Suspect: 1, Options: map[string]map[string]int{
		"trust":        {"fairly_high": 1},
		"satisfaction": {"5": 1},
		"problems":     {"*": 1, "traffic": 1},
	}, ResponsesKey: first.RecordKey, OptionKeys: map[string]map[string]uint32{ // one response: its own key
		"trust":        {"fairly_high": first.RecordKey},
		"satisfaction": {"5": first.RecordKey},
		"problems":     {"*": first.RecordKey, "traffic": first.RecordKey},
	}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tallies (-want +got)\n%s", diff)
	}
}
