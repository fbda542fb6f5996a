package server

import (
	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/chart"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// compareParam names the earlier promise whose same months the figures are set beside, on
// the dashboard, the report and the metrics API.
const compareParam = "compare"

// comparison reads compare=ID and sets the scope sc of the input now beside the same months
// of that earlier promise (metrics.LoadCompare); nil when compare is absent or empty. A
// promise that does not start before now's is a 400 naming compare.
func (s *Server) comparison(c *gin.Context, now metrics.Input, sc metrics.Scope) (*metrics.Comparison, error) {
	then, err := s.comparePromise(c)
	if err != nil || then == nil {
		return nil, err
	}
	return metrics.LoadCompare(c.Request.Context(), s.store, now, then, sc)
}

// comparePromise is the promise compare=ID names; nil when compare is absent or empty. A
// malformed id is a 400 naming compare, an unknown one a 404.
func (s *Server) comparePromise(c *gin.Context) (*lofte.Promise, error) {
	return s.promiseNamed(c, compareParam, c.Query(compareParam))
}

// earlierPromises are the promises of all that start before p, newest first: those its
// figures can be compared with.
func earlierPromises(all []*lofte.Promise, p *lofte.Promise) []*lofte.Promise {
	var out []*lofte.Promise
	for _, q := range all {
		if q.ID != p.ID && q.Period.From.Before(p.Period.From) {
			out = append(out, q)
		}
	}
	return out
}

// compareView is a comparison as the dashboard shows it: how the earlier period was chosen,
// or why there is none, the headline figures of the scope then, now and their change, and
// the same per basort.
type compareView struct {
	Title, Note, Outside string
	// Then and Now name the two periods in the tables' heads.
	Then, Now string
	Rows      []compareRow
	Places    []comparePlace
}

// compareRow is one figure then, now and its change; Withheld marks a change not given, whose
// reason stands in Change.
type compareRow struct {
	ID, Label, Then, Now, Change string
	Withheld                     bool
}

// comparePlace is one basort's rows, or the reason it has none to compare.
type comparePlace struct {
	Name, Missing string
	Rows          []compareRow
}

// newCompareView lays a comparison out for the dashboard; now names the chosen period.
func newCompareView(cmp *metrics.Comparison, now string) *compareView {
	v := &compareView{Title: cmp.Earlier.Title, Note: cmp.Note, Outside: cmp.Outside, Now: now,
		Then: earlierLabel(cmp), Rows: compareRows(cmp.Total)}
	for _, pl := range cmp.Groups {
		if len(cmp.Groups) < 2 {
			break // one basort: its rows are the headline rows
		}
		v.Places = append(v.Places, comparePlace{Name: pl.Key, Missing: pl.Missing, Rows: compareRows(pl)})
	}
	return v
}

// earlierLabel names the earlier period by its months, "2018-03 – 2018-05", or says there is none.
func earlierLabel(cmp *metrics.Comparison) string {
	if cmp.Scope == nil {
		return "ingen period"
	}
	return cmp.Scope.From[:len("2006-01")] + " – " + cmp.Scope.To[:len("2006-01")]
}

func compareRows(pl metrics.Place) []compareRow {
	var out []compareRow
	for _, c := range pl.Changes {
		out = append(out, compareRow{ID: c.Metric, Label: metrics.Label(c.Metric), Then: chart.ValueCell(c.Metric, c.Then),
			Now: chart.ValueCell(c.Metric, c.Now), Change: chart.ChangeCell(c), Withheld: c.Change == nil})
	}
	return out
}

// earlierCharts computes the earlier period's figures by basort (only its basorter) and by
// month for the charts that can show them beside the chosen period's (all but the gaps and
// the map, which say where the office went rather than a level to set beside another); both
// nil when the period lies outside the earlier promise, whose words then say why.
func earlierCharts(cmp *metrics.Comparison, v *compareView) (byBasort, byMonth *chart.Earlier, err error) {
	if cmp.Outside != "" {
		return nil, nil, nil
	}
	group := func(g string) (*chart.Earlier, error) {
		x := cmp.Period.Scope
		x.Group = g
		res, err := metrics.Compute(cmp.Then, x)
		if err != nil {
			return nil, err
		}
		return &chart.Earlier{Label: v.Then, Now: v.Now, Years: cmp.Years, Result: res}, nil
	}
	if byBasort, err = group(metrics.GroupBasort); err != nil {
		return nil, nil, err
	}
	var basorter []*lofte.Locality
	for _, l := range cmp.Then.Localities {
		if l.Basort {
			basorter = append(basorter, l)
		}
	}
	byBasort.Result = onlyBasorter(byBasort.Result, basorter)
	if byMonth, err = group(metrics.GroupMonth); err != nil {
		return nil, nil, err
	}
	return byBasort, byMonth, nil
}
