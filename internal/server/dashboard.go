package server

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/chart"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

func (s *Server) registerDashboardRoutes() {
	s.route(http.MethodGet, "/dashboard", s.handleDashboard)
}

type dashboardPage struct {
	Base
	// From and To are the chosen months (YYYY-MM); FirstMonth and LastMonth the promise's.
	From, To              string
	FirstMonth, LastMonth string
	// Basorter are the places to choose from; Basort the chosen one, "" for the whole area.
	Basorter   []*lofte.Locality
	Basort     string
	Outcomes   *metrics.OutcomesResult
	Total      metrics.Metrics
	Charts     []chart.Chart
	ReportLink string
}

// handleDashboard shows the four outcomes and the charts for the chosen months and place
// (one basort or the whole area), computed by the same code as the API and the report.
//
// The filter form's month inputs send from and to as YYYY-MM, and "Hela området" an empty
// basort; such a request is redirected to its canonical address (from the first day of the
// from-month to the last day of the to-month, YYYY-MM-DD, no basort), the same parameters
// the API and the report take, so only one parser checks them.
func (s *Server) handleDashboard(c *gin.Context) error {
	if q, changed := canonicalFilters(c.Request.URL.Query()); changed {
		c.Redirect(http.StatusSeeOther, "/dashboard?"+q.Encode())
		return nil
	}
	in, sc, err := s.metricsInput(c)
	if err != nil {
		return err
	}
	p := in.Promise
	sc = sc.WithPeriodDefault(p.Period)
	page := &dashboardPage{Base: s.base(c, "Uppföljning av medborgarlöftet"), From: month(*sc.From), To: month(*sc.To),
		FirstMonth: month(p.Period.From), LastMonth: month(p.Period.To), Basort: sc.Basort}
	for _, l := range in.Localities {
		if l.Basort {
			page.Basorter = append(page.Basorter, l)
		}
	}
	group := func(g string) (*metrics.Result, error) {
		x := sc
		x.Group = g
		return metrics.Compute(in, x)
	}
	byBasort, err := group(metrics.GroupBasort)
	if err != nil {
		return err
	}
	byMonth, err := group(metrics.GroupMonth)
	if err != nil {
		return err
	}
	page.Total = byBasort.Total.Metrics
	page.Outcomes = metrics.Judge(in, byBasort)
	text := func(item string) func(string) string {
		return func(code string) string { return s.catalogue.OptionText("sv", item, code) }
	}
	for _, make := range []func() (chart.Chart, error){
		func() (chart.Chart, error) { return chart.Basorter(byBasort) },
		func() (chart.Chart, error) { return chart.Trend(p, byMonth) },
		func() (chart.Chart, error) { return chart.Delivery(byMonth) },
		func() (chart.Chart, error) { return chart.Gaps(byBasort) },
		func() (chart.Chart, error) { return chart.Map(in.Localities, byBasort) },
		func() (chart.Chart, error) {
			return chart.Distribution("chart-reason", "Varför folk kom", byBasort, "reason", text("reason"))
		},
		func() (chart.Chart, error) {
			return chart.Distribution("chart-problems", "Vad polisen ska prioritera", byBasort, "problems", text("problems"))
		},
	} {
		ch, err := make()
		if err != nil {
			return err
		}
		page.Charts = append(page.Charts, ch)
	}
	if canDownloadReport(lofte.IdentityFrom(c.Request.Context())) {
		q := url.Values{"from": {sc.From.String()}, "to": {sc.To.String()}}
		if sc.Basort != "" {
			q.Set("basort", sc.Basort)
		}
		page.ReportLink = "/reports/bra.xlsx?" + q.Encode()
	}
	s.render(c, http.StatusOK, "dashboard", page)
	return nil
}

// month writes a date's month as a month input takes it: YYYY-MM.
func month(d lofte.Date) string { return fmt.Sprintf("%04d-%02d", d.Year, d.Month) }

// canonicalFilters rewrites the month inputs' values (YYYY-MM) as days, from as the month's
// first day and to as its last, and drops an empty basort (the whole area). Values that are
// neither a month nor anything else it knows are left for the shared parser to refuse.
func canonicalFilters(q url.Values) (url.Values, bool) {
	changed := false
	for name, last := range map[string]bool{"from": false, "to": true} {
		v := q.Get(name)
		m, err := time.Parse("2006-01", v)
		if err != nil || len(v) != len("2006-01") {
			continue
		}
		if last {
			m = m.AddDate(0, 1, -1)
		}
		q.Set(name, lofte.DateOf(m).String())
		changed = true
	}
	if bs, ok := q["basort"]; ok {
		var kept []string
		for _, b := range bs {
			if b != "" {
				kept = append(kept, b)
			}
		}
		if len(kept) != len(bs) {
			q["basort"], changed = kept, true
			if len(kept) == 0 {
				q.Del("basort")
			}
		}
	}
	return q, changed
}
