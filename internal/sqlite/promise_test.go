package sqlite_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite"
)

// nextYear stores a copy of p for the following year and returns it.
func nextYear(t *testing.T, db *sqlite.DB, p *lofte.Promise) *lofte.Promise {
	t.Helper()
	q, _ := p.Copy(lofte.Period{From: day("2019-01-01"), To: day("2019-12-31")})
	ls := []*lofte.Locality{{Name: "Tollarp", Population: 3400, Lat: 55.9, Lon: 13.9, Basort: true, Coordinates: "approximate"}}
	if err := db.CreatePromise(context.Background(), q, ls); err != nil {
		t.Fatal(err)
	}
	return q
}

func TestCreatePromiseOverlapAndSlug(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	q := nextYear(t, db, p)
	if q.Active || q.Slug != "kristianstads-kommun-2019" {
		t.Errorf("copy stored as %q, active %v: want a new slug, inactive", q.Slug, q.Active)
	}
	// The same year again is refused, and nothing is stored.
	again, _ := p.Copy(lofte.Period{From: day("2019-06-01"), To: day("2020-05-31")})
	err := db.CreatePromise(ctx, again, nil)
	if e := lofte.AsError(err); e == nil || e.Code != lofte.ECONFLICT || e.Field != "period.from" {
		t.Errorf("overlap: %v, want a conflict on period.from", err)
	}
	// Another police area may have the same year; its slug is made unique.
	other, _ := p.Copy(lofte.Period{From: day("2019-01-01"), To: day("2019-12-31")})
	other.PoliceArea = "LPO Hässleholm"
	if err := db.CreatePromise(ctx, other, nil); err != nil {
		t.Fatal(err)
	}
	if other.Slug != "kristianstads-kommun-2019-2" {
		t.Errorf("slug %q, want a suffix", other.Slug)
	}
	all, err := db.FindPromises(ctx)
	if err != nil || len(all) != 3 {
		t.Fatalf("%d promises, %v; want 3", len(all), err)
	}
}

func TestActivatePromise(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	q := nextYear(t, db, p)
	if _, err := db.ActivatePromise(ctx, q.ID); err != nil {
		t.Fatal(err)
	}
	active, err := db.ActivePromise(ctx)
	if err != nil || active.ID != q.ID {
		t.Fatalf("active %v, %v; want %d", active, err, q.ID)
	}
	old, _ := db.FindPromise(ctx, p.ID)
	if old.Active {
		t.Error("the old promise is still active")
	}
	if _, err := db.ActivatePromise(ctx, 999); lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
		t.Errorf("unknown promise: %v", err)
	}
}

func TestUpdatePromiseSettings(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	q := nextYear(t, db, p)
	title, minN := "Nytt namn", 12
	outs := []lofte.Outcome{{Code: "service", Indicators: []lofte.Indicator{{Metric: "satisfied", Direction: lofte.AtLeast, Kind: lofte.TargetAbsolute, Target: 0.75}}}}
	if _, err := db.UpdatePromise(ctx, q.ID, lofte.PromiseUpdate{Title: &title, MinN: &minN, Outcomes: &outs}); err != nil {
		t.Fatal(err)
	}
	got, _ := db.FindPromise(ctx, q.ID)
	if got.Title != title || got.MinN != 12 || !cmp.Equal(got.Outcomes, outs) {
		t.Errorf("stored %+v", got)
	}
	// Moving it onto 2018 is refused; so is an excluded period outside it. Nothing changes.
	back := lofte.Period{From: day("2018-12-01"), To: day("2019-12-31")}
	if _, err := db.UpdatePromise(ctx, q.ID, lofte.PromiseUpdate{Period: &back}); lofte.ErrorCodeOf(err) != lofte.ECONFLICT {
		t.Errorf("overlap: %v", err)
	}
	ex := []lofte.Period{{From: day("2020-06-01"), To: day("2020-08-31")}}
	if _, err := db.UpdatePromise(ctx, q.ID, lofte.PromiseUpdate{Excluded: &ex, Title: new("Annat")}); lofte.ErrorCodeOf(err) != lofte.EINVALID {
		t.Errorf("excluded outside: %v", err)
	}
	after, _ := db.FindPromise(ctx, q.ID)
	if diff := cmp.Diff(got, after); diff != "" {
		t.Errorf("a refused update changed the promise (-before +after)\n%s", diff)
	}
}

func TestUpdatePromiseBasorter(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	ls, _ := db.FindLocalities(ctx, p.ID)
	// Keep all but Tollarp (has a stop: retired) and Yngsjö (no history: deleted); change
	// Åhus; add Vä.
	var want []*lofte.Locality
	for _, l := range ls {
		switch l.Name {
		case "Tollarp", "Yngsjö":
			continue
		case "Åhus":
			l.Population, l.PopulationSource, l.PopulationYear = 10500, "SCB", 2023
		}
		want = append(want, l)
	}
	want = append(want, &lofte.Locality{Name: "Vä", Population: 1800, Lat: 56.0, Lon: 14.1, Basort: true, Coordinates: "approximate"})
	if _, err := db.UpdatePromise(ctx, p.ID, lofte.PromiseUpdate{Basorter: &want}); err != nil {
		t.Fatal(err)
	}
	got, _ := db.FindLocalities(ctx, p.ID)
	byName := map[string]*lofte.Locality{}
	for _, l := range got {
		byName[l.Name] = l
	}
	switch {
	case byName["Tollarp"] == nil || !byName["Tollarp"].Retired():
		t.Error("Tollarp, with a stop, should be retired, not deleted")
	case byName["Yngsjö"] != nil:
		t.Error("Yngsjö, without history, should be deleted")
	case byName["Vä"] == nil || byName["Vä"].Retired():
		t.Error("Vä should be added")
	case byName["Åhus"].PopulationSource != "SCB" || byName["Åhus"].PopulationYear != 2023 || byName["Åhus"].Population != 10500:
		t.Errorf("Åhus not changed: %+v", byName["Åhus"])
	}
	// A retired place gets no new stop; its old one is still there.
	start := day("2018-04-10").In(lofte.Zone)
	st := &lofte.Stop{PromiseID: p.ID, Basort: "Tollarp", Place: "Torget", StartsAt: start.Add(10 * 3600e9), EndsAt: start.Add(12 * 3600e9),
		Kind: lofte.KindRegular, Status: lofte.StatusDraft}
	if err := db.CreateStop(ctx, st); lofte.ErrorCodeOf(err) != lofte.EINVALID {
		t.Errorf("stop at a retired place: %v, want invalid", err)
	}
	// Nor does a locality that is no basort (the central town).
	town := *st
	town.Basort, town.LocalityID = "Kristianstad", 0
	if err := db.CreateStop(ctx, &town); lofte.ErrorCodeOf(err) != lofte.EINVALID || !strings.Contains(err.Error(), "ingen basort") {
		t.Errorf("stop in the central town: %v, want invalid: no basort", err)
	}
	if _, n, _ := db.FindStops(ctx, lofte.StopFilter{PromiseID: p.ID, Basorter: []string{"Tollarp"}}); n != 1 {
		t.Errorf("Tollarp has %d stops, want its 1", n)
	}
	// Retiring every basort is refused, and changes nothing.
	var none []*lofte.Locality
	for _, l := range got {
		c := *l
		c.RetiredAt = &start
		none = append(none, &c)
	}
	_, err := db.UpdatePromise(ctx, p.ID, lofte.PromiseUpdate{Basorter: &none})
	if e := lofte.AsError(err); e == nil || e.Code != lofte.ECONFLICT || e.Field != "basorter" {
		t.Errorf("retire all: %v, want a conflict on basorter", err)
	}
	after, _ := db.FindLocalities(ctx, p.ID)
	if diff := cmp.Diff(got, after); diff != "" {
		t.Errorf("a refused update changed the places (-before +after)\n%s", diff)
	}
	// The same name twice, and an id of another promise's place, are named.
	twice := append(append([]*lofte.Locality{}, got...), &lofte.Locality{Name: "Vä", Lat: 1, Lon: 1, Coordinates: "approximate"})
	var ie *lofte.ItemError
	if _, err := db.UpdatePromise(ctx, p.ID, lofte.PromiseUpdate{Basorter: &twice}); !errors.As(err, &ie) || ie.Index != len(got) {
		t.Errorf("name twice: %v", err)
	}
}
