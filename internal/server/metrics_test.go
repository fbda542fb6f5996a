package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/quick"
	"time"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/server"
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

func TestOneBasort(t *testing.T) {
	tests := []struct {
		name  string
		names []string
		want  string
		ok    bool
	}{
		{"none: the whole area", nil, "", true},
		{"one", []string{"Tollarp"}, "Tollarp", true},
		{"the same twice", []string{"Tollarp", "Tollarp"}, "Tollarp", true},
		{"two", []string{"Tollarp", "Åhus"}, "", false},
		{"one, another, the first again", []string{"Tollarp", "Åhus", "Tollarp"}, "", false},
	}
	for _, tt := range tests {
		got, err := server.OneBasort(tt.names)
		if e := lofte.AsError(err); got != tt.want || (err == nil) != tt.ok || err != nil && (e == nil || e.Field != "basort") {
			t.Errorf("%s: %q, %v; want %q (ok %v)", tt.name, got, err, tt.want, tt.ok)
		}
	}
}

// metricsBody is the answer of GET /api/v1/metrics with each figure kept raw, so that a test
// sees exactly what a client gets (null, absent, present).
type metricsBody struct {
	Scope  metrics.ScopeJSON
	Groups []rawGroup
	Total  rawGroup
}

type rawGroup struct {
	Key     string
	Metrics map[string]json.RawMessage
}

func (g rawGroup) keys() []string {
	out := make([]string, 0, len(g.Metrics))
	for k := range g.Metrics {
		out = append(out, k)
	}
	return out
}

// fields decodes a figure's raw JSON into its fields, raw.
func fields(t *testing.T, raw json.RawMessage) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("not an object: %s", raw)
	}
	return m
}

func groupKeys(b metricsBody) []string {
	out := make([]string, len(b.Groups))
	for i, g := range b.Groups {
		out[i] = g.Key
	}
	return out
}

// surveyMetrics are the codes of figures made from kiosk answers (never per stop).
var surveyMetrics = []string{"responses", "suspect", "response_rate", "trust_high", "trust_mean", "reason"}

// deliveryMetrics are figures of the police's own work.
var deliveryMetrics = []string{"stops_planned", "stops_held", "delivery_rate", "gap_days_max", "visitors"}

// TestMetricsScopes asks the API for fixed cells of the demo year in every way a client can,
// and for the ways it may not.
func TestMetricsScopes(t *testing.T) {
	e := newEnv(t)
	sqlitetest.MustFillDemo(t, e.db, e.p)
	pt := metrics.DefaultPTable()
	tests := []struct {
		name, query string
		status      int
		field       string // of the error, when refused
		check       func(t *testing.T, b metricsBody)
	}{
		{name: "days inside months are widened to whole months", query: "from=2018-03-10&to=2018-04-20", status: 200,
			check: func(t *testing.T, b metricsBody) {
				want := metrics.ScopeJSON{From: "2018-03-01", To: "2018-04-30", DeliveryFrom: "2018-03-10", DeliveryTo: "2018-04-20",
					Group: "none", Kind: "regular", MinN: lofte.DefaultMinN, StatusMinN: lofte.DefaultStatusMinN, Widened: true}
				if diff := cmp.Diff(want, b.Scope); diff != "" {
					t.Errorf("scope (-want +got)\n%s", diff)
				}
				if len(b.Groups) != 0 || b.Total.Key != "all" {
					t.Errorf("group=none: groups %v, total %q", groupKeys(b), b.Total.Key)
				}
			}},
		{name: "whole months are not widened", query: "from=2018-03-01&to=2018-04-30", status: 200,
			check: func(t *testing.T, b metricsBody) {
				if b.Scope.Widened || b.Scope.From != "2018-03-01" || b.Scope.To != "2018-04-30" {
					t.Errorf("scope %+v", b.Scope)
				}
			}},
		{name: "quarters are keyed YYYY-Qn", query: "from=2018-01-01&to=2018-12-31&group=quarter", status: 200,
			check: func(t *testing.T, b metricsBody) {
				if diff := cmp.Diff([]string{"2018-Q1", "2018-Q2", "2018-Q3", "2018-Q4"}, groupKeys(b)); diff != "" {
					t.Errorf("keys (-want +got)\n%s", diff)
				}
			}},
		{name: "months are keyed YYYY-MM", query: "from=2018-02-15&to=2018-04-15&group=month", status: 200,
			check: func(t *testing.T, b metricsBody) {
				if diff := cmp.Diff([]string{"2018-02", "2018-03", "2018-04"}, groupKeys(b)); diff != "" {
					t.Errorf("keys (-want +got)\n%s", diff)
				}
			}},
		{name: "per stop there are delivery figures only", query: "from=2018-03-01&to=2018-03-31&group=stop", status: 200,
			check: func(t *testing.T, b metricsBody) {
				if len(b.Groups) == 0 {
					t.Fatal("no stops in March")
				}
				for _, g := range b.Groups {
					if _, err := strconv.ParseInt(g.Key, 10, 64); err != nil {
						t.Errorf("key %q is not a stop id", g.Key)
					}
					for _, code := range surveyMetrics {
						if _, ok := g.Metrics[code]; ok {
							t.Errorf("stop %s has the survey figure %s", g.Key, code)
						}
					}
					for _, code := range deliveryMetrics {
						if _, ok := g.Metrics[code]; !ok {
							t.Errorf("stop %s lacks %s: %v", g.Key, code, g.keys())
						}
					}
				}
				if _, ok := b.Total.Metrics["trust_high"]; !ok {
					t.Error("the total of a per-stop grouping lacks the survey figures")
				}
			}},
		{name: "summer events on their own", query: "from=2018-01-01&to=2018-12-31&kind=event", status: 200,
			check: func(t *testing.T, b metricsBody) {
				var events metrics.Set
				for _, c := range e.surveyCells(2018, 1, 12, lofte.KindEvent) {
					events = events.Add(c)
				}
				if b.Scope.Kind != "event" || events.N == 0 || countValue(t, b.Total.Metrics["responses"]) != pt.Perturb(events) {
					t.Errorf("kind %q, responses %s, want %d (true %d)", b.Scope.Kind, b.Total.Metrics["responses"], pt.Perturb(events), events.N)
				}
			}},
		{name: "the same basort twice is that basort", query: "basort=Tollarp&basort=Tollarp", status: 200,
			check: func(t *testing.T, b metricsBody) {
				if b.Scope.Basort == nil || *b.Scope.Basort != "Tollarp" {
					t.Errorf("scope basort %v", b.Scope.Basort)
				}
			}},
		{name: "no basort is the whole area", query: "", status: 200,
			check: func(t *testing.T, b metricsBody) {
				if b.Scope.Basort != nil || b.Scope.From != "2018-01-01" || b.Scope.To != "2018-12-31" {
					t.Errorf("scope %+v", b.Scope)
				}
			}},
		{name: "a suppressed figure withholds value, n and interval", query: "group=basort", status: 200,
			check: func(t *testing.T, b metricsBody) {
				found := 0
				for _, g := range b.Groups {
					f := fields(t, g.Metrics["trust_high"])
					if string(f["suppressed"]) != "true" {
						continue
					}
					found++
					for _, k := range []string{"value", "n", "ci"} {
						if string(f[k]) != "null" {
							t.Errorf("%s: suppressed trust_high has %s %s", g.Key, k, f[k])
						}
					}
				}
				if found == 0 {
					t.Error("no suppressed figure among the basorter (the demo's small villages should have one)")
				}
			}},
		{name: "a whole-area figure is weighted, with coverage and the pooled figure", query: "group=basort", status: 200,
			check: func(t *testing.T, b metricsBody) {
				f := fields(t, b.Total.Metrics["trust_high"])
				var coverage float64
				json.Unmarshal(f["coverage"], &coverage)
				if string(f["weighted"]) != "true" || coverage <= 0 || coverage > 1 {
					t.Errorf("total trust_high weighted %s coverage %s", f["weighted"], f["coverage"])
				}
				pooled := fields(t, f["pooled"])
				for _, k := range []string{"value", "n", "ci", "suppressed", "uncertain"} {
					if _, ok := pooled[k]; !ok {
						t.Errorf("pooled lacks %s: %s", k, f["pooled"])
					}
				}
				// One basort's figure is its own: nothing to weight.
				for _, g := range b.Groups {
					f := fields(t, g.Metrics["trust_high"])
					for _, k := range []string{"weighted", "coverage", "pooled"} {
						if _, ok := f[k]; ok {
							t.Errorf("%s: a basort's figure has %s", g.Key, k)
						}
					}
				}
			}},
		{name: "undefined delivery figures are null with a reason", query: "from=2018-11-01&to=2018-11-30", status: 200,
			check: func(t *testing.T, b metricsBody) {
				for _, code := range []string{"delivery_rate", "announce_days_median", "visitors_per_stop"} {
					var c map[string]any
					if err := json.Unmarshal(b.Total.Metrics[code], &c); err != nil {
						t.Fatal(err)
					}
					if v, ok := c["value"]; !ok || v != nil || c["reason"] == "" || c["reason"] == nil {
						t.Errorf("%s before any stop has passed: %s", code, b.Total.Metrics[code])
					}
				}
			}},
		{name: "two basorter", query: "basort=Tollarp&basort=Åhus", status: 400, field: "basort"},
		{name: "a locality that is no basort", query: "basort=Kristianstad", status: 400, field: "basort"},
		{name: "an unknown basort", query: "basort=Atlantis", status: 400, field: "basort"},
		{name: "an unknown kind", query: "kind=summer", status: 400, field: "kind"},
		{name: "an unknown grouping", query: "group=week", status: 400, field: "group"},
		{name: "a bad date", query: "from=2018-13-01", status: 400, field: "from"},
		{name: "to before from", query: "from=2018-05-01&to=2018-04-01", status: 400, field: "to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, raw := e.do(http.MethodGet, "/api/v1/metrics?"+tt.query, lofte.RoleCouncil, "")
			if status != tt.status {
				t.Fatalf("%d, want %d: %s", status, tt.status, raw)
			}
			if tt.status != 200 {
				if got := apiError(t, raw); got.Field != tt.field {
					t.Errorf("error field %q, want %q: %s", got.Field, tt.field, raw)
				}
				return
			}
			var b metricsBody
			if err := json.Unmarshal(raw, &b); err != nil {
				t.Fatal(err)
			}
			tt.check(t, b)
		})
	}
}

// TestOutcomesSayWhy reads the four outcomes: every indicator has a status and a reason in
// words, and the answer says that the answers are no random sample.
func TestOutcomesSayWhy(t *testing.T) {
	e := newEnv(t)
	sqlitetest.MustFillDemo(t, e.db, e.p)
	for _, q := range []string{"from=2018-01-01&to=2018-12-31", "basort=Tollarp&basort=Tollarp"} {
		status, _, raw := e.do(http.MethodGet, "/api/v1/outcomes?"+q, lofte.RoleCouncil, "")
		var oc metrics.OutcomesResult
		if err := json.Unmarshal(raw, &oc); err != nil || status != 200 {
			t.Fatalf("%s: %d %s", q, status, raw)
		}
		if oc.Caveat != metrics.Caveat || len(oc.Outcomes) != 4 || oc.Scope.Group != "none" || oc.Scope.Kind != "regular" {
			t.Errorf("%s: caveat %q, %d outcomes, scope %+v", q, oc.Caveat, len(oc.Outcomes), oc.Scope)
		}
		for _, o := range oc.Outcomes {
			if !slices.Contains(metrics.Statuses, o.Status) || o.Status == metrics.NotEstablished && len(o.Indicators) == 0 {
				t.Errorf("%s: outcome %s status %q", q, o.Code, o.Status)
			}
			for _, ind := range o.Indicators {
				if !slices.Contains(metrics.Statuses, ind.Status) || ind.Status == metrics.Partly || ind.Reason == "" {
					t.Errorf("%s: %s/%s status %q reason %q", q, o.Code, ind.Metric, ind.Status, ind.Reason)
				}
			}
		}
	}
	status, _, raw := e.do(http.MethodGet, "/api/v1/outcomes?basort=Tollarp&basort=Åhus", lofte.RoleCouncil, "")
	if status != 400 || apiError(t, raw).Field != "basort" {
		t.Errorf("two basorter: %d %s", status, raw)
	}
}

// TestSameCellEveryRoute is a property: a survey cell (one basort, one month) has one figure,
// whichever route asks for it: as the basort's group of the whole area, as one basort's
// total, or as the month's group of one basort, and with dates inside the month (widened)
// as with the whole month. The whole area's month is likewise the same as a group of months
// and as a total.
func TestSameCellEveryRoute(t *testing.T) {
	e := newEnv(t)
	sqlitetest.MustFillDemo(t, e.db, e.p)
	ls, err := e.db.FindLocalities(context.Background(), e.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var basorter []string
	for _, l := range ls {
		if l.Basort {
			basorter = append(basorter, l.Name)
		}
	}
	get := func(q url.Values) metricsBody {
		t.Helper()
		status, _, raw := e.do(http.MethodGet, "/api/v1/metrics?"+q.Encode(), lofte.RoleCouncil, "")
		var b metricsBody
		if err := json.Unmarshal(raw, &b); err != nil || status != 200 {
			t.Fatalf("%s: %d %s", q.Encode(), status, raw)
		}
		return b
	}
	// group returns the group key of b; a month without a stop of the basort has no group,
	// which stands for the empty cell.
	group := func(b metricsBody, key string) rawGroup {
		for _, g := range b.Groups {
			if g.Key == key {
				return g
			}
		}
		return rawGroup{Key: key}
	}
	// survey keeps the figures made from answers, which the widening makes the month's.
	survey := func(g rawGroup) map[string]string {
		out := map[string]string{}
		for k, v := range g.Metrics {
			if k == "responses" || k == "suspect" || strings.Contains(string(v), `"suppressed"`) {
				out[k] = string(v)
			}
		}
		return out
	}
	same := func(t *testing.T, what string, want, got map[string]string) bool {
		t.Helper()
		if len(got) == 0 && want["responses"] == `{"value":0}` {
			return true // no group: the empty cell
		}
		if len(want) < 10 {
			t.Fatalf("%s: only %d figures", what, len(want))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-first +other)\n%s", what, diff)
			return false
		}
		return true
	}
	// Regular months of the demo year (June–August are summer events).
	months := []time.Month{1, 2, 3, 4, 5, 9, 10, 11, 12}
	prop := func(bi, mi, a, z uint8) bool {
		b, m := basorter[int(bi)%len(basorter)], months[int(mi)%len(months)]
		if bi == 0 {
			b = "Tollarp"
		}
		first := lofte.Date{Year: 2018, Month: m, Day: 1}
		last := lofte.Date{Year: 2018, Month: m + 1, Day: 1}.AddDays(-1)
		from, to := first.AddDays(int(a)%28), first.AddDays(int(z)%28)
		if to.Before(from) {
			from, to = to, from
		}
		whole := url.Values{"from": {first.String()}, "to": {last.String()}}
		inside := url.Values{"from": {from.String()}, "to": {to.String()}}
		with := func(v url.Values, kv ...string) url.Values {
			out := url.Values{}
			for k, x := range v {
				out[k] = x
			}
			for i := 0; i+1 < len(kv); i += 2 {
				out.Add(kv[i], kv[i+1])
			}
			return out
		}
		key := first.String()[:7]
		what := fmt.Sprintf("%s %s (days %s–%s)", b, key, from, to)
		ok := true
		// One basort, one month.
		byBasort := group(get(with(whole, "group", "basort")), b)
		full := func(g rawGroup) map[string]string {
			out := map[string]string{}
			for k, v := range g.Metrics {
				out[k] = string(v)
			}
			return out
		}
		ok = same(t, what+": basort total vs group=basort", full(byBasort), full(get(with(whole, "basort", b)).Total)) && ok
		ok = same(t, what+": basort total vs group=month", full(byBasort), full(group(get(with(whole, "basort", b, "group", "month")), key))) && ok
		ok = same(t, what+": widened, group=basort", survey(byBasort), survey(group(get(with(inside, "group", "basort")), b))) && ok
		ok = same(t, what+": widened, basort total", survey(byBasort), survey(get(with(inside, "basort", b)).Total)) && ok
		ok = same(t, what+": widened, group=month", survey(byBasort), survey(group(get(with(inside, "basort", b, "group", "month")), key))) && ok
		// The whole area, one month.
		area := get(whole).Total
		ok = same(t, what+": area total vs group=month", full(area), full(group(get(with(whole, "group", "month")), key))) && ok
		ok = same(t, what+": widened, area total", survey(area), survey(get(inside).Total)) && ok
		return ok
	}
	cfg := &quick.Config{MaxCount: 25, Rand: rand.New(rand.NewSource(10))}
	if err := quick.Check(prop, cfg); err != nil {
		t.Error(err)
	}
}
