package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/mattn/go-sqlite3"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"medborgarlofte/internal/lofte"
)

// driverName is mattn/go-sqlite3 with the collation "sv" on every connection: Swedish
// alphabetical order (å, ä, ö last) as golang.org/x/text/collate has it, so that the database
// sorts, on disk if need be, what would otherwise be sorted in memory. No schema names it, so
// the file still opens in any SQLite.
const driverName = "sqlite3_medborgarlofte"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		// A collator keeps buffers between calls: each connection, which one goroutine uses at
		// a time, has its own.
		col := collate.New(language.Swedish)
		return c.RegisterCollation("sv", col.CompareString)
	}})
}

// EachComment calls fn with each comment FindComments would return for f, one at a time, by
// text in Swedish order, then basort, then date and id: the order of metrics.PublicComments,
// which the workbook lists them in. The database sorts them, so their number costs no memory.
// An error from fn stops the reading and is returned.
func (db *DB) EachComment(ctx context.Context, f lofte.CommentFilter, fn func(*lofte.Comment) error) error {
	where, args := commentConds(f)
	q := "SELECT " + commentColumns + " AND " + strings.Join(where, " AND ") +
		" ORDER BY coalesce(cr.edited_text, json_extract(r.answers, '" + commentPath + "')) COLLATE sv, l.name COLLATE sv," +
		" r.answered_date, r.id"
	err := db.read(ctx, func(tx *sql.Tx) error { return queryEach(ctx, tx, scanComment, fn, q, args...) })
	if err != nil {
		return fmt.Errorf("each comment: %w", err)
	}
	return nil
}
