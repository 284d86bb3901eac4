package storage

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/loupe-review/loupe/review"
)

func ids(es []review.AuditEntry) []int64 {
	out := make([]int64, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

// TestAuditKeysetPaging walks the log by entry number both ways: pages
// meet without a gap or an overlap, the last page ends at the oldest
// entry, and filters hold across pages.
func TestAuditKeysetPaging(t *testing.T) { eachEngine(t, testAuditKeysetPaging) }

func testAuditKeysetPaging(t *testing.T, db *DB, _ *clock) {
	ctx := context.Background()
	head, _ := db.AuditHead(ctx)
	base := head.ID // entries migrations wrote
	for i := range 250 {
		action := "even"
		if i%2 == 1 {
			action = "odd"
		}
		if err := db.Append(ctx, review.AuditEvent{Actor: "a@example.org", Action: action, Target: fmt.Sprintf("item:%d", i%3)}); err != nil {
			t.Fatal(err)
		}
	}
	top := base + 250
	var seen []int64
	f := review.AuditFilter{Limit: 100}
	for {
		es, err := db.FindAuditEntries(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) == 0 {
			break
		}
		seen = append(seen, ids(es)...)
		f.Before = es[len(es)-1].ID
	}
	if int64(len(seen)) != top || seen[0] != top || seen[len(seen)-1] != 1 || !slices.IsSortedFunc(seen, func(a, b int64) int { return int(b - a) }) {
		t.Fatalf("walked %d entries from %d to %d, want %d from %d to 1 in order", len(seen), seen[0], seen[len(seen)-1], top, top)
	}
	// Just below, at and just above a boundary.
	if es, _ := db.FindAuditEntries(ctx, review.AuditFilter{Limit: 3, Before: top - 10}); !slices.Equal(ids(es), []int64{top - 11, top - 12, top - 13}) {
		t.Errorf("before %d: %v", top-10, ids(es))
	}
	if es, _ := db.FindAuditEntries(ctx, review.AuditFilter{Limit: 3, After: top - 10}); !slices.Equal(ids(es), []int64{top - 7, top - 8, top - 9}) {
		t.Errorf("after %d: %v, want the three just newer, newest first", top-10, ids(es))
	}
	if es, _ := db.FindAuditEntries(ctx, review.AuditFilter{Limit: 3, After: top}); len(es) != 0 {
		t.Errorf("after the newest: %v", ids(es))
	}
	es, _ := db.FindAuditEntries(ctx, review.AuditFilter{Limit: 1000, Action: "odd", Target: "item:0", Before: top - 100})
	for _, e := range es {
		if e.Action != "odd" || e.Target != "item:0" || e.ID >= top-100 {
			t.Fatalf("filtered page holds %+v", e)
		}
	}
	if len(es) == 0 {
		t.Error("the filtered page is empty")
	}
	actions, err := db.FindAuditActions(ctx)
	if err != nil || !slices.Contains(actions, "even") || !slices.Contains(actions, "odd") || !slices.IsSorted(actions) {
		t.Errorf("actions %v, %v", actions, err)
	}
}
