package storage

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
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
	if err := db.chained(context.Background()); err != nil {
		t.Fatal(err)
	}
	on := "" // SQLite's triggers belong to the schema, PostgreSQL's to their table
	if db.d.name == postgresDialect.name {
		on = " ON audit_log"
	}
	for _, q := range append([]string{`DROP TRIGGER IF EXISTS audit_log_no_update` + on, `DROP TRIGGER IF EXISTS audit_log_no_delete` + on}, stmts...) {
		if _, err := db.w.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// rechain is the attacker's tool: after editing rows it rewrites the links
// and hashes of the entries up to id through with sum, as anyone who reads
// the code can. With the plain SHA-256 the chain used before it was keyed,
// or with a guessed key, the result must not verify; only the real key
// makes a chain that does.
func rechain(t *testing.T, db *DB, sum func(review.AuditEntry) string, through int64) {
	t.Helper()
	rows, err := db.w.Query(`SELECT `+auditColumns+` FROM audit_log WHERE id <= ? ORDER BY id`, through)
	if err != nil {
		t.Fatal(err)
	}
	var all []review.AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, e)
	}
	rows.Close()
	prev := review.GenesisHash
	for _, e := range all {
		e.PrevHash = prev
		e.Hash = sum(e)
		if _, err := db.w.Exec(`UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?`, e.PrevHash, e.Hash, e.ID); err != nil {
			t.Fatal(err)
		}
		prev = e.Hash
	}
}

const allEntries = math.MaxInt64

func withKey(key []byte) func(review.AuditEntry) string {
	return func(e review.AuditEntry) string { return review.ChainMAC(key, e) }
}

func TestAuditVerify(t *testing.T) {
	// The attack the hardening issue describes: delete an entry, change
	// another's actor, renumber, and recompute the chain.
	rewrite := []string{`DELETE FROM audit_log WHERE id = 2`, `UPDATE audit_log SET id = id - 1 WHERE id > 2`,
		`UPDATE audit_log SET actor = 'mallory@example.org' WHERE id = 3`}
	cases := []struct {
		name    string
		tamper  []string
		rechain func(review.AuditEntry) string
		brokeAt int64
	}{
		{"intact", nil, nil, 0},
		{"edited", []string{`UPDATE audit_log SET actor = 'mallory@example.org' WHERE id = 3`}, nil, 3},
		{"deleted", []string{`DELETE FROM audit_log WHERE id = 2`}, nil, 3},
		{"swapped", []string{
			`UPDATE audit_log SET id = -1 WHERE id = 2`,
			`UPDATE audit_log SET id = 2 WHERE id = 3`,
			`UPDATE audit_log SET id = 3 WHERE id = -1`}, nil, 2},
		{"rehashed edit", []string{`UPDATE audit_log SET details = '{}', hash = 'x' WHERE id = 4`}, nil, 4},
		{"rewritten and recomputed as plain SHA-256", rewrite, review.LegacyChainHash, 1},
		{"rewritten and recomputed with another key", rewrite, withKey(bytes.Repeat([]byte{1}, 32)), 1},
		{"every entry rewritten as written before the chain was keyed", nil, review.LegacyChainHash, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			eachEngine(t, func(t *testing.T, db *DB, _ *clock) {
				seedAudit(t, db, 5)
				if tc.tamper != nil || tc.rechain != nil {
					tamper(t, db, tc.tamper...)
				}
				if tc.rechain != nil {
					rechain(t, db, tc.rechain, allEntries)
				}
				head, err := db.VerifyAudit(context.Background(), review.ChainHead{})
				var br *review.ChainBreak
				switch {
				case tc.brokeAt == 0 && (err != nil || head.ID != 5):
					t.Errorf("intact log: head %v, err %v", head, err)
				case tc.brokeAt != 0 && (!errors.As(err, &br) || br.ID != tc.brokeAt):
					t.Errorf("err = %v, want a break at entry %d", err, tc.brokeAt)
				}
			})
		})
	}
}

func TestAuditAnchoredHead(t *testing.T) { eachOpener(t, testAuditAnchoredHead) }

func testAuditAnchoredHead(t *testing.T, open opener) {
	ctx := context.Background()
	anchored := func(t *testing.T) (*DB, review.ChainHead) {
		db, _ := open(t)
		seedAudit(t, db, 5)
		head, err := db.AuditHead(ctx)
		if err != nil || head.ID != 5 || len(head.Hash) != 64 {
			t.Fatalf("head %v, %v", head, err)
		}
		seedAudit(t, db, 2) // the log goes on after the anchor was taken
		return db, head
	}
	t.Run("intact", func(t *testing.T) {
		db, anchor := anchored(t)
		if head, err := db.VerifyAudit(ctx, anchor); err != nil || head.ID != 7 {
			t.Errorf("head %v, err %v", head, err)
		}
	})
	t.Run("newest entries deleted", func(t *testing.T) {
		db, anchor := anchored(t)
		tamper(t, db, `DELETE FROM audit_log WHERE id > 3`)
		if head, err := db.VerifyAudit(ctx, review.ChainHead{}); err != nil || head.ID != 3 {
			t.Fatalf("without an anchor a truncated log still verifies, as the README says: head %v, err %v", head, err)
		}
		_, err := db.VerifyAudit(ctx, anchor)
		var br *review.ChainBreak
		if !errors.As(err, &br) || br.ID != 4 || !strings.Contains(br.Reason, "newer entries were deleted") {
			t.Errorf("err = %v, want the truncation found at entry 4", err)
		}
	})
	t.Run("rewritten with the key", func(t *testing.T) {
		db, anchor := anchored(t)
		tamper(t, db, `UPDATE audit_log SET actor = 'mallory@example.org' WHERE id = 2`)
		rechain(t, db, withKey(testAuditKey), allEntries)
		if _, err := db.VerifyAudit(ctx, review.ChainHead{}); err != nil {
			t.Fatalf("a key holder's rewrite verifies without an anchor, as the README says: %v", err)
		}
		_, err := db.VerifyAudit(ctx, anchor)
		var br *review.ChainBreak
		if !errors.As(err, &br) || br.ID != 5 || !strings.Contains(br.Reason, "anchored head") {
			t.Errorf("err = %v, want the anchored entry 5 to differ", err)
		}
	})
}

func TestAuditHeadOfEmptyLog(t *testing.T) { eachEngine(t, testAuditHeadOfEmptyLog) }

func testAuditHeadOfEmptyLog(t *testing.T, db *DB, _ *clock) {
	head, err := db.AuditHead(context.Background())
	if err != nil || head != (review.ChainHead{ID: 0, Hash: review.GenesisHash}) {
		t.Errorf("head %v, %v", head, err)
	}
	if _, err := db.VerifyAudit(context.Background(), head); err != nil {
		t.Errorf("empty log against its own head: %v", err)
	}
}

func TestAuditIsAppendOnlyForTheApplication(t *testing.T) {
	eachEngine(t, testAuditIsAppendOnlyForTheApplication)
}

func testAuditIsAppendOnlyForTheApplication(t *testing.T, db *DB, _ *clock) {
	seedAudit(t, db, 1)
	if err := db.chained(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.Exec(`UPDATE audit_log SET actor = 'x'`); err == nil {
		t.Error("update of the audit log succeeded")
	}
	if _, err := db.w.Exec(`DELETE FROM audit_log`); err == nil {
		t.Error("delete from the audit log succeeded")
	}
}

func TestFindAuditEntriesFilters(t *testing.T) { eachEngine(t, testFindAuditEntriesFilters) }

func testFindAuditEntriesFilters(t *testing.T, db *DB, c *clock) {
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

// TestAuditEntriesCommitWithTheirTransaction: a transaction's entries are
// chained in the order appended, and those of a rolled-back transaction
// are never chained, nor left waiting, nor carried into the next
// transaction on the same connection.
func TestAuditEntriesCommitWithTheirTransaction(t *testing.T) {
	eachEngine(t, testAuditEntriesCommitWithTheirTransaction)
}

func testAuditEntriesCommitWithTheirTransaction(t *testing.T, db *DB, _ *clock) {
	ctx := context.Background()
	appendTwo := func(first, second string, fail error) error {
		return db.write(ctx, func(tx *sql.Tx) error {
			for _, target := range []string{first, second} {
				if err := db.appendAudit(ctx, tx, review.AuditEvent{Actor: "a@example.org", Action: "test", Target: target}); err != nil {
					return err
				}
			}
			return fail
		})
	}
	for i := range 3 { // more often than the pool has connections
		if err := appendTwo("gone", "gone", errors.New("changed my mind")); err == nil {
			t.Fatalf("round %d: the failing transaction committed", i)
		}
	}
	if err := appendTwo("one", "two", nil); err != nil {
		t.Fatal(err)
	}
	entries, err := db.FindAuditEntries(ctx, review.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, fmt.Sprintf("%d:%s", e.ID, e.Target))
	}
	if strings.Join(got, " ") != "2:two 1:one" {
		t.Errorf("log newest first: %v, want 2:two 1:one", got)
	}
	if _, err := db.VerifyAudit(ctx, review.ChainHead{}); err != nil {
		t.Errorf("audit verify: %v", err)
	}
	if waiting, _, err := db.PendingAudit(ctx); err != nil || waiting != 0 {
		t.Errorf("%d entries still waiting to be chained (%v)", waiting, err)
	}
}
