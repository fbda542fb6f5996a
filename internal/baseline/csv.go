// Package baseline owns the CSV form of baselines: the reference values (for example from the
// last safety survey) that an admin brings in per basort and indicator, and the same list
// written back out as a file to edit in Excel.
//
// The format is what Swedish Excel writes: semicolons (commas are accepted too), decimal
// commas, UTF-8 with or without a byte order mark or Windows-1252 (Excel's default for
// "CSV (semikolonavgränsad)"), and a header row naming the columns.
package baseline

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
)

// MaxRows is the most data rows a file may hold; a real file has a few per basort.
const MaxRows = 5000

// AreaName is how the whole area (no single basort) is written in a file.
const AreaName = "Hela området"

// Config is what a file is checked against.
type Config struct {
	// Basorter are the promise's locality names; a row naming another is refused.
	Basorter []string
	// DefaultSource is used for rows without a source of their own.
	DefaultSource string
}

// column names accepted in the header, Swedish and English, lower case.
var columns = map[string]string{
	"basort": "basort", "ort": "basort", "område": "basort", "locality": "basort",
	"metric": "metric", "mått": "metric", "indikator": "metric", "indicator": "metric",
	"value": "value", "värde": "value", "andel": "value", "baslinje": "value",
	"source": "source", "källa": "source",
}

var areaNames = map[string]bool{"": true, "hela området": true, "området": true, "alla": true, "all": true, "area": true}

// Parse reads baselines from a CSV file. It checks the whole file and returns the first
// mistake as an invalid error naming the row and column, so nothing is stored from a file
// with any error in it.
func Parse(r io.Reader, cfg Config) ([]*lofte.Baseline, error) {
	cr, err := newReader(r)
	if err != nil {
		return nil, err
	}
	idx, err := readHeader(cr, cfg)
	if err != nil {
		return nil, err
	}
	p := newRowParser(idx, cfg)
	var out []*lofte.Baseline
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		row, _ := cr.FieldPos(0) // the line in the file, as Excel numbers it
		if blank(rec) {
			continue
		}
		if len(out) == MaxRows {
			return nil, lofte.Invalid("file", "filen har fler än %d rader", MaxRows)
		}
		b, err := p.parse(rec, row)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		return nil, lofte.Invalid("file", "filen har inga rader med värden")
	}
	return out, nil
}

// newReader reads the file whole (it is small) and sets a CSV reader to the way Excel and
// people write it: the separator of the header line, rows of any length, stray quotes.
func newReader(r io.Reader) (*csv.Reader, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read baseline file: %w", err)
	}
	data = bytes.TrimPrefix(decode(data), []byte("\uFEFF"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = delimiter(data)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.LazyQuotes = true // people type quotes inside unquoted cells
	return cr, nil
}

// Encodings a baseline file is read in.
const (
	UTF8        = "UTF-8"
	Windows1252 = "Windows-1252"
)

// Encoding tells how a file will be read: UTF-8 (with or without BOM) when it is valid
// UTF-8, otherwise Windows-1252, which Swedish Excel's "CSV (semikolonavgränsad)" writes.
func Encoding(data []byte) string {
	if utf8.Valid(data) {
		return UTF8
	}
	return Windows1252
}

// decode returns data as UTF-8 text, read as Encoding says.
func decode(data []byte) []byte {
	if Encoding(data) == UTF8 {
		return data
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil { // cannot happen: every byte is a character in Windows-1252
		return data
	}
	return out
}

// readHeader reads the header row and returns each known column's position; the metric and
// value columns must be there, and the source column unless cfg gives a default.
func readHeader(cr *csv.Reader, cfg Config) (map[string]int, error) {
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, lofte.Invalid("file", "filen är tom; första raden ska vara rubrikerna basort;mått;värde;källa")
	}
	if err != nil {
		return nil, csvError(err)
	}
	idx := map[string]int{}
	for i, h := range header {
		name, ok := columns[strings.ToLower(strings.TrimSpace(h))]
		if !ok {
			return nil, lofte.Invalid("header", "okänd kolumn %q; använd basort, mått, värde och källa", clip(h))
		}
		if _, dup := idx[name]; dup {
			return nil, lofte.Invalid("header", "kolumnen %q finns två gånger", clip(h))
		}
		idx[name] = i
	}
	for _, need := range []string{"metric", "value"} {
		if _, ok := idx[need]; !ok {
			return nil, lofte.Invalid("header", "kolumnen %q saknas", map[string]string{"metric": "mått", "value": "värde"}[need])
		}
	}
	if _, ok := idx["source"]; !ok && strings.TrimSpace(cfg.DefaultSource) == "" {
		return nil, lofte.Invalid("source", "ange en källa, i en kolumn \"källa\" eller för hela filen")
	}
	return idx, nil
}

// rowParser turns data rows into baselines, remembering the rows seen so far.
type rowParser struct {
	cfg      Config
	idx      map[string]int    // column → position in a row
	basorter map[string]string // lower-case name → the promise's spelling
	metrics  map[string]string // code or lower-case Swedish label → code
	seen     map[[2]string]int // basort and metric → the row first giving them
}

func newRowParser(idx map[string]int, cfg Config) *rowParser {
	p := &rowParser{cfg: cfg, idx: idx, basorter: map[string]string{}, metrics: map[string]string{}, seen: map[[2]string]int{}}
	for _, b := range cfg.Basorter {
		p.basorter[strings.ToLower(b)] = b
	}
	for _, code := range metrics.BaselineMetrics() {
		p.metrics[code] = code
		p.metrics[strings.ToLower(metrics.Label(code))] = code
	}
	return p
}

// cell is a row's cleaned text in column col ("" when the row has no such column).
func (p *rowParser) cell(rec []string, col string) string {
	if i, ok := p.idx[col]; ok && i < len(rec) {
		return unsafeCell(strings.TrimSpace(strings.Map(noControl, rec[i])))
	}
	return ""
}

// parse reads the data row rec, which is line row of the file.
func (p *rowParser) parse(rec []string, row int) (*lofte.Baseline, error) {
	b := &lofte.Baseline{Source: p.cell(rec, "source")}
	if b.Source == "" {
		b.Source = strings.TrimSpace(p.cfg.DefaultSource)
	}
	if name := p.cell(rec, "basort"); !areaNames[strings.ToLower(name)] {
		canon, ok := p.basorter[strings.ToLower(name)]
		if !ok {
			return nil, rowError(row, "basort", "okänd ort %q", clip(name))
		}
		b.Basort = canon
	}
	code, ok := p.metrics[strings.ToLower(p.cell(rec, "metric"))]
	if !ok {
		return nil, rowError(row, "metric", "okänt mått %q; använd en kod som trust_high eller namnet som ”Högt förtroende”", clip(p.cell(rec, "metric")))
	}
	b.Metric = code
	var err error
	if b.Value, err = ParseValue(p.cell(rec, "value")); err != nil {
		return nil, rowError(row, "value", "%s", err.Error())
	}
	if err := b.Validate(); err != nil {
		var field string
		if e := lofte.AsError(err); e != nil {
			field = e.Field
		}
		return nil, rowError(row, field, "%s", err.Error())
	}
	key := [2]string{b.Basort, b.Metric}
	if first, dup := p.seen[key]; dup {
		return nil, rowError(row, "metric", "samma ort och mått finns redan på rad %d", first)
	}
	p.seen[key] = row
	return b, nil
}

// ParseValue reads a baseline value the way people write it: a share ("0,62", "0.62") or a
// percentage ("62 %", "62"). A number above 1 without a sign is read as a percentage.
func ParseValue(s string) (float64, error) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	percent := strings.HasSuffix(s, "%")
	s = strings.Replace(strings.TrimSuffix(s, "%"), ",", ".", 1)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || s == "" {
		return 0, errors.New("värdet måste vara en andel (0,62) eller procent (62 %)")
	}
	if percent || v > 1 {
		v /= 100
	}
	if v < 0 || v > 1 {
		return 0, errors.New("värdet måste ligga mellan 0 och 100 %")
	}
	return v, nil
}

// Write writes baselines in the format Parse reads, for editing in Excel: semicolons, decimal
// commas, a byte order mark so Excel reads UTF-8. Text that a spreadsheet could take for a
// formula is prefixed with an apostrophe.
func Write(w io.Writer, bs []*lofte.Baseline) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("write baselines: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	rows := [][]string{{"basort", "mått", "värde", "källa"}}
	for _, b := range bs {
		name := b.Basort
		if name == "" {
			name = AreaName
		}
		v := lofte.Decimal(b.Value, -1)
		rows = append(rows, []string{SafeCell(name), b.Metric, v, SafeCell(b.Source)})
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write baselines: %w", err)
	}
	return nil
}

// SafeCell prefixes text that a spreadsheet would read as a formula (=, +, -, @, tab, CR)
// with an apostrophe, so it stays text when the file is opened.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// noControl turns control characters (a stray CR or tab from a spreadsheet) into spaces.
func noControl(r rune) rune {
	if unicode.IsControl(r) {
		return ' '
	}
	return r
}

// unsafeCell undoes SafeCell, so a file this package wrote reads back the same.
func unsafeCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// delimiter picks the separator of the header line: Swedish Excel writes semicolons.
func delimiter(data []byte) rune {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	switch {
	case bytes.Count(line, []byte(";")) > 0:
		return ';'
	case bytes.Count(line, []byte("\t")) > 0:
		return '\t'
	}
	return ','
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func rowError(row int, col, format string, args ...any) error {
	field := fmt.Sprintf("rows[%d]", row)
	if col != "" {
		field += "." + col
	}
	return lofte.Invalid(field, "rad %d: "+format, append([]any{row}, args...)...)
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return lofte.Invalid(fmt.Sprintf("rows[%d]", pe.Line), "rad %d: filen går inte att läsa som CSV (%s)", pe.Line, pe.Err)
	}
	return lofte.Invalid("file", "filen går inte att läsa som CSV")
}

// clip keeps echoed input short in messages.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
