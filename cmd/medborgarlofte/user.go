package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
)

// runUserAdd creates a login. A password piped on stdin is used; otherwise one is generated
// and printed once.
func runUserAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("user add", stderr)
	name := fs.String("name", "", "användarnamn")
	role := fs.String("role", "", "roll: admin, officer eller council")
	dbPath := fs.String("db", defaultDB, "databasfil (SQLite)")
	if err := parse(fs, args); err != nil {
		return err
	}
	r := lofte.Role(*role)
	if !r.Person() {
		return errUsage{"user add: --role måste vara admin, officer eller council"}
	}
	if strings.TrimSpace(*name) == "" {
		return errUsage{"user add: --name saknas"}
	}
	pw, generated, err := readPassword(stdin)
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	db, err := openSeeded(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	u := &lofte.User{Name: *name, Role: r, PasswordHash: hash}
	if err := db.CreateUser(ctx, u); err != nil {
		if e := lofte.AsError(err); e != nil {
			return fmt.Errorf("user add: %s", e.Message)
		}
		return err
	}
	fmt.Fprintf(stderr, "Användaren %s (%s) är skapad.\n", u.Name, u.Role)
	if generated {
		fmt.Fprintln(stderr, "Lösenordet visas bara nu:")
		fmt.Fprintln(stdout, pw)
	}
	return nil
}

// readPassword takes the first line of a piped stdin, or generates a password when stdin is
// a terminal or empty.
func readPassword(stdin io.Reader) (pw string, generated bool, err error) {
	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice != 0 {
			return auth.GeneratePassword(), true, nil
		}
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", false, fmt.Errorf("read password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return auth.GeneratePassword(), true, nil
	}
	if utf8.RuneCountInString(line) < lofte.MinPasswordLen || len(line) > auth.MaxPasswordLen {
		return "", false, errUsage{fmt.Sprintf("user add: lösenordet måste vara %d–%d tecken", lofte.MinPasswordLen,
			auth.MaxPasswordLen)}
	}
	return line, false, nil
}
