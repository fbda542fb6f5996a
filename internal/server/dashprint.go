package server

import (
	"net/http"
	"strings"
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
	in, sc, done, err := s.dashboardScope(c, routeDashboardPrint)
	if done || err != nil {
		return err
	}
	p := in.Promise
	basorter := basorterOf(in.Localities)
	byBasort, byMonth, err := groupings(in, sc)
	if err != nil {
		return err
	}
	where := strings.ToLower(chart.WholeArea) // after "Sammanfattning för politiker:"
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

// basorterOf are the localities that are basorter.
func basorterOf(ls []*lofte.Locality) []*lofte.Locality {
	var out []*lofte.Locality
	for _, l := range ls {
		if l.Basort {
			out = append(out, l)
		}
	}
	return out
}

// groupings are the scope's figures by basort and by month, as the dashboard and its
// printable summary show them.
func groupings(in metrics.Input, sc metrics.Scope) (byBasort, byMonth *metrics.Result, err error) {
	group := func(g string) (*metrics.Result, error) {
		x := sc
		x.Group = g
		return metrics.Compute(in, x)
	}
	if byBasort, err = group(metrics.GroupBasort); err != nil {
		return nil, nil, err
	}
	byMonth, err = group(metrics.GroupMonth)
	return byBasort, byMonth, err
}

// dashboardScope reads the filter of the dashboard and of its printable summary. The form's
// months are redirected to their canonical address at path, and a mistake is shown on the
// dashboard's form: either is done. Otherwise it is the scope of regular stops (summer
// events are reported on their own), the promise's period unless chosen.
func (s *Server) dashboardScope(c *gin.Context, path string) (in metrics.Input, sc metrics.Scope, done bool, err error) {
	if q, changed := canonicalFilters(c.Request.URL.Query()); changed {
		c.Redirect(http.StatusSeeOther, path+"?"+q.Encode())
		return in, sc, true, nil
	}
	if in, sc, err = s.metricsInput(c); err != nil {
		return in, sc, true, s.dashboardMistake(c, err)
	}
	sc = sc.WithPeriodDefault(in.Promise.Period)
	sc.Kind = metrics.KindRegular
	return in, sc, false, nil
}
