package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/server"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// newEmptyEnv is a server on a database with no promise at all, and an admin token.
func newEmptyEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	db.Now = func() time.Time { return now }
	plain, hash := auth.NewToken()
	if err := db.CreateToken(ctx, &lofte.Token{Name: "admin-test", Role: lofte.RoleAdmin, Hash: hash}); err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Config{Store: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: db.Now})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: db, app: s, tokens: map[lofte.Role]string{lofte.RoleAdmin: plain}, logs: &syncBuffer{}}
	e.srv = httptest.NewServer(s.Handler())
	t.Cleanup(e.srv.Close)
	return e
}

// deliveryFigures are the figures a promise file carries everything for: the schedule's.
var deliveryFigures = []string{"stops_planned", "stops_held", "stops_cancelled", "unconfirmed", "events", "delivery_rate",
	"announce_days_median", "announced_7d", "gap_days_median", "gap_days_max", "visitors", "visitors_per_stop",
	"visitors_per_hour", "contacts_crime_report", "contacts_tip", "contacts_advice", "contacts_other"}

// figures returns the delivery figures per basort and for the whole area, and the outcomes'
// baselines, of a promise.
func figures(t *testing.T, e *env, promiseID int64) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, kind := range []string{"regular", "event"} {
		status, _, b := e.do("GET", fmt.Sprintf("/api/v1/metrics?promise=%d&group=basort&kind=%s", promiseID, kind), lofte.RoleAdmin, "")
		var res struct {
			Groups []struct {
				Key     string
				Metrics map[string]json.RawMessage
			}
			Total struct{ Metrics map[string]json.RawMessage }
		}
		if err := json.Unmarshal(b, &res); status != 200 || err != nil {
			t.Fatalf("metrics: %d %v %s", status, err, b)
		}
		for _, g := range append(res.Groups, struct {
			Key     string
			Metrics map[string]json.RawMessage
		}{"all", res.Total.Metrics}) {
			for _, m := range deliveryFigures {
				out[kind+"/"+g.Key+"/"+m] = string(g.Metrics[m])
			}
		}
	}
	status, _, b := e.do("GET", fmt.Sprintf("/api/v1/baselines?promise=%d", promiseID), lofte.RoleAdmin, "")
	var bs struct{ Baselines []map[string]any }
	if err := json.Unmarshal(b, &bs); status != 200 || err != nil {
		t.Fatalf("baselines: %d %s", status, b)
	}
	for _, x := range bs.Baselines {
		delete(x, "id")
		out[fmt.Sprint("baseline/", x["basort"], "/", x["metric"])] = x
	}
	return out
}

// An exported promise read into an empty database gives the same delivery figures and
// baselines: everything the file carries.
func TestPromiseExportImportRoundTrip(t *testing.T) {
	src := newEnv(t)
	sqlitetest.MustFillDemo(t, src.db, src.p)
	// A place retired with its history comes across retired, its stops with it.
	ls, _ := src.db.FindLocalities(context.Background(), src.p.ID)
	for _, l := range ls {
		if l.Name == "Tollarp" {
			l.RetiredAt = &now
		}
	}
	if _, err := src.db.UpdatePromise(context.Background(), src.p.ID, lofte.PromiseUpdate{Basorter: &ls}); err != nil {
		t.Fatal(err)
	}
	status, _, b := src.do("GET", fmt.Sprintf("/api/v1/promises/%d/export", src.p.ID), lofte.RoleAdmin, "")
	if status != 200 {
		t.Fatalf("export: %d %s", status, b)
	}
	for _, secret := range []string{`"notes"`, `"answers"`, `"responses"`} {
		if strings.Contains(string(b), secret) {
			t.Errorf("the file carries %s", secret)
		}
	}
	var file struct {
		Format   string
		Version  int
		Schedule []json.RawMessage
	}
	if err := json.Unmarshal(b, &file); err != nil || file.Format != "medborgarlofte.promise" || file.Version != 1 || len(file.Schedule) == 0 {
		t.Fatalf("file head %+v %v", file, err)
	}

	dst := newEmptyEnv(t)
	status, _, out := dst.do("POST", "/api/v1/promises/import", lofte.RoleAdmin, string(b))
	if status != 201 {
		t.Fatalf("import: %d %s", status, out)
	}
	var imported struct {
		ID     int64
		Active bool
	}
	json.Unmarshal(out, &imported)
	if a := dst.lastAudit(); a.Action != "promise.import" {
		t.Errorf("audit %+v", a)
	}
	want, got := figures(t, src, src.p.ID), figures(t, dst, imported.ID)
	if held := want["regular/all/stops_held"]; held == `{"value":0}` || held == "" || len(want) < 100 {
		t.Fatalf("the demo year gives no figures to compare: %v (%d)", held, len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("figures after the round trip (-exported +imported)\n%s", diff)
	}
	places, _ := dst.db.FindLocalities(context.Background(), imported.ID)
	if l := lofte.LocalityNamed(places, "Tollarp"); l == nil || !l.Retired() {
		t.Errorf("Tollarp imported as %+v, want retired", l)
	}
	if !imported.Active {
		t.Error("the only promise of a database should be its active one")
	}
	// The same file again overlaps the imported promise: refused, nothing written.
	before := dst.promiseState()
	status, _, out = dst.do("POST", "/api/v1/promises/import", lofte.RoleAdmin, string(b))
	if status != 409 || apiError(t, out).Field != "promise.from" {
		t.Errorf("import again: %d %s", status, out)
	}
	if diff := cmp.Diff(before, dst.promiseState()); diff != "" {
		t.Errorf("a refused import changed something\n%s", diff)
	}
}

func TestPromiseImportRefusals(t *testing.T) {
	src := newEnv(t)
	mustStop(t, src, "Tollarp", "2018-03-01 10:00", lofte.StatusHeld)
	_, _, file := src.do("GET", fmt.Sprintf("/api/v1/promises/%d/export", src.p.ID), lofte.RoleAdmin, "")
	edit := func(f func(m map[string]any)) string {
		var m map[string]any
		if err := json.Unmarshal(file, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	promise := func(m map[string]any) map[string]any { return m["promise"].(map[string]any) }
	tests := []struct {
		name, body, field string
		role              lofte.Role
		status            int
	}{
		{"newer version", edit(func(m map[string]any) { m["version"] = 2; m["new_thing"] = true }), "version", lofte.RoleAdmin, 400},
		{"foreign format", edit(func(m map[string]any) { m["format"] = "something.else" }), "format", lofte.RoleAdmin, 400},
		{"no format", `{"promise":{}}`, "format", lofte.RoleAdmin, 400},
		{"unknown field", edit(func(m map[string]any) { m["responses"] = []any{} }), "responses", lofte.RoleAdmin, 400},
		{"target out of scale", edit(func(m map[string]any) {
			promise(m)["outcomes"] = []any{map[string]any{"key": "service", "indicators": []any{map[string]any{"metric": "satisfied", "direction": ">=", "target": 2}}}}
		}), "promise.outcomes[0].indicators[0].target", lofte.RoleAdmin, 400},
		{"stop at an unknown place", edit(func(m map[string]any) {
			m["schedule"].([]any)[0].(map[string]any)["basort"] = "Atlantis"
		}), "schedule[0].basort", lofte.RoleAdmin, 400},
		{"bad baseline", edit(func(m map[string]any) {
			m["baselines"] = []any{map[string]any{"metric": "trust_high", "value": 3, "source": "x"}}
		}), "baselines[0].value", lofte.RoleAdmin, 400},
		{"officer", string(file), "", lofte.RoleOfficer, 403},
	}
	dst := newEmptyEnv(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := src
			if tt.role == lofte.RoleAdmin {
				e = dst
			}
			before := e.promiseState()
			status, _, b := e.do("POST", "/api/v1/promises/import", tt.role, tt.body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, b)
			}
			if tt.field != "" && apiError(t, b).Field != tt.field {
				t.Errorf("error %s, want field %q", b, tt.field)
			}
			if diff := cmp.Diff(before, e.promiseState()); diff != "" {
				t.Errorf("a refused import changed something\n%s", diff)
			}
		})
	}
}
