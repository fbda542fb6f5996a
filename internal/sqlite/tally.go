package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"medborgarlofte/internal/lofte"
)

// FindTallies reads the per-stop option counts of the given stops.
func (db *DB) FindTallies(ctx context.Context, stopIDs []int64) ([]*lofte.Tally, error) {
	out := []*lofte.Tally{}
	if len(stopIDs) == 0 {
		return out, nil
	}
	err := db.read(ctx, func(tx *sql.Tx) error {
		byStop := map[int64]*lofte.Tally{}
		// Chunks keep the statement under SQLite's variable limit.
		for start := 0; start < len(stopIDs); start += 500 {
			chunk := stopIDs[start:min(start+500, len(stopIDs))]
			args := make([]any, len(chunk))
			for i, id := range chunk {
				args[i] = id
			}
			// Suspect responses are only counted, so their option rows are left in the table.
			rows, err := tx.QueryContext(ctx, `SELECT stop_id, suspect, item, option, n, keysum FROM response_counts
				WHERE stop_id IN (`+placeholders(len(chunk))+`) AND (suspect = 0 OR item = '*') ORDER BY stop_id`, args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var (
					id, n        int64
					key          uint32
					suspect      bool
					item, option string
				)
				if err := rows.Scan(&id, &suspect, &item, &option, &n, &key); err != nil {
					rows.Close()
					return err
				}
				t, ok := byStop[id]
				if !ok {
					t = &lofte.Tally{StopID: id, Options: map[string]map[string]int{}, OptionKeys: map[string]map[string]uint32{}}
					byStop[id] = t
					out = append(out, t)
				}
				switch {
				case item == "*" && suspect:
					t.Suspect = int(n)
				case item == "*":
					t.Responses, t.ResponsesKey = int(n), key
				case !suspect:
					if t.Options[item] == nil {
						t.Options[item], t.OptionKeys[item] = map[string]int{}, map[string]uint32{}
					}
					t.Options[item][option], t.OptionKeys[item][option] = int(n), key
				}
			}
			if err := rows.Close(); err != nil {
				return err
			}
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find tallies: %w", err)
	}
	return out, nil
}
