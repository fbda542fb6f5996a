package baseline_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/baseline"
	"medborgarlofte/internal/lofte"
)

var cfg = baseline.Config{Basorter: []string{"Tollarp", "Degeberg", "Fjälkinge"}}

func TestParseExcelFile(t *testing.T) {
	f, err := os.Open("testdata/excel.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := baseline.Parse(f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []*lofte.Baseline{
		{Metric: "trust_high", Value: 0.55, Source: "Trygghetsmätning 2017"},
		{Basort: "Tollarp", Metric: "trust_high", Value: 0.48, Source: "Trygghetsmätning 2017"},
		{Basort: "Tollarp", Metric: "unsafe", Value: 0.31, Source: "Trygghetsmätning 2017"},
		{Metric: "cares_agree", Value: 0.38, Source: "Polisens trygghetsmätning 2017"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

// TestParseWindows1252 reads the file Swedish Excel saves as "CSV (semikolonavgränsad)":
// Windows-1252, so å, ä and ö are single bytes that are not UTF-8.
func TestParseWindows1252(t *testing.T) {
	data, err := os.ReadFile("testdata/excel-windows-1252.csv")
	if err != nil {
		t.Fatal(err)
	}
	if got := baseline.Encoding(data); got != baseline.Windows1252 {
		t.Fatalf("Encoding = %s, want %s", got, baseline.Windows1252)
	}
	got, err := baseline.Parse(bytes.NewReader(data), cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []*lofte.Baseline{
		{Metric: "trust_high", Value: 0.55, Source: "Polisens trygghetsmätning 2017"},
		{Basort: "Fjälkinge", Metric: "unsafe", Value: 0.31, Source: "Trygghetsmätning 2017"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	for _, utf := range []string{"basort;mått\n", "\uFEFFbasort;mått\n", "plain ascii\n"} {
		if got := baseline.Encoding([]byte(utf)); got != baseline.UTF8 {
			t.Errorf("Encoding(%q) = %s, want UTF-8", utf, got)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name, file, field, says string
		cfg                     *baseline.Config
	}{
		{"empty", "", "file", "tom", nil},
		{"only header", "basort;mått;värde;källa\n", "file", "inga rader", nil},
		{"unknown column", "basort;mått;värde;färg\n", "header", "färg", nil},
		{"no value column", "basort;mått;källa\nTollarp;trust_high;x\n", "header", "värde", nil},
		{"twice the same column", "ort;basort;mått;värde;källa\n", "header", "två gånger", nil},
		{"no source anywhere", "basort;mått;värde\nTollarp;trust_high;0,5\n", "source", "källa", nil},
		{"unknown basort", "basort;mått;värde;källa\nÅhus;trust_high;0,5;x\n", "rows[2].basort", "Åhus", nil},
		{"unknown metric", "basort;mått;värde;källa\nTollarp;trust_low;0,5;x\n", "rows[2].metric", "trust_low", nil},
		{"count is no baseline", "basort;mått;värde;källa\nTollarp;visitors;0,5;x\n", "rows[2].metric", "visitors", nil},
		{"not a number", "basort;mått;värde;källa\nTollarp;trust_high;hög;x\n", "rows[2].value", "andel", nil},
		{"over 100 %", "basort;mått;värde;källa\nTollarp;trust_high;120 %;x\n", "rows[2].value", "100", nil},
		{"negative", "basort;mått;värde;källa\nTollarp;trust_high;-0,2;x\n", "rows[2].value", "mellan", nil},
		{"NaN", "basort;mått;värde;källa\nTollarp;trust_high;NaN;x\n", "rows[2].value", "andel", nil},
		{"duplicate row", "basort;mått;värde;källa\nTollarp;trust_high;0,5;x\n\ntollarp;Högt förtroende;0,6;x\n", "rows[4].metric", "rad 2", nil},
		{"long source", "basort;mått;värde;källa\nTollarp;trust_high;0,5;" + strings.Repeat("k", 201) + "\n", "rows[2].source", "200", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cfg
			if tt.cfg != nil {
				c = *tt.cfg
			}
			got, err := baseline.Parse(strings.NewReader(tt.file), c)
			var le *lofte.Error
			if !errors.As(err, &le) || le.Code != lofte.EINVALID {
				t.Fatalf("got %v, %v; want an invalid error", got, err)
			}
			if le.Field != tt.field || !strings.Contains(le.Message, tt.says) {
				t.Errorf("error %q on %q, want field %q saying %q", le.Message, le.Field, tt.field, tt.says)
			}
		})
	}
}

func TestParseDefaultsAndSeparators(t *testing.T) {
	c := cfg
	c.DefaultSource = "NTU 2017"
	got, err := baseline.Parse(strings.NewReader("metric,value\ntrust_high,0.5\nunsafe,\"27,5 %\"\nworried,0.3,\n"), c)
	if err != nil {
		t.Fatal(err)
	}
	want := []*lofte.Baseline{{Metric: "trust_high", Value: 0.5, Source: "NTU 2017"}, {Metric: "unsafe", Value: 0.275, Source: "NTU 2017"},
		{Metric: "worried", Value: 0.3, Source: "NTU 2017"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

// TestParseTypedQuotes: a quote typed inside a cell is kept as typed, as Excel shows it.
func TestParseTypedQuotes(t *testing.T) {
	got, err := baseline.Parse(strings.NewReader("basort;mått;värde;källa\nTollarp;unsafe;0,31;Enkät \"Trygg i byn\" 2017\n"), cfg)
	if err != nil || len(got) != 1 || got[0].Source != `Enkät "Trygg i byn" 2017` {
		t.Fatalf("got %+v, %v", got, err)
	}
}

func TestParseValue(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"0,62", 0.62}, {"0.62", 0.62}, {"62 %", 0.62}, {"62%", 0.62}, {"62", 0.62}, {"1", 1}, {"0", 0},
		{"100 %", 1}, {"1 %", 0.01}, {"45,5\u00a0%", 0.455},
	}
	for _, tt := range tests {
		got, err := baseline.ParseValue(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseValue(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

// TestWriteReadsBack: what the app serves for editing reads back unchanged, and text that
// Excel would run as a formula is served with an apostrophe in front.
func TestWriteReadsBack(t *testing.T) {
	bs := []*lofte.Baseline{
		{Metric: "trust_high", Value: 0.55, Source: "=HYPERLINK(\"http://x\")"},
		{Basort: "Tollarp", Metric: "unsafe", Value: 0.305, Source: "@SUM(1)"},
		{Basort: "Degeberg", Metric: "cares_agree", Value: 0.4, Source: "-1+1"},
	}
	var buf bytes.Buffer
	if err := baseline.Write(&buf, bs); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(buf.String(), "\r\n")[1:] {
		if line == "" {
			continue
		}
		fields := strings.Split(line, ";")
		if src := strings.Trim(fields[len(fields)-1], `"`); !strings.HasPrefix(src, "'") {
			t.Errorf("source %q is served without an apostrophe", src)
		}
	}
	got, err := baseline.Parse(&buf, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(bs, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func FuzzParse(f *testing.F) {
	seed, err := os.ReadFile("testdata/excel.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("metric,value,source\ntrust_high,0.5,x\n"))
	f.Add([]byte("basort;mått;värde;källa\nTollarp;trust_high;\"0,5\";'=1\n"))
	f.Add([]byte("\uFEFF\n\n;;;\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		bs, err := baseline.Parse(bytes.NewReader(data), cfg)
		if err != nil {
			var le *lofte.Error
			if !errors.As(err, &le) || le.Code != lofte.EINVALID {
				t.Fatalf("error %v is not an invalid error", err)
			}
			return
		}
		for _, b := range bs {
			if err := b.Validate(); err != nil {
				t.Fatalf("parsed baseline %+v does not validate: %v", b, err)
			}
		}
		var buf bytes.Buffer
		if err := baseline.Write(&buf, bs); err != nil {
			t.Fatal(err)
		}
		again, err := baseline.Parse(&buf, cfg)
		if err != nil {
			t.Fatalf("written file does not read back: %v\n%s", err, buf.String())
		}
		if d := cmp.Diff(bs, again); d != "" {
			t.Fatalf("round trip (-first +again)\n%s", d)
		}
	})
}
