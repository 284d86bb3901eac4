package storage

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/loupe-review/loupe/review"
)

func seedAudit(t *testing.T, db *DB, n int) {
	t.Helper()
	for i := range n {
		if err := db.Append(context.Background(), review.AuditEvent{Actor: "a@example.org", Action: "test", Target: fmt.Sprint(i), Details: map[string]string{"i": fmt.Sprint(i)}}); err != nil {
			t.Fatal(err)
		}
	}
}

// tamper stands in for someone editing the database file directly, around
// the triggers that keep the application itself from changing the log.
func tamper(t *testing.T, db *DB, stmts ...string) {
	t.Helper()
	for _, q := range append([]string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}, stmts...) {
		if _, err := db.w.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func TestAuditVerify(t *testing.T) {
	cases := []struct {
		name    string
		tamper  []string
		brokeAt int64
	}{
		{"intact", nil, 0},
		{"edited", []string{`UPDATE audit_log SET actor = 'mallory@example.org' WHERE id = 3`}, 3},
		{"deleted", []string{`DELETE FROM audit_log WHERE id = 2`}, 3},
		{"swapped", []string{
			`UPDATE audit_log SET id = -1 WHERE id = 2`,
			`UPDATE audit_log SET id = 2 WHERE id = 3`,
			`UPDATE audit_log SET id = 3 WHERE id = -1`}, 2},
		{"rehashed edit", []string{`UPDATE audit_log SET details = '{}', hash = 'x' WHERE id = 4`}, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := openTest(t)
			seedAudit(t, db, 5)
			if tc.tamper != nil {
				tamper(t, db, tc.tamper...)
			}
			n, err := db.VerifyAudit(context.Background())
			var br *review.ChainBreak
			switch {
			case tc.brokeAt == 0 && (err != nil || n != 5):
				t.Errorf("intact log: n=%d err=%v", n, err)
			case tc.brokeAt != 0 && (!errors.As(err, &br) || br.ID != tc.brokeAt):
				t.Errorf("err = %v, want a break at entry %d", err, tc.brokeAt)
			}
		})
	}
}

func TestAuditIsAppendOnlyForTheApplication(t *testing.T) {
	db, _ := openTest(t)
	seedAudit(t, db, 1)
	if _, err := db.w.Exec(`UPDATE audit_log SET actor = 'x'`); err == nil {
		t.Error("update of the audit log succeeded")
	}
	if _, err := db.w.Exec(`DELETE FROM audit_log`); err == nil {
		t.Error("delete from the audit log succeeded")
	}
}

func TestFindAuditEntriesFilters(t *testing.T) {
	db, c := openTest(t)
	ctx := context.Background()
	seedAudit(t, db, 3)
	start := c.Now()
	c.Advance(60e9)
	if err := db.Append(ctx, review.AuditEvent{Actor: "b@example.org", Action: review.ActionSignIn}); err != nil {
		t.Fatal(err)
	}
	got, _ := db.FindAuditEntries(ctx, review.AuditFilter{Actor: "b@example.org"})
	if len(got) != 1 || got[0].Action != review.ActionSignIn {
		t.Errorf("by actor: %+v", got)
	}
	got, _ = db.FindAuditEntries(ctx, review.AuditFilter{Action: "test"})
	if len(got) != 3 || got[0].ID != 3 {
		t.Errorf("by action: %d entries, newest first want id 3", len(got))
	}
	got, _ = db.FindAuditEntries(ctx, review.AuditFilter{Since: start.Add(30e9)})
	if len(got) != 1 {
		t.Errorf("since: %d entries, want 1", len(got))
	}
}
