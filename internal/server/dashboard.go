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
	s.route(http.MethodGet, routeDashboardPrint, s.handleDashboardPrint)
}

type dashboardPage struct {
	Base
	// From and To are the chosen months (YYYY-MM); FirstMonth and LastMonth the promise's.
	From, To              string
	FirstMonth, LastMonth string
	// Basorter are the places to choose from; Basort the chosen one, "" for the whole area.
	Basorter []*lofte.Locality
	Basort   string
	// MinN is the fewest answers a figure needs to be shown.
	MinN       int
	Caveat     string
	KeyFigures []keyFigure
	Outcomes   *metrics.OutcomesResult
	// Events are the summer events' figures, reported on their own.
	Events     eventsSection
	Charts     []chart.Chart
	ReportLink string
	// Earlier are the promises the figures can be compared with, newest first; Compare the
	// chosen one's id (0 for none) and Comparison the figures side by side.
	Earlier []*lofte.Promise
	Compare int64
	// Named is the promise the address names (promise=ID), kept by the filter form and the
	// report link; "" for the active one.
	Named      string
	Comparison *compareView
	// Promises are all promises, newest first: a reader opens another's dashboard from here.
	Promises []*lofte.Promise
	// Mistake is what is wrong with the filter as sent, shown beside the form; the page then
	// has no figures.
	Mistake *filterMistake
	// PrintLink is the printable summary of the same filter.
	PrintLink string
}

// MistakeField is the parameter the filter's mistake concerns, "" without one.
func (p *dashboardPage) MistakeField() string {
	if p.Mistake == nil {
		return ""
	}
	return p.Mistake.Field
}

// dashboardFrame is what the dashboard shows around its figures, with or without them: the
// promise's months, its basorter and the earlier promises to compare with.
func (s *Server) dashboardFrame(c *gin.Context, b Base, p *lofte.Promise, ls []*lofte.Locality) (*dashboardPage, error) {
	page := &dashboardPage{Base: b, FirstMonth: month(p.Period.From), LastMonth: month(p.Period.To), Basorter: basorterOf(ls)}
	if c.Query(promiseParam) != "" {
		page.Named = fmt.Sprint(p.ID)
	}
	all, err := s.requestPromises(c)
	if err != nil {
		return nil, err
	}
	page.Earlier = earlierPromises(all, p)
	return page, nil
}

// handleDashboard shows the four outcomes and the charts for the chosen months and place
// (one basort or the whole area), computed by the same code as the API and the report.
//
// The filter form's month inputs send from and to as YYYY-MM, and "Hela området" an empty
// basort; such a request is redirected to its canonical address (from the first day of the
// from-month to the last day of the to-month, YYYY-MM-DD, no basort), the same parameters
// the API and the report take, so only one parser checks them.
func (s *Server) handleDashboard(c *gin.Context) error {
	in, sc, done, err := s.dashboardScope(c, "/dashboard")
	if done || err != nil {
		return err
	}
	p := in.Promise
	page, err := s.dashboardFrame(c, s.base(c, "Uppföljning av medborgarlöftet"), p, in.Localities)
	if err != nil {
		return err
	}
	page.From, page.To, page.Basort, page.MinN, page.Caveat = month(*sc.From), month(*sc.To), sc.Basort, metrics.MinN(p), metrics.Caveat
	byBasort, byMonth, err := groupings(in, sc)
	if err != nil {
		return err
	}
	page.KeyFigures = keyFigures(byBasort.Total.Metrics)
	page.Outcomes = metrics.Judge(in, byBasort)
	if page.Promises, err = s.requestPromises(c); err != nil {
		return err
	}
	cmp, err := s.comparison(c, in, sc)
	if err != nil {
		return s.dashboardMistake(c, err)
	}
	var eBasort, eMonth *chart.Earlier // the earlier period's figures, nil without
	if cmp != nil {
		page.Compare = cmp.Earlier.ID
		page.Comparison = newCompareView(cmp, month(*sc.From)+" – "+month(*sc.To))
		if eBasort, eMonth, err = earlierCharts(cmp, page.Comparison); err != nil {
			return err
		}
	}
	page.PrintLink, page.ReportLink = dashboardLinks(sc, page.Named, page.Compare, canDownloadReport(lofte.IdentityFrom(c.Request.Context())))
	// The download button sends the form as it stands; checked above, it gets the report.
	if page.ReportLink != "" && c.Query(downloadParam) != "" {
		c.Redirect(http.StatusSeeOther, page.ReportLink)
		return nil
	}
	// Delivery groups include places that are not basorter; the charts per basort do not.
	if page.Charts, err = s.dashboardCharts(in, onlyBasorter(byBasort, page.Basorter), byBasort, byMonth, eBasort, eMonth); err != nil {
		return err
	}
	if page.Events, err = eventsOf(in, sc); err != nil {
		return err
	}
	s.render(c, http.StatusOK, "dashboard", page)
	return nil
}

// dashboardLinks are the addresses of the printable summary and of the workbook for the
// dashboard's filter (sc's months and basort, the promise the address names, the earlier
// promise compared with); the workbook's is "" for whom may not download it.
func dashboardLinks(sc metrics.Scope, named string, compare int64, mayDownload bool) (printLink, reportLink string) {
	q := url.Values{"from": {sc.From.String()}, "to": {sc.To.String()}}
	if sc.Basort != "" {
		q.Set("basort", sc.Basort)
	}
	if named != "" {
		q.Set(promiseParam, named)
	}
	printLink = routeDashboardPrint + "?" + q.Encode()
	if !mayDownload {
		return printLink, ""
	}
	if compare != 0 {
		q.Set(compareParam, fmt.Sprint(compare))
	}
	return printLink, "/reports/bra.xlsx?" + q.Encode()
}

// dashboardCharts are the dashboard's charts, in the page's order, each beside the earlier
// period's figures when a comparison is asked for (eBasort and eMonth, nil without).
func (s *Server) dashboardCharts(in metrics.Input, perBasort, byBasort, byMonth *metrics.Result, eBasort, eMonth *chart.Earlier) ([]chart.Chart, error) {
	text := func(item string) func(string) string {
		return func(code string) string { return s.catalogue.OptionText("sv", item, code) }
	}
	var out []chart.Chart
	for _, make := range []func() (chart.Chart, error){
		func() (chart.Chart, error) { return chart.BasorterCompared(perBasort, eBasort) },
		func() (chart.Chart, error) { return chart.TrendCompared(in.Promise, byMonth, eMonth) },
		func() (chart.Chart, error) { return chart.DeliveryCompared(byMonth, eMonth) },
		func() (chart.Chart, error) { return chart.Gaps(perBasort) },
		func() (chart.Chart, error) { return chart.Map(in.Localities, perBasort) },
		func() (chart.Chart, error) {
			return chart.DistributionCompared("chart-reason", "Varför folk kom", byBasort, "reason", text("reason"), eBasort)
		},
		func() (chart.Chart, error) {
			return chart.DistributionCompared("chart-problems", "Vad polisen ska prioritera", byBasort, "problems", text("problems"), eBasort)
		},
	} {
		ch, err := make()
		if err != nil {
			return nil, err
		}
		out = append(out, ch)
	}
	return out, nil
}

// eventsOf are the summer events' figures in the scope's months and place, reported on
// their own.
func eventsOf(in metrics.Input, sc metrics.Scope) (eventsSection, error) {
	sc.Group, sc.Kind = metrics.GroupNone, metrics.KindEvent
	events, err := metrics.Compute(in, sc)
	if err != nil {
		return eventsSection{}, err
	}
	m := events.Total.Metrics
	return eventsSection{Held: chart.CountCell(m.Count("events"), chart.Number),
		Responses: chart.CountCell(m.Count("responses"), chart.Number), Table: chart.Indicators(m)}, nil
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
	// "Ingen jämförelse" sends an empty compare.
	if v, ok := q[compareParam]; ok && len(v) == 1 && v[0] == "" {
		q.Del(compareParam)
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

// keyFigure is one of the figures at the top of the dashboard: its value, or "–" and the
// reason when it cannot be computed.
type keyFigure struct{ ID, Value, Label, Reason string }

// keyFigures are the scope's counts (responses perturbed, suspect ones the true count) and
// its delivery rate.
func keyFigures(m metrics.Metrics) []keyFigure {
	var out []keyFigure
	for _, k := range []struct {
		code, label string
		format      func(float64) string
	}{
		{"responses", "svar", chart.Number},
		{"suspect", "svar satta åt sidan", chart.Number},
		{"stops_held", "genomförda besök", chart.Number},
		{"visitors", "besökare", chart.Number},
		{"delivery_rate", "leveransgrad", chart.Percent},
	} {
		c := m.Count(k.code)
		kf := keyFigure{ID: k.code, Value: "–", Label: k.label, Reason: c.Reason}
		if c.Value != nil {
			kf.Value = k.format(*c.Value)
		}
		out = append(out, kf)
	}
	return out
}

// onlyBasorter returns res with the groups of the basorter only.
func onlyBasorter(res *metrics.Result, basorter []*lofte.Locality) *metrics.Result {
	out := *res
	out.Groups = nil
	for _, g := range res.Groups {
		if lofte.LocalityNamed(basorter, g.Key) != nil {
			out.Groups = append(out.Groups, g)
		}
	}
	return &out
}

// eventsSection is what the dashboard says of the summer events in the scope: how many were
// held, how many answers they got and the key indicators of those answers.
type eventsSection struct {
	Held, Responses string
	Table           chart.Table
}
