package main

import (
	"context"
	"fmt"
	"io"
)

// runBackup copies the live database consistently; the server may keep running.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := newFlags("backup", stderr)
	out := fset.String("out", "", "fil att skriva säkerhetskopian till (får inte finnas)")
	dbPath := dbFlag(fset)
	if err := parse(fset, args); err != nil {
		return err
	}
	if *out == "" {
		return errUsage{"backup: --out saknas"}
	}
	db, err := openExisting(ctx, "backup", *dbPath)
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
