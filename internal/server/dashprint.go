package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/chart"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// routeDashboardPrint is the printable summary of the dashboard, for politicians.
const routeDashboardPrint = "/dashboard/print"

// printPage is the dashboard cut down to one or two A4 pages: the key figures, the four
// outcomes with their statuses and reasons, and two charts.
type printPage struct {
	Base
	// Scope says what the figures cover ("Tollarp, 2018-03 – 2018-05"); Printed when.
	Scope      string
	Printed    time.Time
	Caveat     string
	MinN       int
	KeyFigures []keyFigure
	Outcomes   *metrics.OutcomesResult
	Charts     []chart.Chart
	// Back is the dashboard with the same filter.
	Back string
}

// handleDashboardPrint shows the printable summary of the filter the dashboard takes
// (months, one basort or the whole area, promise=ID), checked the same way: a mistake is
// shown on the dashboard's form.
func (s *Server) handleDashboardPrint(c *gin.Context) error {
	if q, changed := canonicalFilters(c.Request.URL.Query()); changed {
		c.Redirect(http.StatusSeeOther, routeDashboardPrint+"?"+q.Encode())
		return nil
	}
	in, sc, err := s.metricsInput(c)
	if err != nil {
		return s.dashboardMistake(c, err)
	}
	p := in.Promise
	sc = sc.WithPeriodDefault(p.Period)
	sc.Kind = metrics.KindRegular
	var basorter []*lofte.Locality
	for _, l := range in.Localities {
		if l.Basort {
			basorter = append(basorter, l)
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
	where := "hela området"
	if sc.Basort != "" {
		where = sc.Basort
	}
	b := s.base(c, "Sammanfattning för politiker")
	b.Bare = true // printed: no site header or menu
	page := &printPage{Base: b, Scope: where + ", " + month(*sc.From) + " – " + month(*sc.To), Printed: s.now(),
		Caveat: metrics.Caveat, MinN: metrics.MinN(p), KeyFigures: keyFigures(byBasort.Total.Metrics),
		Outcomes: metrics.Judge(in, byBasort), Back: "/dashboard?" + c.Request.URL.RawQuery}
	for _, make := range []func() (chart.Chart, error){
		func() (chart.Chart, error) { return chart.Basorter(onlyBasorter(byBasort, basorter)) },
		func() (chart.Chart, error) { return chart.Trend(p, byMonth) },
	} {
		ch, err := make()
		if err != nil {
			return err
		}
		ch.Renderer = "svg" // sharp on paper
		page.Charts = append(page.Charts, ch)
	}
	s.render(c, http.StatusOK, "dashprint", page)
	return nil
}
