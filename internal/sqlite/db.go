package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"

	"medborgarlofte/internal/lofte"
)

//go:embed migrations/*.sql
var migrations embed.FS

// applicationID marks a medborgarlofte database ("MLOF"); set by the first migration.
const applicationID = 1296846662

// ErrNotDatabase is returned for a file that is not an SQLite database of this app.
var ErrNotDatabase = errors.New("not a medborgarlofte database")

// ErrNewerSchema is returned for a database migrated by a newer version of the app.
var ErrNewerSchema = errors.New("database schema is newer than this program")

// errNoPromise refuses a stop or feedback item that names no promise: the caller says which,
// rather than the store guessing the active one.
var errNoPromise = errors.New("no promise id given")

// timeFormat is how instants are stored: UTC, second precision, sortable as text.
const timeFormat = "2006-01-02T15:04:05Z"

// DB is an open database: one writer connection and a read pool on the same file.
type DB struct {
	path string
	w    *sql.DB
	r    *sql.DB
	// upgrade is what opening did to an older schema (Upgrade).
	upgrade *Upgrade
	// Now is the clock; tests replace it.
	Now func() time.Time
	// ingest gathers concurrent CreateResponses calls into shared commits.
	ingest ingestGroup
}

// params are set on every pooled connection through the DSN, never by a one-off PRAGMA.
func dsn(path string, writer bool) string {
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	// Each connection keeps its recent statements prepared: the ingest path runs the same
	// few queries per request, and preparing them was a tenth of its time.
	q.Set("_stmt_cache_size", "64")
	if writer {
		q.Set("_txlock", "immediate")
	} else {
		q.Set("_query_only", "on")
	}
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath(), RawQuery: q.Encode()}
	return u.String()
}

// OpenBare opens path on one connection with the store's driver and writer settings (WAL,
// synchronous=FULL, foreign keys, statement cache) and no schema: SQLite itself under the
// app's settings, the load tool's baseline (cmd/mlfload).
func OpenBare(path string) (*sql.DB, error) {
	db, err := sql.Open(driverName, dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// Open opens (creating if needed) the database at path and migrates it to the newest schema.
// It refuses, without writing anything, a file that is not an SQLite database of this app or
// whose schema is newer than this program knows. Before it migrates a database that an
// earlier version used, it writes a backup beside it (Upgrade); a failed migration leaves the
// file as it was and returns an *UpgradeError.
func Open(ctx context.Context, path string) (*DB, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return open(ctx, path, sub)
}

// open is Open with the migrations to apply.
func open(ctx context.Context, path string, migs fs.FS) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create data folder %s: %w", filepath.Dir(path), unwrapPath(err))
	}
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	if err := checkWritable(path); err != nil {
		return nil, err
	}
	from, err := probe(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := makePrivate(path); err != nil {
		return nil, err
	}
	w, err := sql.Open(driverName, dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open(driverName, dsn(path, false))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r.SetMaxOpenConns(max(4, runtime.NumCPU()*2))
	db := &DB{path: path, w: w, r: r, Now: time.Now}
	if err := db.prepare(ctx, migs, from); err != nil {
		db.Close()
		return nil, undoUpgrade(path, err)
	}
	return db, nil
}

// checkHeader refuses an existing non-empty file that is not SQLite, before the driver
// touches it.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	head := make([]byte, 16)
	n, err := io.ReadFull(f, head)
	if n == 0 && (err == io.EOF) {
		return nil
	}
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if !bytes.Equal(head[:n], []byte("SQLite format 3\x00")[:n]) || n < 16 {
		return fmt.Errorf("%s: %w", path, ErrNotDatabase)
	}
	return nil
}

// fileMode is the mode of the database file. SQLite gives its -wal and -shm files the mode of
// the database file, so answers and password hashes are readable by the owner only, whatever
// the umask.
const fileMode fs.FileMode = 0o600

// makePrivate creates the database file with fileMode before SQLite would create it with
// 0644, and takes group and others' access away from an existing one and its -wal and -shm
// files (made by earlier versions); a file of another owner, which cannot be changed, is left.
func makePrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, fileMode)
	if err == nil {
		// The umask may have taken more than group and others' bits.
		err = errors.Join(f.Chmod(fileMode), f.Close())
		if err != nil {
			return fmt.Errorf("create %s: %w", path, unwrapPath(err))
		}
		return nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create %s: %w", path, unwrapPath(err))
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm()&0o077 == 0 {
			continue
		}
		if err := os.Chmod(p, fi.Mode().Perm()&^0o077); err != nil && !errors.Is(err, fs.ErrPermission) {
			return fmt.Errorf("make %s private: %w", p, unwrapPath(err))
		}
	}
	return nil
}

// checkWritable tells an unwritable data folder apart from other failures, since SQLite's own
// message ("unable to open database file") does not say why.
func checkWritable(path string) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("data folder %s is not writable: %w", dir, unwrapPath(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// probe looks at an existing file read-only, before any connection that could change it
// (switching to WAL rewrites the header): it must be ours and not newer than this program.
// It returns the file's schema version, 0 for a new file.
func probe(ctx context.Context, path string) (int64, error) {
	if fi, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) || (err == nil && fi.Size() == 0) {
		return 0, nil
	}
	ro, err := openReadOnly(path)
	if err != nil {
		return 0, err
	}
	defer ro.Close()
	var appID int64
	if err := ro.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return 0, fmt.Errorf("open %s: %w", path, classifyOpen(err))
	}
	var tables int
	if err := ro.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table'").Scan(&tables); err != nil {
		return 0, fmt.Errorf("open %s: %w", path, classifyOpen(err))
	}
	if tables > 0 && appID != applicationID {
		return 0, fmt.Errorf("%s: %w", path, ErrNotDatabase)
	}
	var ok string
	if err := ro.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&ok); err != nil || ok != "ok" {
		return 0, fmt.Errorf("%s: database file is damaged (quick_check: %s): %w", path, ok, ErrNotDatabase)
	}
	cur, err := readSchemaVersion(ctx, ro)
	if err != nil {
		return 0, err
	}
	if cur > SchemaVersion() {
		return 0, fmt.Errorf("%s has schema version %d, this program knows up to %d: %w",
			path, cur, SchemaVersion(), ErrNewerSchema)
	}
	return cur, nil
}

// openReadOnly opens path read-only with the driver alone, for a look that must not change
// the file.
func openReadOnly(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Set("mode", "ro")
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath(), RawQuery: q.Encode()}
	ro, err := sql.Open("sqlite3", u.String())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return ro, nil
}

// readSchemaVersion reads the schema version a database is at: its newest applied migration,
// 0 when no migration ever ran.
func readSchemaVersion(ctx context.Context, db *sql.DB) (int64, error) {
	var have int
	if err := db.QueryRowContext(ctx,
		"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'goose_db_version'").Scan(&have); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if have == 0 {
		return 0, nil
	}
	var cur sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT max(version_id) FROM goose_db_version WHERE is_applied").Scan(&cur); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return cur.Int64, nil
}

// FileSchemaVersion reads the schema version of the database file at path read-only,
// leaving the file as it is (Open would migrate it).
func FileSchemaVersion(ctx context.Context, path string) (int64, error) {
	ro, err := openReadOnly(path)
	if err != nil {
		return 0, err
	}
	defer ro.Close()
	return readSchemaVersion(ctx, ro)
}

func (db *DB) prepare(ctx context.Context, migs fs.FS, from int64) error {
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("open %s: %w", db.path, classifyOpen(err))
	}
	return db.migrate(ctx, migs, from)
}

func classifyOpen(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrNotADB, sqlite3.ErrCorrupt:
			return ErrNotDatabase
		case sqlite3.ErrReadonly, sqlite3.ErrCantOpen, sqlite3.ErrPerm:
			return fmt.Errorf("cannot write the database file: %w", err)
		}
	}
	return err
}

func (db *DB) provider(migs fs.FS) (*goose.Provider, error) {
	p, err := goose.NewProvider(goose.DialectSQLite3, db.w, migs, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// SchemaVersion returns the newest migration this program knows.
func SchemaVersion() int64 {
	entries, _ := fs.Glob(migrations, "migrations/*.sql")
	var v int64
	for _, e := range entries {
		var n int64
		if _, err := fmt.Sscanf(filepath.Base(e), "%05d_", &n); err == nil && n > v {
			v = n
		}
	}
	return v
}

// Close closes both handles.
func (db *DB) Close() error {
	return errors.Join(db.r.Close(), db.w.Close())
}

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// write runs fn in one immediate transaction on the writer handle.
func (db *DB) write(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return mapError(fmt.Errorf("begin: %w", err))
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return mapError(err)
	}
	if err := tx.Commit(); err != nil {
		return mapError(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// read runs fn in one read-only transaction on the read pool, so it sees one snapshot.
func (db *DB) read(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return mapError(fmt.Errorf("begin read: %w", err))
	}
	defer tx.Rollback()
	return mapError(fn(tx))
}

// readRow runs a lone query on the read pool outside a transaction: one statement sees one
// snapshot by itself, and a BEGIN and ROLLBACK around it cost about as much as the query.
func (db *DB) readRow(ctx context.Context, query string, args []any, dest ...any) error {
	return mapError(db.r.QueryRowContext(ctx, query, args...).Scan(dest...))
}

// mapError turns driver errors into domain errors by their code, keeping the chain.
func mapError(err error) error {
	if err == nil || lofte.AsError(err) != nil {
		return err
	}
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return err
	}
	var de *lofte.Error
	switch se.ExtendedCode {
	case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
		de = lofte.Errorf(lofte.ECONFLICT, "finns redan")
	case sqlite3.ErrConstraintForeignKey:
		de = lofte.Errorf(lofte.EINVALID, "hänvisar till något som inte finns")
	case sqlite3.ErrConstraintCheck, sqlite3.ErrConstraintNotNull:
		de = lofte.Errorf(lofte.EINVALID, "ogiltigt värde")
	}
	if de == nil {
		switch se.Code {
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			de = lofte.Errorf(lofte.EUNAVAILABLE, "databasen är upptagen, försök igen")
		case sqlite3.ErrFull:
			de = lofte.Errorf(lofte.EUNAVAILABLE, "disken är full")
		}
	}
	if de == nil {
		return err
	}
	return &wrapped{de: de, cause: err}
}

// wrapped is a domain error that keeps its driver cause for logs.
type wrapped struct {
	de    *lofte.Error
	cause error
}

func (w *wrapped) Error() string { return w.de.Error() + ": " + w.cause.Error() }
func (w *wrapped) Unwrap() []error {
	return []error{w.de, w.cause}
}

func fmtTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func fmtTimePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return fmtTime(*t)
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeFormat, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse stored time %q: %w", s, err)
	}
	return t, nil
}

func parseTimePtr(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := parseTime(s.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Second) }
