package metrics

import (
	"bytes"
	"cmp"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"sync"
)

// Set is a set of responses as the cell key method sees it: its true count N and the sum of
// its record keys modulo 2^32. Sets of disjoint responses combine with Add, so a cell's Set
// can be built from per-stop Sets without the responses themselves.
type Set struct {
	N   int
	Key uint32
}

// Add returns the union of two disjoint sets; the key sum wraps modulo 2^32 as uint32
// addition does.
func (s Set) Add(o Set) Set { return Set{N: s.N + o.N, Key: s.Key + o.Key} }

// CellKey returns the set's cell key, Key / 2^32, a number in [0, 1).
func (s Set) CellKey() float64 { return float64(s.Key) / (1 << 32) }

// ptRow is one row of a perturbation table: noise V for cell keys in [LB, UB).
type ptRow struct {
	V      int
	LB, UB float64
	P      float64
}

// PTable is a perturbation table of the cell key method, which protects every survey count.
// The method is the Australian Bureau of Statistics' (TableBuilder; Thompson, Broadfoot &
// Elazar 2013) in the form Destatis and Statistics Austria publish as the R packages ptable
// and cellKey, used for the 2021 census tables of several European statistics offices:
//
//   - every stored response has a record key, a uniformly random uint32 drawn once from a
//     cryptographic source and never changed;
//   - the cell key of a set of responses is the sum of their record keys modulo 2^32, divided
//     by 2^32, so a number in [0, 1) that looks random but is fixed for that exact set;
//   - a perturbation table (ptable.csv, beside this file) maps the true count and the cell
//     key to a small noise, which is added to the count.
//
// Because the noise depends only on the set, asking for the same figure again, or reaching the
// same set through another page or filter, returns the same number and teaches nothing new;
// subtracting two overlapping figures gives the difference plus the difference of two noises,
// not a person. (Averaging many such differences, each over other sets, does narrow the
// noise: TestDifferencingRecoversLittle measures how far.) The table used here adds at most
// ±2, has mean 0 and variance 1, and never makes a count negative.
//
// For each true count i from 0 to its largest i the table holds rows (noise v, probability p,
// interval [lb, ub)) whose intervals cover [0, 1) without gap or overlap; the rows of the
// largest i serve every larger count too.
type PTable struct {
	rows [][]ptRow // by i
}

// ptableCSV is the perturbation table (see the package doc): maximum noise 2, variance 1, unbiased.
//
//go:embed ptable.csv
var ptableCSV []byte

var defaultPTable = sync.OnceValue(func() *PTable {
	t, err := ParsePTable(bytes.NewReader(ptableCSV))
	if err != nil {
		panic("embedded ptable.csv: " + err.Error())
	}
	return t
})

// DefaultPTable returns the embedded perturbation table (ptable.csv), parsed once. It panics
// only if the embedded file is broken, which a test rules out.
func DefaultPTable() *PTable { return defaultPTable() }

// probTolerance bounds the rounding between a row's p and its ub − lb as written in a CSV
// with a dozen decimals.
const probTolerance = 1e-9

// ParsePTable reads a perturbation table in the CSV layout of the R package ptable: a header
// "i,v,p,lb,ub", then one row per count i (a whole number from 0) and noise v (a whole number,
// with i + v ≥ 0 so no count turns negative), p the probability of that noise and [lb, ub) its
// share of the cell keys. For every i from 0 to the largest, the rows' intervals, taken in
// order of lb, must run from 0 to 1 with each ub the next lb, and p must equal ub − lb.
func ParsePTable(r io.Reader) (*PTable, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 5
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read ptable header: %w", err)
	}
	if want := []string{"i", "v", "p", "lb", "ub"}; !slices.Equal(head, want) {
		return nil, fmt.Errorf("ptable header is %q, want %q", head, want)
	}
	byI := map[int][]ptRow{}
	maxI := -1
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read ptable: %w", err)
		}
		i, row, err := parsePTableRow(rec)
		if err != nil {
			return nil, fmt.Errorf("ptable line %d: %w", line, err)
		}
		byI[i] = append(byI[i], row)
		maxI = max(maxI, i)
	}
	if maxI < 0 {
		return nil, errors.New("ptable has no rows")
	}
	t := &PTable{rows: make([][]ptRow, maxI+1)}
	for i := range t.rows {
		rows := byI[i]
		if len(rows) == 0 {
			return nil, fmt.Errorf("ptable has no rows for i = %d (rows run to i = %d)", i, maxI)
		}
		slices.SortFunc(rows, func(a, b ptRow) int { return cmp.Compare(a.LB, b.LB) })
		at := 0.0
		for _, row := range rows {
			if row.LB != at {
				return nil, fmt.Errorf("ptable rows for i = %d: interval starts at %v, want %v (gap or overlap)", i, row.LB, at)
			}
			at = row.UB
		}
		if at != 1 {
			return nil, fmt.Errorf("ptable rows for i = %d end at %v, want 1", i, at)
		}
		t.rows[i] = rows
	}
	return t, nil
}

// parsePTableRow reads and checks one CSV row on its own.
func parsePTableRow(rec []string) (i int, row ptRow, err error) {
	var v int
	if i, err = strconv.Atoi(rec[0]); err != nil || i < 0 {
		return 0, row, fmt.Errorf("i %q is not a whole number ≥ 0", rec[0])
	}
	if v, err = strconv.Atoi(rec[1]); err != nil {
		return 0, row, fmt.Errorf("v %q is not a whole number", rec[1])
	}
	if i+v < 0 {
		return 0, row, fmt.Errorf("noise %d would make count %d negative", v, i)
	}
	var f [3]float64
	for k, s := range rec[2:] {
		if f[k], err = strconv.ParseFloat(s, 64); err != nil || math.IsNaN(f[k]) {
			return 0, row, fmt.Errorf("%s %q is not a number", []string{"p", "lb", "ub"}[k], s)
		}
	}
	row = ptRow{V: v, P: f[0], LB: f[1], UB: f[2]}
	switch {
	case row.LB < 0 || row.UB > 1 || row.LB > row.UB:
		return 0, row, fmt.Errorf("interval [%v, %v) is not within [0, 1]", row.LB, row.UB)
	case math.Abs(row.P-(row.UB-row.LB)) > probTolerance:
		return 0, row, fmt.Errorf("p = %v but ub − lb = %v", row.P, row.UB-row.LB)
	}
	return i, row, nil
}

// rowsFor returns the rows that perturb a true count i: those of i itself, or of the table's
// largest i when i is beyond it.
func (t *PTable) rowsFor(i int) []ptRow { return t.rows[min(i, len(t.rows)-1)] }

// Perturb returns the published count of a set: its true count i plus the noise v of the row,
// among the rows for min(i, largest i in the table), with lb ≤ cell key < ub. A cell key equal
// to a row's ub therefore falls in the next row. An empty set stays 0, and no count goes
// below 0.
func (t *PTable) Perturb(s Set) int {
	if s.N <= 0 {
		return 0
	}
	rows := t.rowsFor(s.N)
	ck := s.CellKey()
	// The first row whose ub exceeds the key; rows cover [0, 1) and ck < 1, so one exists.
	k, _ := slices.BinarySearchFunc(rows, ck, func(r ptRow, ck float64) int {
		if r.UB <= ck {
			return -1
		}
		return 1
	})
	return max(0, s.N+rows[k].V)
}

// Share returns the perturbed denominator n of a share and its perturbed numerator x, the
// latter clipped to [0, n] since the two noises are independent and could otherwise give a
// share above 1.
func (t *PTable) Share(num, den Set) (x, n int) {
	n = t.Perturb(den)
	return min(max(t.Perturb(num), 0), n), n
}

// noise returns the distribution of the noise added to a true count i, by noise value.
func (t *PTable) noise(i int) map[int]float64 {
	if i <= 0 {
		return map[int]float64{0: 1}
	}
	out := map[int]float64{}
	for _, r := range t.rowsFor(i) {
		out[r.V] += r.P
	}
	return out
}
