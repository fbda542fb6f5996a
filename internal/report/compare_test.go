package report_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/report"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// TestComparisonSheet writes the 2019 workbook of a copied promise beside 2018 and reads
// Jämförelse back cell by cell: the earlier figures are 2018's own (the API's, suppressed
// alike), a basort 2018 did not have is said, and a change is withheld with its reason
// wherever a side is suppressed.
func TestComparisonSheet(t *testing.T) {
	db, p18, _ := mustDemo(t)
	p19 := sqlitetest.MustAddNextYear(t, db, p18, []string{"Tollarp"},
		&lofte.Locality{Name: "Nyby", Population: 900, Lat: 55.9, Lon: 14.1, Basort: true, Coordinates: "approximate"})
	// A higher threshold for 2018 than the built-in 10 makes the smaller basorter's cells
	// suppressed whatever their random record keys add, and leaves the larger ones shown, so
	// both paths are taken on every run.
	p18.MinN = 100
	sc := metrics.Scope{From: date("2019-01-01"), To: date("2019-12-31")}
	var buf bytes.Buffer
	later := now.AddDate(1, 0, 0)
	if err := report.WriteCompared(context.Background(), &buf, db, p19, p18, sc, later, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := slices.Insert(slices.Clone(report.Sheets), 1, report.SheetCompare)
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	rows := mustRows(t, f, report.SheetCompare)
	facts := map[string]string{}
	head := -1
	for i, r := range rows {
		if len(r) > 1 && r[0] != "Plats" {
			facts[r[0]] = r[1]
		}
		if len(r) > 0 && r[0] == "Plats" {
			head = i
			break
		}
	}
	if facts["Då"] != "2018-01-01 – 2018-12-31" || facts["Jämförs med"] != p18.Title ||
		!strings.Contains(facts["Så valdes perioden"], "ett år tidigare") || facts["Så jämförs siffrorna"] != report.NoteCompare {
		t.Errorf("facts %q", facts)
	}
	if head < 0 {
		t.Fatal("no table header")
	}
	header := rows[head]
	col := func(h string) int { return column(t, header, h) }
	then, thenN, nowC, change, note := col("Då"), col("Då, n"), col("Nu"), col("Förändring (procentenheter för andelar)"), col("Anmärkning")

	// 2018's figures by basort, as the API computes them.
	scThen := metrics.Scope{From: date("2018-01-01"), To: date("2018-12-31"), Group: metrics.GroupBasort}
	res18 := mustCompute(t, db, p18, scThen)
	earlier := map[string]metrics.Metrics{"Hela området": res18.Total.Metrics}
	for _, g := range res18.Groups {
		earlier[g.Key] = g.Metrics
	}
	var suppressed, nyby, shown int
	for _, r := range rows[head+1:] {
		r = append(r, make([]string, len(header))...)
		if r[1] != label("trust_high") {
			continue
		}
		where := r[0] + " trust_high"
		if r[0] == "Nyby" {
			nyby++
			if r[then] != report.Undefined || r[change] != report.Undefined || !strings.Contains(r[note], metrics.MissingBasort) || r[nowC] == "" {
				t.Errorf("Nyby %q, want no earlier figure, no change and %q", r, metrics.MissingBasort)
			}
			continue
		}
		m, ok := earlier[r[0]]
		if !ok {
			t.Errorf("row for %s, no basort of either year", r[0])
			continue
		}
		f := m.Figure("trust_high")
		wantFigure(t, where+" then", f, r[then], r[thenN])
		switch {
		case f.Suppressed:
			suppressed++
			if r[change] != report.Undefined || !strings.Contains(r[note], "för få svar då") {
				t.Errorf("%s: change %q note %q, want withheld: för få svar då", where, r[change], r[note])
			}
		case f.Value != nil && !f.Uncertain && r[change] != report.Undefined:
			shown++
		}
	}
	if nyby != 1 || suppressed == 0 || shown == 0 {
		t.Errorf("Nyby rows %d, suppressed earlier cells %d, shown changes %d; want 1 and some of each", nyby, suppressed, shown)
	}
	if slices.ContainsFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == "Tollarp" }) {
		t.Error("Tollarp, no basort of 2019, is compared")
	}

	// Without compare the workbook is as before; a later promise cannot be compared with.
	if f, _ := mustWrite(t, db, p19, sc); slices.Contains(f.GetSheetList(), report.SheetCompare) {
		t.Error("a workbook not asked to compare has Jämförelse")
	}
	var le *lofte.Error
	err = report.WriteCompared(context.Background(), &bytes.Buffer{}, db, p18, p19, year(), now, nil)
	if !errors.As(err, &le) || le.Field != "compare" {
		t.Errorf("2018 compared with 2019: %v, want refused naming compare", err)
	}
}
