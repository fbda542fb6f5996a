package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
)

// runToken runs a token subcommand.
func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub := ""
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "create":
		return runTokenCreate(ctx, args, stdout, stderr)
	case "list":
		return runTokenList(ctx, args, stdout, stderr)
	case "revoke":
		return runTokenRevoke(ctx, args, stderr)
	}
	return errUsage{`använd "medborgarlofte token create|list|revoke" (se "medborgarlofte help")`}
}

// runTokenList prints every token that works, never its secret.
func runTokenList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("token list", stderr)
	dbPath := dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := openExisting(ctx, "token list", *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ts, err := db.FindTokens(ctx, "")
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAMN\tROLL\tSKAPAD\tSENAST ANVÄND")
	for _, t := range ts {
		if t.RevokedAt != nil {
			continue
		}
		used := "aldrig"
		if t.LastUsedAt != nil {
			used = cliTime(*t.LastUsedAt)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, cliTime(t.CreatedAt), used)
	}
	return w.Flush()
}

// runTokenRevoke revokes a token for good, by its id (token list).
func runTokenRevoke(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlags("token revoke", stderr)
	id := fs.Int64("id", 0, "tokens id (se token list)")
	dbPath := dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id <= 0 {
		return errUsage{"token revoke: --id saknas (se token list)"}
	}
	db, err := openExisting(ctx, "token revoke", *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	t, err := db.RevokeToken(ctx, *id)
	if err != nil {
		return cliError("token revoke", err)
	}
	name := fmt.Sprintf("%s (%s)", t.Name, t.Role.Label())
	auditCLI(ctx, db, stderr, "token.revoke", lofte.AuditObjectID("token", *id), fmt.Sprintf("Token %s återkallades.", name))
	fmt.Fprintf(stderr, "Token %s är återkallad.\n", name)
	return nil
}

// runTokenCreate prints a new bearer token once; only its hash is stored.
func runTokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("token create", stderr)
	role := fs.String("role", "", "roll: kiosk, officer, council eller admin")
	name := fs.String("name", "", "vad token används till, t.ex. surfplatta-1")
	dbPath := dbFlag(fs)
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
		return cliError("token create", err)
	}
	auditCLI(ctx, db, stderr, "token.create", lofte.AuditObjectID("token", t.ID), fmt.Sprintf("Token %s skapades med rollen %s.", t.Name, t.Role.Label()))
	fmt.Fprintf(stderr, "Token %q (%s) är skapad. Den visas bara nu:\n", t.Name, t.Role)
	fmt.Fprintln(stdout, plain)
	return nil
}
