package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"medborgarlofte/internal/auth"
	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite"
)

// cliActor names the command line as the actor of its audit entries: whoever can open the
// database file.
const cliActor = "kommandoraden"

// auditCLI writes an audit entry for a change made on the command line. The change stands
// if the entry cannot be written; the failure is reported on stderr.
func auditCLI(ctx context.Context, db *sqlite.DB, stderr io.Writer, action, object, detail string) {
	e := &lofte.AuditEntry{At: time.Now(), Actor: cliActor, Action: action, Object: object, Detail: detail}
	if err := db.Audit(ctx, e); err != nil {
		fmt.Fprintf(stderr, "varning: händelsen skrevs inte i loggen: %v\n", err)
	}
}

// runUser runs a user subcommand.
func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	sub := ""
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "add":
		return runUserAdd(ctx, args, stdin, stdout, stderr)
	case "list":
		return runUserList(ctx, args, stdout, stderr)
	case "disable":
		return runUserDisable(ctx, args, true, stderr)
	case "enable":
		return runUserDisable(ctx, args, false, stderr)
	case "passwd":
		return runUserPasswd(ctx, args, stdin, stdout, stderr)
	}
	return errUsage{`använd "medborgarlofte user add|list|disable|enable|passwd" (se "medborgarlofte help")`}
}

// runUserAdd creates a login. A password piped on stdin is used; otherwise one is generated
// and printed once, and the person chooses their own at the first login.
func runUserAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("user add", stderr)
	name := fs.String("name", "", "användarnamn")
	role := fs.String("role", "", "roll: admin, officer eller council")
	dbPath := dbFlag(fs)
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
	pw, generated, err := readPassword("user add", stdin)
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
	u := &lofte.User{Name: *name, Role: r, PasswordHash: hash, MustChangePassword: generated}
	if err := db.CreateUser(ctx, u); err != nil {
		return cliError("user add", err)
	}
	auditCLI(ctx, db, stderr, "user.create", lofte.AuditObjectID("user", u.ID), fmt.Sprintf("%s fick ett konto med rollen %s.", u.Name, u.Role.Label()))
	fmt.Fprintf(stderr, "Användaren %s (%s) är skapad.\n", u.Name, u.Role)
	if generated {
		fmt.Fprintln(stderr, "Lösenordet visas bara nu; vid första inloggningen väljer personen ett eget:")
		fmt.Fprintln(stdout, pw)
	}
	return nil
}

// cliError says a refusal in one line, the domain's message with the field it names.
func cliError(command string, err error) error {
	if e := lofte.AsError(err); e != nil && e.Code != lofte.EINTERNAL {
		if e.Field != "" {
			return fmt.Errorf("%s: %s (%s)", command, e.Message, e.Field)
		}
		return fmt.Errorf("%s: %s", command, e.Message)
	}
	return err
}

// cliTime writes a stored time for the terminal, in Swedish time.
func cliTime(t time.Time) string { return t.In(lofte.Zone).Format("2006-01-02 15:04") }

// runUserList prints every user, disabled ones too.
func runUserList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("user list", stderr)
	dbPath := dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := openExisting(ctx, "user list", *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	us, err := db.FindUsers(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAMN\tROLL\tSTATUS\tSKAPAD")
	for _, u := range us {
		status := "aktiv"
		if u.Disabled {
			status = "avstängd"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Name, u.Role, status, cliTime(u.CreatedAt))
	}
	return w.Flush()
}

// userFlags are the flags of a command that changes one user, found by name.
func userFlags(command string, args []string, stderr io.Writer) (name, dbPath string, err error) {
	fs := newFlags(command, stderr)
	n := fs.String("name", "", "användarnamn")
	p := dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return "", "", err
	}
	if strings.TrimSpace(*n) == "" {
		return "", "", errUsage{command + ": --name saknas"}
	}
	return *n, *p, nil
}

// updateUserCLI finds the user by name and makes the change, under the same rules as the
// web (no change leaves the app without an active admin).
func updateUserCLI(ctx context.Context, db *sqlite.DB, command, name string, upd lofte.UserUpdate) (*lofte.User, error) {
	u, err := db.FindUserByName(ctx, name)
	if err != nil {
		return nil, cliError(command, err)
	}
	after, err := db.UpdateUser(ctx, u.ID, upd)
	if err != nil {
		return nil, cliError(command, err)
	}
	return after, nil
}

// runUserDisable disables a user, which ends their sessions at once, or enables them again.
func runUserDisable(ctx context.Context, args []string, disable bool, stderr io.Writer) error {
	command := map[bool]string{true: "user disable", false: "user enable"}[disable]
	name, dbPath, err := userFlags(command, args, stderr)
	if err != nil {
		return err
	}
	db, err := openExisting(ctx, command, dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := updateUserCLI(ctx, db, command, name, lofte.UserUpdate{Disabled: &disable})
	if err != nil {
		return err
	}
	if disable {
		auditCLI(ctx, db, stderr, "user.disable", lofte.AuditObjectID("user", u.ID), fmt.Sprintf("%s stängdes av och loggades ut.", u.Name))
		fmt.Fprintf(stderr, "%s är avstängd och utloggad.\n", u.Name)
		return nil
	}
	auditCLI(ctx, db, stderr, "user.enable", lofte.AuditObjectID("user", u.ID), fmt.Sprintf("%s kan logga in igen.", u.Name))
	fmt.Fprintf(stderr, "%s kan logga in igen.\n", u.Name)
	return nil
}

// runUserPasswd gives a user a new password, piped on stdin or generated and printed once
// (then to be replaced at the next login); it ends their sessions.
func runUserPasswd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	name, dbPath, err := userFlags("user passwd", args, stderr)
	if err != nil {
		return err
	}
	pw, generated, err := readPassword("user passwd", stdin)
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	db, err := openExisting(ctx, "user passwd", dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := updateUserCLI(ctx, db, "user passwd", name, lofte.UserUpdate{PasswordHash: &hash, MustChangePassword: generated})
	if err != nil {
		return err
	}
	auditCLI(ctx, db, stderr, "user.reset_password", lofte.AuditObjectID("user", u.ID), fmt.Sprintf("%s fick ett nytt lösenord och loggades ut.", u.Name))
	fmt.Fprintf(stderr, "%s har fått ett nytt lösenord och är utloggad.\n", u.Name)
	if generated {
		fmt.Fprintln(stderr, "Lösenordet visas bara nu; vid nästa inloggning väljer personen ett eget:")
		fmt.Fprintln(stdout, pw)
	}
	return nil
}

// readPassword takes the first line of a piped stdin, or generates a password when stdin is
// a terminal or empty; command names the command in a refusal.
func readPassword(command string, stdin io.Reader) (pw string, generated bool, err error) {
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
	if err := lofte.ValidatePassword(line); err != nil {
		return "", false, errUsage{command + ": " + lofte.AsError(err).Message}
	}
	return line, false, nil
}
