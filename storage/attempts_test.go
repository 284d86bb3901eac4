package storage

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// TestAttemptsAtTheSameMomentAreCountedOneAfterTheOther: 50 reservations
// at once for one account from one address admit exactly the account's
// limit, throttle everything past the address's, and the failures lock
// the account with one lockout entry.
func TestAttemptsAtTheSameMomentAreCountedOneAfterTheOther(t *testing.T) {
	eachEngine(t, testAttemptsAtTheSameMomentAreCountedOneAfterTheOther)
}

func testAttemptsAtTheSameMomentAreCountedOneAfterTheOther(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	u := createUser(t, db, "ana@example.org", review.RoleReviewer)
	p := review.DefaultSignInPolicy
	att := review.Attempt{IP: "192.0.2.1", UserID: u.ID, At: c.Now()}
	var mu sync.Mutex
	var admitted, refused, throttled int
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			res, err := db.ReserveAttempt(ctx, att, p)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				t.Error(err)
			case !res.ThrottledUntil.IsZero():
				throttled++
			case res.Refused != "":
				refused++
			default:
				admitted++
			}
		})
	}
	wg.Wait()
	if admitted != p.MaxFailures || throttled != 50-p.IPMaxFailures || refused != p.IPMaxFailures-p.MaxFailures {
		t.Fatalf("admitted %d, refused %d, throttled %d", admitted, refused, throttled)
	}
	for range admitted {
		ev := review.AuditEvent{Actor: u.Email, Action: review.ActionSignInFailed, Target: "user:" + u.Email}
		if err := db.SettleAttempt(ctx, att, review.AttemptFailed, p, ev); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := db.FindUserByID(ctx, u.ID)
	if !got.Locked(c.Now()) || got.FailedAttempts != p.MaxFailures || got.PendingAttempts != 0 {
		t.Errorf("after the failures: locked %v, %d failures, %d pending", got.Locked(c.Now()), got.FailedAttempts, got.PendingAttempts)
	}
	if entries, _ := db.FindAuditEntries(ctx, review.AuditFilter{Action: review.ActionLockout}); len(entries) != 1 {
		t.Errorf("%d lockout entries, want 1", len(entries))
	}
}

// TestAddressWindow: an address is throttled after its allowance until its
// window ends; an attempt whose secret was right gives its place back.
func TestAddressWindow(t *testing.T) { eachEngine(t, testAddressWindow) }

func testAddressWindow(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	p := review.DefaultSignInPolicy
	start := c.Now()
	reserve := func() review.Reservation {
		t.Helper()
		res, err := db.ReserveAttempt(ctx, review.Attempt{IP: "192.0.2.1", At: c.Now()}, p)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	for i := range p.IPMaxFailures {
		if res := reserve(); !res.ThrottledUntil.IsZero() {
			t.Fatalf("attempt %d throttled", i+1)
		}
		c.Advance(time.Second)
	}
	if res := reserve(); !res.ThrottledUntil.Equal(start.Add(p.IPWindow)) {
		t.Errorf("attempt past the allowance: throttled until %v, want %v", res.ThrottledUntil, start.Add(p.IPWindow))
	}
	c.Advance(p.IPWindow)
	passed := review.Attempt{IP: "192.0.2.1", At: c.Now()}
	if res := reserve(); !res.ThrottledUntil.IsZero() {
		t.Fatal("still throttled in the next window")
	}
	if err := db.SettleAttempt(ctx, passed, review.AttemptPassed, p, review.AuditEvent{}); err != nil {
		t.Fatal(err)
	}
	for i := range p.IPMaxFailures {
		if res := reserve(); !res.ThrottledUntil.IsZero() {
			t.Fatalf("the right password still counted: attempt %d after it throttled", i+1)
		}
	}
	if res := reserve(); res.ThrottledUntil.IsZero() {
		t.Error("not throttled past the allowance in the new window")
	}
}
