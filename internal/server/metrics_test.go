package server_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

func TestMetricsAPIOnTheDemoYear(t *testing.T) {
	e := newEnv(t)
	sum := sqlitetest.MustFillDemo(t, e.db, e.p)
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
	var total struct{ Value float64 }
	json.Unmarshal(res.Total.Metrics["responses"], &total)
	if int(total.Value) != sum.Responses-sum.Suspect {
		t.Errorf("total responses %v, want %d (suspect ones left out)", total.Value, sum.Responses-sum.Suspect)
	}
	sumGroups := 0.0
	for _, g := range res.Groups {
		var c struct{ Value float64 }
		json.Unmarshal(g.Metrics["responses"], &c)
		sumGroups += c.Value
	}
	if int(sumGroups) != sum.Responses-sum.Suspect || res.Scope.Group != "basort" || res.Scope.MinN != 5 || res.Total.Key != "all" {
		t.Errorf("groups sum to %v; scope %+v", sumGroups, res.Scope)
	}
	var trust struct {
		Value      *float64
		N          int
		CI         *[2]float64
		Suppressed bool
	}
	json.Unmarshal(res.Total.Metrics["trust_high"], &trust)
	if trust.Value == nil || trust.N < 500 || trust.CI == nil {
		t.Errorf("total trust_high %+v", trust)
	}
	// A small village with almost no answers is suppressed, with its n kept.
	for _, g := range res.Groups {
		if g.Key == "Yngsjö" {
			var f struct {
				Value      *float64
				N          int
				Suppressed bool
			}
			json.Unmarshal(g.Metrics["trust_high"], &f)
			if f.N > 0 && f.N < 5 && (!f.Suppressed || f.Value != nil) {
				t.Errorf("Yngsjö trust_high %+v, want suppressed", f)
			}
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
