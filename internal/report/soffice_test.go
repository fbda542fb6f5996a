package report_test

import (
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

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
	rows := read(report.SheetBasort)
	trust := column(t, rows[0], label("trust_high"))
	byKey := map[string][]string{}
	for _, r := range rows[1:] {
		if byKey[r[0]] == nil {
			byKey[r[0]] = r
		}
	}
	if got := byKey["Tollarp"][trust]; !regexp.MustCompile(`^50\s?%$`).MatchString(got) || byKey["Tollarp"][trust+1] != "30" {
		t.Errorf("Tollarp trust_high %q n %q, want 50 %% of 30", got, byKey["Tollarp"][trust+1])
	}
	for _, basort := range []string{"Önnestad", "Fjälkinge"} {
		if got := byKey[basort][trust]; got != report.Suppressed {
			t.Errorf("%s trust_high %q, want %q", basort, got, report.Suppressed)
		}
	}
	var comments []string
	for _, r := range read(report.SheetComments)[1:] {
		comments = append(comments, r[1])
	}
	for _, want := range []string{`=HYPERLINK("http://example.com/","klicka")`, "=1+1", "+1", "-1", "@SUM(1)", "\tflik"} {
		if !slices.Contains(comments, want) {
			t.Errorf("LibreOffice shows the comments %q, want %q among them as typed", comments, want)
		}
	}
	if raw := read(report.SheetRaw); len(raw) != 54 {
		t.Errorf("Rådata: %d rows in LibreOffice, want 54", len(raw))
	}
}
