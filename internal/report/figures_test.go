package report_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/report"
	"medborgarlofte/internal/sqlite"
)

// codeOf is the metric a heading or a row's label names, "" for none.
func codeOf(label string) string {
	for _, d := range metrics.Definitions {
		if d.Label == label {
			return d.Code
		}
	}
	return ""
}

// wantCount checks a count or delivery figure's cell: its value, or "–" when undefined.
func wantCount(t *testing.T, where string, c metrics.Count, got string) {
	t.Helper()
	switch {
	case c.Value == nil && got != report.Undefined:
		t.Errorf("%s: %q, want %q (%s)", where, got, report.Undefined, c.Reason)
	case c.Value != nil && !sameNumber(got, *c.Value):
		t.Errorf("%s: %q, want %v", where, got, *c.Value)
	}
}

// wantCoverage checks a coverage cell: the population share of a shown whole-area figure,
// empty otherwise.
func wantCoverage(t *testing.T, where string, f metrics.Figure, got string) {
	t.Helper()
	switch {
	case f.Value == nil || f.Coverage == nil:
		if got != "" {
			t.Errorf("%s coverage %q, want none", where, got)
		}
	case !sameNumber(got, *f.Coverage):
		t.Errorf("%s coverage %q, want %v", where, got, *f.Coverage)
	}
}

// wantRow checks every column of a table row whose heading names a metric against m: a
// figure's value and n (and coverage, when a Täckning column follows), a count's value. It
// returns how many figures it compared.
func wantRow(t *testing.T, where string, header, row []string, m metrics.Metrics) int {
	t.Helper()
	row = append(row, make([]string, len(header))...)
	compared := 0
	for i, head := range header {
		code := codeOf(head)
		if code == "" {
			continue
		}
		switch v := m[code].(type) {
		case metrics.Figure:
			wantFigure(t, where+" "+code, v, row[i], row[i+1])
			if i+2 < len(header) && header[i+2] == "Täckning" {
				wantCoverage(t, where+" "+code, v, row[i+2])
			}
		case metrics.Count:
			wantCount(t, where+" "+code, v, row[i])
		case nil:
			continue
		default:
			t.Errorf("%s: %s is a %T", where, code, v)
		}
		compared++
	}
	return compared
}

// section returns the table below a heading of the summary: its header and its rows up to
// the next blank row.
func section(t *testing.T, rows [][]string, heading string) (header []string, body [][]string) {
	t.Helper()
	for i, r := range rows {
		if len(r) == 0 || !strings.HasPrefix(r[0], heading) {
			continue
		}
		for _, r := range rows[i+2:] {
			if len(r) == 0 || r[0] == "" {
				break
			}
			body = append(body, r)
		}
		return rows[i+1], body
	}
	t.Fatalf("the summary has no section %q", heading)
	return nil, nil
}

// wantKeyFigures checks a summary section of figures, a row each, against m: value, n,
// interval, weighting and coverage, and the pooled figure in its own columns.
func wantKeyFigures(t *testing.T, where string, header []string, body [][]string, m metrics.Metrics) {
	t.Helper()
	col := func(head string) int { return column(t, header, head) }
	for _, r := range body {
		r = append(r, make([]string, len(header))...)
		code := codeOf(r[0])
		switch v := m[code].(type) {
		case metrics.Figure:
			at := where + " " + code
			wantFigure(t, at, v, r[col("Värde")], r[col("n")])
			wantInterval(t, at, v, r[col("KI nedre")], r[col("KI övre")])
			wantWeighting(t, at, v, r[col("Vägt efter folkmängd")])
			wantCoverage(t, at, v, r[col("Täckning")])
			if v.Pooled == nil {
				if r[col("Ovägt värde")] != "" {
					t.Errorf("%s: a pooled figure %q where there is none", at, r[col("Ovägt värde")])
				}
				continue
			}
			wantFigure(t, at+" pooled", *v.Pooled, r[col("Ovägt värde")], r[col("Ovägt n")])
			wantInterval(t, at+" pooled", *v.Pooled, r[col("Ovägt KI nedre")], r[col("Ovägt KI övre")])
		case metrics.Count:
			wantCount(t, where+" "+code, v, r[col("Värde")])
		default:
			t.Errorf("%s: row %q names no figure of the engine", where, r[0])
		}
	}
	if len(body) < 5 {
		t.Errorf("%s: %d rows", where, len(body))
	}
}

func wantInterval(t *testing.T, where string, f metrics.Figure, lo, hi string) {
	t.Helper()
	if f.CI == nil {
		if lo != "" || hi != "" {
			t.Errorf("%s: interval %q–%q, want none", where, lo, hi)
		}
		return
	}
	if !sameNumber(lo, f.CI[0]) || !sameNumber(hi, f.CI[1]) {
		t.Errorf("%s: interval %q–%q, want %v", where, lo, hi, *f.CI)
	}
}

func wantWeighting(t *testing.T, where string, f metrics.Figure, got string) {
	t.Helper()
	want := ""
	switch {
	case f.Weighted == nil || f.Value == nil:
	case *f.Weighted:
		want = "ja"
	default:
		want = "nej: folkmängd saknas för någon basort"
	}
	if got != want {
		t.Errorf("%s: weighted %q, want %q", where, got, want)
	}
}

// TestWorkbookFiguresAreTheAPIs computes each scope as GET /api/v1/metrics does (the same
// input, metrics.Compute) and compares the workbook with it figure by figure: the summary's
// key figures and summer events, every row of Per basort (with the whole area's pooled and
// coverage rows) and every month of Månadsvis.
func TestWorkbookFiguresAreTheAPIs(t *testing.T) {
	demoDB, demoP, _ := mustDemo(t)
	s := mustSmall(t)
	for _, tt := range []struct {
		name string
		db   *sqlite.DB
		p    *lofte.Promise
		sc   metrics.Scope
	}{
		{"demo year, whole area", demoDB, demoP, year()},
		{"demo, days inside months", demoDB, demoP, metrics.Scope{From: date("2018-03-15"), To: date("2018-05-10")}},
		{"demo, one basort", demoDB, demoP, metrics.Scope{From: date("2018-01-01"), To: date("2018-12-31"), Basort: "Önnestad"}},
		{"small, whole area", s.db, s.p, year()},
		{"small, one basort", s.db, s.p, metrics.Scope{From: date("2018-01-01"), To: date("2018-12-31"), Basort: "Tollarp"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := mustWrite(t, tt.db, tt.p, tt.sc)
			api := func(group, kind string) *metrics.Result {
				sc := tt.sc
				sc.Group, sc.Kind = group, kind
				return mustCompute(t, tt.db, tt.p, sc)
			}

			summary := mustRows(t, f, report.SheetSummary)
			header, body := section(t, summary, "Nyckeltal")
			wantKeyFigures(t, "key figure", header, body, api(metrics.GroupNone, "").Total.Metrics)
			header, body = section(t, summary, "Evenemang")
			wantKeyFigures(t, "summer events", header, body, api(metrics.GroupNone, metrics.KindEvent).Total.Metrics)

			byBasort := api(metrics.GroupBasort, "")
			rows := mustRows(t, f, report.SheetBasort)
			rowOf := byKey(rows)
			ls, err := tt.db.FindLocalities(context.Background(), tt.p.ID)
			if err != nil {
				t.Fatal(err)
			}
			basorter := 0
			for _, g := range byBasort.Groups {
				if !lofte.LocalityNamed(ls, g.Key).Basort {
					if rowOf[g.Key] != nil {
						t.Errorf("Per basort has a row for %s, which is no basort", g.Key)
					}
					continue
				}
				basorter++
				if n := wantRow(t, g.Key, rows[0], rowOf[g.Key], g.Metrics); n != 4+15 {
					t.Errorf("%s: compared %d figures, want 19", g.Key, n)
				}
			}
			if got := tableRows(rows); got != basorter {
				t.Errorf("Per basort has %d basort rows, the API %d basorter", got, basorter)
			}
			total := byBasort.Total.Metrics
			wantRow(t, report.RowTotal, rows[0], rowOf[report.RowTotal], total)
			pooled, coverage := rowOf[report.RowPooled], rowOf[report.RowCoverage]
			if whole := tt.sc.Basort == ""; whole != (pooled != nil) || whole != (coverage != nil) {
				t.Errorf("pooled row %q, coverage row %q: want both for the whole area only", pooled, coverage)
			}
			if pooled != nil {
				for i, head := range rows[0] {
					f, ok := total[codeOf(head)].(metrics.Figure)
					if !ok {
						continue
					}
					wantFigure(t, "pooled "+head, *f.Pooled, pooled[i], pooled[i+1])
					wantCoverage(t, head, f, coverage[i])
				}
			}

			byMonth := api(metrics.GroupMonth, "")
			rows = mustRows(t, f, report.SheetMonth)
			rowOf = byKey(rows)
			for _, g := range byMonth.Groups {
				if n := wantRow(t, g.Key, rows[0], rowOf[g.Key], g.Metrics); n != 7+6 {
					t.Errorf("%s: compared %d figures, want 13", g.Key, n)
				}
			}
			if got := tableRows(rows); got != len(byMonth.Groups) {
				t.Errorf("Månadsvis has %d months, the API %d", got, len(byMonth.Groups))
			}
			if tt.sc.Basort == "" && !slices.Contains(rows[0], "Täckning") {
				t.Errorf("Månadsvis of the whole area has no coverage: %q", rows[0])
			}
		})
	}
}

// tableRows counts a sheet's rows below the header up to the first blank row.
func tableRows(rows [][]string) int {
	for i, r := range rows[1:] {
		if len(r) == 0 || r[0] == "" {
			return i
		}
	}
	return len(rows) - 1
}

// TestOnlyApprovedCommentsLeave reviews comments through the store and checks the whole
// workbook, every file of it: an approved comment (as edited by the moderator) appears, and a
// rejected, a pending, a first approved then rejected one and the visitor's own text of an
// edited one appear nowhere.
func TestOnlyApprovedCommentsLeave(t *testing.T) {
	s := mustSmall(t)
	ctx := context.Background()
	cs, err := s.db.FindComments(ctx, lofte.CommentFilter{PromiseID: s.p.ID})
	if err != nil {
		t.Fatal(err)
	}
	const edited = "Polisen har kortat texten"
	var visitors string
	for _, c := range cs {
		var r lofte.CommentReview
		switch c.Text {
		case "Synpunkt från Fjälkinge": // approved with the moderator's text
			text := edited
			r, visitors = lofte.CommentReview{Status: lofte.CommentApproved, Text: &text}, c.Text
		case "Öppna oftare i Fjälkinge": // approved, then rejected
			r = lofte.CommentReview{Status: lofte.CommentRejected}
		default:
			continue
		}
		r.By, r.At = "per", now
		if _, err := s.db.ReviewComment(ctx, c.ResponseID, r); err != nil {
			t.Fatal(err)
		}
	}
	if visitors == "" {
		t.Fatal("no comment to edit")
	}
	f, b := mustWrite(t, s.db, s.p, year())
	var shown []string
	for _, r := range mustRows(t, f, report.SheetComments)[1:] {
		shown = append(shown, r[1])
	}
	if !slices.Contains(shown, edited) || !slices.Contains(shown, "+1") {
		t.Errorf("Synpunkter %q lacks the approved comments", shown)
	}
	files := zipFiles(t, b)
	for _, never := range []string{rejectedComment, pendingComment, "Öppna oftare", visitors, "Synpunkt från Önnestad"} {
		for name, data := range files {
			if strings.Contains(data, never) {
				t.Errorf("%s holds %q", name, never)
			}
		}
		for _, sheet := range report.Sheets {
			for _, r := range mustRows(t, f, sheet) {
				if slices.Contains(r, never) {
					t.Errorf("%s shows %q", sheet, never)
				}
			}
		}
	}
}
