package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

// placeRow is a place on the basorter page, with whether it has history (and so can only be
// retired, not deleted).
type placeRow struct {
	*lofte.Locality
	Stops   int
	History bool
}

// placeForm is the place form as typed.
type placeForm struct {
	// P prefixes the form's element ids, so the add and edit forms can share one page.
	P                                                                         string
	Name, Population, PopulationSource, PopulationYear, Lat, Lon, Coordinates string
	Basort, Retired                                                           bool
}

type basorterPage struct {
	Base
	Edited     *lofte.Promise
	Rows       []placeRow
	Add        placeForm
	EditID     int64
	Edit       placeForm
	Error      string
	ErrorField string
	Notice     string
}

func formOfPlace(l *lofte.Locality) placeForm {
	f := placeForm{Name: l.Name, Population: strconv.Itoa(l.Population), PopulationSource: l.PopulationSource,
		Lat: strconv.FormatFloat(l.Lat, 'f', -1, 64), Lon: strconv.FormatFloat(l.Lon, 'f', -1, 64),
		Coordinates: l.Coordinates, Basort: l.Basort, Retired: l.Retired()}
	if l.PopulationYear != 0 {
		f.PopulationYear = strconv.Itoa(l.PopulationYear)
	}
	return f
}

// basorterPageOf reads the promise's places and their history.
func (s *Server) basorterPageOf(c *gin.Context) (*basorterPage, []*lofte.Locality, error) {
	p, ls, err := s.promiseByID(c)
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request.Context()
	stops, _, err := s.store.FindStops(ctx, lofte.StopFilter{PromiseID: p.ID})
	if err != nil {
		return nil, nil, err
	}
	bs, err := s.store.FindBaselines(ctx, p.ID)
	if err != nil {
		return nil, nil, err
	}
	items, err := s.store.FindFeedback(ctx, lofte.FeedbackFilter{PromiseID: p.ID})
	if err != nil {
		return nil, nil, err
	}
	count := map[string]int{}
	history := map[string]bool{}
	for _, st := range stops {
		count[st.Basort]++
		history[st.Basort] = true
	}
	for _, b := range bs {
		history[b.Basort] = true
	}
	for _, f := range items {
		history[f.Basort] = true
	}
	page := &basorterPage{Base: s.base(c, "Basorter – "+p.Title), Edited: p, Notice: c.Query("klart"),
		Add: placeForm{P: "a", Basort: true, Coordinates: "approximate"}}
	for _, l := range ls {
		page.Rows = append(page.Rows, placeRow{Locality: l, Stops: count[l.Name], History: history[l.Name]})
	}
	if id, err := strconv.ParseInt(c.Query("andra"), 10, 64); err == nil {
		for _, l := range ls {
			if l.ID == id {
				page.EditID, page.Edit = id, formOfPlace(l)
				page.Edit.P = "e"
			}
		}
	}
	return page, ls, nil
}

func (s *Server) handleBasorterPage(c *gin.Context) error {
	page, _, err := s.basorterPageOf(c)
	if err != nil {
		return err
	}
	s.render(c, http.StatusOK, "basorter", page)
	return nil
}

// placeFieldLabels are the place form's labels by input name.
var placeFieldLabels = map[string]string{
	"name": "Namn", "basort": "Basort", "population": "Folkmängd", "population_source": "Källa för folkmängden",
	"population_year": "År för folkmängden", "lat": "Latitud", "lon": "Longitud", "coordinates": "Koordinaterna är",
	"retired": "Avvecklad", "basorter": "", // the list as a whole: its message says it
}

// placeField names a field of a refused place form as the form does: a field of the form, or
// of the place in the promise's list (basorter[13].lat) as the API names it.
func placeField(field string) (key, label string) {
	if _, f, ok := strings.Cut(field, "]."); ok && strings.HasPrefix(field, "basorter[") {
		field = f
	}
	if l, ok := placeFieldLabels[field]; ok {
		return field, l
	}
	return field, field
}

// readPlaceForm reads a place from the posted form; a number that is not one names its field.
func readPlaceForm(c *gin.Context) (placeForm, *lofte.Locality, error) {
	f := placeForm{Name: strings.TrimSpace(c.PostForm("name")), Population: strings.TrimSpace(c.PostForm("population")),
		PopulationSource: strings.TrimSpace(c.PostForm("population_source")), PopulationYear: strings.TrimSpace(c.PostForm("population_year")),
		Lat: strings.TrimSpace(c.PostForm("lat")), Lon: strings.TrimSpace(c.PostForm("lon")), Coordinates: c.PostForm("coordinates"),
		Basort: c.PostForm("basort") != "", Retired: c.PostForm("retired") != ""}
	l := &lofte.Locality{Name: f.Name, PopulationSource: f.PopulationSource, Coordinates: f.Coordinates, Basort: f.Basort}
	var err error
	num := func(field, v string) float64 {
		x, perr := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		if perr != nil && err == nil {
			err = lofte.Invalid(field, "ange ett tal")
		}
		return x
	}
	l.Population = int(num("population", strings.ReplaceAll(f.Population, " ", "")))
	if f.PopulationYear != "" {
		l.PopulationYear = int(num("population_year", f.PopulationYear))
	}
	l.Lat, l.Lon = num("lat", f.Lat), num("lon", f.Lon)
	if f.Retired {
		l.RetiredAt = &time.Time{} // the store stamps the day it was retired
	}
	return f, l, err
}

// savePlaces makes next the promise's places (before are the ones it had) and redirects to
// the page with done, or shows the page again with the mistake.
func (s *Server) savePlaces(c *gin.Context, page *basorterPage, before, next []*lofte.Locality, done string) error {
	p := page.Edited
	want := make([]*lofte.Locality, len(next))
	for i, l := range next {
		c := *l // the store sets ids and days on what it is given; before stays as read
		want[i] = &c
	}
	_, err := s.updatePromise(c, p, before, lofte.PromiseUpdate{Basorter: &want})
	if err != nil {
		return s.formError(c, "basorter", page, &page.Error, &page.ErrorField, err, placeField)
	}
	c.Redirect(http.StatusSeeOther, "/promises/"+strconv.FormatInt(p.ID, 10)+"/basorter?klart="+url.QueryEscape(done))
	return nil
}

func (s *Server) handleBasortAddForm(c *gin.Context) error {
	page, ls, err := s.basorterPageOf(c)
	if err != nil {
		return err
	}
	f, l, err := readPlaceForm(c)
	f.P, page.Add = "a", f
	if err != nil {
		return s.formError(c, "basorter", page, &page.Error, &page.ErrorField, err, placeField)
	}
	return s.savePlaces(c, page, ls, append(append([]*lofte.Locality{}, ls...), l), l.Name+" är tillagd")
}

// placeParam returns the index in ls of the place the path's :bid names.
func placeParam(c *gin.Context, ls []*lofte.Locality) (int, error) {
	id, err := pathID(c, "bid")
	if err != nil {
		return 0, err
	}
	for i, l := range ls {
		if l.ID == id {
			return i, nil
		}
	}
	return 0, errNoSuchPath()
}

// placeAction reads the page and the place the path names, and lets change make the new
// list of places (and the message) from the old list and the place's index.
func (s *Server) placeAction(c *gin.Context, change func(page *basorterPage, ls []*lofte.Locality, i int) ([]*lofte.Locality, string, error)) error {
	page, ls, err := s.basorterPageOf(c)
	if err != nil {
		return err
	}
	i, err := placeParam(c, ls)
	if err != nil {
		return err
	}
	next, done, err := change(page, ls, i)
	if err != nil {
		return s.formError(c, "basorter", page, &page.Error, &page.ErrorField, err, placeField)
	}
	return s.savePlaces(c, page, ls, next, done)
}

func (s *Server) handleBasortEditForm(c *gin.Context) error {
	return s.placeAction(c, func(page *basorterPage, ls []*lofte.Locality, i int) ([]*lofte.Locality, string, error) {
		f, l, err := readPlaceForm(c)
		f.P = "e"
		page.EditID, page.Edit = ls[i].ID, f
		l.ID = ls[i].ID
		next := append([]*lofte.Locality{}, ls...)
		next[i] = l
		return next, l.Name + " är sparad", err
	})
}

func (s *Server) handleBasortRetireForm(c *gin.Context) error {
	return s.placeAction(c, func(_ *basorterPage, ls []*lofte.Locality, i int) ([]*lofte.Locality, string, error) {
		next := append([]*lofte.Locality{}, ls...)
		r := *ls[i]
		r.RetiredAt = new(s.now())
		next[i] = &r
		return next, r.Name + " är avvecklad: den får inga nya besök, och det som hänt där finns kvar", nil
	})
}

// handleBasortDeleteForm removes a place; one with history is retired instead, and the
// message says so.
func (s *Server) handleBasortDeleteForm(c *gin.Context) error {
	return s.placeAction(c, func(page *basorterPage, ls []*lofte.Locality, i int) ([]*lofte.Locality, string, error) {
		done := ls[i].Name + " är borttagen"
		if page.Rows[i].History {
			done = ls[i].Name + " har historik och avvecklades i stället för att tas bort"
		}
		return append(append([]*lofte.Locality{}, ls[:i]...), ls[i+1:]...), done, nil
	})
}
