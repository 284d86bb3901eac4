package storage

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// undoSetup is a reportable queue proposing to a hash list, a source with
// a callback URL, two items and a reviewer holding the first.
type undoSetup struct {
	db     *DB
	c      *clock
	q      review.Queue
	list   review.HashList
	rev    review.User
	itemID int64
}

func newUndoSetup(t *testing.T, db *DB, c *clock) *undoSetup {
	t.Helper()
	s := newUndoSetupOf(t, db, c, 2)
	s.itemID = s.claim(t)
	return s
}

// newUndoSetupOf is newUndoSetup with n items, none claimed yet.
func newUndoSetupOf(t *testing.T, db *DB, c *clock, n int) *undoSetup {
	t.Helper()
	ctx := context.Background()
	q := review.NewQueue("q")
	q.Reportable = true
	q = seedItems(t, db, n, q)
	src, _ := db.EnsureSource(ctx, "photos")
	if err := db.SetCallback(ctx, src.ID, "https://platform.example/hook", []byte("sealed"), review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	list, err := db.CreateHashList(ctx, review.HashList{Name: "known", Kind: "block", Category: "A1", Threshold: 31, Enabled: true}, review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return &undoSetup{db: db, c: c, q: q, list: list, rev: createUser(t, db, "r@example.org", review.RoleReviewer)}
}

func (s *undoSetup) claim(t *testing.T) int64 {
	t.Helper()
	id, err := s.db.ClaimItem(context.Background(), s.q.ID, s.rev.ID, s.c.Now(), s.c.Now().Add(5*time.Minute), review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// decide records a final violating decision on the held item, its effects
// held for the undo window.
func (s *undoSetup) decide(t *testing.T) review.Decision {
	t.Helper()
	now := s.c.Now()
	d := review.Decision{ItemID: s.itemID, ReviewerID: s.rev.ID, Reviewer: s.rev.Email, Kind: review.KindFirst, Verdict: review.Violating, Category: "A1", Final: true}
	saved, err := s.db.RecordDecision(context.Background(), review.DecisionRecord{
		Decision: d, Outcome: review.Outcome{Kind: review.KindFirst, Status: review.StatusDecided, Final: true},
		Callback: `{"event":"item.decided"}`, SourceID: 1, Report: true,
		Proposals: []review.Proposal{{ListID: s.list.ID, ItemID: s.itemID, ReviewerID: s.rev.ID, HashType: "sha256", Value: "ab12", Category: "A1"}},
		Event:     review.AuditEvent{Actor: s.rev.Email, Action: "decision.first"}, Now: now, EffectsDue: now.Add(review.UndoWindow),
	})
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

// effects counts what left (or would leave) Loupe for the item.
func (s *undoSetup) effects(t *testing.T) (callbacks, cases, proposals int) {
	t.Helper()
	ctx := context.Background()
	out, _ := s.db.FindOutbox(ctx, review.KindCallback, 10)
	ps, _ := s.db.FindProposals(ctx, s.list.ID, "pending")
	if _, err := s.db.FindCaseOfItem(ctx, s.itemID); err == nil {
		cases = 1
	}
	return len(out), cases, len(ps)
}

func TestDecisionEffectsWaitForTheUndoWindow(t *testing.T) {
	eachEngine(t, testDecisionEffectsWaitForTheUndoWindow)
}

func testDecisionEffectsWaitForTheUndoWindow(t *testing.T, db *DB, c *clock) {
	s := newUndoSetup(t, db, c)
	ctx := context.Background()
	s.decide(t)
	if n, _ := s.db.SettleDecisions(ctx, s.c.Now().Add(review.UndoWindow-time.Second)); n != 0 {
		t.Errorf("%d decisions settled inside the window", n)
	}
	if cb, cs, ps := s.effects(t); cb+cs+ps != 0 {
		t.Fatalf("inside the undo window: %d callbacks, %d cases, %d proposals; want none", cb, cs, ps)
	}
	s.c.Advance(review.UndoWindow)
	if n, err := s.db.SettleDecisions(ctx, s.c.Now()); n != 1 || err != nil {
		t.Fatalf("settled %d (%v), want 1", n, err)
	}
	if cb, cs, ps := s.effects(t); cb != 1 || cs != 1 || ps != 1 {
		t.Errorf("after the window: %d callbacks, %d cases, %d proposals; want one of each", cb, cs, ps)
	}
	if n, _ := s.db.SettleDecisions(ctx, s.c.Now()); n != 0 {
		t.Errorf("a decision settled twice")
	}
}

func TestUndoPutsTheItemBackWithNothingSent(t *testing.T) {
	eachEngine(t, testUndoPutsTheItemBackWithNothingSent)
}

func testUndoPutsTheItemBackWithNothingSent(t *testing.T, db *DB, c *clock) {
	s := newUndoSetup(t, db, c)
	ctx := context.Background()
	d := s.decide(t)
	next := s.claim(t)
	s.c.Advance(review.UndoWindow - time.Second)
	p, err := s.db.FindUndoable(ctx, s.rev.ID, s.c.Now())
	if err != nil || p.DecisionID != d.ID || p.SecondsLeft(s.c.Now()) != 1 {
		t.Fatalf("undoable: %+v %v", p, err)
	}
	got, err := s.db.UndoDecision(ctx, d.ID, s.rev.ID, s.c.Now(), s.c.Now().Add(5*time.Minute), review.AuditEvent{Actor: s.rev.Email, Action: review.ActionDecisionUndo})
	if err != nil || got != s.itemID {
		t.Fatalf("undo: %d %v", got, err)
	}
	it, _ := s.db.FindItemByID(ctx, s.itemID)
	if it.Status != review.StatusQueued || !it.HeldBy(s.rev.ID, s.c.Now()) {
		t.Errorf("after undo the item is %s, held by the reviewer: %v", it.Status, it.HeldBy(s.rev.ID, s.c.Now()))
	}
	if n, _ := s.db.FindItemByID(ctx, next); n.HeldBy(s.rev.ID, s.c.Now()) {
		t.Error("the reviewer still holds the next item after the undo")
	}
	if ds, _ := s.db.FindDecisions(ctx, s.itemID); len(ds) != 0 {
		t.Errorf("the undone decision remains: %+v", ds)
	}
	s.c.Advance(time.Hour)
	s.db.SettleDecisions(ctx, s.c.Now())
	if cb, cs, ps := s.effects(t); cb+cs+ps != 0 {
		t.Errorf("after an undo: %d callbacks, %d cases, %d proposals; want none", cb, cs, ps)
	}
	if es, err := s.db.FindAuditEntries(ctx, review.AuditFilter{Action: review.ActionDecisionUndo}); len(es) != 1 {
		t.Errorf("%d %s audit entries (%v), want 1", len(es), review.ActionDecisionUndo, err)
	}
}

func TestUndoIsRefusedAfterTheWindowAndToOthers(t *testing.T) {
	eachEngine(t, testUndoIsRefusedAfterTheWindowAndToOthers)
}

func testUndoIsRefusedAfterTheWindowAndToOthers(t *testing.T, db *DB, c *clock) {
	s := newUndoSetup(t, db, c)
	ctx := context.Background()
	d := s.decide(t)
	other := createUser(t, s.db, "other@example.org", review.RoleReviewer)
	undo := func(userID int64) error {
		_, err := s.db.UndoDecision(ctx, d.ID, userID, s.c.Now(), s.c.Now().Add(time.Minute), review.AuditEvent{Action: review.ActionDecisionUndo})
		return err
	}
	if err := undo(other.ID); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("another reviewer's undo: %v, want not found", err)
	}
	s.c.Advance(review.UndoWindow)
	if err := undo(s.rev.ID); !errors.Is(err, review.ErrUndoExpired) {
		t.Errorf("undo at the end of the window (not yet settled): %v, want expired", err)
	}
	s.db.SettleDecisions(ctx, s.c.Now())
	if err := undo(s.rev.ID); !errors.Is(err, review.ErrUndoExpired) {
		t.Errorf("undo after settling: %v, want expired", err)
	}
	if _, err := s.db.FindUndoable(ctx, s.rev.ID, s.c.Now()); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("an expired decision is still offered for undo: %v", err)
	}
	if ds, _ := s.db.FindDecisions(ctx, s.itemID); len(ds) != 1 {
		t.Errorf("a refused undo changed the decisions: %+v", ds)
	}
}

func TestUndoIsRefusedWhenSomeoneElseHoldsTheItem(t *testing.T) {
	eachEngine(t, testUndoIsRefusedWhenSomeoneElseHoldsTheItem)
}

func testUndoIsRefusedWhenSomeoneElseHoldsTheItem(t *testing.T, db *DB, c *clock) {
	s := newUndoSetup(t, db, c)
	ctx := context.Background()
	now := s.c.Now()
	// A skip hands the item back to its queue, where a colleague claims it.
	d := review.Decision{ItemID: s.itemID, ReviewerID: s.rev.ID, Reviewer: s.rev.Email, Kind: review.KindFirst, Verdict: review.Skip, Note: "later"}
	saved, err := s.db.RecordDecision(ctx, review.DecisionRecord{Decision: d, Outcome: review.Outcome{Kind: review.KindFirst, Status: review.StatusQueued, Release: true},
		Event: review.AuditEvent{Action: "decision.first"}, Now: now, EffectsDue: now.Add(review.UndoWindow)})
	if err != nil {
		t.Fatal(err)
	}
	other := createUser(t, s.db, "other@example.org", review.RoleReviewer)
	if _, err := s.db.ClaimItem(ctx, s.q.ID, other.ID, now, now.Add(time.Minute), review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	var holder int64
	s.db.r.QueryRow(`SELECT lease_user_id FROM items WHERE id = ?`, s.itemID).Scan(&holder)
	if holder != other.ID {
		t.Fatalf("the colleague claimed another item (%d)", holder)
	}
	_, err = s.db.UndoDecision(ctx, saved.ID, s.rev.ID, now, now.Add(time.Minute), review.AuditEvent{Action: review.ActionDecisionUndo})
	if !errors.Is(err, review.ErrConflict) {
		t.Errorf("undo of an item a colleague holds: %v, want conflict", err)
	}
	if it, _ := s.db.FindItemByID(ctx, s.itemID); !it.HeldBy(other.ID, now) {
		t.Error("the refused undo took the item from the colleague")
	}
}

// A decision on an item that already has a final one (here put back in
// its queue by hand) makes that one no longer final; undoing it makes the
// earlier one final again.
func TestDecisionSupersedesAnEarlierFinalOne(t *testing.T) {
	eachEngine(t, testDecisionSupersedesAnEarlierFinalOne)
}

func testDecisionSupersedesAnEarlierFinalOne(t *testing.T, db *DB, c *clock) {
	s := newUndoSetup(t, db, c)
	ctx := context.Background()
	finals := func() (ids []int64) {
		ds, err := db.FindDecisions(ctx, s.itemID)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.Final {
				ids = append(ids, d.ID)
			}
		}
		return ids
	}
	first := s.decide(t)
	s.c.Advance(review.UndoWindow)
	if _, err := db.SettleDecisions(ctx, s.c.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Raw().ExecContext(ctx, `UPDATE items SET status = 'queued' WHERE id = ?`, s.itemID); err != nil {
		t.Fatal(err)
	}
	if id := s.claim(t); id != s.itemID {
		t.Fatalf("claimed %d, want the item put back, %d", id, s.itemID)
	}
	second := s.decide(t)
	if got := finals(); !slices.Equal(got, []int64{second.ID}) {
		t.Errorf("final decisions %v after the second, want only it, %d", got, second.ID)
	}
	if _, err := db.UndoDecision(ctx, second.ID, s.rev.ID, s.c.Now(), s.c.Now().Add(5*time.Minute), review.AuditEvent{Actor: s.rev.Email, Action: review.ActionDecisionUndo}); err != nil {
		t.Fatal(err)
	}
	if got := finals(); !slices.Equal(got, []int64{first.ID}) {
		t.Errorf("final decisions %v after the undo, want the first again, %d", got, first.ID)
	}
}

// A decision waiting out its undo window is refused, as any other, once
// the reviewer's lease has run out.
func TestDecisionAfterTheLeaseRanOutIsRefused(t *testing.T) {
	eachEngine(t, testDecisionAfterTheLeaseRanOutIsRefused)
}

func testDecisionAfterTheLeaseRanOutIsRefused(t *testing.T, db *DB, c *clock) {
	s := newUndoSetup(t, db, c)
	s.c.Advance(6 * time.Minute)
	now := s.c.Now()
	d := review.Decision{ItemID: s.itemID, ReviewerID: s.rev.ID, Reviewer: s.rev.Email, Kind: review.KindFirst, Verdict: review.NotViolating, Final: true}
	_, err := db.RecordDecision(context.Background(), review.DecisionRecord{Decision: d, Outcome: review.Outcome{Kind: review.KindFirst, Status: review.StatusDecided, Final: true},
		Event: review.AuditEvent{Action: "decision.first"}, Now: now, EffectsDue: now.Add(review.UndoWindow)})
	if !errors.Is(err, review.ErrLeaseLost) {
		t.Errorf("a decision after the lease ran out: %v, want ErrLeaseLost", err)
	}
	if ds, _ := db.FindDecisions(context.Background(), s.itemID); len(ds) != 0 {
		t.Errorf("%d decisions recorded", len(ds))
	}
}
