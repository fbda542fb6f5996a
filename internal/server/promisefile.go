package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"medborgarlofte/internal/lofte"
)

// A promise as a file: its settings, places, schedule and baselines, so a police area can
// start from another's promise or move one between installations. It carries no answers, no
// feedback items and no field notes (staff's free text, which retention deletes and which may
// name people); stops keep their times, status, counts and topics, so delivery figures come
// out the same after an import.
const (
	promiseFileFormat  = "medborgarlofte.promise"
	promiseFileVersion = 1
)

// promiseFile is the exported file.
type promiseFile struct {
	Format     string         `json:"format"`
	Version    int            `json:"version"`
	ExportedAt time.Time      `json:"exported_at"`
	Promise    promiseDoc     `json:"promise"`
	Schedule   []fileStop     `json:"schedule"`
	Baselines  []fileBaseline `json:"baselines"`
}

// fileStop is a stop in the file, placed by its basort's name.
type fileStop struct {
	stopFields
	logFields
	Sequence int `json:"sequence"`
}

type fileBaseline struct {
	Basort string  `json:"basort,omitempty"`
	Metric string  `json:"metric"`
	Value  float64 `json:"value"`
	Source string  `json:"source"`
}

func (s *Server) handlePromiseExport(c *gin.Context) error {
	p, ls, err := s.promiseByID(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	stops, _, err := s.store.FindStops(ctx, lofte.StopFilter{PromiseID: p.ID})
	if err != nil {
		return err
	}
	bs, err := s.store.FindBaselines(ctx, p.ID)
	if err != nil {
		return err
	}
	d := newPromiseDoc(p, ls)
	d.ID, d.Active, d.CreatedAt = nil, nil, nil
	for i := range *d.Basorter {
		(*d.Basorter)[i].ID = 0
	}
	f := promiseFile{Format: promiseFileFormat, Version: promiseFileVersion, ExportedAt: s.now().UTC(), Promise: *d,
		Schedule: make([]fileStop, len(stops)), Baselines: make([]fileBaseline, len(bs))}
	for i, st := range stops {
		f.Schedule[i] = fileStop{stopFields: toStopFields(st), logFields: toLogFields(st), Sequence: st.Sequence}
	}
	for i, b := range bs {
		f.Baselines[i] = fileBaseline{Basort: b.Basort, Metric: b.Metric, Value: b.Value, Source: b.Source}
	}
	body, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", `attachment; filename="lofte-`+p.Slug+`.json"`)
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
	return nil
}

// readPromiseFile checks a file whole and returns what to store. The format and version
// are read first and on their own, so that a newer file is refused for its version rather
// than for a field this version does not know.
func (s *Server) readPromiseFile(body []byte) (*lofte.Promise, []*lofte.Locality, []*lofte.Stop, []*lofte.Baseline, error) {
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return nil, nil, nil, nil, jsonError(err)
	}
	switch {
	case head.Format != promiseFileFormat:
		return nil, nil, nil, nil, lofte.Invalid("format", "filen är inte ett exporterat medborgarlöfte (format %q, väntade %q)", head.Format, promiseFileFormat)
	case head.Version > promiseFileVersion:
		return nil, nil, nil, nil, lofte.Invalid("version", "filen har version %d, som är nyare än programmets %d: uppdatera programmet", head.Version, promiseFileVersion)
	case head.Version < 1:
		return nil, nil, nil, nil, lofte.Invalid("version", "filen saknar giltig version")
	}
	var f promiseFile
	if err := decodeStrict(body, &f); err != nil {
		return nil, nil, nil, nil, err
	}
	p, ls, err := newPromise(&f.Promise)
	if err == nil {
		err = checkPromise(p)
	}
	if err == nil {
		err = checkPlaces(ls)
	}
	if err != nil {
		return nil, nil, nil, nil, prefixField(promiseField(err), "promise")
	}
	stops := make([]*lofte.Stop, len(f.Schedule))
	for i, fs := range f.Schedule {
		st := newStop(fs.stopFields, fs.logFields)
		st.Sequence = fs.Sequence
		field := "schedule[" + strconv.Itoa(i) + "]"
		err := st.Validate()
		if err == nil && lofte.LocalityNamed(ls, st.Basort) == nil {
			err = lofte.Invalid("basort", "orten %q finns inte bland filens basorter", st.Basort)
		}
		if err == nil {
			err = s.catalogue.CheckTopics(st.Topics)
		}
		if err != nil {
			return nil, nil, nil, nil, prefixField(err, field)
		}
		stops[i] = st
	}
	bs := make([]*lofte.Baseline, len(f.Baselines))
	for i, fb := range f.Baselines {
		b := &lofte.Baseline{Basort: fb.Basort, Metric: fb.Metric, Value: fb.Value, Source: fb.Source}
		err := b.Validate()
		if err == nil && b.Basort != "" && lofte.LocalityNamed(ls, b.Basort) == nil {
			err = lofte.Invalid("basort", "orten %q finns inte bland filens basorter", b.Basort)
		}
		if err != nil {
			return nil, nil, nil, nil, prefixField(err, "baselines["+strconv.Itoa(i)+"]")
		}
		bs[i] = b
	}
	return p, ls, stops, bs, nil
}

// checkPlaces checks the places of a new promise: each valid, no name twice, and at least
// one basort that is not retired.
func checkPlaces(ls []*lofte.Locality) error {
	seen := map[string]bool{}
	open := false
	for i, l := range ls {
		if err := l.Validate(); err != nil {
			return &lofte.ItemError{Index: i, Err: err}
		}
		if seen[l.Name] {
			return &lofte.ItemError{Index: i, Err: lofte.Invalid("name", "orten %q finns två gånger", l.Name)}
		}
		seen[l.Name] = true
		open = open || (l.Basort && !l.Retired())
	}
	if !open {
		return lofte.Invalid("basorter", "löftet måste ha minst en basort som inte är avvecklad")
	}
	return nil
}

// importPromise stores the file's promise as a new, inactive one (the first in a database
// becomes active), audited.
func (s *Server) importPromise(c *gin.Context, body []byte) (*lofte.Promise, error) {
	p, ls, stops, bs, err := s.readPromiseFile(body)
	if err != nil {
		return nil, err
	}
	if err := s.store.ImportPromise(c.Request.Context(), p, ls, stops, bs); err != nil {
		var ie *lofte.ItemError
		if errors.As(err, &ie) {
			return nil, err // the file was checked whole above: what is left is the store's
		}
		return nil, prefixField(promiseField(err), "promise")
	}
	s.audit(c, "promise.import", promiseObject(p), "Löftet "+promiseLabel(p)+" lästes in från fil med "+
		strconv.Itoa(len(ls))+" orter, "+strconv.Itoa(len(stops))+" besök och "+strconv.Itoa(len(bs))+" baslinjer")
	return p, nil
}

func (s *Server) handlePromiseImport(c *gin.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	p, err := s.importPromise(c, body)
	if err != nil {
		return err
	}
	return s.answerPromise(c, http.StatusCreated, p, nil)
}
