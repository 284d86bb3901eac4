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

// Undo windows, bulk actions and category saves on several instances of
// Loupe sharing one PostgreSQL database (see instances).

// decideHeld has the reviewer claim and decide n items of s's queue, each
// decision's effects held for the undo window; it returns the decisions.
func (s *undoSetup) decideMany(t *testing.T, n int) []review.Decision {
	t.Helper()
	var out []review.Decision
	for range n {
		s.itemID = s.claim(t)
		out = append(out, s.decide(t))
	}
	return out
}

// settledOnce checks that each decision's effects left Loupe exactly
// once: one callback in the outbox and one place in a report case per
// item, and one proposal per decision.
func settledOnce(t *testing.T, db *DB, ds []review.Decision) {
	t.Helper()
	for _, d := range ds {
		var callbacks, cases, proposals int
		db.r.QueryRow(`SELECT COUNT(*) FROM outbox WHERE kind = ? AND item_id = ?`, review.KindCallback, d.ItemID).Scan(&callbacks)
		db.r.QueryRow(`SELECT COUNT(*) FROM report_items WHERE item_id = ?`, d.ItemID).Scan(&cases)
		db.r.QueryRow(`SELECT COUNT(*) FROM hash_proposals WHERE decision_id = ?`, d.ID).Scan(&proposals)
		if callbacks != 1 || cases != 1 || proposals != 1 {
			t.Errorf("decision %d: %d callbacks, %d case places, %d proposals; want one of each", d.ID, callbacks, cases, proposals)
		}
	}
}

// TestInstancesSettleEachDecisionOnce: two instances settle the same due
// decisions at once; each decision's effects are applied exactly once.
func TestInstancesSettleEachDecisionOnce(t *testing.T) {
	dbs, c := instances(t, 2)
	s := newUndoSetupOf(t, dbs[0], c, 60)
	ds := s.decideMany(t, 60)
	c.Advance(review.UndoWindow)
	var mu sync.Mutex
	settled := 0
	var wg sync.WaitGroup
	for w := range 4 {
		db := dbs[w%2]
		wg.Go(func() {
			for range 3 {
				n, err := db.SettleDecisions(context.Background(), c.Now())
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				settled += n
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if settled != len(ds) {
		t.Errorf("%d decisions settled, want %d", settled, len(ds))
	}
	settledOnce(t, dbs[0], ds)
}

// TestInstancesUndoOrSettleNeverBoth: an undo on one instance races the
// settle on another at the end of the window; each decision is either
// undone with nothing sent, or settled and kept, never both.
func TestInstancesUndoOrSettleNeverBoth(t *testing.T) {
	dbs, c := instances(t, 2)
	s := newUndoSetupOf(t, dbs[0], c, 30)
	ds := s.decideMany(t, 30)
	c.Advance(review.UndoWindow - time.Millisecond)
	undoAt, settleAt := c.Now(), c.Now().Add(time.Millisecond)
	undone := map[int64]bool{}
	started := make(chan struct{}) // the settle starts once a few undos are done
	var wg sync.WaitGroup
	wg.Go(func() {
		for i, d := range ds {
			if i == 5 {
				close(started)
			}
			_, err := dbs[1].UndoDecision(context.Background(), d.ID, s.rev.ID, undoAt, undoAt.Add(time.Minute), review.AuditEvent{Action: review.ActionDecisionUndo})
			switch {
			case err == nil:
				undone[d.ID] = true
			case !errors.Is(err, review.ErrUndoExpired):
				t.Errorf("undo of decision %d: %v", d.ID, err)
			}
		}
	})
	wg.Go(func() {
		<-started
		for range 20 {
			if _, err := dbs[0].SettleDecisions(context.Background(), settleAt); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	if _, err := dbs[0].SettleDecisions(context.Background(), settleAt); err != nil {
		t.Fatal(err)
	}
	var kept []review.Decision
	for _, d := range ds {
		remaining, _ := dbs[0].FindDecisions(context.Background(), d.ItemID)
		if undone[d.ID] {
			var sent int
			dbs[0].r.QueryRow(`SELECT (SELECT COUNT(*) FROM outbox WHERE item_id = ?) + (SELECT COUNT(*) FROM report_items WHERE item_id = ?)`, d.ItemID, d.ItemID).Scan(&sent)
			if len(remaining) != 0 || sent != 0 {
				t.Errorf("undone decision %d: %d decisions remain, %d effects sent", d.ID, len(remaining), sent)
			}
			continue
		}
		if len(remaining) != 1 {
			t.Errorf("settled decision %d: %d decisions on its item", d.ID, len(remaining))
		}
		kept = append(kept, d)
	}
	settledOnce(t, dbs[0], kept)
	t.Logf("%d undone, %d settled", len(undone), len(kept))
}

// TestInstancesReleaseEachHeldItemOnce: leads on two instances release
// the same held items at once, in opposite orders; each item is released
// once, with one audit entry, and neither action fails.
func TestInstancesReleaseEachHeldItemOnce(t *testing.T) {
	dbs, c := instances(t, 2)
	q := seedItems(t, dbs[0], 40, review.NewQueue("held"))
	holders := reviewers(t, dbs[0], 40)
	var ids []int64
	for _, r := range holders {
		id, err := dbs[0].ClaimItem(context.Background(), q.ID, r, c.Now(), c.Now().Add(time.Hour), review.AuditEvent{Action: "test"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	reversed := make([]int64, len(ids))
	for i, id := range ids {
		reversed[len(ids)-1-i] = id
	}
	changed := make([]int, 2)
	var wg sync.WaitGroup
	for i, order := range [][]int64{ids, reversed} {
		wg.Go(func() {
			n, err := dbs[i].ApplyBulk(context.Background(), review.BulkChange{Action: review.BulkRelease, QueueID: q.ID, ItemIDs: order, Actor: fmt.Sprint("lead", i), Now: c.Now()})
			if err != nil {
				t.Errorf("release on instance %d: %v", i, err)
			}
			changed[i] = n
		})
	}
	wg.Wait()
	entries, err := dbs[0].FindAuditEntries(context.Background(), review.AuditFilter{Action: review.ActionItemReleasedByLead, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	audited := len(entries)
	if changed[0]+changed[1] != len(ids) || audited != len(ids) {
		t.Errorf("released %d + %d items, %d audit entries; want %d", changed[0], changed[1], audited, len(ids))
	}
}

// TestInstancesSaveCategoriesWhole: two instances save different category
// sets of one queue at once, again and again; the queue ends with one of
// the sets, never a mix, and no save fails.
func TestInstancesSaveCategoriesWhole(t *testing.T) {
	dbs, _ := instances(t, 2)
	ctx := context.Background()
	q, err := dbs[0].CreateQueue(ctx, review.NewQueue("cats"), review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	sets := [][]review.CategoryDef{
		{{Code: "A1", Definition: "a"}, {Code: "B1", Definition: "b"}},
		{{Code: "A1", Definition: "other a"}, {Code: "C1", Definition: "c"}, {Code: "D1", Definition: "d"}},
	}
	var wg sync.WaitGroup
	for i := range sets {
		wg.Go(func() {
			for range 30 {
				if err := dbs[i].SetCategoryDefs(ctx, q.ID, sets[i], review.AuditEvent{Action: "test"}); err != nil {
					t.Errorf("save on instance %d: %v", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	got, _ := dbs[0].FindCategoryDefs(ctx, q.ID)
	one := func(set []review.CategoryDef) bool {
		if len(got) != len(set) {
			return false
		}
		for _, d := range set {
			if got[d.Code] != d.Definition {
				return false
			}
		}
		return true
	}
	if !one(sets[0]) && !one(sets[1]) {
		t.Errorf("the queue's categories are %v, a mix of two saves", got)
	}
}
