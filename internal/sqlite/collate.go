package sqlite

import (
	"bytes"
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
		if err := c.RegisterCollation("sv", col.CompareString); err != nil {
			return err
		}
		// sv_key is a text's Swedish collation key: keys compare bytewise as the texts do
		// under "sv". ORDER BY sv_key(x) computes a key once a row, where COLLATE sv calls
		// back into Go for every comparison of the sort (n log n calls, each allocating):
		// at a million answers, 20 s of a workbook's 23.
		var buf collate.Buffer
		return c.RegisterFunc("sv_key", func(text string) []byte {
			buf.Reset()
			return bytes.Clone(col.KeyFromString(&buf, text))
		}, true)
	}})
}

// EachComment calls fn with each comment FindComments would return for f, one at a time, by
// text in Swedish order, then basort, then date and id: the order of metrics.PublicComments,
// which the workbook lists them in. The database sorts them, so their number costs no memory.
// An error from fn stops the reading and is returned.
func (db *DB) EachComment(ctx context.Context, f lofte.CommentFilter, fn func(*lofte.Comment) error) error {
	where, args := commentConds(f)
	q := "SELECT " + commentColumns + " AND " + strings.Join(where, " AND ") +
		" ORDER BY sv_key(coalesce(cr.edited_text, json_extract(r.answers, '" + commentPath + "'))), sv_key(l.name)," +
		" r.answered_date, r.id"
	err := db.read(ctx, func(tx *sql.Tx) error { return queryEach(ctx, tx, scanComment, fn, q, args...) })
	if err != nil {
		return fmt.Errorf("each comment: %w", err)
	}
	return nil
}
