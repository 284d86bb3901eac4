package storage

import (
	"context"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// CountWaiting stops at its limit, and counts only items nobody holds.
func TestCountWaitingStopsAtItsLimit(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB, c *clock) {
		ctx := context.Background()
		q := seedItems(t, db, 4, review.NewQueue("counted"))
		r := reviewers(t, db, 1)
		if _, err := db.ClaimItem(ctx, q.ID, r[0], c.Now(), c.Now().Add(5*time.Minute), review.AuditEvent{Action: "test"}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ upTo, want int }{{10, 3}, {3, 3}, {2, 2}} {
			if n, err := db.CountWaiting(ctx, q.ID, c.Now(), tc.upTo); err != nil || n != tc.want {
				t.Errorf("up to %d: %d, %v; want %d", tc.upTo, n, err, tc.want)
			}
		}
	})
}
