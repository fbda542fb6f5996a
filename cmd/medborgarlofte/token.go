package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
)

// runTokenCreate prints a new bearer token once; only its hash is stored.
func runTokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("token create", stderr)
	role := fs.String("role", "", "roll: kiosk, officer, council eller admin")
	name := fs.String("name", "", "vad token används till, t.ex. surfplatta-1")
	dbPath := fs.String("db", defaultDB, "databasfil (SQLite)")
	if err := parse(fs, args); err != nil {
		return err
	}
	r := lofte.Role(*role)
	if !r.Valid() {
		return errUsage{"token create: --role måste vara kiosk, officer, council eller admin"}
	}
	if strings.TrimSpace(*name) == "" {
		return errUsage{"token create: --name saknas"}
	}
	db, err := openSeeded(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	plain, hash := auth.NewToken()
	t := &lofte.Token{Name: *name, Role: r, Hash: hash}
	if err := db.CreateToken(ctx, t); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "Token %q (%s) är skapad. Den visas bara nu:\n", t.Name, t.Role)
	fmt.Fprintln(stdout, plain)
	return nil
}
