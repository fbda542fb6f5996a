package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/report"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// mustDemoDB writes a database with the demo year at path.
func mustDemoDB(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	db, p := openSeededFile(t, path)
	defer db.Close()
	sqlitetest.MustFillDemo(t, db, p)
}

// runBinIn runs the built command in dir.
func runBinIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	return runCmd(t, cmd)
}

// entries lists a folder's file names.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	mustDemoDB(t, filepath.Join(dir, "data", "medborgarlofte.db"))

	code, stdout, stderr := runBinIn(t, dir, "report", "--from", "2018-01-01", "--to", "2018-12-31")
	want := filepath.Join("reports", "bra-2018-01-01-2018-12-31.xlsx")
	if code != 0 || stdout != want+"\n" {
		t.Fatalf("report: code %d stdout %q stderr %q", code, stdout, stderr)
	}
	if stderr != "" {
		t.Errorf("not a terminal, yet stderr has %q (a progress bar?)", stderr)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, want))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); !slices.Equal(got, report.Sheets) {
		t.Errorf("sheets %q", got)
	}
	rows, _ := f.GetRows(report.SheetBasort)
	f.Close()
	if !slices.ContainsFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == "Åhus" }) {
		t.Errorf("Per basort lacks Åhus for the demo year: %q", rows)
	}
	// A second run replaces the report and leaves no temporary file.
	if code, _, stderr := runBinIn(t, dir, "report", "--from", "2018-01-01", "--to", "2018-12-31"); code != 0 {
		t.Fatalf("second run: %d %s", code, stderr)
	}
	if got := entries(t, filepath.Join(dir, "reports")); !slices.Equal(got, []string{"bra-2018-01-01-2018-12-31.xlsx"}) {
		t.Errorf("reports/ holds %q", got)
	}

	// One basort: the same name repeated is that basort.
	out := filepath.Join(dir, "ut", "nytt", "tollarp.xlsx")
	code, stdout, stderr = runBinIn(t, dir, "report", "--from", "2018-03-01", "--to", "2018-03-31", "--basort", "Tollarp",
		"--basort", "Tollarp", "--out", out)
	if code != 0 || strings.TrimSpace(stdout) != out {
		t.Fatalf("--out: code %d %q %q", code, stdout, stderr)
	}
	f, err = excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ = f.GetRows(report.SheetBasort)
	f.Close()
	var places []string
	for _, r := range rows[1:] {
		if len(r) > 0 && r[0] != "" {
			places = append(places, r[0])
		}
	}
	if !slices.Contains(places, "Tollarp") || slices.Contains(places, "Åhus") {
		t.Errorf("the Tollarp report's Per basort rows are %q, want Tollarp and no other basort", places)
	}

	// A run that fails at the end leaves no half file: the target is a folder here.
	blocked := filepath.Join(dir, "blocked")
	if err := os.MkdirAll(filepath.Join(blocked, "bra.xlsx"), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runBinIn(t, dir, "report", "--from", "2018-01-01", "--to", "2018-01-31", "--out",
		filepath.Join(blocked, "bra.xlsx")); code != 1 || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
		t.Errorf("rename onto a folder: code %d %q", code, stderr)
	}
	if got := entries(t, blocked); !slices.Equal(got, []string{"bra.xlsx"}) {
		t.Errorf("a failed run left %q", got)
	}
}

func TestReportCommandMistakes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	mustDemoDB(t, db)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"bad from", []string{"--from", "2018-13-01", "--to", "2018-12-31"}, 2, "--from"},
		{"bad to", []string{"--from", "2018-01-01", "--to", "31/12/2018"}, 2, "--to"},
		{"no from", []string{"--to", "2018-12-31"}, 2, "--from saknas"},
		{"to before from", []string{"--from", "2018-05-01", "--to", "2018-04-01"}, 2, "före"},
		{"unknown basort", []string{"--from", "2018-01-01", "--to", "2018-12-31", "--basort", "Tollarp", "--basort", "Atlantis"}, 2, `"Atlantis"`},
		{"two basorter", []string{"--from", "2018-01-01", "--to", "2018-12-31", "--basort", "Tollarp", "--basort", "Åhus"}, 2, "inte flera"},
		{"empty basort", []string{"--from", "2018-01-01", "--to", "2018-12-31", "--basort", ""}, 2, "basort"},
		{"negative promise", []string{"--from", "2018-01-01", "--to", "2018-12-31", "--promise", "-1"}, 2, "--promise"},
		{"no such promise", []string{"--from", "2018-01-01", "--to", "2018-12-31", "--promise", "99"}, 1, "hittades"},
		{"no database", []string{"--from", "2018-01-01", "--to", "2018-12-31", "--db", filepath.Join(dir, "none.db")}, 1, "finns inte"},
		{"unknown compare", []string{"--from", "2018-01-01", "--to", "2018-12-31", "--compare", "999"}, 2, "--compare 999"},
		// The active promise is the only one: there is no earlier one to compare with.
		{"compare with itself", []string{"--from", "2018-01-01", "--to", "2018-12-31", "--compare", "1"}, 1, "tidigare löfte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"report"}, tt.args...)
			if !slices.Contains(tt.args, "--db") {
				args = append(args, "--db", db)
			}
			code, stdout, stderr := runBinIn(t, dir, args...)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if code != tt.code || len(lines) != 1 || !strings.Contains(lines[0], tt.want) || stdout != "" {
				t.Errorf("code %d (want %d), stderr %q (want one line with %q), stdout %q", code, tt.code, stderr, tt.want, stdout)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "reports")); err == nil {
		t.Error("a refused command created reports/")
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Error("a report on a missing database created it")
	}
}

// TestReportProgressOnATerminal runs the command on a pseudo-terminal (util-linux's script,
// part of every Debian) and finds the progress bar there, and the path printed after it.
func TestReportProgressOnATerminal(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil {
		t.Fatal("script (util-linux) not found; it gives the command a terminal")
	}
	dir := t.TempDir()
	mustDemoDB(t, filepath.Join(dir, "data", "medborgarlofte.db"))
	cmd := exec.Command(script, "-qec", binary+" report --from 2018-01-01 --to 2018-12-31", "/dev/null")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("report on a terminal: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Skriver BRÅ-rapporten") {
		t.Errorf("no progress bar on a terminal:\n%q", out)
	}
	if !strings.Contains(string(out), filepath.Join("reports", "bra-2018-01-01-2018-12-31.xlsx")) {
		t.Errorf("the path is not printed:\n%q", out)
	}
}

func TestReportPeriod(t *testing.T) {
	tests := []struct {
		name, from, to string
		want           string // the period as "first last", or a part of the refusal
	}{
		{"a year", "2018-01-01", "2018-12-31", "2018-01-01 2018-12-31"},
		{"one day", "2018-05-01", "2018-05-01", "2018-05-01 2018-05-01"},
		{"no from", "", "2018-12-31", "--from saknas"},
		{"no to", "2018-01-01", "", "--to saknas"},
		{"bad from", "2018-13-01", "2018-12-31", `--from "2018-13-01"`},
		{"bad to", "2018-01-01", "31/12/2018", `--to "31/12/2018"`},
		{"to before from", "2018-05-01", "2018-04-30", "ligger före"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first, last, err := reportPeriod(tt.from, tt.to)
			got := first.String() + " " + last.String()
			if err != nil {
				if _, usage := err.(errUsage); !usage {
					t.Errorf("%v is not a usage error", err)
				}
				got = err.Error()
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReportBasort(t *testing.T) {
	ls := []*lofte.Locality{{Name: "Tollarp", Basort: true}, {Name: "Åhus", Basort: true}}
	tests := []struct {
		name    string
		names   []string
		want    string
		wantErr string // a part of the refusal; "" when none
	}{
		{"whole area", nil, "", ""},
		{"one", []string{"Åhus"}, "Åhus", ""},
		{"the same twice", []string{"Åhus", "Åhus"}, "Åhus", ""},
		{"two", []string{"Tollarp", "Åhus"}, "", "inte flera"},
		{"unknown", []string{"Tollarp", "Atlantis"}, "", `okänd basort "Atlantis"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := reportBasort(ls, tt.names)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want one with %q", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
