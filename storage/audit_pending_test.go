package storage

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// TestPendingEntriesChangedBeforeChainingAreFoundOut: someone with write
// access to the database changes an entry waiting to be chained, and adds
// one of their own without the audit key. Neither is chained as it stands:
// each is replaced by an entry saying what was found; the rest of the
// chain is intact and verifies, and PendingAudit counts the two.
func TestPendingEntriesChangedBeforeChainingAreFoundOut(t *testing.T) {
	dbs, _ := instances(t, 1)
	db, ctx := dbs[0], context.Background()
	for _, actor := range []string{"ana@example.org", "ben@example.org"} {
		if err := db.Append(ctx, review.AuditEvent{Actor: actor, Action: review.ActionReveal, Target: "item:7"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`UPDATE audit_pending SET actor = 'someone-else@example.org' WHERE actor = 'ana@example.org'`,
		`INSERT INTO audit_pending (seq, at, actor, action, target, details, mac) SELECT nextval('audit_pending_seq'), at, 'carl@example.org', action, target, details, mac FROM audit_pending WHERE actor = 'ben@example.org'`,
	} {
		if _, err := db.w.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	c, err := db.ChainPending(ctx)
	if err != nil || c.Entries != 3 || c.Altered != 2 {
		t.Fatalf("chained %+v (%v), want 3 entries of which 2 altered", c, err)
	}
	entries, err := db.FindAuditEntries(ctx, review.AuditFilter{})
	if err != nil || len(entries) != 3 {
		t.Fatalf("%d entries (%v)", len(entries), err)
	}
	var found []string
	for _, e := range entries {
		switch {
		case e.Actor == "ben@example.org" && e.Action == review.ActionReveal:
		case e.Actor == "system" && e.Action == review.ActionAuditAltered:
			var d map[string]string
			if err := json.Unmarshal([]byte(e.Details), &d); err != nil {
				t.Fatal(err)
			}
			found = append(found, d["actor"])
		default:
			t.Errorf("chained as it stood: %+v", e)
		}
	}
	if len(found) != 2 {
		t.Errorf("altered entries recorded as found: %v, want someone-else and carl", found)
	}
	if _, err := db.VerifyAudit(ctx, review.ChainHead{}); err != nil {
		t.Errorf("audit verify: %v", err)
	}
	if waiting, altered, err := db.PendingAudit(ctx); err != nil || waiting != 0 || altered != 2 {
		t.Errorf("pending audit: %d waiting, %d altered (%v); want 0 and 2", waiting, altered, err)
	}
}

// TestChainPendingMovesEveryBatch: more entries wait than one chaining
// transaction moves; one ChainPending chains them all, in seq order.
func TestChainPendingMovesEveryBatch(t *testing.T) {
	dbs, _ := instances(t, 1)
	db, ctx := dbs[0], context.Background()
	const n = pendingBatch + 7
	for i := range n {
		if err := db.Append(ctx, review.AuditEvent{Actor: "a@example.org", Action: "test", Target: string(rune('a' + i%26))}); err != nil {
			t.Fatal(err)
		}
	}
	if c, err := db.ChainPending(ctx); err != nil || c.Entries != n {
		t.Fatalf("chained %+v (%v), want %d", c, err, n)
	}
	if head, err := db.VerifyAudit(ctx, review.ChainHead{}); err != nil || head.ID != n {
		t.Errorf("audit verify: head %v (%v), want %d entries", head, err, n)
	}
}

// TestTryChainPendingSkipsWhileAnotherChains: while another instance holds
// the chain's lock, a background run returns at once with nothing chained,
// and the entry still waits; once the lock is free, the next run chains it.
func TestTryChainPendingSkipsWhileAnotherChains(t *testing.T) {
	dbs, _ := instances(t, 2)
	ctx := context.Background()
	if err := dbs[0].Append(ctx, review.AuditEvent{Actor: "ana@example.org", Action: review.ActionReveal, Target: "item:7"}); err != nil {
		t.Fatal(err)
	}
	holder, err := dbs[1].w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback()
	if err := dbs[1].d.lock(ctx, holder, lockAudit); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if c, err := dbs[0].TryChainPending(short); err != nil || c.Entries != 0 {
		t.Fatalf("while another instance chains: chained %+v (%v), want nothing and no wait", c, err)
	}
	if waiting, _, err := dbs[0].PendingAudit(ctx); err != nil || waiting != 1 {
		t.Fatalf("%d entries waiting (%v), want 1", waiting, err)
	}
	holder.Rollback()
	if c, err := dbs[0].TryChainPending(ctx); err != nil || c.Entries != 1 {
		t.Fatalf("once the lock is free: chained %+v (%v), want 1", c, err)
	}
}
