package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

func TestMetricsAPIOnTheDemoYear(t *testing.T) {
	e := newEnv(t)
	sqlitetest.MustFillDemo(t, e.db, e.p)
	status, _, b := e.do(http.MethodGet, "/api/v1/metrics?from=2018-01-01&to=2018-12-31&group=basort", lofte.RoleCouncil, "")
	if status != 200 {
		t.Fatalf("%d %s", status, b)
	}
	var res struct {
		Scope struct {
			Group string
			MinN  int `json:"min_n"`
		}
		Groups []struct {
			Key     string
			Metrics map[string]json.RawMessage
		}
		Total struct {
			Key     string
			Metrics map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if res.Scope.Group != "basort" || res.Scope.MinN != lofte.DefaultMinN || res.Total.Key != "all" {
		t.Errorf("scope %+v, total key %q", res.Scope, res.Total.Key)
	}
	// Every count of responses is the cell key perturbation of the true cell: the regular
	// stops at basorter, suspect answers left out.
	want := e.surveyCells(2018, 1, 12, lofte.KindRegular)
	pt := metrics.DefaultPTable()
	var all metrics.Set
	for _, c := range want {
		all = all.Add(c)
	}
	if got := countValue(t, res.Total.Metrics["responses"]); got != pt.Perturb(all) {
		t.Errorf("total responses %d, want %d (true %d)", got, pt.Perturb(all), all.N)
	}
	seen := 0
	for _, g := range res.Groups {
		c, isBasort := want[g.Key]
		if isBasort {
			seen++
		}
		// A locality that is no basort has delivery figures only: its answers count nowhere.
		if got := countValue(t, g.Metrics["responses"]); got != pt.Perturb(c) {
			t.Errorf("%s: responses %d, want %d (true %d)", g.Key, got, pt.Perturb(c), c.N)
		}
	}
	if seen != len(want) {
		t.Errorf("%d basort groups, want one per basort (%d)", seen, len(want))
	}
	var trust metrics.Figure
	json.Unmarshal(res.Total.Metrics["trust_high"], &trust)
	if trust.Value == nil || trust.Size() < 500 || trust.CI == nil || trust.Weighted == nil || trust.Pooled == nil {
		t.Errorf("total trust_high %+v", trust)
	}
	// A figure is shown on at least min_n perturbed answers, or withheld whole.
	for _, g := range res.Groups {
		var f metrics.Figure
		json.Unmarshal(g.Metrics["trust_high"], &f)
		switch {
		case f.Suppressed && (f.Value != nil || f.N != nil || f.CI != nil):
			t.Errorf("%s trust_high %+v: suppressed but not withheld", g.Key, f)
		case !f.Suppressed && f.Value != nil && f.Size() < lofte.DefaultMinN:
			t.Errorf("%s trust_high %+v: shown below min_n", g.Key, f)
		}
	}
	for _, bad := range []string{"?group=week", "?from=2018-13-01", "?basort=Atlantis", "?from=2018-05-01&to=2018-04-01"} {
		if status, _, _ := e.do(http.MethodGet, "/api/v1/metrics"+bad, lofte.RoleCouncil, ""); status != 400 {
			t.Errorf("%s: %d, want 400", bad, status)
		}
	}
	status, _, b = e.do(http.MethodGet, "/api/v1/outcomes?from=2018-01-01&to=2018-12-31", lofte.RoleAdmin, "")
	var oc struct {
		Outcomes []struct {
			Code, Status string
			Indicators   []struct{ Metric, Status string }
		}
	}
	if err := json.Unmarshal(b, &oc); err != nil || status != 200 || len(oc.Outcomes) != 4 {
		t.Fatalf("%d %s", status, b)
	}
	for _, o := range oc.Outcomes {
		if o.Status == "" || len(o.Indicators) == 0 {
			t.Errorf("outcome %+v", o)
		}
	}
}

// surveyCells returns the true responses of every basort's survey cell over months first to
// last of year at stops of kind: published stops at basorter, suspect answers left out.
func (e *env) surveyCells(year, first, last int, kind lofte.StopKind) map[string]metrics.Set {
	e.t.Helper()
	ctx := context.Background()
	ls, err := e.db.FindLocalities(ctx, e.p.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]metrics.Set{}
	for _, l := range ls {
		if l.Basort {
			out[l.Name] = metrics.Set{}
		}
	}
	from := lofte.Date{Year: year, Month: time.Month(first), Day: 1}
	to := lofte.Date{Year: year, Month: time.Month(last + 1), Day: 1}.AddDays(-1)
	stops, _, err := e.db.FindStops(ctx, lofte.StopFilter{PromiseID: e.p.ID, From: &from, To: &to, PublicOnly: true})
	if err != nil {
		e.t.Fatal(err)
	}
	byID := map[int64]*lofte.Stop{}
	ids := make([]int64, 0, len(stops))
	for _, s := range stops {
		byID[s.ID], ids = s, append(ids, s.ID)
	}
	tallies, err := e.db.FindTallies(ctx, ids)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, tl := range tallies {
		s := byID[tl.StopID]
		if c, ok := out[s.Basort]; ok && s.Kind == kind {
			out[s.Basort] = c.Add(metrics.Set{N: tl.Responses, Key: tl.ResponsesKey})
		}
	}
	return out
}

// countValue decodes a count's value, failing the test when it has none.
func countValue(t *testing.T, raw json.RawMessage) int {
	t.Helper()
	var c metrics.Count
	if err := json.Unmarshal(raw, &c); err != nil || c.Value == nil {
		t.Fatalf("not a count with a value: %s", raw)
	}
	return int(*c.Value)
}
