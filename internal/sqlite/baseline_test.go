package sqlite_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

func TestBaselinesReplaceFindDelete(t *testing.T) {
	ctx := context.Background()
	db, p := sqlitetest.MustOpenSeeded(t)
	first := []*lofte.Baseline{
		{Metric: "trust_high", Value: 0.55, Source: "NTU 2017"},
		{Basort: "Tollarp", Metric: "trust_high", Value: 0.48, Source: "NTU 2017"},
	}
	if err := db.CreateBaselines(ctx, p.ID, first); err != nil {
		t.Fatal(err)
	}
	// The same basort and metric again replaces the value.
	if err := db.CreateBaselines(ctx, p.ID, []*lofte.Baseline{{Basort: "Tollarp", Metric: "trust_high", Value: 0.5, Source: "NTU 2018"}}); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindBaselines(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []*lofte.Baseline{
		{Metric: "trust_high", Value: 0.55, Source: "NTU 2017"},
		{Basort: "Tollarp", Metric: "trust_high", Value: 0.5, Source: "NTU 2018"},
	}
	ignore := cmpopts.IgnoreFields(lofte.Baseline{}, "ID", "PromiseID", "LocalityID")
	if d := cmp.Diff(want, got, ignore); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}

	// A batch with an unknown basort stores nothing.
	err = db.CreateBaselines(ctx, p.ID, []*lofte.Baseline{{Metric: "unsafe", Value: 0.2, Source: "x"}, {Basort: "Atlantis", Metric: "unsafe", Value: 0.2, Source: "x"}})
	if lofte.ErrorCodeOf(err) != lofte.EINVALID {
		t.Errorf("unknown basort: %v, want invalid", err)
	}
	if after, _ := db.FindBaselines(ctx, p.ID); len(after) != 2 {
		t.Errorf("%d baselines after a refused batch, want 2", len(after))
	}

	if err := db.DeleteBaseline(ctx, p.ID, got[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteBaseline(ctx, p.ID, got[0].ID); lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
		t.Errorf("deleting twice: %v, want not found", err)
	}
	if err := db.DeleteBaseline(ctx, p.ID+1, got[1].ID); lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
		t.Errorf("deleting another promise's baseline: %v, want not found", err)
	}
	if after, _ := db.FindBaselines(ctx, p.ID); len(after) != 1 || after[0].Basort != "Tollarp" {
		t.Errorf("after delete: %+v", after)
	}
}
