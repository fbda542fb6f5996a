package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"medborgarlofte/internal/sqlite/sqlitetest"
)

// reportFixtureVersion names the recipe of the cached report fixtures; change it whenever
// the recipe changes.
const reportFixtureVersion = "v2"

// benchChildEnv makes the test binary a child process of BenchmarkReportScale (runBenchChild):
// "report" runs the report command on the arguments after "--", "bare" writes the cells file
// named there with a bare excelize StreamWriter. Either prints its own peak RSS and exits.
// A process of its own is measured on its own: the peak the kernel reports to a parent for a
// child starts from the parent's (exec inherits the high-water mark), so the child reads
// VmHWM, which counts its own memory since exec.
const benchChildEnv = "MEDBORGARLOFTE_BENCH_CHILD"

// runBenchChild is the test binary as a child process of BenchmarkReportScale.
func runBenchChild(kind string, args []string) error {
	var err error
	switch kind {
	case "report":
		err = runReport(context.Background(), args, io.Discard, io.Discard)
	case "bare":
		err = writeBare(args[0])
	default:
		err = fmt.Errorf("unknown child %q", kind)
	}
	if err != nil {
		return err
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return err
	}
	for line := range strings.Lines(string(status)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			fmt.Print(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
	return nil
}

// childPeak runs the test binary as a child of the given kind and returns its peak RSS in KiB.
func childPeak(b *testing.B, kind string, args ...string) float64 {
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), benchChildEnv+"="+kind)
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("%s child: %v", kind, err)
	}
	kib, err := strconv.ParseFloat(string(out), 64)
	if err != nil {
		b.Fatalf("%s child printed %q, not its peak", kind, out)
	}
	return kib
}

// BenchmarkReportScale writes the BRÅ workbook for the demo year scaled to 10,000 and
// 100,000 responses (1,000,000 with MEDBORGARLOFTE_BENCH_1M=1) with the report command in a
// process of its own, and reports the process's peak RSS beside its time; then the same
// cells written by a bare excelize StreamWriter in a process of its own. The peak RSS should stay
// flat in the number of answers. Fixtures are cached in os.TempDir()/medborgarlofte-bench/.
func BenchmarkReportScale(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("responses=%d", n), func(b *testing.B) {
			if n >= 1_000_000 && os.Getenv("MEDBORGARLOFTE_BENCH_1M") == "" {
				b.Skip("set MEDBORGARLOFTE_BENCH_1M=1 to run the 1M size")
			}
			db := mustReportFixture(b, n)
			out := filepath.Join(b.TempDir(), "bra.xlsx")
			b.Run("workbook", func(b *testing.B) {
				var peak float64
				for b.Loop() {
					peak = max(peak, childPeak(b, "report", "--from", "2018-01-01", "--to", "2018-12-31", "--db", db, "--out", out))
				}
				b.ReportMetric(peak/1024, "MiB-peak-RSS")
			})
			cells := filepath.Join(b.TempDir(), "cells.jsonl")
			count, err := dumpCells(out, cells)
			if err != nil {
				b.Fatal(err)
			}
			b.Run("bare-excelize", func(b *testing.B) {
				b.Logf("%d cells", count)
				var peak float64
				for b.Loop() {
					peak = max(peak, childPeak(b, "bare", cells))
				}
				b.ReportMetric(peak/1024, "MiB-peak-RSS")
			})
		})
	}
}

// mustReportFixture returns the cached database of the demo year scaled to n responses.
func mustReportFixture(b *testing.B, n int) string {
	b.Helper()
	path, built, err := sqlitetest.CachedScaled(context.Background(), "report-"+reportFixtureVersion, n, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Log(built)
	return path
}

// cellRow is one row of a sheet in the cells file: text, or a number where the text is one.
type cellRow struct {
	Sheet string `json:"s"`
	Row   []any  `json:"r"`
}

// dumpCells writes every row of the workbook at xlsx to a JSON-lines file, one sheet after
// another, and returns how many cells it wrote.
func dumpCells(xlsx, out string) (int, error) {
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	w, err := os.Create(out)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	cells := 0
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			cols, err := rows.Columns()
			if err != nil {
				return 0, err
			}
			row := make([]any, len(cols))
			for i, c := range cols {
				if v, err := strconv.ParseFloat(c, 64); err == nil {
					row[i] = v
				} else {
					row[i] = c
				}
			}
			cells += len(cols)
			if err := enc.Encode(cellRow{sheet, row}); err != nil {
				return 0, err
			}
		}
		if err := rows.Close(); err != nil {
			return 0, err
		}
	}
	return cells, errors.Join(bw.Flush(), w.Close())
}

// writeBare writes the cells file's rows with excelize's StreamWriter, a sheet each, to a
// temporary workbook: the least any workbook of those cells costs.
func writeBare(cells string) error {
	in, err := os.Open(cells)
	if err != nil {
		return err
	}
	defer in.Close()
	f := excelize.NewFile()
	defer f.Close()
	var (
		sw    *excelize.StreamWriter
		sheet string
		n     int
	)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var r cellRow
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return err
		}
		if r.Sheet != sheet {
			if sw != nil {
				if err := sw.Flush(); err != nil {
					return err
				}
			}
			if _, err := f.NewSheet(r.Sheet); err != nil {
				return err
			}
			if sw, err = f.NewStreamWriter(r.Sheet); err != nil {
				return err
			}
			sheet, n = r.Sheet, 0
		}
		n++
		ref, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref, r.Row); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if sw != nil {
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	out, err := os.CreateTemp("", "bare-*.xlsx")
	if err != nil {
		return err
	}
	defer os.Remove(out.Name())
	return errors.Join(f.Write(out), out.Close())
}
