package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
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
	if err := recordBackup(*dbPath, *out, time.Now()); err != nil {
		return fmt.Errorf("säkerhetskopian %s är skriven, men inte noterad för övervakningen: %w", *out, err)
	}
	fmt.Fprintln(stdout, *out)
	return nil
}

// backupStamp is the file beside the database where backup notes its last copy, which
// serve's GET /metrics reports (medborgarlofte_last_backup_timestamp_seconds).
func backupStamp(db string) string { return db + ".last-backup" }

// recordBackup notes that a copy of db was written to out at at: the time on the first line
// (RFC 3339, UTC), the file on the second. It replaces the note whole, through a rename.
func recordBackup(db, out string, at time.Time) error {
	tmp := backupStamp(db) + ".tmp"
	body := at.UTC().Format(time.RFC3339) + "\n" + out + "\n"
	if err := os.WriteFile(tmp, []byte(body), 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, backupStamp(db)); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// lastBackup reads when backup last wrote a copy of db; false when it never has.
func lastBackup(db string) (time.Time, bool) {
	f, err := os.Open(backupStamp(db))
	if err != nil {
		return time.Time{}, false
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return time.Time{}, false
	}
	at, err := time.Parse(time.RFC3339, strings.TrimSpace(line))
	return at, err == nil
}
