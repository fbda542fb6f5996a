package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// maxPromiseFile is the largest promise file read from the form: a year's schedule of a few
// hundred stops is some hundred kilobytes.
const maxPromiseFile = 1 << 20

func (s *Server) registerPromisePageRoutes() {
	s.route(http.MethodGet, "/promises", s.handlePromisesPage)
	s.route(http.MethodGet, "/promises/new", s.handlePromiseNewPage)
	s.route(http.MethodPost, "/promises", s.handlePromiseNewForm)
	s.route(http.MethodGet, "/promises/:id", s.handlePromiseEditPage)
	s.route(http.MethodPost, "/promises/:id", s.handlePromiseEditForm)
	s.route(http.MethodPost, "/promises/:id/copy", s.handlePromiseCopyForm)
	s.route(http.MethodGet, "/promises/:id/activate", s.handlePromiseActivatePage)
	s.route(http.MethodPost, "/promises/:id/activate", s.handlePromiseActivateForm)
	s.route(http.MethodPost, "/promises/import", s.handlePromiseImportForm)
	s.route(http.MethodGet, "/promises/:id/basorter", s.handleBasorterPage)
	s.route(http.MethodPost, "/promises/:id/basorter", s.handleBasortAddForm)
	s.route(http.MethodPost, "/promises/:id/basorter/:bid", s.handleBasortEditForm)
	s.route(http.MethodPost, "/promises/:id/basorter/:bid/retire", s.handleBasortRetireForm)
	s.route(http.MethodPost, "/promises/:id/basorter/:bid/delete", s.handleBasortDeleteForm)
}

// promiseRow is a promise in the list, with what it is now.
type promiseRow struct {
	*lofte.Promise
	State    string
	NextFrom string
	NextTo   string
}

type promisesPage struct {
	Base
	Rows   []promiseRow
	Notice string
	Error  string
	// Year is the year a new promise is offered for: this one, or the next once a promise
	// covers today (Next).
	Year int
	Next bool
}

func (s *Server) handlePromisesPage(c *gin.Context) error {
	return s.renderPromises(c, http.StatusOK, c.Query("klart"), "")
}

func (s *Server) renderPromises(c *gin.Context, status int, notice, msg string) error {
	ps, err := s.store.FindPromises(c.Request.Context())
	if err != nil {
		return err
	}
	today := lofte.LocalDate(s.now())
	page := &promisesPage{Base: s.base(c, "Medborgarlöften"), Notice: notice, Error: msg, Year: today.Year}
	for _, p := range ps {
		r := promiseRow{Promise: p, State: "Avslutat"}
		switch {
		case p.Active:
			r.State = "Aktivt"
		case p.Period.From.After(today):
			r.State = "Kommande"
		case p.Period.Contains(today):
			r.State = "Pågår, inte aktivt"
		}
		days := p.Period.From.DaysUntil(p.Period.To)
		next := p.Period.To.AddDays(1)
		r.NextFrom, r.NextTo = next.String(), next.AddDays(days).String()
		page.Rows = append(page.Rows, r)
		if p.Period.Contains(today) && !page.Next {
			page.Year, page.Next = today.Year+1, true
		}
	}
	s.render(c, status, "promises", page)
	return nil
}

// promiseForm is the promise form as typed: settings, excluded periods and targets.
type promiseForm struct {
	Title, Municipality, PoliceArea, Text string
	From, To                              string
	MinN, StatusMinN, RetentionMonths     string
	Excluded                              []excludedRow
	Outcomes                              []outcomeRows
	// labels are the labels of the excluded periods' and indicators' inputs by name, paths
	// the inputs (an indicator's row: its names' prefix) of the promise's fields as the API
	// names them, so that a refusal names what the form shows (fields).
	labels, paths map[string]string
}

type excludedRow struct{ From, To, Label string }

type outcomeRows struct {
	// Code is the outcome's code, Label its Swedish name (lofte.OutcomeLabel) for the form.
	Code, Label, Title string
	Indicators         []indicatorRow
}

type indicatorRow struct{ Metric, Direction, Target string }

// Relative reports whether the row's target is a change from the baseline.
func (r indicatorRow) Relative() bool { return strings.HasPrefix(r.Direction, "delta") }

// indicatorDirections are the choices of an indicator row: the way the figure should go and
// whether the target is a value or a change from the baseline.
var indicatorDirections = []struct{ Value, Label string }{
	{"at_least", "minst (värde)"},
	{"at_most", "högst (värde)"},
	{"delta_at_least", "minst baslinjen + (förändring)"},
	{"delta_at_most", "högst baslinjen + (förändring)"},
}

func formOf(p *lofte.Promise) *promiseForm {
	f := &promiseForm{Title: p.Title, Municipality: p.Municipality, PoliceArea: p.PoliceArea, Text: p.Summary,
		From: p.Period.From.String(), To: p.Period.To.String(), MinN: strconv.Itoa(p.MinN),
		StatusMinN: strconv.Itoa(p.StatusMinN), RetentionMonths: strconv.Itoa(p.RetentionMonths)}
	for _, e := range p.Excluded {
		f.Excluded = append(f.Excluded, excludedRow{From: e.From.String(), To: e.To.String(), Label: e.Label})
	}
	f.Excluded = append(f.Excluded, excludedRow{})
	for _, code := range lofte.OutcomeCodes {
		rows := outcomeRows{Code: code, Label: lofte.OutcomeLabel(code)}
		for _, o := range p.Outcomes {
			if o.Code != code {
				continue
			}
			rows.Title = o.Title
			for _, ind := range o.Indicators {
				dir := string(ind.Direction)
				if ind.Kind == lofte.TargetBaselineDelta {
					dir = "delta_" + dir
				}
				rows.Indicators = append(rows.Indicators, indicatorRow{Metric: ind.Metric, Direction: dir,
					Target: lofte.Decimal(ind.Target, -1)})
			}
		}
		rows.Indicators = append(rows.Indicators, indicatorRow{Direction: string(lofte.AtLeast)})
		f.Outcomes = append(f.Outcomes, rows)
	}
	return f
}

// readPromiseForm reads the posted form, keeping it as typed, and the update it asks for. An
// error names the form's field.
func readPromiseForm(c *gin.Context) (*promiseForm, lofte.PromiseUpdate, error) {
	f := &promiseForm{Title: strings.TrimSpace(c.PostForm("title")), Municipality: strings.TrimSpace(c.PostForm("municipality")),
		PoliceArea: strings.TrimSpace(c.PostForm("police_area")), Text: strings.TrimSpace(c.PostForm("text")),
		From: c.PostForm("from"), To: c.PostForm("to"), MinN: c.PostForm("min_n"), StatusMinN: c.PostForm("status_min_n"),
		RetentionMonths: c.PostForm("retention_months")}
	u := lofte.PromiseUpdate{Title: &f.Title, Municipality: &f.Municipality, PoliceArea: &f.PoliceArea, Summary: &f.Text}
	var errs fieldErrors
	u.Period = &lofte.Period{From: errs.date("from", f.From), To: errs.date("to", f.To)}
	u.MinN, u.StatusMinN, u.RetentionMonths = errs.number("min_n", f.MinN), errs.number("status_min_n", f.StatusMinN), errs.number("retention_months", f.RetentionMonths)
	f.labels, f.paths = map[string]string{}, map[string]string{}
	excluded := f.readExcluded(c.PostForm, &errs)
	u.Excluded = &excluded
	outs := f.readOutcomes(c.PostForm, &errs)
	u.Outcomes = &outs
	return f, u, errors.Join(errs...)
}

// fieldErrors are what is wrong with a form's fields, in the order they were read, each
// naming its field.
type fieldErrors []error

// date reads a date field; a mistake is noted and the zero date returned.
func (errs *fieldErrors) date(field, v string) lofte.Date {
	d, err := lofte.ParseDate(strings.TrimSpace(v))
	if err != nil {
		*errs = append(*errs, lofte.Invalid(field, "ange ett datum (ÅÅÅÅ-MM-DD)"))
	}
	return d
}

// number reads a whole-number field; a mistake is noted and 0 returned.
func (errs *fieldErrors) number(field, v string) *int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		*errs = append(*errs, lofte.Invalid(field, "ange ett heltal"))
	}
	return &n
}

// readExcluded reads the excluded periods' rows (ex_from_N, ex_to_N, ex_label_N, from N 0
// while a row has anything, and always the first) into the form, and the periods of those
// not left empty.
func (f *promiseForm) readExcluded(form func(string) string, errs *fieldErrors) []lofte.Period {
	excluded := []lofte.Period{}
	for i := 0; form("ex_from_"+strconv.Itoa(i)) != "" || form("ex_to_"+strconv.Itoa(i)) != "" ||
		form("ex_label_"+strconv.Itoa(i)) != "" || i < 1; i++ {
		n := strconv.Itoa(i)
		row := excludedRow{From: form("ex_from_" + n), To: form("ex_to_" + n), Label: strings.TrimSpace(form("ex_label_" + n))}
		f.Excluded = append(f.Excluded, row)
		f.labels["ex_from_"+n] = "Från, undantagen period " + strconv.Itoa(i+1)
		f.labels["ex_to_"+n] = "Till, undantagen period " + strconv.Itoa(i+1)
		if row.From == "" && row.To == "" {
			continue
		}
		f.paths["excluded["+strconv.Itoa(len(excluded))+"]"] = "ex_from_" + n
		excluded = append(excluded, lofte.Period{From: errs.date("ex_from_"+n, row.From), To: errs.date("ex_to_"+n, row.To), Label: row.Label})
	}
	return excluded
}

// readOutcomes reads each outcome's title and indicator rows (i_CODE_N_metric, _dir,
// _target, from N 0 while a row has a direction) into the form, and the outcomes that have
// a title or an indicator.
func (f *promiseForm) readOutcomes(form func(string) string, errs *fieldErrors) []lofte.Outcome {
	outs := []lofte.Outcome{}
	for _, code := range lofte.OutcomeCodes {
		rows := outcomeRows{Code: code, Label: lofte.OutcomeLabel(code), Title: strings.TrimSpace(form("o_" + code + "_title"))}
		o := lofte.Outcome{Code: code, Title: rows.Title}
		for j := 0; form(fmt.Sprintf("i_%s_%d_dir", code, j)) != ""; j++ {
			k := fmt.Sprintf("i_%s_%d_", code, j)
			row := indicatorRow{Metric: form(k + "metric"), Direction: form(k + "dir"), Target: strings.TrimSpace(form(k + "target"))}
			rows.Indicators = append(rows.Indicators, row)
			for input, what := range map[string]string{"metric": "Mått", "dir": "Riktning", "target": "Målvärde"} {
				f.labels[k+input] = fmt.Sprintf("%s %d, %s", what, j+1, rows.Label)
			}
			if row.Metric == "" {
				continue // an empty row, or one whose metric was set to "none": no indicator
			}
			f.paths[fmt.Sprintf("outcomes[%d].indicators[%d]", len(outs), len(o.Indicators))] = k
			o.Indicators = append(o.Indicators, row.indicator(k, errs))
		}
		f.Outcomes = append(f.Outcomes, rows)
		if len(o.Indicators) > 0 || o.Title != "" {
			outs = append(outs, o)
		}
	}
	return outs
}

// indicator is the indicator a row with a metric asks for; a target that is no number is
// noted against the row's target input (prefix k).
func (r indicatorRow) indicator(k string, errs *fieldErrors) lofte.Indicator {
	target, err := strconv.ParseFloat(strings.Replace(r.Target, ",", ".", 1), 64)
	if err != nil {
		*errs = append(*errs, lofte.Invalid(k+"target", "ange målet som ett tal, till exempel 0,9"))
	}
	ind := lofte.Indicator{Metric: r.Metric, Direction: lofte.Direction(strings.TrimPrefix(r.Direction, "delta_")),
		Kind: lofte.TargetAbsolute, Target: target}
	if r.Relative() {
		ind.Kind = lofte.TargetBaselineDelta
	}
	return ind
}

type promiseEditPage struct {
	Base
	// Edited is the promise changed, nil when a new one is made from Template.
	Edited     *lofte.Promise
	Template   *lofte.Promise
	Form       *promiseForm
	Metrics    []metricOption
	Directions []struct{ Value, Label string }
	Error      string
	ErrorField string
	Notice     string
}

func (s *Server) editPage(c *gin.Context, title string, f *promiseForm) *promiseEditPage {
	page := &promiseEditPage{Base: s.base(c, title), Form: f, Directions: indicatorDirections}
	for _, d := range metrics.Definitions {
		if _, ok := metrics.Scale(d.Code); ok {
			page.Metrics = append(page.Metrics, metricOption{Code: d.Code, Label: d.Label})
		}
	}
	return page
}

// formError shows the form again with the mistake, naming the field as the form labels it
// (fields turns the error's field into the input's name, which the page marks, and its
// label), when err is the user's; any other error is returned.
func (s *Server) formError(c *gin.Context, page string, data any, msg, field *string, err error, fields func(string) (key, label string)) error {
	e, status := refusal(err)
	if e == nil {
		return err
	}
	key, label := fields(e.Field)
	*msg, *field = e.Message, key
	if label != "" {
		*msg = e.Message + " (fältet ”" + label + "”)"
	}
	s.render(c, status, page, data)
	return nil
}

// promiseFieldLabels are the promise form's labels by input name.
var promiseFieldLabels = map[string]string{
	"title": "Rubrik", "municipality": "Kommun", "police_area": "Polisområde", "from": "Första dag", "to": "Sista dag",
	"text": "Löftets text", "min_n": "Minsta antal svar för en siffra", "status_min_n": "Svar som krävs för en status",
	"retention_months": "Gallring, månader efter slutet",
}

// fields names a field of a refused promise form as the form does: a field of the form
// (ex_from_0), or of the promise as the API names it (period.from, excluded[0],
// outcomes[1].indicators[0].target), becomes the form's input and its label.
func (f *promiseForm) fields(field string) (key, label string) {
	field = strings.TrimPrefix(field, "period.")
	if l, ok := promiseFieldLabels[field]; ok {
		return field, l
	}
	if l, ok := f.labels[field]; ok {
		return field, l
	}
	if k, ok := f.paths[field]; ok { // excluded[0]
		return k, f.labels[k]
	}
	if i := strings.LastIndexByte(field, '.'); i > 0 {
		if k, ok := f.paths[field[:i]]; ok { // excluded[0].from, outcomes[1].indicators[0].target
			if part, ok := indicatorInputs[field[i+1:]]; ok && strings.HasPrefix(k, "i_") {
				k += part
			}
			return k, f.labels[k]
		}
	}
	return field, field
}

// metricsNamed is err with the metrics it names by code ("målet för delivery_rate …") named
// as the form's lists do.
func metricsNamed(err error) error {
	e := lofte.AsError(err)
	if e == nil {
		return err
	}
	named := *e
	for _, d := range metrics.Definitions {
		named.Message = strings.ReplaceAll(named.Message, "för "+d.Code+" ", "för "+strings.ToLower(d.Label)+" ")
	}
	return &named
}

// indicatorInputs are the inputs of an indicator's row by the indicator's field.
var indicatorInputs = map[string]string{"metric": "metric", "target": "target", "direction": "dir", "kind": "dir"}

// templatePromise is the promise a new one starts from: the one v, the value of param, names,
// else the active one. The form only ever sends an id it showed, so a malformed one is taken
// as none.
func (s *Server) templatePromise(c *gin.Context, param, v string) (*lofte.Promise, []*lofte.Locality, error) {
	ctx := c.Request.Context()
	p, err := s.promiseNamed(c, param, v)
	if p == nil && (err == nil || lofte.ErrorCodeOf(err) == lofte.EINVALID) {
		p, err = s.store.ActivePromise(ctx)
	}
	if err != nil {
		return nil, nil, err
	}
	ls, err := s.store.FindLocalities(ctx, p.ID)
	return p, ls, err
}

// newPromiseTitle is the title of the form that makes a promise for year: this year's, or
// the one of another year (next year's, made in December).
func (s *Server) newPromiseTitle(year int) string {
	if year == lofte.LocalDate(s.now()).Year || year == 0 {
		return "Skapa årets löfte"
	}
	return "Skapa löftet för " + strconv.Itoa(year)
}

// handlePromiseNewPage is "Skapa årets löfte": the form filled in from a template promise,
// moved to this calendar year.
func (s *Server) handlePromiseNewPage(c *gin.Context) error {
	tpl, _, err := s.templatePromise(c, "from", c.Query("from"))
	if err != nil {
		return err
	}
	year := lofte.LocalDate(s.now()).Year
	if y, err := strconv.Atoi(c.Query("year")); err == nil && y > 1900 && y < 2200 {
		year = y
	}
	q, _ := tpl.Copy(lofte.Period{From: lofte.Date{Year: year, Month: 1, Day: 1}, To: lofte.Date{Year: year, Month: 12, Day: 31}})
	page := s.editPage(c, s.newPromiseTitle(year), formOf(q))
	page.Template = tpl
	s.render(c, http.StatusOK, "promise", page)
	return nil
}

// handlePromiseNewForm creates a promise from the form and the template's places.
func (s *Server) handlePromiseNewForm(c *gin.Context) error {
	tpl, ls, err := s.templatePromise(c, "template", c.PostForm("template"))
	if err != nil {
		return err
	}
	f, u, ferr := readPromiseForm(c)
	page := s.editPage(c, s.newPromiseTitle(u.Period.From.Year), f)
	page.Template = tpl
	if ferr != nil {
		return s.formError(c, "promise", page, &page.Error, &page.ErrorField, metricsNamed(firstError(ferr)), f.fields)
	}
	q, places, _ := copyOf(tpl, ls, *u.Period)
	u.Apply(q) // the form shows the template's excluded periods moved already: none are dropped
	q.Slug = lofte.SlugFor(q)
	if err := s.createPromise(c, q, places, false, "Nytt löfte "+promiseLabel(q)+" efter mallen "+promiseLabel(tpl)); err != nil {
		return s.formError(c, "promise", page, &page.Error, &page.ErrorField, metricsNamed(err), f.fields)
	}
	msg := "Löftet ”" + q.Title + "” är skapat med " + strconv.Itoa(len(places)) + " orter från mallen. " +
		"Kontrollera basorterna, lägg in årets baslinjer och aktivera löftet när det ska gälla."
	c.Redirect(http.StatusSeeOther, "/promises/"+strconv.FormatInt(q.ID, 10)+"?klart="+url.QueryEscape(msg))
	return nil
}

// firstError returns the first of a joined error.
func firstError(err error) error {
	if j, ok := err.(interface{ Unwrap() []error }); ok && len(j.Unwrap()) > 0 {
		return j.Unwrap()[0]
	}
	return err
}

func (s *Server) handlePromiseEditPage(c *gin.Context) error {
	p, _, err := s.promiseByID(c)
	if err != nil {
		return err
	}
	page := s.editPage(c, "Ändra "+p.Title, formOf(p))
	page.Edited, page.Notice = p, c.Query("klart")
	s.render(c, http.StatusOK, "promise", page)
	return nil
}

func (s *Server) handlePromiseEditForm(c *gin.Context) error {
	p, before, err := s.promiseByID(c)
	if err != nil {
		return err
	}
	f, u, ferr := readPromiseForm(c)
	page := s.editPage(c, "Ändra "+p.Title, f)
	page.Edited = p
	if ferr == nil {
		_, ferr = s.updatePromise(c, p, before, u)
	}
	if ferr != nil {
		return s.formError(c, "promise", page, &page.Error, &page.ErrorField, metricsNamed(firstError(ferr)), f.fields)
	}
	c.Redirect(http.StatusSeeOther, "/promises/"+strconv.FormatInt(p.ID, 10)+"?klart="+url.QueryEscape("Ändringarna är sparade"))
	return nil
}

func (s *Server) handlePromiseCopyForm(c *gin.Context) error {
	p, ls, err := s.promiseByID(c)
	if err != nil {
		return err
	}
	from, ferr := lofte.ParseDate(c.PostForm("from"))
	to, terr := lofte.ParseDate(c.PostForm("to"))
	if ferr != nil || terr != nil {
		return s.renderPromises(c, http.StatusBadRequest, "", "Ange första och sista dag för kopian (ÅÅÅÅ-MM-DD).")
	}
	q, notes, err := s.copyPromise(c, p, ls, lofte.Period{From: from, To: to})
	if e, status := refusal(err); e != nil {
		return s.renderPromises(c, status, "", "Kopian skapades inte: "+e.Message+".")
	}
	if err != nil {
		return err
	}
	msg := "Kopian ”" + q.Title + "” är skapad (inte aktiv). " + strings.Join(notes, " ")
	c.Redirect(http.StatusSeeOther, "/promises/"+strconv.FormatInt(q.ID, 10)+"?klart="+url.QueryEscape(strings.TrimSpace(msg)))
	return nil
}

type activatePage struct {
	Base
	Target, Current *lofte.Promise
}

func (s *Server) handlePromiseActivatePage(c *gin.Context) error {
	p, _, err := s.promiseByID(c)
	if err != nil {
		return err
	}
	page := &activatePage{Base: s.base(c, "Aktivera "+p.Title), Target: p}
	if cur, err := s.store.ActivePromise(c.Request.Context()); err == nil {
		page.Current = cur
	}
	s.render(c, http.StatusOK, "activate", page)
	return nil
}

func (s *Server) handlePromiseActivateForm(c *gin.Context) error {
	p, _, err := s.promiseByID(c)
	if err != nil {
		return err
	}
	if !p.Active {
		if err := s.activate(c, p); err != nil {
			return err
		}
	}
	c.Redirect(http.StatusSeeOther, "/promises?klart="+url.QueryEscape("”"+p.Title+"” är nu det aktiva löftet"))
	return nil
}

func (s *Server) handlePromiseImportForm(c *gin.Context) error {
	body, err := readUpload(c, "file", maxPromiseFile)
	switch {
	case errors.Is(err, errNoUpload):
		return s.renderPromises(c, http.StatusBadRequest, "", "Välj en exporterad löftesfil (JSON) att läsa in.")
	case errors.Is(err, errUploadTooLarge):
		return s.renderPromises(c, http.StatusBadRequest, "", "Filen är större än 1 MB.")
	case err != nil:
		return err
	}
	p, err := s.importPromise(c, body)
	if e, status := refusal(err); e != nil {
		msg := "Filen lästes inte in, inget sparades: " + e.Message
		if e.Field != "" {
			msg += " (fältet " + e.Field + ")"
		}
		return s.renderPromises(c, status, "", msg+".")
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/promises?klart="+url.QueryEscape("”"+p.Title+"” är inläst (inte aktivt)"))
	return nil
}

// requestPromisesKey holds, on a request's context, the promises requestPromises read.
const requestPromisesKey = "promises"

// requestPromises are all promises, newest first, read once per request: the dashboard needs
// them for its chooser, its comparison and the renewal banner. A request that changes promises
// reads them with FindPromises instead.
func (s *Server) requestPromises(c *gin.Context) ([]*lofte.Promise, error) {
	if ps, ok := c.Get(requestPromisesKey); ok {
		return ps.([]*lofte.Promise), nil
	}
	ps, err := s.store.FindPromises(c.Request.Context())
	if err != nil {
		return nil, err
	}
	c.Set(requestPromisesKey, ps)
	return ps, nil
}

// promiseRenewal is the banner an admin sees while the active promise p has ended: to create
// this year's promise from it, or, when a promise covering today exists, to activate that
// one (straight to its confirmation). A page about another promise (promise=ID) shows none: it is read on purpose.
func (s *Server) promiseRenewal(c *gin.Context, id *lofte.Identity, p *lofte.Promise) *navItem {
	if !p.Active || !p.Ended(s.now()) || !mayUse(id, routePromises) {
		return nil
	}
	ps, err := s.requestPromises(c)
	if err != nil {
		return nil
	}
	for _, q := range ps {
		if q.Period.Contains(lofte.LocalDate(s.now())) {
			return &navItem{Href: "/promises/" + strconv.FormatInt(q.ID, 10) + "/activate", Label: "Löftesperioden för " + p.Title + " tog slut " + p.Period.To.String() +
				". ”" + q.Title + "” gäller nu men är inte aktiverat."}
		}
	}
	return &navItem{Href: "/promises/new", Label: "Löftesperioden för " + p.Title + " tog slut " + p.Period.To.String() +
		"."}
}
