package storage

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// seedItems adds n items to a new queue and returns it.
func seedItems(t *testing.T, db *DB, n int, q review.Queue) review.Queue {
	t.Helper()
	ctx := context.Background()
	q, err := db.CreateQueue(ctx, q, review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	src, err := db.EnsureSource(ctx, "photos")
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		it := review.Item{SourceID: src.ID, ExternalID: fmt.Sprintf("%s-%d", q.Name, i), Status: review.StatusQueued, QueueID: q.ID, Priority: i % 5,
			Metadata: review.Metadata{ExternalID: fmt.Sprintf("%s-%d", q.Name, i)}}
		if _, err := db.CreateItem(ctx, it, nil, review.AuditEvent{Action: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	return q
}

// reviewers creates n people and returns their ids.
func reviewers(t *testing.T, db *DB, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = createUser(t, db, fmt.Sprintf("r%d@example.org", i), review.RoleReviewer).ID
	}
	return ids
}

func TestConcurrentClaimsTakeEachItemOnce(t *testing.T) {
	eachEngine(t, testConcurrentClaimsTakeEachItemOnce)
}

func testConcurrentClaimsTakeEachItemOnce(t *testing.T, db *DB, c *clock) {
	ids := reviewers(t, db, 16)
	q := seedItems(t, db, 1000, review.NewQueue("big"))
	var mu sync.Mutex
	claimedBy := map[int64]int{}
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				// Each goroutine is a different reviewer who decides at once,
				// so its next claim must be a new item.
				id, err := db.ClaimItem(context.Background(), q.ID, ids[w], c.Now(), c.Now().Add(time.Minute), review.AuditEvent{Action: "test"})
				if errors.Is(err, review.ErrNotFound) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				claimedBy[id]++
				mu.Unlock()
				if _, err := db.w.Exec(`UPDATE items SET status = 'decided', lease_user_id = NULL, lease_until = '' WHERE id = ?`, id); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if len(claimedBy) != 1000 {
		t.Errorf("%d distinct items claimed, want 1000", len(claimedBy))
	}
	for id, n := range claimedBy {
		if n != 1 {
			t.Errorf("item %d claimed %d times", id, n)
		}
	}
}

func TestConcurrentClaimsNeverShareALease(t *testing.T) {
	eachEngine(t, testConcurrentClaimsNeverShareALease)
}

func testConcurrentClaimsNeverShareALease(t *testing.T, db *DB, c *clock) {
	ids := reviewers(t, db, 50)
	q := seedItems(t, db, 1000, review.NewQueue("busy"))
	var mu sync.Mutex
	holder := map[int64]int64{}
	var wg sync.WaitGroup
	for w := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := ids[w]
			for range 10 { // claiming again returns the item already held
				id, err := db.ClaimItem(context.Background(), q.ID, user, c.Now(), c.Now().Add(time.Minute), review.AuditEvent{Action: "test"})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if h, ok := holder[id]; ok && h != user {
					t.Errorf("item %d leased to %d and %d", id, h, user)
				}
				holder[id] = user
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(holder) != 50 {
		t.Errorf("%d items held by 50 reviewers", len(holder))
	}
}

func TestClaimOrderExpiryAndSecondReview(t *testing.T) {
	eachEngine(t, testClaimOrderExpiryAndSecondReview)
}

func testClaimOrderExpiryAndSecondReview(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	r := reviewers(t, db, 4)
	q := seedItems(t, db, 3, review.NewQueue("small")) // priorities 0, 1, 2
	first, err := db.ClaimItem(ctx, q.ID, r[0], c.Now(), c.Now().Add(5*time.Minute), review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	it, _ := db.FindItemByID(ctx, first)
	if it.Priority != 2 {
		t.Errorf("first claim got priority %d, want the highest (2)", it.Priority)
	}
	if again, _ := db.ClaimItem(ctx, q.ID, r[0], c.Now(), c.Now().Add(5*time.Minute), review.AuditEvent{Action: "test"}); again != first {
		t.Errorf("claiming again gave %d, want the held item %d", again, first)
	}
	other, _ := db.ClaimItem(ctx, q.ID, r[1], c.Now(), c.Now().Add(5*time.Minute), review.AuditEvent{Action: "test"})
	if other == first {
		t.Fatal("a leased item went to a second reviewer")
	}
	c.Advance(6 * time.Minute)
	if got, _ := db.ClaimItem(ctx, q.ID, r[2], c.Now(), c.Now().Add(5*time.Minute), review.AuditEvent{Action: "test"}); got != first && got != other {
		t.Errorf("after the leases expired reviewer 3 got %d, want a returned item", got)
	}
	if err := db.RenewLease(ctx, other, r[1], c.Now(), c.Now().Add(time.Minute)); !errors.Is(err, review.ErrConflict) {
		t.Errorf("an expired lease was renewed: %v", err)
	}

	// Second review: the first reviewer never gets it back.
	two := review.NewQueue("twoperson")
	two.RequiredReviews = 2
	tq := seedItems(t, db, 1, two)
	id, _ := db.ClaimItem(ctx, tq.ID, r[3], c.Now(), c.Now().Add(time.Minute), review.AuditEvent{Action: "test"})
	d := review.Decision{ItemID: id, ReviewerID: r[3], Kind: review.KindFirst, Verdict: review.Violating, Category: "A1"}
	if _, err := db.RecordDecision(ctx, review.DecisionRecord{Decision: d, Outcome: review.Outcome{Kind: review.KindFirst, Status: review.StatusSecondReview}, Now: c.Now(), Event: review.AuditEvent{Action: "test"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ClaimItem(ctx, tq.ID, r[3], c.Now(), c.Now().Add(time.Minute), review.AuditEvent{Action: "test"}); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("the first reviewer could claim the second review: %v", err)
	}
	if got, err := db.ClaimItem(ctx, tq.ID, r[0], c.Now(), c.Now().Add(time.Minute), review.AuditEvent{Action: "test"}); err != nil || got != id {
		t.Errorf("another reviewer could not claim the second review: %d %v", got, err)
	}
}

func TestDecisionNeedsTheLease(t *testing.T) { eachEngine(t, testDecisionNeedsTheLease) }

func testDecisionNeedsTheLease(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	u := createUser(t, db, "r@example.org", review.RoleReviewer)
	q := seedItems(t, db, 1, review.NewQueue("q"))
	id, _ := db.ClaimItem(ctx, q.ID, u.ID, c.Now(), c.Now().Add(time.Minute), review.AuditEvent{Action: "test"})
	c.Advance(2 * time.Minute)
	d := review.Decision{ItemID: id, ReviewerID: u.ID, Kind: review.KindFirst, Verdict: review.NotViolating, Final: true}
	_, err := db.RecordDecision(ctx, review.DecisionRecord{Decision: d, Outcome: review.Outcome{Kind: review.KindFirst, Status: review.StatusDecided, Final: true}, Now: c.Now(), Event: review.AuditEvent{Action: "test"}})
	if !errors.Is(err, review.ErrConflict) {
		t.Errorf("decision after the lease ended: %v", err)
	}
	if ds, _ := db.FindDecisions(ctx, id); len(ds) != 0 {
		t.Errorf("a refused decision was stored: %+v", ds)
	}
}

// A lease that ran out puts its item back in priority order among the
// items nobody holds, and the waiting count counts it again (claims read
// items nobody holds from one index and lapsed leases from another).
func TestLapsedLeasesKeepPriorityOrder(t *testing.T) {
	eachEngine(t, testLapsedLeasesKeepPriorityOrder)
}

func testLapsedLeasesKeepPriorityOrder(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	r := reviewers(t, db, 3)
	q := seedItems(t, db, 5, review.NewQueue("lapsing")) // priorities 0..4
	claim := func(who int64, lease time.Duration) review.Item {
		t.Helper()
		id, err := db.ClaimItem(ctx, q.ID, who, c.Now(), c.Now().Add(lease), review.AuditEvent{Action: "test"})
		if err != nil {
			t.Fatal(err)
		}
		it, _ := db.FindItemByID(ctx, id)
		return it
	}
	waiting := func() int {
		t.Helper()
		n, err := db.CountWaiting(ctx, q.ID, c.Now(), 100)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	top := claim(r[0], time.Minute) // priority 4, lapses
	held := claim(r[1], time.Hour)  // priority 3, stays held
	if top.Priority != 4 || held.Priority != 3 || waiting() != 3 {
		t.Fatalf("claimed priorities %d and %d with %d waiting, want 4 and 3 with 3", top.Priority, held.Priority, waiting())
	}
	c.Advance(2 * time.Minute)
	if n := waiting(); n != 4 {
		t.Errorf("after a lease ran out %d items wait, want 4", n)
	}
	var got []int
	for range 4 {
		id, err := db.ClaimItem(ctx, q.ID, r[2], c.Now(), c.Now().Add(time.Hour), review.AuditEvent{Action: "test"})
		if err != nil {
			t.Fatal(err)
		}
		it, _ := db.FindItemByID(ctx, id)
		got = append(got, it.Priority)
		// Decide it, so the next claim takes the next item.
		d := review.Decision{ItemID: id, ReviewerID: r[2], Kind: review.KindFirst, Verdict: review.NotViolating, Final: true}
		if _, err := db.RecordDecision(ctx, review.DecisionRecord{Decision: d, Outcome: review.Outcome{Kind: review.KindFirst, Status: review.StatusDecided, Final: true}, Now: c.Now(), Event: review.AuditEvent{Action: "test"}}); err != nil {
			t.Fatal(err)
		}
	}
	if fmt.Sprint(got) != "[4 2 1 0]" {
		t.Errorf("claimed priorities %v, want the lapsed item first: [4 2 1 0]", got)
	}
	if n := waiting(); n != 0 {
		t.Errorf("%d items wait with one held and the rest decided, want 0", n)
	}
}

// FindQueueFor reads a queue with whether the person is assigned to it.
func TestQueueWithMembership(t *testing.T) { eachEngine(t, testQueueWithMembership) }

func testQueueWithMembership(t *testing.T, db *DB, _ *clock) {
	ctx := context.Background()
	r := reviewers(t, db, 2)
	q := seedItems(t, db, 0, review.NewQueue("q"))
	if err := db.SetMember(ctx, q.ID, r[0], true, review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		user   int64
		member bool
	}{{r[0], true}, {r[1], false}} {
		got, member, err := db.FindQueueFor(ctx, q.ID, c.user)
		if err != nil || got.Name != "q" || member != c.member {
			t.Errorf("user %d: %q member %v, %v; want member %v", c.user, got.Name, member, err, c.member)
		}
	}
	if _, _, err := db.FindQueueFor(ctx, q.ID+100, r[0]); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("a queue that does not exist: %v", err)
	}
}

// Claiming again returns what the reviewer holds; its lease is renewed
// only once less than half of it is left. FindHeldItem finds it, without
// a write, while no renewal is due.
func TestClaimAgainRenewsAnAgeingLease(t *testing.T) {
	eachEngine(t, testClaimAgainRenewsAnAgeingLease)
}

func testClaimAgainRenewsAnAgeingLease(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	r := reviewers(t, db, 1)
	q := seedItems(t, db, 2, review.NewQueue("q"))
	claim := func() (int64, time.Time) {
		t.Helper()
		id, err := db.ClaimItem(ctx, q.ID, r[0], c.Now(), c.Now().Add(5*time.Minute), review.AuditEvent{Action: "test"})
		if err != nil {
			t.Fatal(err)
		}
		it, _ := db.FindItemByID(ctx, id)
		return id, it.LeaseUntil
	}
	held := func() (int64, error) {
		return db.FindHeldItem(ctx, q.ID, r[0], c.Now(), c.Now().Add(5*time.Minute))
	}
	if id, err := held(); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("before any claim FindHeldItem found %d, %v", id, err)
	}
	first, until := claim()
	c.Advance(2 * time.Minute)
	if id, err := held(); id != first || err != nil {
		t.Errorf("with 3 of 5 minutes left FindHeldItem found %d, %v; want %d", id, err, first)
	}
	if id, again := claim(); id != first || !again.Equal(until) {
		t.Errorf("with 3 of 5 minutes left: item %d lease until %v, want item %d until %v (not rewritten)", id, again, first, until)
	}
	c.Advance(time.Minute)
	if id, err := held(); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("with 2 of 5 minutes left FindHeldItem found %d, %v; want none: the lease is due for renewal", id, err)
	}
	if id, again := claim(); id != first || !again.Equal(c.Now().Add(5*time.Minute)) {
		t.Errorf("with 2 of 5 minutes left: item %d lease until %v, want item %d until %v", id, again, first, c.Now().Add(5*time.Minute))
	}
	if id, err := held(); id != first || err != nil {
		t.Errorf("after the renewal FindHeldItem found %d, %v; want %d", id, err, first)
	}
	if err := db.ReleaseLease(ctx, first, r[0], c.Now(), review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	if id, err := held(); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("after the release FindHeldItem found %d, %v", id, err)
	}
}
