package server

import (
	"bytes"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/baseline"
	"medborgarlofte/internal/chart"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// maxBaselineFile is the largest baseline file accepted; a real one is a few kilobytes.
const maxBaselineFile = 1 << 20

func (s *Server) registerBaselineRoutes() {
	s.route(http.MethodGet, "/api/v1/baselines", s.handleBaselineList)
	s.route(http.MethodPost, "/api/v1/baselines", s.handleBaselineCreate)
	s.route(http.MethodDelete, "/api/v1/baselines/:id", s.handleBaselineDelete)
	s.route(http.MethodGet, "/baselines", s.handleBaselinePage)
	s.route(http.MethodPost, "/baselines", s.handleBaselineForm)
	s.route(http.MethodPost, "/baselines/import", s.handleBaselineImport)
	s.route(http.MethodPost, "/baselines/:id/delete", s.handleBaselineDeleteForm)
	s.route(http.MethodGet, "/baselines.csv", s.handleBaselineCSV)
}

// baselineConfig is what a baseline is checked against: the promise's localities.
func (s *Server) baselineConfig(c *gin.Context, p *lofte.Promise, source string) (baseline.Config, error) {
	ls, err := s.store.FindLocalities(c.Request.Context(), p.ID)
	if err != nil {
		return baseline.Config{}, err
	}
	cfg := baseline.Config{DefaultSource: source}
	for _, l := range ls {
		cfg.Basorter = append(cfg.Basorter, l.Name)
	}
	return cfg, nil
}

// activeBaselines returns the active promise and its baselines.
func (s *Server) activeBaselines(c *gin.Context) (*lofte.Promise, []*lofte.Baseline, error) {
	p, err := s.promise(c)
	if err != nil {
		return nil, nil, err
	}
	bs, err := s.store.FindBaselines(c.Request.Context(), p.ID)
	return p, bs, err
}

func (s *Server) handleBaselineList(c *gin.Context) error {
	_, bs, err := s.activeBaselines(c)
	if err != nil {
		return err
	}
	if bs == nil {
		bs = []*lofte.Baseline{}
	}
	c.JSON(http.StatusOK, gin.H{"baselines": bs})
	return nil
}

// handleBaselineCreate stores baselines sent as JSON ({"baselines": [...]}) or as a CSV file
// (Content-Type text/csv); each replaces any earlier value for its basort and metric. The
// whole request is checked before anything is stored.
func (s *Server) handleBaselineCreate(c *gin.Context) error {
	p, err := s.promise(c)
	if err != nil {
		return err
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	var bs []*lofte.Baseline
	mt, _, _ := mime.ParseMediaType(c.ContentType())
	switch mt {
	case "text/csv":
		cfg, err := s.baselineConfig(c, p, c.Query("source"))
		if err != nil {
			return err
		}
		if bs, err = baseline.Parse(bytes.NewReader(body), cfg); err != nil {
			return err
		}
	case "application/json", "":
		var in struct {
			Baselines []*lofte.Baseline `json:"baselines"`
		}
		if err := decodeStrict(body, &in); err != nil {
			return err
		}
		if len(in.Baselines) == 0 {
			return lofte.Invalid("baselines", "inga baslinjer i begäran")
		}
		for i, b := range in.Baselines {
			if err := baseline.Check(b); err != nil {
				return prefixField(err, "baselines["+strconv.Itoa(i)+"]")
			}
		}
		bs = in.Baselines
	default:
		return &lofte.Error{Code: lofte.EINVALID, Message: "skicka JSON eller text/csv", Field: "Content-Type"}
	}
	if err := s.store.CreateBaselines(c.Request.Context(), p.ID, bs); err != nil {
		var ie *lofte.ItemError
		if mt != "text/csv" && errors.As(err, &ie) {
			return prefixField(ie.Err, "baselines["+strconv.Itoa(ie.Index)+"]")
		}
		return err
	}
	s.auditBaselines(c, p, bs, mt == "text/csv")
	c.JSON(http.StatusCreated, gin.H{"baselines": bs})
	return nil
}

// auditBaselines records baselines stored from one request: one entry for one baseline, one
// for the promise when a file or a list brought several.
func (s *Server) auditBaselines(c *gin.Context, p *lofte.Promise, bs []*lofte.Baseline, file bool) {
	action := "baseline.create"
	if file {
		action = "baseline.import"
	}
	if len(bs) == 1 {
		s.audit(c, action, auditID("baseline", bs[0].ID), "Sparad: "+baselineName(bs[0])+" = "+chart.Percent(bs[0].Value))
		return
	}
	s.audit(c, action, auditID("promise", p.ID), strconv.Itoa(len(bs))+" baslinjer sparade i "+p.Title)
}

// baselineName says which baseline b is: its metric and where.
func baselineName(b *lofte.Baseline) string {
	where := strings.ToLower(chart.WholeArea)
	if b.Basort != "" {
		where = b.Basort
	}
	return metrics.Label(b.Metric) + ", " + where
}

// deleteBaseline removes the active promise's baseline named by the path.
func (s *Server) deleteBaseline(c *gin.Context) error {
	p, bs, err := s.activeBaselines(c)
	if err != nil {
		return err
	}
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := s.store.DeleteBaseline(c.Request.Context(), p.ID, id); err != nil {
		return err
	}
	detail := "Borttagen"
	if i := slices.IndexFunc(bs, func(b *lofte.Baseline) bool { return b.ID == id }); i >= 0 {
		detail += ": " + baselineName(bs[i])
	}
	s.audit(c, "baseline.delete", auditID("baseline", id), detail)
	return nil
}

func (s *Server) handleBaselineDelete(c *gin.Context) error {
	if err := s.deleteBaseline(c); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// handleBaselineCSV serves the baselines as a file to edit in Excel and upload again.
func (s *Server) handleBaselineCSV(c *gin.Context) error {
	p, bs, err := s.activeBaselines(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := baseline.Write(&buf, bs); err != nil {
		return err
	}
	c.Header("Content-Disposition", `attachment; filename="baslinjer-`+p.Slug+`.csv"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	return nil
}

type baselineRow struct {
	*lofte.Baseline
	Label string
}

// metricOption is a metric in a select list: its code and Swedish name.
type metricOption struct{ Code, Label string }

type baselinePage struct {
	Base
	Rows     []baselineRow
	Basorter []*lofte.Locality
	Metrics  []metricOption
	Form     struct{ Basort, Metric, Value, Source string }
	Error    string
	Notice   string
}

func (s *Server) baselinePage(c *gin.Context) (*baselinePage, error) {
	b := s.base(c, "Baslinjer")
	if _, err := b.promised(); err != nil {
		return nil, err
	}
	page := &baselinePage{Base: b}
	var err error
	if page.Basorter, err = s.store.FindLocalities(c.Request.Context(), b.Promise.ID); err != nil {
		return nil, err
	}
	bs, err := s.store.FindBaselines(c.Request.Context(), b.Promise.ID)
	if err != nil {
		return nil, err
	}
	for _, x := range bs {
		page.Rows = append(page.Rows, baselineRow{Baseline: x, Label: metrics.Label(x.Metric)})
	}
	for _, code := range metrics.BaselineMetrics() {
		page.Metrics = append(page.Metrics, metricOption{Code: code, Label: metrics.Label(code)})
	}
	return page, nil
}

func (s *Server) handleBaselinePage(c *gin.Context) error {
	page, err := s.baselinePage(c)
	if err != nil {
		return err
	}
	page.Notice = c.Query("klart")
	s.render(c, http.StatusOK, "baselines", page)
	return nil
}

// baselineFormResult stores bs, or shows the page again with the mistake and the form as
// typed; file says they came from an uploaded file.
// note, when not empty, is added to the message either way (which encoding a file was read in).
func (s *Server) baselineFormResult(c *gin.Context, page *baselinePage, bs []*lofte.Baseline, err error, note string, file bool) error {
	if err == nil {
		if err = s.store.CreateBaselines(c.Request.Context(), page.Promise.ID, bs); err == nil {
			s.auditBaselines(c, page.Promise, bs, file)
		}
	}
	if e := lofte.AsError(err); e != nil && e.Code == lofte.EINVALID {
		page.Error = e.Message + note
		s.render(c, http.StatusBadRequest, "baselines", page)
		return nil
	}
	if err != nil {
		return err
	}
	msg := strconv.Itoa(len(bs)) + " baslinjer sparade"
	if len(bs) == 1 {
		msg = "Baslinjen sparad"
	}
	c.Redirect(http.StatusSeeOther, "/baselines?klart="+url.QueryEscape(msg+note))
	return nil
}

func (s *Server) handleBaselineForm(c *gin.Context) error {
	page, err := s.baselinePage(c)
	if err != nil {
		return err
	}
	f := &page.Form
	f.Basort, f.Metric, f.Value, f.Source = c.PostForm("basort"), c.PostForm("metric"), c.PostForm("value"), c.PostForm("source")
	b := &lofte.Baseline{Basort: f.Basort, Metric: f.Metric, Source: f.Source}
	v, perr := baseline.ParseValue(f.Value)
	if perr != nil {
		return s.baselineFormResult(c, page, nil, lofte.Invalid("value", "%s", perr.Error()), "", false)
	}
	b.Value = v
	return s.baselineFormResult(c, page, []*lofte.Baseline{b}, baseline.Check(b), "", false)
}

func (s *Server) handleBaselineImport(c *gin.Context) error {
	page, err := s.baselinePage(c)
	if err != nil {
		return err
	}
	data, err := readUpload(c, "file", maxBaselineFile)
	switch {
	case errors.Is(err, errNoUpload):
		return s.baselineFormResult(c, page, nil, lofte.Invalid("file", "välj en CSV-fil att läsa in"), "", true)
	case errors.Is(err, errUploadTooLarge):
		return s.baselineFormResult(c, page, nil, lofte.Invalid("file", "filen är större än 1 MB"), "", true)
	case err != nil:
		return err
	}
	cfg, err := s.baselineConfig(c, page.Promise, c.PostForm("source"))
	if err != nil {
		return err
	}
	bs, err := baseline.Parse(bytes.NewReader(data), cfg)
	return s.baselineFormResult(c, page, bs, err, " (filen lästes som "+baseline.Encoding(data)+")", true)
}

func (s *Server) handleBaselineDeleteForm(c *gin.Context) error {
	if err := s.deleteBaseline(c); err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/baselines?klart="+url.QueryEscape("Baslinjen borttagen"))
	return nil
}
