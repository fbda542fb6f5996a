package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite"
)

// MustCreateStop stores a stop at basort on day (local) 10–13 with the given status.
func MustCreateStop(tb testing.TB, db *sqlite.DB, basort string, day lofte.Date, status lofte.StopStatus) *lofte.Stop {
	tb.Helper()
	p, err := db.ActivePromise(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	start := day.In(lofte.Zone).Add(10 * time.Hour)
	s := &lofte.Stop{PromiseID: p.ID, Basort: basort, Place: "Torget", StartsAt: start, EndsAt: start.Add(3 * time.Hour),
		Kind: lofte.KindRegular, Status: status}
	if status != lofte.StatusDraft {
		pub := start.AddDate(0, 0, -10)
		s.PublishedAt = &pub
	}
	if status == lofte.StatusCancelled {
		s.CancelReason = "Personalbrist"
	}
	if err := db.CreateStop(context.Background(), s); err != nil {
		tb.Fatal(err)
	}
	return s
}

// mustHeldStops opens a seeded store with two held stops to answer at: Tollarp on 14 March
// 2018 and Åhus on 15 March.
func mustHeldStops(t *testing.T) (db *sqlite.DB, p *lofte.Promise, tollarp, ahus *lofte.Stop) {
	t.Helper()
	db, p = MustSeed(t)
	tollarp = MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	ahus = MustCreateStop(t, db, "Åhus", day("2018-03-15"), lofte.StatusHeld)
	return db, p, tollarp, ahus
}

func day(s string) lofte.Date {
	d, err := lofte.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestStopRoundTrip(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusPublished)
	got, err := db.FindStopByID(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.PromiseID != p.ID || got.Basort != "Tollarp" || !got.StartsAt.Equal(s.StartsAt) || got.Status != lofte.StatusPublished {
		t.Errorf("stored stop differs: %+v", got)
	}
	if _, err := db.FindStopByID(ctx, 9999); lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
		t.Errorf("missing stop: err = %v, want not_found", err)
	}
}

func TestCreateStopRefusals(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	start := time.Date(2018, 3, 14, 10, 0, 0, 0, lofte.Zone)
	ok := func() *lofte.Stop {
		return &lofte.Stop{PromiseID: p.ID, Basort: "Tollarp", Place: "Torget", StartsAt: start, EndsAt: start.Add(time.Hour),
			Kind: lofte.KindRegular, Status: lofte.StatusDraft}
	}
	tests := []struct {
		name  string
		edit  func(*lofte.Stop)
		field string
	}{
		{"unknown basort", func(s *lofte.Stop) { s.Basort = "Atlantis" }, "basort"},
		{"end before start", func(s *lofte.Stop) { s.EndsAt = start.Add(-time.Hour) }, "ends_at"},
		{"no place", func(s *lofte.Stop) { s.Place = " " }, "place"},
		{"bad kind", func(s *lofte.Stop) { s.Kind = "party" }, "kind"},
		{"bad status", func(s *lofte.Stop) { s.Status = "maybe" }, "status"},
		{"negative visitors", func(s *lofte.Stop) { s.Visitors = -1 }, "visitors"},
		{"published without time", func(s *lofte.Stop) { s.Status = lofte.StatusPublished }, "published_at"},
		{"cancelled without reason", func(s *lofte.Stop) {
			s.Status = lofte.StatusCancelled
			s.PublishedAt = &start
		}, "cancel_reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok()
			tt.edit(s)
			err := db.CreateStop(ctx, s)
			e := lofte.AsError(err)
			if e == nil || e.Code != lofte.EINVALID || e.Field != tt.field {
				t.Fatalf("err = %v, want invalid %s", err, tt.field)
			}
			if _, n, _ := db.FindStops(ctx, lofte.StopFilter{}); n != 0 {
				t.Errorf("%d stops stored after a refusal", n)
			}
		})
	}
}

func TestFindStopsFilters(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	a := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusHeld)
	b := MustCreateStop(t, db, "Åhus", day("2018-04-02"), lofte.StatusPublished)
	c := MustCreateStop(t, db, "Tollarp", day("2018-05-20"), lofte.StatusDraft)
	d := MustCreateStop(t, db, "Degeberga", day("2018-10-01"), lofte.StatusCancelled)
	ids := func(ss []*lofte.Stop) []int64 {
		out := []int64{}
		for _, s := range ss {
			out = append(out, s.ID)
		}
		return out
	}
	from, to := day("2018-04-01"), day("2018-05-31")
	tests := []struct {
		name string
		f    lofte.StopFilter
		want []int64
	}{
		{"all", lofte.StopFilter{PromiseID: p.ID}, []int64{a.ID, b.ID, c.ID, d.ID}},
		{"public only", lofte.StopFilter{PromiseID: p.ID, PublicOnly: true}, []int64{a.ID, b.ID, d.ID}},
		{"date range", lofte.StopFilter{PromiseID: p.ID, From: &from, To: &to}, []int64{b.ID, c.ID}},
		{"basort", lofte.StopFilter{PromiseID: p.ID, Basorter: []string{"Tollarp"}}, []int64{a.ID, c.ID}},
		{"status", lofte.StopFilter{PromiseID: p.ID, Statuses: []lofte.StopStatus{lofte.StatusCancelled}}, []int64{d.ID}},
		{"page", lofte.StopFilter{PromiseID: p.ID, Limit: 2, Offset: 1}, []int64{b.ID, c.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := db.FindStops(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, ids(got)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
			if tt.f.Limit == 0 && total != len(tt.want) {
				t.Errorf("total = %d, want %d", total, len(tt.want))
			}
		})
	}
}

func TestUpdateStop(t *testing.T) {
	db, _ := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusDraft)
	pub := lofte.StatusPublished
	got, err := db.UpdateStop(ctx, s.ID, lofte.StopUpdate{Status: &pub})
	if err != nil {
		t.Fatal(err)
	}
	if got.PublishedAt == nil || got.Sequence != 0 {
		t.Errorf("publishing: published_at=%v sequence=%d", got.PublishedAt, got.Sequence)
	}
	place := "Biblioteket"
	if got, err = db.UpdateStop(ctx, s.ID, lofte.StopUpdate{Place: &place}); err != nil {
		t.Fatal(err)
	}
	if got.Sequence != 1 {
		t.Errorf("moving a published stop: sequence = %d, want 1", got.Sequence)
	}
	draft := lofte.StatusDraft
	_, err = db.UpdateStop(ctx, s.ID, lofte.StopUpdate{Status: &draft})
	if e := lofte.AsError(err); e == nil || e.Field != "status" {
		t.Errorf("published → draft: err = %v, want invalid status", err)
	}
	neg := -3
	_, err = db.UpdateStop(ctx, s.ID, lofte.StopUpdate{Visitors: &neg})
	if e := lofte.AsError(err); e == nil || e.Field != "visitors" {
		t.Errorf("negative visitors: err = %v", err)
	}
	after, _ := db.FindStopByID(ctx, s.ID)
	if after.Visitors != 0 || after.Place != "Biblioteket" || after.Status != lofte.StatusPublished {
		t.Errorf("a refused update changed the stop: %+v", after)
	}
}

// TestDeleteStop: a draft is deleted; a published, held or cancelled stop is a conflict and
// stays; a missing one is not found.
func TestDeleteStop(t *testing.T) {
	db, _ := MustSeed(t)
	ctx := context.Background()
	for _, st := range lofte.StopStatuses {
		s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), st)
		err := db.DeleteStop(ctx, s.ID)
		_, found := db.FindStopByID(ctx, s.ID)
		switch {
		case st == lofte.StatusDraft && (err != nil || lofte.ErrorCodeOf(found) != lofte.ENOTFOUND):
			t.Errorf("delete a draft: %v, then find: %v", err, found)
		case st != lofte.StatusDraft && (lofte.ErrorCodeOf(err) != lofte.ECONFLICT || found != nil):
			t.Errorf("delete a %s stop: %v, then find: %v", st, err, found)
		}
	}
	if err := db.DeleteStop(ctx, 9999); lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
		t.Errorf("delete a missing stop: %v", err)
	}
}

// TestUpdateMovesKindWithTheDate: the store gives Apply the stop's promise, so a stop moved
// into the built-in promise's summer becomes an event.
func TestUpdateMovesKindWithTheDate(t *testing.T) {
	db, _ := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-05-29"), lofte.StatusPublished)
	start, end := s.StartsAt.AddDate(0, 0, 7), s.EndsAt.AddDate(0, 0, 7)
	got, err := db.UpdateStop(ctx, s.ID, lofte.StopUpdate{StartsAt: &start, EndsAt: &end})
	if err != nil || got.Kind != lofte.KindEvent {
		t.Fatalf("moved into June: %v, kind %v", err, got)
	}
	if stored, _ := db.FindStopByID(ctx, s.ID); stored.Kind != lofte.KindEvent {
		t.Errorf("stored kind %s", stored.Kind)
	}
}

// TestCreateNeedsAPromise: a stop or feedback item without a promise id is refused, not
// filed under whichever promise is active.
func TestCreateNeedsAPromise(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	start := time.Date(2018, 3, 14, 10, 0, 0, 0, lofte.Zone)
	st := &lofte.Stop{Basort: "Tollarp", Place: "Torget", StartsAt: start, EndsAt: start.Add(time.Hour),
		Kind: lofte.KindRegular, Status: lofte.StatusDraft}
	if err := db.CreateStop(ctx, st); err == nil {
		t.Error("a stop without a promise was stored")
	}
	if err := db.CreateStops(ctx, []*lofte.Stop{st}); err == nil {
		t.Error("stops without a promise were stored")
	}
	f := &lofte.FeedbackItem{Basort: "Tollarp", Topic: "traffic", Said: "Bilar kör fort"}
	if err := db.CreateFeedback(ctx, f); err == nil {
		t.Error("a feedback item without a promise was stored")
	}
	if _, n, _ := db.FindStops(ctx, lofte.StopFilter{PromiseID: p.ID}); n != 0 {
		t.Errorf("%d stops stored", n)
	}
	f.PromiseID = p.ID
	if err := db.CreateFeedback(ctx, f); err != nil {
		t.Errorf("with its promise: %v", err)
	}
}

// TestStopVersion: a new stop is version 1 and every update raises it; a +1 tap does not,
// since it edits nothing anyone typed. An update from an older version, or a visitor count
// corrected from a count taps changed since, is a conflict and stores nothing.
func TestStopVersion(t *testing.T) {
	db, _ := MustSeed(t)
	ctx := context.Background()
	s := MustCreateStop(t, db, "Tollarp", day("2018-03-14"), lofte.StatusPublished)
	if s.Version != 1 {
		t.Fatalf("a new stop is version %d", s.Version)
	}
	n := func(v int) *int { return &v }
	notes := "första"
	got, err := db.UpdateStop(ctx, s.ID, lofte.StopUpdate{Version: n(1), Notes: &notes})
	if err != nil || got.Version != 2 {
		t.Fatalf("update from version 1: %v, version %+v", err, got)
	}
	for range 3 {
		if got, err = db.AddVisitors(ctx, s.ID, 1); err != nil || got.Version != 2 {
			t.Fatalf("a tap: %v, version %d", err, got.Version)
		}
	}
	before, _ := db.FindStopByID(ctx, s.ID)
	other := "andra"
	for _, upd := range []lofte.StopUpdate{
		{Version: n(1), Notes: &other},
		{Version: n(2), Visitors: n(10), VisitorsFrom: n(0)},
	} {
		if _, err := db.UpdateStop(ctx, s.ID, upd); lofte.ErrorCodeOf(err) != lofte.ECONFLICT {
			t.Errorf("a stale update: %v, want a conflict", err)
		}
	}
	after, _ := db.FindStopByID(ctx, s.ID)
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("a refused update changed the stop (-before +after)\n%s", diff)
	}
	if got, err = db.UpdateStop(ctx, s.ID, lofte.StopUpdate{Version: n(2), Visitors: n(10), VisitorsFrom: n(3)}); err != nil ||
		got.Visitors != 10 || got.Version != 3 || got.Notes != "första" {
		t.Errorf("a correction from the count as it is: %v %+v", err, got)
	}
}

// TestMigrationVersionsStops migrates a database from before stops had a version: each stop
// is version 1, and the next update makes it 2.
func TestMigrationVersionsStops(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sqlite.MigrateTo(ctx, path, 7)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() }) // an older program, idle while the new one migrates
	_, err = raw.ExecContext(ctx, `
		INSERT INTO promises (id, slug, title, municipality, police_area, period_from, period_to, created_at)
		VALUES (1, 'p', 'Löfte', 'Kommun', 'LPO', '2018-01-01', '2018-12-31', '2018-01-01T00:00:00Z');
		INSERT INTO localities (id, promise_id, name, lat, lon, basort, coordinates) VALUES (1, 1, 'Tollarp', 55.9, 13.9, 1, 'published');
		INSERT INTO stops (id, promise_id, locality_id, place, starts_at, ends_at, local_date, kind, status, published_at,
			created_at, updated_at)
		VALUES (1, 1, 1, 'Torget', '2018-03-14T09:00:00Z', '2018-03-14T12:00:00Z', '2018-03-14', 'regular', 'published',
			'2018-03-01T00:00:00Z', '2018-03-01T00:00:00Z', '2018-03-01T00:00:00Z')`)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := db.FindStopByID(ctx, 1)
	if err != nil || st.Version != 1 {
		t.Fatalf("migrated stop: %v, %+v", err, st)
	}
	one, notes := 1, "x"
	if st, err = db.UpdateStop(ctx, 1, lofte.StopUpdate{Version: &one, Notes: &notes}); err != nil || st.Version != 2 {
		t.Errorf("update from version 1: %v, %+v", err, st)
	}
}

// TestTheOfficeIsAtOneStopAtATime: PlanStops refuses a stop that overlaps another of its
// promise that is not cancelled, naming the other, and stores none of a series that clashes
// once; a move or a reinstatement into a taken time is refused too, and leaves the stop as it
// was. History and demo data (CreateStop) are stored as they were.
func TestTheOfficeIsAtOneStopAtATime(t *testing.T) {
	db, p := MustSeed(t)
	ctx := context.Background()
	db.Now = func() time.Time { return time.Date(2018, 3, 10, 12, 0, 0, 0, lofte.Zone) }
	taken := MustCreateStop(t, db, "Åhus", day("2018-04-10"), lofte.StatusDraft) // 10–13
	cancelled := MustCreateStop(t, db, "Åhus", day("2018-04-12"), lofte.StatusCancelled)
	at := func(d string, h int) time.Time { return day(d).In(lofte.Zone).Add(time.Duration(h) * time.Hour) }
	stop := func(d string, from, to int) *lofte.Stop {
		return &lofte.Stop{PromiseID: p.ID, Basort: "Tollarp", Place: "Torget", StartsAt: at(d, from), EndsAt: at(d, to),
			Kind: lofte.KindRegular, Status: lofte.StatusDraft}
	}
	count := func() int {
		_, n, err := db.FindStops(ctx, lofte.StopFilter{PromiseID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	tests := []struct {
		name  string
		stops []*lofte.Stop
		clash bool
	}{
		{"the same hours", []*lofte.Stop{stop("2018-04-10", 10, 13)}, true},
		{"an hour of them", []*lofte.Stop{stop("2018-04-10", 12, 15)}, true},
		{"right after", []*lofte.Stop{stop("2018-04-10", 13, 15)}, false},
		{"where a cancelled stop was", []*lofte.Stop{stop("2018-04-12", 10, 13)}, false},
		{"a series with one clash", []*lofte.Stop{stop("2018-04-03", 10, 13), stop("2018-04-10", 11, 12), stop("2018-04-17", 10, 13)}, true},
		{"two of a series at once", []*lofte.Stop{stop("2018-04-24", 10, 13), stop("2018-04-24", 12, 14)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := count()
			err := db.PlanStops(ctx, tt.stops)
			if !tt.clash {
				if err != nil || count() != before+len(tt.stops) {
					t.Fatalf("PlanStops() = %v, %d stops → %d", err, before, count())
				}
				return
			}
			e := lofte.AsError(err)
			if e == nil || e.Code != lofte.ECONFLICT || e.Field != "starts_at" || !strings.Contains(e.Message, "krockar med") {
				t.Fatalf("PlanStops() = %v, want a clash", err)
			}
			if count() != before {
				t.Errorf("a refused plan stored stops: %d → %d", before, count())
			}
		})
	}
	// The clash names the stop already there.
	err := db.PlanStops(ctx, []*lofte.Stop{stop("2018-04-10", 9, 11)})
	if e := lofte.AsError(err); e == nil || !strings.Contains(e.Message, fmt.Sprintf("Åhus, Torget, tis 10 april 2018 kl. 10.00–13.00 (utkast, tillfälle %d)", taken.ID)) {
		t.Errorf("the clash does not name the other stop: %v", err)
	}
	// A move into the taken hours is refused; a move within its own hours is not a clash.
	mover := MustCreateStop(t, db, "Tollarp", day("2018-05-08"), lofte.StatusPublished)
	was, _ := db.FindStopByID(ctx, mover.ID)
	start, end := at("2018-04-10", 11), at("2018-04-10", 14)
	if _, err := db.UpdateStop(ctx, mover.ID, lofte.StopUpdate{StartsAt: &start, EndsAt: &end}); lofte.ErrorCodeOf(err) != lofte.ECONFLICT {
		t.Errorf("a move into the taken hours: %v", err)
	}
	if now, _ := db.FindStopByID(ctx, mover.ID); !now.StartsAt.Equal(was.StartsAt) || now.Sequence != was.Sequence || now.Version != was.Version {
		t.Errorf("a refused move changed the stop: %+v", now)
	}
	later := at("2018-05-08", 12)
	if _, err := db.UpdateStop(ctx, mover.ID, lofte.StopUpdate{EndsAt: &later}); err != nil {
		t.Errorf("a stop shortened within its own hours: %v", err)
	}
	// A cancelled stop whose hours were taken since cannot be reinstated.
	pub := lofte.StatusPublished
	if _, err := db.UpdateStop(ctx, cancelled.ID, lofte.StopUpdate{Status: &pub}); lofte.ErrorCodeOf(err) != lofte.ECONFLICT {
		t.Errorf("reinstating into taken hours: %v", err)
	}
}
