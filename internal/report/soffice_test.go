package report_test

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/report"
)

// soffice finds LibreOffice; the test needs it and says how to get it.
func soffice(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("SOFFICE"), "/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice"} {
		if p != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("LibreOffice not found: run scripts/install-test-deps (Debian package libreoffice-calc)")
	return ""
}

// TestLibreOfficeReadsTheWorkbook opens the workbook in a real spreadsheet program, which
// exports every sheet as CSV, and checks known cells: the figures, the suppression marks, and
// visitor text that looks like a formula staying text.
func TestLibreOfficeReadsTheWorkbook(t *testing.T) {
	bin := soffice(t)
	s := mustSmall(t)
	_, b := mustWrite(t, s.db, s.p, year())
	dir := t.TempDir()
	in := filepath.Join(dir, "bra.xlsx")
	if err := os.WriteFile(in, b, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Filter options: comma, double quote, UTF-8, from row 1, …, -1 = every sheet to its own file.
	cmd := exec.CommandContext(ctx, bin, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
		"--outdir", filepath.Join(dir, "out"), in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	read := func(sheet string) [][]string {
		t.Helper()
		f, err := os.Open(filepath.Join(dir, "out", "bra-"+sheet+".csv"))
		if err != nil {
			t.Fatalf("LibreOffice wrote no CSV for %s: %v", sheet, err)
		}
		defer f.Close()
		r := csv.NewReader(f)
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", sheet, err)
		}
		return rows
	}
	for _, sheet := range report.Sheets {
		if rows := read(sheet); len(rows) < 2 {
			t.Errorf("%s: %d rows in LibreOffice", sheet, len(rows))
		}
	}
	method := read(report.SheetMethod)
	for _, sec := range metrics.Method(s.p) {
		if !slices.ContainsFunc(method, func(r []string) bool { return len(r) > 1 && r[0] == sec.Title && r[1] == sec.Text }) {
			t.Errorf("LibreOffice shows no %q on %s", sec.Title, report.SheetMethod)
		}
	}
	rows := read(report.SheetBasort)
	trust := column(t, rows[0], label("trust_high"))
	rowOf := byKey(rows)
	sc := year()
	sc.Group = metrics.GroupBasort
	res := mustCompute(t, s.db, s.p, sc)
	for _, g := range res.Groups {
		if g.Key != "Tollarp" {
			continue
		}
		f := g.Metrics.Figure("trust_high")
		got := rowOf["Tollarp"][trust]
		m := regexp.MustCompile(`^([0-9.]+)\s?%$`).FindStringSubmatch(got)
		var pct float64
		if m != nil {
			pct, _ = strconv.ParseFloat(m[1], 64)
		}
		if m == nil || math.Abs(pct-*f.Value*100) > 1e-9 || rowOf["Tollarp"][trust+1] != strconv.Itoa(*f.N) {
			t.Errorf("Tollarp trust_high %q n %q, want %v %% of %d", got, rowOf["Tollarp"][trust+1], *f.Value*100, *f.N)
		}
	}
	if r := rowOf["Önnestad"]; r[trust] != report.Suppressed || r[trust+1] != "" {
		t.Errorf("Önnestad trust_high %q n %q, want %q and no n", r[trust], r[trust+1], report.Suppressed)
	}
	var comments []string
	for _, r := range read(report.SheetComments)[1:] {
		comments = append(comments, r[0]+": "+r[1])
	}
	// LibreOffice's CSV export writes a carriage return as a line break: compare the rest.
	want := slices.DeleteFunc(slices.Clone(wantShownComments), func(c string) bool { return strings.Contains(c, "\r") })
	got := slices.DeleteFunc(comments, func(c string) bool { return strings.Contains(c, "vagnretur") })
	if !slices.Equal(got, want) {
		t.Errorf("LibreOffice shows the comments %q, want %q, as typed", got, want)
	}
	// No sheet has a row per response: none has a header and a row for each answer, and no
	// cell holds a response's id.
	for _, sheet := range report.Sheets {
		rows := read(sheet)
		if len(rows) == smallResponses+1 {
			t.Errorf("%s: %d rows in LibreOffice, one per answer", sheet, len(rows))
		}
		for _, r := range rows {
			if i := slices.IndexFunc(r, func(c string) bool { return strings.HasPrefix(c, "00000000-0000-4000-8000-") }); i >= 0 {
				t.Errorf("%s shows a response id: %q", sheet, r)
			}
		}
	}
}
