package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"medborgarlofte/internal/sqlite/sqlitetest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/xuri/excelize/v2"
)

// reportFixtureVersion names the recipe of the cached report fixtures; change it whenever
// the recipe changes.
const reportFixtureVersion = "v1"

// bareXLSXEnv, set to a cells file (dumpCells), makes the test binary write those cells with
// a bare excelize StreamWriter and exit: the yardstick of BenchmarkReportScale, run as a
// process of its own so that its peak RSS is its own.
const bareXLSXEnv = "MEDBORGARLOFTE_BARE_XLSX"

// BenchmarkReportScale writes the BRÅ workbook for the demo year scaled to 10,000 and
// 100,000 responses (1,000,000 with MEDBORGARLOFTE_BENCH_1M=1) with the built binary's
// report command, and reports the process's peak RSS beside its time; then the same cells
// written by a bare excelize StreamWriter in a process of its own. The peak RSS should stay
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
				var peak int64
				for b.Loop() {
					cmd := exec.Command(binary, "report", "--from", "2018-01-01", "--to", "2018-12-31", "--db", db, "--out", out)
					if msg, err := cmd.CombinedOutput(); err != nil {
						b.Fatalf("report: %v\n%s", err, msg)
					}
					peak = max(peak, maxRSS(cmd))
				}
				b.ReportMetric(float64(peak)/1024, "MiB-peak-RSS")
			})
			cells := filepath.Join(b.TempDir(), "cells.jsonl")
			count, err := dumpCells(out, cells)
			if err != nil {
				b.Fatal(err)
			}
			b.Run("bare-excelize", func(b *testing.B) {
				b.Logf("%d cells", count)
				var peak int64
				for b.Loop() {
					cmd := exec.Command(os.Args[0], "-test.run=^$")
					cmd.Env = append(os.Environ(), bareXLSXEnv+"="+cells)
					if msg, err := cmd.CombinedOutput(); err != nil {
						b.Fatalf("bare writer: %v\n%s", err, msg)
					}
					peak = max(peak, maxRSS(cmd))
				}
				b.ReportMetric(float64(peak)/1024, "MiB-peak-RSS")
			})
		})
	}
}

// maxRSS is a finished child's peak resident memory in KiB.
func maxRSS(cmd *exec.Cmd) int64 {
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss
	}
	return 0
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
