package server

import (
	"net/http"
	"net/url"

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
	From, To   string
	Basorter   []*lofte.Locality
	Chosen     map[string]bool
	Outcomes   *metrics.OutcomesResult
	Total      metrics.Metrics
	Charts     []chart.Chart
	ReportLink string
}

// handleDashboard shows the four outcomes and the charts for the chosen period and basorter,
// computed by the same code as the API and the report.
func (s *Server) handleDashboard(c *gin.Context) error {
	in, sc, err := s.metricsInput(c)
	if err != nil {
		return err
	}
	p := in.Promise
	sc = sc.WithPeriodDefault(p.Period)
	page := &dashboardPage{Base: s.base(c, "Uppföljning av medborgarlöftet"), From: sc.From.String(), To: sc.To.String(),
		Chosen: map[string]bool{}}
	if sc.Basort != "" {
		page.Chosen[sc.Basort] = true
	}
	if page.Basorter, err = s.store.FindLocalities(c.Request.Context(), p.ID); err != nil {
		return err
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
		func() (chart.Chart, error) { return chart.Map(page.Basorter, byBasort) },
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
		q := url.Values{"from": {page.From}, "to": {page.To}}
		if sc.Basort != "" {
			q.Set("basort", sc.Basort)
		}
		page.ReportLink = "/reports/bra.xlsx?" + q.Encode()
	}
	s.render(c, http.StatusOK, "dashboard", page)
	return nil
}
