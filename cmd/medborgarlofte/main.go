// Command medborgarlofte runs the citizen-promise follow-up app and its chores: serve, token,
// user, report, backup, retention. Every failure ends in one line on stderr and a non-zero exit code.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"medborgarlofte/internal/seed"
	"medborgarlofte/internal/sqlite"
)

// defaultDB is where the database lives unless --db says otherwise.
var defaultDB = filepath.Join("data", "medborgarlofte.db")

// dbFlag adds the --db flag every subcommand that opens the database takes.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", defaultDB, "databasfil (SQLite)")
}

const usage = `medborgarlofte – uppföljning av medborgarlöften

Användning:
  medborgarlofte serve [--addr 127.0.0.1:8080] [--db PATH] [--demo] [--kiosk-rate-limit N]
  medborgarlofte token create --role kiosk|officer|council|admin --name NAME [--db PATH]
  medborgarlofte token list [--db PATH]
  medborgarlofte token revoke --id ID [--db PATH]
  medborgarlofte user add --name NAME --role admin|officer|council [--db PATH]
  medborgarlofte user list [--db PATH]
  medborgarlofte user disable|enable --name NAME [--db PATH]
  medborgarlofte user passwd --name NAME [--db PATH]
  medborgarlofte report --from ÅÅÅÅ-MM-DD --to ÅÅÅÅ-MM-DD [--basort NAMN]... [--out FIL] [--db PATH]
  medborgarlofte backup --out FILE [--db PATH]
  medborgarlofte retention [--as-of ÅÅÅÅ-MM-DD] [--db PATH]

Kör "medborgarlofte KOMMANDO -h" för kommandots flaggor.
`

// errUsage marks a mistake in the command line (exit code 2).
type errUsage struct{ msg string }

func (e errUsage) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if err == nil {
		return
	}
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	fmt.Fprintln(os.Stderr, "medborgarlofte:", err)
	var u errUsage
	if errors.As(err, &u) {
		os.Exit(2)
	}
	os.Exit(1)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage{"inget kommando angivet"}
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], stderr)
	case "token":
		return runToken(ctx, args[1:], stdout, stderr)
	case "user":
		return runUser(ctx, args[1:], stdin, stdout, stderr)
	case "report":
		return runReport(ctx, args[1:], stdout, stderr)
	case "backup":
		return runBackup(ctx, args[1:], stdout, stderr)
	case "retention":
		return runRetention(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return errUsage{fmt.Sprintf("okänt kommando %q", args[0])}
}

// newFlags makes a flag set that reports mistakes as errUsage instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard) // one line on error, not the whole usage
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(os.Stderr)
			fs.PrintDefaults()
			return err
		}
		return errUsage{fs.Name() + ": " + err.Error()}
	}
	if fs.NArg() > 0 {
		return errUsage{fmt.Sprintf("%s: okänt argument %q", fs.Name(), fs.Arg(0))}
	}
	return nil
}

// openSeeded opens the database and loads the built-in promise into it if it is empty, as
// the commands that add people or devices need.
func openSeeded(ctx context.Context, path string) (*sqlite.DB, error) {
	db, err := openDB(ctx, path)
	if err != nil {
		return nil, err
	}
	if _, _, err := seed.Ensure(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openExisting opens a database that must already be there: the commands that only read
// or copy one never create an empty file by mistake.
func openExisting(ctx context.Context, command, path string) (*sqlite.DB, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: databasen %s finns inte", command, path)
	}
	return openDB(ctx, path)
}

// openDB opens and migrates the database, with a one-line reason when it cannot.
func openDB(ctx context.Context, path string) (*sqlite.DB, error) {
	db, err := sqlite.Open(ctx, path)
	switch {
	case errors.Is(err, sqlite.ErrNewerSchema):
		return nil, fmt.Errorf("%w; uppgradera programmet (databasen lämnas orörd)", err)
	case errors.Is(err, sqlite.ErrNotDatabase):
		return nil, fmt.Errorf("%s är inte en medborgarlofte-databas eller är skadad; filen lämnas orörd", path)
	case err != nil:
		return nil, err
	}
	return db, nil
}
