package storage

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// legacyDB returns the path of a database as a Loupe from before the keyed
// chain left it: n entries chained with plain SHA-256, and schema version 9
// not applied yet. The entry breakAt, if not 0, was edited after it was
// chained.
func legacyDB(t *testing.T, n int, breakAt int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "loupe.db")
	db, err := Open(context.Background(), path, time.Now, testAuditKey)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.w.Exec(`DELETE FROM schema_migrations WHERE version = 9`); err != nil {
		t.Fatal(err)
	}
	prev := review.GenesisHash
	for i := int64(1); i <= int64(n); i++ {
		e := review.AuditEntry{ID: i, At: time.Date(2026, 1, 1, 0, 0, int(i), 0, time.UTC), Actor: "a@example.org", Action: "test", Target: "t", Details: "{}", PrevHash: prev}
		e.Hash = review.LegacyChainHash(e)
		if i == breakAt {
			e.Actor = "edited before the upgrade"
		}
		if _, err := db.w.Exec(`INSERT INTO audit_log (`+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, fmtTime(e.At), e.Actor, e.Action, e.Target, e.Details, e.PrevHash, e.Hash); err != nil {
			t.Fatal(err)
		}
		prev = e.Hash
	}
	return path
}

// upgrade opens a legacy database with this binary, which keys the chain,
// and appends one more entry.
func upgrade(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path, time.Now, testAuditKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	seedAudit(t, db, 1)
	return db
}

func TestUpgradeKeysTheChainAfterEarlierEntries(t *testing.T) {
	ctx := context.Background()
	path := legacyDB(t, 3, 0)
	db := upgrade(t, path)
	got, err := db.FindAuditEntries(ctx, review.AuditFilter{Action: review.ActionAuditKeyed})
	if err != nil || len(got) != 1 || got[0].ID != 4 || got[0].Details != `{"earlier_chain":"intact","earlier_entries":"3"}` {
		t.Fatalf("keyed chain start: %+v, %v", got, err)
	}
	if head, err := db.VerifyAudit(ctx, review.ChainHead{}); err != nil || head.ID != 5 {
		t.Fatalf("upgraded log: head %v, err %v", head, err)
	}
	db.Close()
	db = upgrade(t, path)
	if got, _ := db.FindAuditEntries(ctx, review.AuditFilter{Action: review.ActionAuditKeyed}); len(got) != 1 {
		t.Errorf("reopening started the keyed chain again: %d starts", len(got))
	}
	if head, err := db.VerifyAudit(ctx, review.ChainHead{}); err != nil || head.ID != 6 {
		t.Errorf("reopened log: head %v, err %v", head, err)
	}
}

func TestUpgradedChainDetectsTampering(t *testing.T) {
	cases := []struct {
		name    string
		tamper  []string
		rechain func(review.AuditEntry) string
		through int64 // the entries rechain rewrites
		brokeAt int64
		reason  string
	}{
		// Entries from before the upgrade are pinned by the first keyed
		// entry's link: recomputing their plain chain changes their head.
		{"earlier entry edited and its chain recomputed",
			[]string{`UPDATE audit_log SET actor = 'mallory@example.org' WHERE id = 2`}, review.LegacyChainHash, 3, 4, "previous-hash link"},
		// Everything made to look written before the upgrade, the keyed
		// start renamed: then every entry must be keyed, and none is.
		{"whole log downgraded to the plain chain",
			[]string{`UPDATE audit_log SET action = 'test' WHERE action = 'audit.chain_keyed'`}, review.LegacyChainHash, allEntries, 1, "keyed hash"},
		{"keyed start and everything after it deleted",
			[]string{`DELETE FROM audit_log WHERE id >= 4`}, nil, 0, 1, "keyed hash"},
		{"keyed entry edited", []string{`UPDATE audit_log SET actor = 'mallory@example.org' WHERE id = 5`}, nil, 0, 5, "keyed hash"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := upgrade(t, legacyDB(t, 3, 0))
			tamper(t, db, tc.tamper...)
			if tc.rechain != nil {
				rechain(t, db, tc.rechain, tc.through)
			}
			_, err := db.VerifyAudit(context.Background(), review.ChainHead{})
			var br *review.ChainBreak
			if !errors.As(err, &br) || br.ID != tc.brokeAt || !strings.Contains(br.Reason, tc.reason) {
				t.Errorf("err = %v, want a break at entry %d (%s)", err, tc.brokeAt, tc.reason)
			}
		})
	}
}

func TestUpgradeRecordsAnEarlierBreak(t *testing.T) {
	ctx := context.Background()
	db := upgrade(t, legacyDB(t, 3, 2))
	got, _ := db.FindAuditEntries(ctx, review.AuditFilter{Action: review.ActionAuditKeyed})
	if len(got) != 1 || !strings.Contains(got[0].Details, "broken at entry 2") {
		t.Fatalf("keyed chain start: %+v", got)
	}
	_, err := db.VerifyAudit(ctx, review.ChainHead{})
	var br *review.ChainBreak
	if !errors.As(err, &br) || br.ID != 2 {
		t.Errorf("err = %v: the break from before the upgrade must stay visible", err)
	}
}
