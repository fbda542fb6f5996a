package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// runBackup copies the live database consistently; the server may keep running.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := newFlags("backup", stderr)
	out := fset.String("out", "", "fil att skriva säkerhetskopian till (får inte finnas)")
	dbPath := fset.String("db", defaultDB, "databasfil (SQLite)")
	if err := parse(fset, args); err != nil {
		return err
	}
	if *out == "" {
		return errUsage{"backup: --out saknas"}
	}
	if _, err := os.Stat(*dbPath); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: databasen %s finns inte", *dbPath)
	}
	db, err := openDB(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintln(stdout, *out)
	return nil
}
