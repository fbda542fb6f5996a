// Package seed holds the built-in citizen promises as data (a promise.json and a
// localities.csv per folder) and loads one into an empty database. Nothing about a particular
// municipality lives in code: another police area's promise is another folder.
package seed

import (
	"bytes"
	"context"
	"embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"medborgarlofte/internal/lofte"
)

//go:embed data
var data embed.FS

// Builtin is the folder of the promise loaded into an empty database.
const Builtin = "kristianstad-2018"

// Load reads the promise and localities in folder name of fsys.
func Load(fsys fs.FS, name string) (*lofte.Promise, []*lofte.Locality, error) {
	raw, err := fs.ReadFile(fsys, path.Join(name, "promise.json"))
	if err != nil {
		return nil, nil, fmt.Errorf("seed %s: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	// A setting the file leaves out keeps the default set here; one it sets to 0 stays 0.
	p := lofte.Promise{RetentionMonths: lofte.DefaultRetentionMonths}
	if err := dec.Decode(&p); err != nil {
		return nil, nil, fmt.Errorf("seed %s: promise.json: %w", name, err)
	}
	if p.MinN == 0 {
		p.MinN = lofte.DefaultMinN
	}
	if p.StatusMinN == 0 {
		p.StatusMinN = lofte.DefaultStatusMinN
	}
	if err := p.Validate(); err != nil {
		return nil, nil, fmt.Errorf("seed %s: promise.json: %w", name, err)
	}
	f, err := fsys.Open(path.Join(name, "localities.csv"))
	if err != nil {
		return nil, nil, fmt.Errorf("seed %s: %w", name, err)
	}
	defer f.Close()
	ls, err := ParseLocalities(f)
	if err != nil {
		return nil, nil, fmt.Errorf("seed %s: localities.csv: %w", name, err)
	}
	return &p, ls, nil
}

var localityHeader = []string{"name", "population_2018", "lat", "lon", "basort", "coordinates"}

// ParseLocalities reads the localities CSV: name, population, lat, lon, basort, coordinates.
func ParseLocalities(r io.Reader) ([]*lofte.Locality, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(localityHeader)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	if head[0] != localityHeader[0] || !strings.HasPrefix(head[1], "population") || head[2] != "lat" || head[3] != "lon" ||
		head[4] != "basort" || head[5] != "coordinates" {
		return nil, fmt.Errorf("header %v, want %v", head, localityHeader)
	}
	// The header names the figures' year (population_2018); a plain "population" gives none.
	year, _ := strconv.Atoi(strings.TrimPrefix(head[1], "population_"))
	var out []*lofte.Locality
	seen := map[string]bool{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		l := lofte.Locality{Name: strings.TrimSpace(rec[0]), Coordinates: rec[5], PopulationYear: year}
		var errs [4]error
		l.Population, errs[0] = strconv.Atoi(rec[1])
		l.Lat, errs[1] = strconv.ParseFloat(rec[2], 64)
		l.Lon, errs[2] = strconv.ParseFloat(rec[3], 64)
		l.Basort, errs[3] = strconv.ParseBool(rec[4])
		for _, e := range errs {
			if e != nil {
				return nil, fmt.Errorf("line %d: %w", line, e)
			}
		}
		if err := l.Validate(); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if seen[l.Name] {
			return nil, fmt.Errorf("line %d: %q twice", line, l.Name)
		}
		seen[l.Name] = true
		out = append(out, &l)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no localities")
	}
	return out, nil
}

// Store is what seeding needs.
type Store interface {
	ActivePromise(ctx context.Context) (*lofte.Promise, error)
	CreatePromise(ctx context.Context, p *lofte.Promise, localities []*lofte.Locality) error
}

// Ensure loads the built-in promise when the database has no active promise, and reports
// whether it did.
func Ensure(ctx context.Context, st Store) (*lofte.Promise, bool, error) {
	p, err := st.ActivePromise(ctx)
	if err == nil {
		return p, false, nil
	}
	if lofte.ErrorCodeOf(err) != lofte.ENOTFOUND {
		return nil, false, err
	}
	sub, err := fs.Sub(data, "data")
	if err != nil {
		return nil, false, err
	}
	p, ls, err := Load(sub, Builtin)
	if err != nil {
		return nil, false, err
	}
	if err := st.CreatePromise(ctx, p, ls); err != nil {
		return nil, false, fmt.Errorf("seed built-in promise: %w", err)
	}
	return p, true, nil
}
