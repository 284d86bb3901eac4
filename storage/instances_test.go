package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/storage/storagetest"
)

// Several instances of Loupe on one PostgreSQL database: each handle here
// is one instance's storage, with its own pool. (On SQLite one process
// serves, so these run on PostgreSQL only.)

// instances opens n handles on one new PostgreSQL database.
func instances(t *testing.T, n int) ([]*DB, *clock) {
	t.Helper()
	url := storagetest.PostgresDatabase(t)
	c := testClock()
	out := make([]*DB, n)
	for i := range out {
		db, err := Open(context.Background(), url, c.Now, testAuditKey)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		out[i] = db
	}
	return out, c
}

// TestInstancesClaimEachItemOnce: reviewers on two instances claim from one
// queue at once; no item is handed out twice.
func TestInstancesClaimEachItemOnce(t *testing.T) {
	dbs, c := instances(t, 2)
	ids := reviewers(t, dbs[0], 16)
	q := seedItems(t, dbs[0], 400, review.NewQueue("shared"))
	var mu sync.Mutex
	claimedBy := map[int64][]int64{}
	var wg sync.WaitGroup
	for w := range ids {
		db := dbs[w%2]
		wg.Go(func() {
			for {
				id, err := db.ClaimItem(context.Background(), q.ID, ids[w], c.Now(), c.Now().Add(time.Minute), review.AuditEvent{Action: "test"})
				if errors.Is(err, review.ErrNotFound) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				claimedBy[id] = append(claimedBy[id], ids[w])
				mu.Unlock()
				if _, err := db.w.Exec(`UPDATE items SET status = 'decided', lease_user_id = NULL, lease_until = '' WHERE id = ?`, id); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if len(claimedBy) != 400 {
		t.Errorf("%d distinct items claimed, want 400", len(claimedBy))
	}
	for id, by := range claimedBy {
		if len(by) != 1 {
			t.Errorf("item %d handed out to %v", id, by)
		}
	}
}

// TestDecisionOnOneInstanceIsSeenByAnother: once instance A has recorded a
// decision, instance B shows it, and refuses a second decision on the
// lease A's decision ended.
func TestDecisionOnOneInstanceIsSeenByAnother(t *testing.T) {
	dbs, c := instances(t, 2)
	a, b := dbs[0], dbs[1]
	ctx := context.Background()
	r := reviewers(t, a, 1)[0]
	q := seedItems(t, a, 1, review.NewQueue("q"))
	id, err := a.ClaimItem(ctx, q.ID, r, c.Now(), c.Now().Add(time.Minute), review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	d := review.Decision{ItemID: id, ReviewerID: r, Kind: review.KindFirst, Verdict: review.NotViolating, Final: true}
	rec := review.DecisionRecord{Decision: d, Outcome: review.Outcome{Status: review.StatusDecided}, Now: c.Now(), Event: review.AuditEvent{Action: "test"}}
	if _, err := a.RecordDecision(ctx, rec); err != nil {
		t.Fatal(err)
	}
	it, err := b.FindItemByID(ctx, id)
	if err != nil || it.Status != review.StatusDecided {
		t.Errorf("instance B sees item %d as %q (%v), want decided", id, it.Status, err)
	}
	if ds, err := b.FindDecisions(ctx, id); err != nil || len(ds) != 1 || ds[0].Verdict != review.NotViolating {
		t.Errorf("instance B sees decisions %+v (%v)", ds, err)
	}
	if _, err := b.RecordDecision(ctx, rec); !errors.Is(err, review.ErrLeaseLost) {
		t.Errorf("a second decision through instance B: %v, want ErrLeaseLost", err)
	}
}

// TestAuditChainStaysOneUnderThreeInstances: three instances append at
// once while each chains what waits, as serve does; the log is one chain
// that verifies, with every entry in it once.
func TestAuditChainStaysOneUnderThreeInstances(t *testing.T) {
	dbs, _ := instances(t, 3)
	ctx := context.Background()
	const each = 60
	chaining, stop := context.WithCancel(ctx)
	var chainers sync.WaitGroup
	for _, db := range dbs {
		chainers.Go(func() {
			for chaining.Err() == nil {
				if _, err := db.ChainPending(chaining); err != nil && chaining.Err() == nil {
					t.Error(err)
					return
				}
			}
		})
	}
	var wg sync.WaitGroup
	for i, db := range dbs {
		for g := range 4 {
			wg.Go(func() {
				for n := range each / 4 {
					ev := review.AuditEvent{Actor: fmt.Sprintf("instance-%d", i), Action: "test", Target: fmt.Sprintf("%d-%d", g, n)}
					if err := db.Append(ctx, ev); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	stop()
	chainers.Wait()
	head, err := dbs[2].VerifyAudit(ctx, review.ChainHead{})
	if err != nil {
		t.Fatalf("audit verify: %v", err)
	}
	if head.ID != 3*each {
		t.Errorf("chain of %d entries, want %d", head.ID, 3*each)
	}
	entries, err := dbs[0].FindAuditEntries(ctx, review.AuditFilter{Limit: 1000})
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Actor+"/"+e.Target] = true
	}
	if err != nil || len(seen) != 3*each {
		t.Errorf("%d distinct entries (%v), want %d", len(seen), err, 3*each)
	}
}

// TestRacingUsesOfARecoveryCode: the same recovery code sent to two
// instances at once signs in once.
func TestRacingUsesOfARecoveryCode(t *testing.T) {
	dbs, _ := instances(t, 2)
	ctx := context.Background()
	u := createUser(t, dbs[0], "ana@example.org", review.RoleReviewer)
	if err := dbs[0].EnrollTOTP(ctx, u.ID, "SECRET", 1, []string{"code-hash"}, review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	for range 30 { // the race is narrow: try it often, on a fresh code
		if _, err := dbs[0].w.Exec(`UPDATE recovery_codes SET used_at = '' WHERE user_id = ?`, u.ID); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var used atomic.Int32
		for i := range 8 {
			wg.Go(func() {
				if dbs[i%2].UseRecoveryCode(ctx, u.ID, "code-hash", review.AuditEvent{Action: "test"}) == nil {
					used.Add(1)
				}
			})
		}
		wg.Wait()
		if n := used.Load(); n != 1 {
			t.Fatalf("one code used %d times by eight attempts at once, want once", n)
		}
	}
}

// TestReportableDecisionsOnTwoInstancesShareTheAccountsCase: violating
// decisions on two items of one account, recorded through two instances at
// the same moment, both succeed and put both items into one case.
func TestReportableDecisionsOnTwoInstancesShareTheAccountsCase(t *testing.T) {
	dbs, c := instances(t, 2)
	ctx := context.Background()
	src, err := dbs[0].EnsureSource(ctx, "photos")
	if err != nil {
		t.Fatal(err)
	}
	q, err := dbs[0].CreateQueue(ctx, review.NewQueue("q"), review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	rs := reviewers(t, dbs[0], 2)
	for round := range 5 {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		ids := make([]int64, 2)
		for i, db := range dbs {
			ext := fmt.Sprintf("r%d-%d", round, i)
			it, err := db.CreateItem(ctx, review.Item{SourceID: src.ID, ExternalID: ext, Status: review.StatusQueued, QueueID: q.ID, Priority: 50,
				Metadata: review.Metadata{ExternalID: ext, Uploader: &review.Uploader{AccountID: fmt.Sprint("acct-", round)}}}, nil, review.AuditEvent{Action: "test"})
			if err != nil {
				t.Fatal(err)
			}
			ids[i] = it.ID
			if _, err := db.w.Exec(`UPDATE items SET lease_user_id = ?, lease_until = ? WHERE id = ?`, rs[i], fmtTime(c.Now().Add(time.Minute)), it.ID); err != nil {
				t.Fatal(err)
			}
		}
		for i, db := range dbs {
			wg.Go(func() {
				d := review.Decision{ItemID: ids[i], ReviewerID: rs[i], Kind: review.KindFirst, Verdict: review.Violating, Final: true}
				_, errs[i] = db.RecordDecision(ctx, review.DecisionRecord{Decision: d, Outcome: review.Outcome{Status: review.StatusDecided},
					Report: true, Now: c.Now(), Event: review.AuditEvent{Action: "test"}})
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		a, errA := dbs[0].FindCaseOfItem(ctx, ids[0])
		b, errB := dbs[1].FindCaseOfItem(ctx, ids[1])
		if err := errors.Join(errA, errB); err != nil || a.ID != b.ID || len(a.Items) != 2 {
			t.Fatalf("round %d: cases %d and %d (%v), items %v", round, a.ID, b.ID, err, a.Items)
		}
	}
}

// TestAnAuditedWriteDoesNotWaitForAnother: while instance A's transaction
// holds an audit entry, uncommitted, instance B records and reads its own
// entry; A's entry is chained once it commits, after B's (the chain's order
// is the order of chaining, not of appending). When the chain's turn was
// taken where an entry was appended, or at commit through the disk flush,
// every write of every instance queued behind the others.
func TestAnAuditedWriteDoesNotWaitForAnother(t *testing.T) {
	dbs, _ := instances(t, 2)
	ctx := context.Background()
	appended, quick := make(chan struct{}), make(chan error, 1)
	go func() {
		<-appended
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		err := dbs[1].Append(ctx, review.AuditEvent{Actor: "quick", Action: "test"})
		if err == nil {
			err = hasActors(ctx, dbs[1], "quick")
		}
		quick <- err
	}()
	err := dbs[0].write(ctx, func(tx *sql.Tx) error {
		if err := dbs[0].appendAudit(ctx, tx, review.AuditEvent{Actor: "slow", Action: "test"}); err != nil {
			return err
		}
		close(appended)
		return <-quick
	})
	if err != nil {
		t.Fatalf("instance B recording and reading while instance A's transaction is open: %v", err)
	}
	if err := hasActors(ctx, dbs[1], "slow", "quick"); err != nil {
		t.Error(err)
	}
	if _, err := dbs[1].VerifyAudit(ctx, review.ChainHead{}); err != nil {
		t.Errorf("audit verify: %v", err)
	}
}

// hasActors checks the log's actors, newest first.
func hasActors(ctx context.Context, db *DB, want ...string) error {
	entries, err := db.FindAuditEntries(ctx, review.AuditFilter{})
	if err != nil {
		return err
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Actor)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		return fmt.Errorf("log newest first: %v, want %v", got, want)
	}
	return nil
}

// TestWritesDoNotWaitForTheChainsLock: while one instance holds the
// chain's lock (chaining a batch), another commits an audited change at
// once; its entry is chained when the lock is free, and readers wait for
// that rather than miss it.
func TestWritesDoNotWaitForTheChainsLock(t *testing.T) {
	dbs, _ := instances(t, 2)
	ctx := context.Background()
	hold, err := dbs[0].Raw().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Rollback()
	if _, err := hold.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, lockAudit); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if _, err := dbs[1].CreateQueue(short, review.NewQueue("audited"), review.AuditEvent{Actor: "lead", Action: review.ActionQueueCreated}); err != nil {
		t.Fatalf("creating a queue while the chain is locked: %v", err)
	}
	read := make(chan error, 1)
	go func() { read <- hasActors(ctx, dbs[1], "lead") }()
	select {
	case err := <-read:
		t.Fatalf("the log was read while an entry could not be chained yet: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	if err := hold.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := <-read; err != nil {
		t.Error(err)
	}
	if head, err := dbs[0].VerifyAudit(ctx, review.ChainHead{}); err != nil || head.ID != 1 {
		t.Errorf("audit verify: head %v, %v; want 1 entry", head, err)
	}
}

// TestReadsDoNotWaitForWriters: with every writer connection of an
// instance busy, pages still read.
func TestReadsDoNotWaitForWriters(t *testing.T) {
	dbs, _ := instances(t, 1)
	db, ctx := dbs[0], context.Background()
	for range postgresWriters {
		conn, err := db.Raw().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
	}
	short, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := db.FindQueues(short); err != nil {
		t.Errorf("reading while every writer connection is busy: %v", err)
	}
}
