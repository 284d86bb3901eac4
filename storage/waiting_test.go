package storage

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// waitingSetup is a queue of 120 items from two sources, received a minute
// apart, with priorities, classifier scores and (for a few) matches.
type waitingSetup struct {
	db    *DB
	clock *clock
	queue review.Queue
	ids   []int64
	srcA  int64
}

func newWaitingSetup(t *testing.T, db *DB, c *clock) *waitingSetup {
	t.Helper()
	ctx := context.Background()
	q, err := db.CreateQueue(ctx, review.NewQueue("table"), review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := db.EnsureSource(ctx, "alpha")
	b, _ := db.EnsureSource(ctx, "beta")
	s := &waitingSetup{db: db, clock: c, queue: q, srcA: a.ID}
	for i := range 120 {
		src := a.ID
		if i%2 == 1 {
			src = b.ID
		}
		ext := fmt.Sprintf("w-%d", i)
		m := review.Metadata{ExternalID: ext, Classifier: &review.Classifier{Name: "c", Scores: map[string]float64{"x": float64(i%7) / 10, "y": 0.05}}}
		it := review.Item{SourceID: src, ExternalID: ext, Status: review.StatusQueued, QueueID: q.ID, Priority: i % 5, Metadata: m,
			Media: []review.Media{{ID: "m" + ext, ContentType: "image/png", SHA256: ext, MD5: ext}}}
		it, err := db.CreateItem(ctx, it, nil, review.AuditEvent{Action: "test"})
		if err != nil {
			t.Fatal(err)
		}
		s.ids = append(s.ids, it.ID)
		c.Advance(time.Minute)
	}
	// Items 10 and 11 match one entry; item 11 a second one too.
	db.w.Exec(`INSERT INTO hash_lists (id, name, kind, created_at) VALUES (1, 'known', 'block', '')`)
	for e, v := range []string{"aa", "bb"} {
		db.w.Exec(`INSERT INTO hash_entries (id, list_id, hash_type, value, source, added_by, added_at, version) VALUES (?, 1, 'md5', ?, 'manual', 't', '', 1)`, e+1, v)
	}
	for _, mm := range [][2]any{{"mw-10", 1}, {"mw-11", 1}, {"mw-11", 2}} {
		if _, err := db.w.Exec(`INSERT INTO media_matches (media_id, list_id, entry_id, hash_type, distance) VALUES (?, 1, ?, 'md5', 0)`, mm[0], mm[1]); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func (s *waitingSetup) page(t *testing.T, f review.WaitingFilter) review.WaitingPage {
	t.Helper()
	f.QueueID, f.Now = s.queue.ID, s.clock.Now()
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	p, err := s.db.FindWaitingPage(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWaitingPageCountsAndPages(t *testing.T) { eachEngine(t, testWaitingPageCountsAndPages) }

func testWaitingPageCountsAndPages(t *testing.T, db *DB, c *clock) {
	s := newWaitingSetup(t, db, c)
	p := s.page(t, review.WaitingFilter{})
	if p.Total != 120 || p.Pages() != 3 || len(p.Rows) != review.WaitingPerPage {
		t.Fatalf("total %d, pages %d, rows %d; want 120, 3, %d", p.Total, p.Pages(), len(p.Rows), review.WaitingPerPage)
	}
	last := s.page(t, review.WaitingFilter{Page: 3})
	if len(last.Rows) != 20 {
		t.Errorf("last page has %d rows, want 20", len(last.Rows))
	}
	seen := map[int64]bool{}
	for pg := 1; pg <= 3; pg++ {
		for _, w := range s.page(t, review.WaitingFilter{Page: pg}).Rows {
			if seen[w.Item.ID] {
				t.Fatalf("item %d on two pages", w.Item.ID)
			}
			seen[w.Item.ID] = true
		}
	}
	if len(seen) != 120 {
		t.Errorf("pages hold %d distinct items, want 120", len(seen))
	}
	if f := s.page(t, review.WaitingFilter{SourceID: s.srcA}); f.Total != 60 {
		t.Errorf("source filter: %d, want 60", f.Total)
	}
	if f := s.page(t, review.WaitingFilter{Matched: true}); f.Total != 2 {
		t.Errorf("matched filter: %d, want 2", f.Total)
	}
}

func TestWaitingPageSortOrders(t *testing.T) { eachEngine(t, testWaitingPageSortOrders) }

func testWaitingPageSortOrders(t *testing.T, db *DB, c *clock) {
	s := newWaitingSetup(t, db, c)
	first := func(sort string, reverse bool) review.Waiting {
		return s.page(t, review.WaitingFilter{Sort: sort, Reverse: reverse}).Rows[0]
	}
	if w := first("priority", false); w.Item.Priority != 4 || w.Item.ID != s.ids[4] {
		t.Errorf("priority: first is item %d p%d, want item %d p4", w.Item.ID, w.Item.Priority, s.ids[4])
	}
	if w := first("priority", true); w.Item.Priority != 0 || w.Item.ID != s.ids[115] {
		t.Errorf("priority reversed: first is item %d p%d, want the newest p0 %d", w.Item.ID, w.Item.Priority, s.ids[115])
	}
	if w := first("age", false); w.Item.ID != s.ids[0] {
		t.Errorf("age: first is %d, want the oldest %d", w.Item.ID, s.ids[0])
	}
	if w := first("age", true); w.Item.ID != s.ids[119] {
		t.Errorf("age reversed: first is %d, want the newest %d", w.Item.ID, s.ids[119])
	}
	if w := first("source", true); w.Item.Source != "beta" {
		t.Errorf("source reversed: first from %q", w.Item.Source)
	}
	if w := first("matches", false); w.Item.ID != s.ids[11] || w.Matches != 2 {
		t.Errorf("matches: first is %d with %d, want %d with 2", w.Item.ID, w.Matches, s.ids[11])
	}
	if w := first("score", false); w.Score != 0.6 || w.Item.ID != s.ids[6] {
		t.Errorf("score: first is %d with %v, want %d with 0.6", w.Item.ID, w.Score, s.ids[6])
	}
	rows := s.page(t, review.WaitingFilter{Sort: "score"}).Rows
	for i := 1; i < len(rows); i++ {
		if rows[i].Score > rows[i-1].Score {
			t.Fatalf("score order broken at row %d", i)
		}
	}
	f := review.WaitingFilter{Sort: "size"}
	if err := f.Validate(); err == nil {
		t.Error("an unknown sort was accepted")
	}
}

func TestBulkChangesOnlyWaitingItemsOfTheQueue(t *testing.T) {
	eachEngine(t, testBulkChangesOnlyWaitingItemsOfTheQueue)
}

func testBulkChangesOnlyWaitingItemsOfTheQueue(t *testing.T, db *DB, c *clock) {
	s := newWaitingSetup(t, db, c)
	ctx := context.Background()
	rev := reviewers(t, s.db, 1)[0]
	now := s.clock.Now()
	held, err := s.db.ClaimItem(ctx, s.queue.ID, rev, now, now.Add(time.Minute), review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := s.db.CreateQueue(ctx, review.NewQueue("other"), review.AuditEvent{Action: "test"})
	free := []int64{s.ids[0], s.ids[1]}
	if free[0] == held || free[1] == held {
		t.Fatal("the claim took an item the test moves")
	}
	n, err := s.db.ApplyBulk(ctx, review.BulkChange{Action: review.BulkMove, QueueID: s.queue.ID, ToQueue: other.ID, ItemIDs: append(free, held), Actor: "lead", Now: now})
	if err != nil || n != 2 {
		t.Fatalf("move: %d, %v; want 2 (the held item stays)", n, err)
	}
	if it, _ := s.db.FindItemByID(ctx, free[0]); it.QueueID != other.ID {
		t.Errorf("moved item is in queue %d", it.QueueID)
	}
	if held := s.page(t, review.WaitingFilter{Status: "held"}); held.Total != 1 || held.Rows[0].HeldBy != "r0@example.org" {
		t.Errorf("held filter: %+v", held)
	}
	if n, _ := s.db.ApplyBulk(ctx, review.BulkChange{Action: review.BulkRelease, QueueID: s.queue.ID, ItemIDs: []int64{held, s.ids[5]}, Actor: "lead", Now: now}); n != 1 {
		t.Errorf("release changed %d, want 1 (the other was not held)", n)
	}
	if it, _ := s.db.FindItemByID(ctx, held); it.LeaseUserID != 0 {
		t.Errorf("released item still held by %d", it.LeaseUserID)
	}
	if n, _ := s.db.ApplyBulk(ctx, review.BulkChange{Action: review.BulkPriority, QueueID: s.queue.ID, Priority: 99, ItemIDs: []int64{s.ids[7], free[0]}, Actor: "lead", Now: now}); n != 1 {
		t.Errorf("reprioritise changed %d, want 1 (the other moved away)", n)
	}
	es, _ := s.db.FindAuditEntries(ctx, review.AuditFilter{Actor: "lead", Limit: 10})
	if len(es) != 4 || es[0].Action != review.ActionItemReprioritised || es[0].Target != review.ItemTarget(s.ids[7]) {
		t.Errorf("audit: %d entries, newest %+v", len(es), es)
	}
}

// TestMovingAnEscalatedItemOutQueuesItAgain: an escalated item a lead
// moves to a reviewers' queue is queued there, so a reviewer's verdict is
// not final as if a lead had made it; moved back, it keeps its status.
func TestMovingAnEscalatedItemOutQueuesItAgain(t *testing.T) {
	eachEngine(t, testMovingAnEscalatedItemOutQueuesItAgain)
}

func testMovingAnEscalatedItemOutQueuesItAgain(t *testing.T, db *DB, c *clock) {
	s := newWaitingSetup(t, db, c)
	ctx := context.Background()
	esc, _ := s.db.FindQueueByName(ctx, review.EscalationQueue)
	id := s.ids[3]
	s.db.w.Exec(`UPDATE items SET status = 'escalated' WHERE id = ?`, id)
	if n, err := s.db.ApplyBulk(ctx, review.BulkChange{Action: review.BulkMove, QueueID: s.queue.ID, ToQueue: esc.ID, ItemIDs: []int64{id}, Now: s.clock.Now()}); n != 1 || err != nil {
		t.Fatalf("move to escalations: %d %v", n, err)
	}
	if it, _ := s.db.FindItemByID(ctx, id); it.Status != review.StatusEscalated {
		t.Errorf("in escalations the item is %s", it.Status)
	}
	if n, err := s.db.ApplyBulk(ctx, review.BulkChange{Action: review.BulkMove, QueueID: esc.ID, ToQueue: s.queue.ID, ItemIDs: []int64{id}, Now: s.clock.Now()}); n != 1 || err != nil {
		t.Fatalf("move back: %d %v", n, err)
	}
	if it, _ := s.db.FindItemByID(ctx, id); it.Status != review.StatusQueued {
		t.Errorf("moved to a reviewers' queue the item is %s, want queued", it.Status)
	}
}
