package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// With statistics gathered while nobody held an item or had a reveal
// open, and then leases and reveals coming and going, the statements
// that find one item's lease, what a reviewer holds in a queue, and the
// reveal a page closes read a few buffers each: the row by its key or
// the holder's lease, not a whole index of leased items or open reveals
// that the statistics say is empty (PostgreSQL; SQLite has no such plans).
func TestLeaseReadsDoNotTrustEmptyIndexStatistics(t *testing.T) {
	db, c := openPostgresTest(t)
	ctx := context.Background()
	people := reviewers(t, db, 60)
	q, err := db.CreateQueue(ctx, review.NewQueue("q"), review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	src, err := db.EnsureSource(ctx, "photos")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SeedItems(ctx, Seed{QueueID: q.ID, SourceID: src.ID, Waiting: 20_000, Prefix: "s"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Settle(ctx); err != nil { // VACUUM ANALYZE: no item leased, no reveal open
		t.Fatal(err)
	}
	now, ev := c.Now(), review.AuditEvent{Action: "test"}
	var held, exposure, user int64
	for round := range 4 {
		for _, u := range people {
			id, err := db.ClaimItem(ctx, q.ID, u, now, now.Add(review.DefaultLease), ev)
			if err != nil {
				t.Fatal(err)
			}
			var media string
			if err := db.w.QueryRowContext(ctx, `SELECT id FROM media WHERE item_id = ?`, id).Scan(&media); err != nil {
				t.Fatal(err)
			}
			e, err := db.CreateReveal(ctx, review.Exposure{ReviewerID: u, ItemID: id, MediaID: media, Rendition: "grey", RegionFraction: 1,
				StartedAt: now, CapAt: now.Add(time.Minute)}, fmt.Sprintf("grant-%d-%d-%d", round, u, id), now.Add(time.Minute), ev)
			if err != nil {
				t.Fatal(err)
			}
			if round < 3 { // leases and reveals that came and went
				if err := db.ReleaseLease(ctx, id, u, now, ev); err != nil {
					t.Fatal(err)
				}
				continue
			}
			held, exposure, user = id, e.ID, u
		}
	}
	for _, s := range []struct {
		name  string
		query string
		args  []any
	}{
		{"a reveal's or decision's lease check", leaseOf + db.d.forUpdate, []any{held}},
		{"a claim's look at what the reviewer holds", heldIn, []any{user, q.ID}},
		{"closing a reveal", closeExposure, []any{fmtTime(now), 1, "reblur", exposure}},
	} {
		if n := buffersRead(t, db, s.query, s.args...); n > 12 {
			t.Errorf("%s read %d buffers, want a few (the row by its key, or the holder's lease)", s.name, n)
		}
	}
}

// buffersRead runs a statement under EXPLAIN (ANALYZE, BUFFERS), rolled
// back, and returns the shared buffers it read.
func buffersRead(t *testing.T, db *DB, query string, args ...any) int {
	t.Helper()
	ctx := context.Background()
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var out string
	if err := tx.QueryRowContext(ctx, `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) `+query, args...).Scan(&out); err != nil {
		t.Fatal(err)
	}
	var plans []struct {
		Plan struct {
			Hit  int `json:"Shared Hit Blocks"`
			Read int `json:"Shared Read Blocks"`
		}
	}
	if err := json.Unmarshal([]byte(out), &plans); err != nil || len(plans) != 1 {
		t.Fatalf("plan %s: %v", out, err)
	}
	return plans[0].Plan.Hit + plans[0].Plan.Read
}
