package sqlite_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"medborgarlofte/internal/lofte"
	"medborgarlofte/internal/sqlite"
)

// auditObjects lists the objects of the entries f selects, newest first.
func auditObjects(t *testing.T, db *sqlite.DB, f lofte.AuditFilter) []string {
	t.Helper()
	es, err := db.FindAudit(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, e := range es {
		out = append(out, e.Object)
	}
	return out
}

func TestFindAuditFilters(t *testing.T) {
	db, _ := MustSeed(t)
	ctx := context.Background()
	at := time.Date(2018, 3, 10, 12, 0, 0, 0, time.UTC)
	for i, e := range []lofte.AuditEntry{
		{Actor: "anna", Action: "stop.cancel", Object: "stop:4"},
		{Actor: "per", Action: "stop.move", Object: "stop:42"},
		{Actor: "anna", Action: "user.disable", Object: "user:4"},
		{Actor: "anna", Action: "baseline.delete", Object: "baseline:7"},
		{Actor: "anna", Action: "stop.cancel", Object: "stopp:1"},
	} {
		e.At = at.Add(time.Duration(i) * time.Minute)
		if err := db.Audit(ctx, &e); err != nil {
			t.Fatal(err)
		}
	}
	all := auditObjects(t, db, lofte.AuditFilter{})
	tests := []struct {
		name string
		f    lofte.AuditFilter
		want []string
	}{
		{"all, newest first", lofte.AuditFilter{}, []string{"stopp:1", "baseline:7", "user:4", "stop:42", "stop:4"}},
		{"one object", lofte.AuditFilter{Object: "stop:4"}, []string{"stop:4"}},
		{"every stop, not stopp", lofte.AuditFilter{ObjectKind: "stop"}, []string{"stop:42", "stop:4"}},
		{"an action", lofte.AuditFilter{Action: "stop.cancel"}, []string{"stopp:1", "stop:4"}},
		{"an actor", lofte.AuditFilter{Actor: "per"}, []string{"stop:42"}},
		{"all of them together", lofte.AuditFilter{Actor: "anna", Action: "stop.cancel", ObjectKind: "stop"}, []string{"stop:4"}},
		{"a page", lofte.AuditFilter{Limit: 2}, []string{"stopp:1", "baseline:7"}},
		{"the next page", lofte.AuditFilter{Limit: 2, Before: 4}, []string{"user:4", "stop:42"}},
		{"nothing", lofte.AuditFilter{ObjectKind: "token"}, []string{}},
	}
	if diff := cmp.Diff(tests[0].want, all); diff != "" {
		t.Fatalf("ids are not in insertion order (-want +got)\n%s", diff)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, auditObjects(t, db, tt.f)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestRetentionIsAudited: a run that removed something leaves one entry by "system" on the
// promise, in the same transaction; a run that removed nothing leaves none.
func TestRetentionIsAudited(t *testing.T) {
	db, p, _, _ := retentionFixture(t)
	ctx := context.Background()
	db.Now = func() time.Time { return time.Date(2020, 1, 31, 3, 0, 0, 0, time.UTC) }
	for _, asOf := range []string{"2019-12-31", "2020-01-31", "2020-02-01"} {
		if _, err := db.ApplyRetention(ctx, day(asOf)); err != nil {
			t.Fatal(err)
		}
	}
	es, err := db.FindAudit(ctx, lofte.AuditFilter{Action: "retention.run"})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 {
		t.Fatalf("%d entries, want 1 for the one run that removed something: %v", len(es), es)
	}
	want := []*lofte.AuditEntry{{ID: es[0].ID, At: db.Now(), Actor: "system", Action: "retention.run",
		Object: "promise:" + strconv.FormatInt(p.ID, 10), Detail: "Gallring av " + p.Slug + ": tog bort 2 synpunkter (med granskningen) och 1 fältanteckning"}}
	if diff := cmp.Diff(want, es); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}
