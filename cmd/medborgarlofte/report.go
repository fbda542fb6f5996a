package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/metrics"
	"medborgarlofte/internal/report"
	"medborgarlofte/internal/sqlite"
)

// basortFlag collects a repeated --basort.
type basortFlag []string

func (b *basortFlag) String() string { return strings.Join(*b, ",") }

func (b *basortFlag) Set(v string) error {
	if strings.TrimSpace(v) == "" {
		return errors.New("tomt ortnamn")
	}
	*b = append(*b, v)
	return nil
}

// runReport writes the BRÅ workbook for a period. It writes a temporary file beside the
// target and renames it, so a failed run never leaves half a workbook; a report of the same
// name is replaced.
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := newFlags("report", stderr)
	from := fset.String("from", "", "första dag, ÅÅÅÅ-MM-DD (krävs)")
	to := fset.String("to", "", "sista dag, ÅÅÅÅ-MM-DD (krävs)")
	var basorter basortFlag
	fset.Var(&basorter, "basort", "bara den här basorten (kan upprepas)")
	out := fset.String("out", "", "fil att skriva (standard reports/bra-FROM-TO.xlsx)")
	promiseID := fset.Int64("promise", 0, "löftets id (standard: det aktiva löftet)")
	dbPath := dbFlag(fset)
	compare := fset.Int64("compare", 0, "jämför med samma månader i ett tidigare löfte (löftets id)")
	if err := parse(fset, args); err != nil {
		return err
	}
	first, last, err := reportPeriod(*from, *to)
	if err != nil {
		return err
	}
	if *out == "" {
		*out = filepath.Join("reports", fmt.Sprintf("bra-%s-%s.xlsx", first, last))
	}
	db, err := openExisting(ctx, "report", *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := reportPromise(ctx, db, *promiseID)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	ls, err := db.FindLocalities(ctx, p.ID)
	if err != nil {
		return err
	}
	basort, err := reportBasort(ls, basorter)
	if err != nil {
		return err
	}
	sc := metrics.Scope{From: &first, To: &last, Basort: basort}
	earlier, err := reportEarlier(ctx, db, p, *compare, sc)
	if err != nil {
		return err
	}
	if err := writeAtomically(*out, func(w io.Writer) error {
		return report.WriteCompared(ctx, w, db, p, earlier, sc, time.Now(), newProgress(stderr))
	}); err != nil {
		return err
	}
	fmt.Fprintln(stdout, *out)
	return nil
}

// reportPeriod reads --from and --to, both required, as the report's first and last day.
func reportPeriod(from, to string) (first, last lofte.Date, err error) {
	var dates [2]lofte.Date
	for i, f := range []struct{ name, value string }{{"from", from}, {"to", to}} {
		if f.value == "" {
			return first, last, errUsage{"report: --" + f.name + " saknas"}
		}
		d, err := lofte.ParseDate(f.value)
		if err != nil {
			return first, last, errUsage{fmt.Sprintf("report: --%s %q: datum skrivs ÅÅÅÅ-MM-DD", f.name, f.value)}
		}
		dates[i] = d
	}
	if dates[1].Before(dates[0]) {
		return first, last, errUsage{fmt.Sprintf("report: --to %s ligger före --from %s", dates[1], dates[0])}
	}
	return dates[0], dates[1], nil
}

// reportBasort is the one place the repeated --basort names, "" for the whole area: the
// same name may come twice, two places are refused.
func reportBasort(ls []*lofte.Locality, names []string) (string, error) {
	var basort string
	for _, name := range names {
		l := lofte.LocalityNamed(ls, name)
		if l == nil {
			return "", errUsage{fmt.Sprintf("report: okänd basort %q", name)}
		}
		if basort != "" && l.Name != basort {
			return "", errUsage{"report: välj en basort eller hela området, inte flera"}
		}
		basort = l.Name
	}
	return basort, nil
}

// reportEarlier is the promise --compare names (nil when it is 0), refused before anything
// is written when it has no same months to compare sc with.
func reportEarlier(ctx context.Context, db *sqlite.DB, p *lofte.Promise, id int64, sc metrics.Scope) (*lofte.Promise, error) {
	if id == 0 {
		return nil, nil
	}
	earlier, err := db.FindPromise(ctx, id)
	if err != nil {
		return nil, errUsage{fmt.Sprintf("report: --compare %d: %v", id, err)}
	}
	if _, err := metrics.EarlierPeriod(p, earlier, sc); err != nil {
		return nil, fmt.Errorf("report: --compare %d: %w", id, err)
	}
	return earlier, nil
}

// reportPromise is the promise --promise names, or the active one when it is 0.
func reportPromise(ctx context.Context, db *sqlite.DB, id int64) (*lofte.Promise, error) {
	if id == 0 {
		return db.ActivePromise(ctx)
	}
	if id < 0 {
		return nil, errUsage{fmt.Sprintf("report: --promise %d: ett löftes id är ett positivt heltal", id)}
	}
	return db.FindPromise(ctx, id)
}

// writeAtomically writes path through a temporary file in the same folder (created when
// missing), renamed into place only when write succeeded.
func writeAtomically(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		done = true
		return fmt.Errorf("report: %w", err)
	}
	done = true
	return nil
}

// newProgress draws a progress bar when stderr is a terminal, and nothing otherwise.
func newProgress(stderr io.Writer) report.Progress {
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	var bar *progressbar.ProgressBar
	return func(done, total int) {
		if bar == nil {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(f),
				progressbar.OptionSetDescription("Skriver BRÅ-rapporten"), progressbar.OptionShowCount(),
				progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100*time.Millisecond))
		}
		bar.Set(done)
		if done >= total {
			bar.Finish()
		}
	}
}
