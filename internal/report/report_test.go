package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"medborgarlofte/internal/demo"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/report"
	"medborgarlofte/internal/sqlite"
	"medborgarlofte/internal/sqlite/sqlitetest"
)

// now is after the demo year, so every stop of it lies in the past.
var now = time.Date(2019, 1, 15, 12, 0, 0, 0, lofte.Zone)

func date(s string) *lofte.Date {
	d, err := lofte.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return &d
}

func year() metrics.Scope { return metrics.Scope{From: date("2018-01-01"), To: date("2018-12-31")} }

// mustDemo is a database holding the demo year.
func mustDemo(tb testing.TB) (*sqlite.DB, *lofte.Promise, demo.Summary) {
	tb.Helper()
	db, p := sqlitetest.MustOpenSeeded(tb)
	return db, p, sqlitetest.MustFillDemo(tb, db, p)
}

// mustWrite writes the workbook and reopens it.
func mustWrite(tb testing.TB, db *sqlite.DB, p *lofte.Promise, sc metrics.Scope) (*excelize.File, []byte) {
	tb.Helper()
	var buf bytes.Buffer
	if err := report.Write(context.Background(), &buf, db, p, sc, now, nil); err != nil {
		tb.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f, buf.Bytes()
}

func mustRows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// column finds a heading in a header row.
func column(t *testing.T, header []string, head string) int {
	t.Helper()
	i := slices.Index(header, head)
	if i < 0 {
		t.Fatalf("no column %q in %q", head, header)
	}
	return i
}

func label(code string) string {
	for _, d := range metrics.Definitions {
		if d.Code == code {
			return d.Label
		}
	}
	return code
}

// wantFigure checks a figure's value and n cells against package metrics.
func wantFigure(t *testing.T, where string, f metrics.Figure, value, n string) {
	t.Helper()
	switch {
	case f.Suppressed:
		if value != report.Suppressed {
			t.Errorf("%s: %q, want %q (suppressed)", where, value, report.Suppressed)
		}
	case f.Value == nil:
		if value != report.Empty {
			t.Errorf("%s: %q, want %q", where, value, report.Empty)
		}
	default:
		if !sameNumber(value, *f.Value) {
			t.Errorf("%s: %q, want %v", where, value, *f.Value)
		}
	}
	wantN := ""
	if f.N != nil {
		wantN = strconv.Itoa(*f.N)
	}
	if n != wantN {
		t.Errorf("%s: n %q, want %q", where, n, wantN)
	}
}

// sameNumber reports whether a cell holds the number, to the 15 significant digits Excel keeps.
func sameNumber(cell string, want float64) bool {
	got, err := strconv.ParseFloat(cell, 64)
	return err == nil && math.Abs(got-want) <= 1e-12*math.Max(1, math.Abs(want))
}

// mustCompute computes a scope as the API does: the same input, the same engine.
func mustCompute(tb testing.TB, db *sqlite.DB, p *lofte.Promise, sc metrics.Scope) *metrics.Result {
	tb.Helper()
	in, err := metrics.Load(context.Background(), db, p, sc, now)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := metrics.Compute(in, sc)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// mustApprove approves the first n pending comments of the promise.
func mustApprove(tb testing.TB, db *sqlite.DB, p *lofte.Promise, n int) []*lofte.Comment {
	tb.Helper()
	ctx := context.Background()
	cs, err := db.FindComments(ctx, lofte.CommentFilter{PromiseID: p.ID, Status: lofte.CommentPending})
	if err != nil {
		tb.Fatal(err)
	}
	var out []*lofte.Comment
	for _, c := range cs[:min(n, len(cs))] {
		c, err := db.ReviewComment(ctx, c.ResponseID, lofte.CommentReview{Status: lofte.CommentApproved, By: "anna", At: now})
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func zipFiles(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		out[zf.Name] = string(data)
	}
	return out
}

func TestWorkbookOnTheDemoYear(t *testing.T) {
	db, p, sum := mustDemo(t)
	mustApprove(t, db, p, 20)
	var steps []int
	var buf bytes.Buffer
	total := 0
	err := report.Write(context.Background(), &buf, db, p, year(), now, func(done, n int) {
		steps, total = append(steps, done), n
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) == 0 || steps[len(steps)-1] != total || !slices.IsSorted(steps) {
		t.Errorf("progress %v of %d: want rising to the total", steps, total)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	if got := f.GetSheetList(); !slices.Equal(got, report.Sheets) {
		t.Fatalf("sheets %q, want %q", got, report.Sheets)
	}
	// The workbook opens on the summary, the one sheet selected.
	if i := f.GetActiveSheetIndex(); i != 0 {
		t.Errorf("active sheet %d, want 0", i)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var selected []string
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		xml, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(xml, []byte(`tabSelected="true"`)) {
			selected = append(selected, zf.Name)
		}
	}
	if !slices.Equal(selected, []string{"xl/worksheets/sheet1.xml"}) {
		t.Errorf("selected sheets %q, want the summary's alone", selected)
	}
	// Every sheet reads back with content, and none has a row per response.
	for _, sheet := range report.Sheets {
		if rows := mustRows(t, f, sheet); len(rows) < 2 || len(rows) >= sum.Responses {
			t.Errorf("%s has %d rows (%d responses)", sheet, len(rows), sum.Responses)
		}
	}
	heads := map[string][]string{
		report.SheetBasort:   {"Basort", "Invånare", label("responses"), label("suspect"), label("stops_held"), label("visitors"), label("trust_high"), "n"},
		report.SheetStop:     {"Tillfälle", "Datum", "Tid", "Basort", "Plats", "Typ", "Status", "Orsak till inställt", "Personal", "Besökare"},
		report.SheetMonth:    {"Månad", label("stops_planned"), label("stops_held")},
		report.SheetDelivery: {"Basort", label("stops_planned"), label("stops_held")},
		report.SheetFeedback: {"Basort", "Skapat", "Tillfälle", "Ämne", "Vad som sades", "Vad som gjordes", "Status", "Återkopplat", "Kanal"},
		report.SheetComments: {"Basort", "Synpunkt"},
		report.SheetAbout:    {"Mått", "Kod", "Definition"},
	}
	for sheet, want := range heads {
		got := mustRows(t, f, sheet)[0]
		if len(got) < len(want) || !slices.Equal(got[:len(want)], want) {
			t.Errorf("%s header %q, want it to start %q", sheet, got, want)
		}
	}
	// A stop has delivery only: no count of answers, no survey figure.
	if got := mustRows(t, f, report.SheetStop)[0]; len(got) != len(heads[report.SheetStop]) {
		t.Errorf("Per tillfälle header %q has more than delivery", got)
	}

	in, err := metrics.Load(context.Background(), db, p, year(), now)
	if err != nil {
		t.Fatal(err)
	}
	sc := year()
	sc.Group = metrics.GroupBasort
	byBasort, err := metrics.Compute(in, sc)
	if err != nil {
		t.Fatal(err)
	}
	rows := mustRows(t, f, report.SheetBasort)
	header := rows[0]

	ls, err := db.FindLocalities(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	groups := slices.DeleteFunc(slices.Clone(byBasort.Groups), func(g metrics.Group) bool { return !lofte.LocalityNamed(ls, g.Key).Basort })
	for i, g := range groups {
		row := rows[i+1]
		if row[0] != g.Key {
			t.Fatalf("row %d is %q, want %q", i+2, row[0], g.Key)
		}
		if want := fmt.Sprint(*g.Metrics["responses"].(metrics.Count).Value); row[column(t, header, label("responses"))] != want {
			t.Errorf("%s responses %q, want %s", g.Key, row[column(t, header, label("responses"))], want)
		}
		for _, code := range []string{"trust_high", "cares_agree", "unsafe", "never_out", "worried", "satisfied", "got_help",
			"knew_in_advance", "travel_avoided", "reached_new", "easier_contact", "residents", "trust_mean", "cares_mean",
			"satisfaction_mean"} {
			c := column(t, header, label(code))
			wantFigure(t, g.Key+" "+code, g.Metrics[code].(metrics.Figure), row[c], row[c+1])
		}
	}
	if !slices.ContainsFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == "Hela urvalet" }) {
		t.Error("Per basort has no total row")
	}

	// Frozen header, print setup and autofilter.
	for _, sheet := range []string{report.SheetComments, report.SheetBasort, report.SheetStop} {
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s panes %+v %v, want the header row frozen", sheet, panes, err)
		}
		lay, err := f.GetPageLayout(sheet)
		if err != nil || lay.Orientation == nil || *lay.Orientation != "landscape" || lay.FitToWidth == nil || *lay.FitToWidth != 1 {
			t.Errorf("%s page layout %+v %v", sheet, lay, err)
		}
		props, err := f.GetSheetProps(sheet)
		if err != nil || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s is not fitted to the page: %+v", sheet, props)
		}
	}
	names := map[string]string{}
	for _, d := range f.GetDefinedName() {
		names[d.Name+" "+d.Scope] = d.RefersTo
	}
	comments := mustRows(t, f, report.SheetComments)
	if got := names["_xlnm._FilterDatabase "+report.SheetComments]; got != fmt.Sprintf("'Synpunkter'!$A$1:$B$%d", len(comments)) {
		t.Errorf("Synpunkter filter range %q (names %v)", got, names)
	}
	for _, sheet := range []string{report.SheetBasort, report.SheetStop, report.SheetComments} {
		if got := names["_xlnm.Print_Titles "+sheet]; !strings.HasSuffix(got, "!$1:$1") {
			t.Errorf("%s print titles %q", sheet, got)
		}
	}
	files := zipFiles(t, buf.Bytes())
	commentsXML := files["xl/worksheets/sheet7.xml"]
	if !regexp.MustCompile(`<autoFilter ref="\$A\$1:\$B\$`+strconv.Itoa(len(comments))+`"`).MatchString(commentsXML) || !strings.Contains(commentsXML, `state="frozen"`) {
		t.Errorf("Synpunkter's XML lacks the autofilter or the frozen pane: %.400s", commentsXML)
	}
	var charts []string
	for name, data := range files {
		if strings.HasPrefix(name, "xl/charts/chart") {
			charts = append(charts, name)
			if !strings.Contains(data, "<val>") {
				t.Errorf("%s has no values", name)
			}
		}
	}
	if len(charts) != 3 {
		t.Errorf("charts %v, want 3 (basorter, months, delivery)", charts)
	}
	if v, _ := f.GetCellValue(report.SheetSummary, "A1"); !strings.Contains(v, p.Title) {
		t.Errorf("summary title %q", v)
	}
	summary := mustRows(t, f, report.SheetSummary)
	var statuses []string
	for _, r := range summary {
		if len(r) > 1 && slices.ContainsFunc(metrics.Statuses, func(s string) bool { return metrics.StatusLabel(s) == r[1] }) && r[0] != "" {
			statuses = append(statuses, r[0])
		}
	}
	if len(statuses) != 4 {
		t.Errorf("summary shows %d outcomes with status: %q", len(statuses), statuses)
	}
	about := mustRows(t, f, report.SheetAbout)
	for _, d := range metrics.Definitions {
		if !slices.ContainsFunc(about, func(r []string) bool { return len(r) > 2 && r[1] == d.Code && r[2] == d.Text }) {
			t.Errorf("Om rapporten lacks %s", d.Code)
		}
	}
}

// small is a hand-made database with known counts: Tollarp 30 answers, Fjälkinge 20,
// Önnestad 3 at regular stops, and 12 at a summer event in Tollarp, with visitor text that
// looks like formulas. Comments are approved, except one rejected and one left pending in
// Tollarp.
type small struct {
	db *sqlite.DB
	p  *lofte.Promise
}

var injections = []string{`=HYPERLINK("http://example.com/","klicka")`, "+1", "-1", "@SUM(1)", "\tflik", "\rvagnretur",
	"=1+1"}

// Comments of the small database that must never leave the app.
const (
	rejectedComment = "Avvisad synpunkt om grannen på Storgatan 3"
	pendingComment  = "Ogranskad synpunkt"
)

func mustSmall(t *testing.T) small {
	t.Helper()
	ctx := context.Background()
	db, p := sqlitetest.MustOpenSeeded(t)
	seq := 0
	review := map[string]lofte.CommentStatus{}
	add := func(kind lofte.StopKind, basort, place, day string, n int, answers func(i int) lofte.Answers) {
		start, err := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", lofte.Zone)
		if err != nil {
			t.Fatal(err)
		}
		pub := start.AddDate(0, 0, -10)
		st := &lofte.Stop{PromiseID: p.ID, Basort: basort, Place: place, StartsAt: start, EndsAt: start.Add(3 * time.Hour),
			Kind: kind, Status: lofte.StatusHeld, PublishedAt: &pub, FieldLog: lofte.FieldLog{Visitors: n + 2, Staff: 2}}
		if err := db.CreateStop(ctx, st); err != nil {
			t.Fatal(err)
		}
		var rs []*lofte.Response
		for i := range n {
			seq++
			r := &lofte.Response{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", seq), StopID: st.ID,
				Date: *date(day), Hour: 11, Lang: "sv", Answers: answers(i)}
			switch r.Answers["comment"] {
			case nil:
			case lofte.FreeText(rejectedComment):
				review[r.ID] = lofte.CommentRejected
			case lofte.FreeText(pendingComment):
			default:
				review[r.ID] = lofte.CommentApproved
			}
			rs = append(rs, r)
		}
		if _, err := db.CreateResponses(ctx, rs); err != nil {
			t.Fatal(err)
		}
	}
	add(lofte.KindRegular, "Tollarp", injections[0], "2018-03-14", 30, func(i int) lofte.Answers {
		a := lofte.Answers{"trust": []string{"very_high", "neither"}[i%2], "satisfaction": 5, "age_band": "30_44",
			"gender": "woman", "problems": []string{"traffic", "burglary"}}
		if i < 12 {
			a["cares"] = "agree_fully" // n about 12: shown, but uncertain
		}
		switch {
		case i < len(injections):
			a["comment"] = lofte.FreeText(injections[i])
		case i == len(injections):
			a["comment"] = lofte.FreeText(rejectedComment)
		case i == len(injections)+1:
			a["comment"] = lofte.FreeText(pendingComment)
		}
		return a
	})
	add(lofte.KindRegular, "Fjälkinge", "+46 Torget", "2018-04-11", 20, func(i int) lofte.Answers {
		a := lofte.Answers{"trust": "fairly_low"}
		switch i {
		case 0:
			a["comment"] = lofte.FreeText("Öppna oftare i Fjälkinge")
		case 1:
			a["comment"] = lofte.FreeText("Synpunkt från Fjälkinge")
		}
		return a
	})
	add(lofte.KindRegular, "Önnestad", "@Skolan", "2018-05-16", 3, func(i int) lofte.Answers {
		return lofte.Answers{"trust": "very_high", "comment": lofte.FreeText("Synpunkt från Önnestad")}
	})
	add(lofte.KindEvent, "Tollarp", "Marknaden", "2018-07-07", 12, func(i int) lofte.Answers {
		return lofte.Answers{"trust": "very_high", "satisfaction": 1}
	})
	for id, status := range review {
		if _, err := db.ReviewComment(ctx, id, lofte.CommentReview{Status: status, By: "anna", At: now}); err != nil {
			t.Fatal(err)
		}
	}
	return small{db, p}
}

// byKey indexes a sheet's rows by their first cell (the first such row), padded to the
// header's width.
func byKey(rows [][]string) map[string][]string {
	out := map[string][]string{}
	for _, r := range rows[1:] {
		if len(r) > 0 && out[r[0]] == nil { // the chart's data below repeats the names
			out[r[0]] = append(r, make([]string, len(rows[0]))...)
		}
	}
	return out
}

// smallResponses is how many answers the small database holds.
const smallResponses = 30 + 20 + 3 + 12

// wantShownComments are the small database's comments the workbook shows: approved, from a
// basort with at least 10 answers (not Önnestad), in Swedish alphabetical order (Ö after Z).
var wantShownComments = []string{"Tollarp: \tflik", "Tollarp: \rvagnretur", "Tollarp: -1", "Tollarp: @SUM(1)",
	"Tollarp: +1", "Tollarp: =1+1", `Tollarp: =HYPERLINK("http://example.com/","klicka")`,
	"Fjälkinge: Synpunkt från Fjälkinge", "Fjälkinge: Öppna oftare i Fjälkinge"}

func TestSmallCellsAreSuppressed(t *testing.T) {
	s := mustSmall(t)
	f, _ := mustWrite(t, s.db, s.p, year())
	rows := mustRows(t, f, report.SheetBasort)
	header := rows[0]
	rowOf := byKey(rows)
	sc := year()
	sc.Group = metrics.GroupBasort
	res := mustCompute(t, s.db, s.p, sc)
	want := map[string]metrics.Metrics{"Hela urvalet": res.Total.Metrics}
	for _, g := range res.Groups {
		want[g.Key] = g.Metrics
	}
	trust := column(t, header, label("trust_high"))
	for _, basort := range []string{"Tollarp", "Fjälkinge", "Önnestad", "Hela urvalet"} {
		r := rowOf[basort]
		if r == nil {
			t.Errorf("no row for %s", basort)
			continue
		}
		wantFigure(t, basort+" trust_high", want[basort].Figure("trust_high"), r[trust], r[trust+1])
	}
	// Önnestad's 3 answers are too few: the figure and its n are withheld. Fjälkinge's 20 are
	// shown: perturbation, not secondary suppression, protects what subtraction would reveal.
	if r := rowOf["Önnestad"]; r[trust] != report.Suppressed || r[trust+1] != "" {
		t.Errorf("Önnestad trust_high %q n %q, want %q and no n", r[trust], r[trust+1], report.Suppressed)
	}
	if r := rowOf["Fjälkinge"]; r[trust] != "0" {
		t.Errorf("Fjälkinge trust_high %q, want 0", r[trust])
	}
	if note := rowOf["Önnestad"][len(header)-1]; !strings.Contains(note, report.NoteSuppressed+": "+label("trust_high")) {
		t.Errorf("Önnestad's note %q", note)
	}
	if got := rowOf["Önnestad"][column(t, header, label("satisfied"))]; got != report.Empty {
		t.Errorf("Önnestad satisfied %q, want %q", got, report.Empty)
	}
	if note := rowOf["Tollarp"][len(header)-1]; !strings.Contains(note, report.NoteUncertain) {
		t.Errorf("Tollarp's note %q, want the uncertain mark", note)
	}

	comments := mustRows(t, f, report.SheetComments)
	var got []string
	for _, r := range comments[1:] {
		got = append(got, r[0]+": "+r[1])
	}
	if !slices.Equal(got, wantShownComments) {
		t.Errorf("Synpunkter %q, want %q", got, wantShownComments)
	}

	// Age and gender appear only aggregated, in the summary, by the same rules.
	summary := mustRows(t, f, report.SheetSummary)
	var question string
	found := map[string][]string{}
	for _, r := range summary {
		r = append(r, make([]string, 7)...)
		if r[0] != "" {
			question = r[0]
		}
		if question == label("age_band") || question == label("gender") {
			found[question+"/"+r[1]] = r[2:4]
		}
	}
	total := mustCompute(t, s.db, s.p, year()).Total.Metrics
	for key, f := range map[string]metrics.Figure{"Ålder/30–44": total["age_band"].(metrics.Distribution)["30_44"],
		"Ålder/Under 18": total["age_band"].(metrics.Distribution)["u18"], "Kön/Kvinna": total["gender"].(metrics.Distribution)["woman"]} {
		if got := found[key]; len(got) != 2 {
			t.Errorf("summary has no %s", key)
		} else {
			wantFigure(t, "summary "+key, f, got[0], got[1])
		}
	}
}

// summaryRow finds the first row of the summary whose first cell is first, padded.
func summaryRow(t *testing.T, rows [][]string, first string) []string {
	t.Helper()
	for _, r := range rows {
		if len(r) > 0 && r[0] == first {
			return append(r, make([]string, 16)...)
		}
	}
	t.Fatalf("the summary has no row %q", first)
	return nil
}

// TestFiguresSayWhatTheyStandOn checks how figures of version 2 are shown: outcomes with
// status, reason and caveat; whole-area figures weighted with coverage and the pooled figure
// beside; undefined delivery figures as "–" with their reason; perturbation said once;
// summer events on their own.
func TestFiguresSayWhatTheyStandOn(t *testing.T) {
	s := mustSmall(t)
	f, _ := mustWrite(t, s.db, s.p, year())
	summary := mustRows(t, f, report.SheetSummary)

	in, err := metrics.Load(context.Background(), s.db, s.p, year(), now)
	if err != nil {
		t.Fatal(err)
	}
	outcomes, err := metrics.Outcomes(in, year())
	if err != nil {
		t.Fatal(err)
	}
	var header []string
	for _, r := range summary {
		if len(r) > 0 && r[0] == "Utfall" {
			header = r
			break
		}
	}
	status, reason, caveat := column(t, header, report.HeadStatus), column(t, header, report.HeadReason), column(t, header, report.HeadCaveat)
	indicators := 0
	for _, r := range summary {
		r = append(r, make([]string, len(header))...)
		for _, o := range outcomes.Outcomes {
			for _, ind := range o.Indicators {
				if r[2] != label(ind.Metric) || r[7] == "" {
					continue
				}
				indicators++
				if r[status] != metrics.StatusLabel(ind.Status) || r[reason] != ind.Reason || r[caveat] != metrics.Caveat {
					t.Errorf("%s: status %q reason %q caveat %q, want %q, %q and the caveat", ind.Metric, r[status], r[reason],
						r[caveat], metrics.StatusLabel(ind.Status), ind.Reason)
				}
			}
		}
	}
	if want := 9; indicators != want {
		t.Errorf("%d indicator rows with a status, want %d", indicators, want)
	}

	total := mustCompute(t, s.db, s.p, year()).Total.Metrics
	r := summaryRow(t, summary, label("trust_high"))
	fig := total.Figure("trust_high")
	wantFigure(t, "summary trust_high", fig, r[1], r[2])
	if r[5] != "ja" || !sameNumber(r[6], *fig.Coverage) {
		t.Errorf("trust_high weighted %q coverage %q, want ja and %v", r[5], r[6], *fig.Coverage)
	}
	wantFigure(t, "summary trust_high pooled", *fig.Pooled, r[7], r[8])

	n := 0
	for _, r := range summary {
		if slices.Contains(r, report.NotePerturbed) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the summary says %d times that counts are perturbed, want once", n)
	}

	// The summer event's 12 answers are on their own, not in the promise's figures.
	ev := metrics.Scope{From: date("2018-01-01"), To: date("2018-12-31"), Kind: metrics.KindEvent}
	events := mustCompute(t, s.db, s.p, ev).Total.Metrics
	var inEvents bool
	for _, r := range summary {
		if len(r) > 0 && strings.HasPrefix(r[0], "Evenemang") {
			inEvents = true
		}
		if len(r) > 1 && r[0] == label("responses") {
			want := total.CountValue("responses")
			if inEvents {
				want = events.CountValue("responses")
			}
			if r[1] != fmt.Sprint(want) {
				t.Errorf("responses %q (events: %v), want %v", r[1], inEvents, want)
			}
		}
	}
	if !inEvents {
		t.Error("the summary has no section for the summer events")
	}
	perBasort := byKey(mustRows(t, f, report.SheetBasort))
	byBasort := mustCompute(t, s.db, s.p, metrics.Scope{From: date("2018-01-01"), To: date("2018-12-31"), Group: metrics.GroupBasort})
	for _, g := range byBasort.Groups {
		if g.Key == "Tollarp" && perBasort["Tollarp"][2] != fmt.Sprint(g.Metrics.CountValue("responses")) {
			t.Errorf("Tollarp's responses %q, want the regular stops' %v", perBasort["Tollarp"][2], g.Metrics.CountValue("responses"))
		}
	}

	// A month without a regular stop: the delivery rate is undefined, shown "–" with its reason.
	june := metrics.Scope{From: date("2018-06-01"), To: date("2018-06-30")}
	f, _ = mustWrite(t, s.db, s.p, june)
	juneTotal := mustCompute(t, s.db, s.p, june).Total.Metrics
	why := juneTotal.Count("delivery_rate").Reason
	if why == "" {
		t.Fatal("June's delivery rate has no reason")
	}
	summary = mustRows(t, f, report.SheetSummary)
	r = summaryRow(t, summary, label("delivery_rate"))
	if note := r[len(header)-1]; r[1] != report.Undefined || !strings.Contains(note, why) {
		t.Errorf("summary delivery rate %q note %q, want %q and %q", r[1], note, report.Undefined, why)
	}
	delivery := mustRows(t, f, report.SheetDelivery)
	row := summaryRow(t, delivery, report.RowTotal)
	if c := column(t, delivery[0], label("delivery_rate")); row[c] != report.Undefined ||
		!strings.Contains(row[column(t, delivery[0], "Anmärkning")], why) {
		t.Errorf("Leverans total: delivery rate %q, note %q, want %q and %q", row[c], row[len(delivery[0])-1], report.Undefined, why)
	}
}

// quotePrefixed reports whether a cell's style carries the quote prefix.
func quotePrefixed(t *testing.T, f *excelize.File, sheet, ref string) bool {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.GetStyle(id); err != nil { // loads the style sheet
		t.Fatal(err)
	}
	xf := f.Styles.CellXfs.Xf[id]
	return xf.QuotePrefix != nil && *xf.QuotePrefix
}

func TestVisitorTextStaysText(t *testing.T) {
	s := mustSmall(t)
	f, _ := mustWrite(t, s.db, s.p, year())
	check := func(sheet string, col int, want []string) {
		t.Helper()
		rows := mustRows(t, f, sheet)
		found := 0
		for i, r := range rows {
			if len(r) <= col || !slices.Contains(want, r[col]) {
				continue
			}
			found++
			ref, _ := excelize.CoordinatesToCellName(col+1, i+1)
			typ, err := f.GetCellType(sheet, ref)
			if err != nil || (typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString) {
				t.Errorf("%s!%s type %v, want a string", sheet, ref, typ)
			}
			if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
				t.Errorf("%s!%s has a formula %q", sheet, ref, formula)
			}
			if !quotePrefixed(t, f, sheet, ref) {
				t.Errorf("%s!%s has no quote-prefix style", sheet, ref)
			}
		}
		if found < len(want) {
			t.Errorf("%s: found %d of %q", sheet, found, want)
		}
	}
	check(report.SheetComments, 1, injections)
	check(report.SheetStop, 4, []string{injections[0], "+46 Torget", "@Skolan"})
	check(report.SheetBasort, 0, []string{"Tollarp", "Fjälkinge", "Önnestad"})
}

// TestMethodSheet checks "Så räknas siffrorna": a row per section of metrics.Method, the
// title bold, the text wrapped in a wide column, and the summary pointing to it.
func TestMethodSheet(t *testing.T) {
	s := mustSmall(t)
	f, _ := mustWrite(t, s.db, s.p, year())
	rows := mustRows(t, f, report.SheetMethod)
	sections := metrics.Method(s.p)
	if len(rows) != len(sections)+1 {
		t.Fatalf("%s has %d rows, want a header and %d sections", report.SheetMethod, len(rows), len(sections))
	}
	for i, sec := range sections {
		if got := rows[i+1]; len(got) != 2 || got[0] != sec.Title || got[1] != sec.Text {
			t.Errorf("row %d %q, want %q", i+2, got, sec.Title)
		}
		title, text := fmt.Sprintf("A%d", i+2), fmt.Sprintf("B%d", i+2)
		if st := mustStyle(t, f, report.SheetMethod, title); st.Font == nil || !st.Font.Bold {
			t.Errorf("%s is not bold", title)
		}
		if st := mustStyle(t, f, report.SheetMethod, text); st.Alignment == nil || !st.Alignment.WrapText {
			t.Errorf("%s is not wrapped", text)
		}
		if h, _ := f.GetRowHeight(report.SheetMethod, i+2); h < 30 {
			t.Errorf("row %d is %v pt high, too low for its wrapped text", i+2, h)
		}
	}
	if w, _ := f.GetColWidth(report.SheetMethod, "B"); w < 80 {
		t.Errorf("the text column is %v wide", w)
	}
	summary := mustRows(t, f, report.SheetSummary)
	if !slices.ContainsFunc(summary, func(r []string) bool { return len(r) > 0 && strings.Contains(r[0], "bladet "+report.SheetMethod) }) {
		t.Errorf("the summary's notes do not refer to %s", report.SheetMethod)
	}
}

func mustStyle(t *testing.T, f *excelize.File, sheet, ref string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestScopeAndBadScope(t *testing.T) {
	s := mustSmall(t)
	sc := year()
	sc.Basort = "Fjälkinge"
	f, _ := mustWrite(t, s.db, s.p, sc)
	if got := mustRows(t, f, report.SheetComments); len(got) != 3 || got[1][0] != "Fjälkinge" || got[2][0] != "Fjälkinge" {
		t.Errorf("Synpunkter for Fjälkinge: %q", got)
	}
	sum := mustRows(t, f, report.SheetSummary)
	if !slices.ContainsFunc(sum, func(r []string) bool { return len(r) > 1 && r[0] == "Urval" && r[1] == "Fjälkinge" }) {
		t.Error("the summary does not name the chosen basort")
	}
	bad := metrics.Scope{From: date("2018-05-01"), To: date("2018-04-01")}
	var buf bytes.Buffer
	err := report.Write(context.Background(), &buf, s.db, s.p, bad, now, nil)
	if e := lofte.AsError(err); e == nil || e.Field != "to" || buf.Len() != 0 {
		t.Errorf("to before from: %v, %d bytes written", err, buf.Len())
	}
}

func BenchmarkWrite(b *testing.B) {
	db, p, _ := mustDemo(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := report.Write(context.Background(), io.Discard, db, p, year(), now, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteLarge writes a period of LARGE_N (default 100,000) responses and reports the
// peak live heap, sampled after a collection as each sheet is written: the workbook is made
// from per-stop counts, so it should grow with the stops, not the responses.
func BenchmarkWriteLarge(b *testing.B) {
	stops := 200
	if n, err := strconv.Atoi(os.Getenv("LARGE_N")); err == nil && n >= 500 {
		stops = n / 500
	}
	ctx := context.Background()
	db, p := sqlitetest.MustOpenSeeded(b)
	options := map[string][]string{"trust": {"very_high", "fairly_high", "neither", "fairly_low"},
		"safety": {"very_safe", "fairly_safe", "fairly_unsafe"}, "knew_in_advance": {"yes", "no"},
		"reason": {"question", "meet", "curious"}}
	basorter := []string{"Åhus", "Tollarp", "Fjälkinge", "Önnestad", "Degeberga", "Arkelstorp"}
	seq := 0
	for s := range stops {
		start := time.Date(2018, 1, 8, 10, 0, 0, 0, lofte.Zone).AddDate(0, 0, s%300)
		pub := start.AddDate(0, 0, -14)
		st := &lofte.Stop{PromiseID: p.ID, Basort: basorter[s%len(basorter)], Place: "Torget", StartsAt: start,
			EndsAt: start.Add(3 * time.Hour), Kind: lofte.KindRegular, Status: lofte.StatusHeld, PublishedAt: &pub}
		if err := db.CreateStop(ctx, st); err != nil {
			b.Fatal(err)
		}
		var rs []*lofte.Response
		for i := range 500 {
			seq++
			a := lofte.Answers{"satisfaction": 1 + i%5, "comment": lofte.FreeText(fmt.Sprintf("Synpunkt nummer %d", seq))}
			for item, opts := range options {
				a[item] = opts[(i+seq)%len(opts)]
			}
			rs = append(rs, &lofte.Response{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", seq), StopID: st.ID,
				Date: lofte.LocalDate(start), Hour: 11, Lang: "sv", Answers: a})
		}
		if _, err := db.CreateResponses(ctx, rs); err != nil {
			b.Fatal(err)
		}
	}
	var peak uint64
	sample := func(int, int) {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	b.ReportAllocs()
	size := 0
	for b.Loop() {
		var buf countingWriter
		if err := report.Write(ctx, &buf, db, p, year(), now, sample); err != nil {
			b.Fatal(err)
		}
		size = int(buf)
	}
	b.ReportMetric(float64(peak)/(1<<20), "MiB-heap-peak")
	b.ReportMetric(float64(size)/(1<<20), "MiB-file")
}

type countingWriter int64

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}
