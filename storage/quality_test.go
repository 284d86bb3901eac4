package storage

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// qaSetup is a queue sampling every final decision, three reviewers
// assigned to it, a lead, and the domain services over db.
type qaSetup struct {
	db      *DB
	c       *clock
	q       review.Queue
	revs    []review.User
	lead    review.User
	reviews *review.Reviewing
	quality *review.Quality
}

func newQASetup(t *testing.T, db *DB, c *clock, items int) *qaSetup {
	t.Helper()
	ctx := context.Background()
	s := &qaSetup{db: db, c: c, q: seedItems(t, db, items, review.NewQueue("q"))}
	if err := db.SetQAPercent(ctx, s.q.ID, 100, review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"ana@example.org", "bo@example.org", "cy@example.org"} {
		u := createUser(t, db, email, review.RoleReviewer)
		if err := db.SetMember(ctx, s.q.ID, u.ID, true, review.AuditEvent{Action: "test"}); err != nil {
			t.Fatal(err)
		}
		s.revs = append(s.revs, u)
	}
	s.lead = createUser(t, db, "lead@example.org", review.RoleLead)
	s.reviews = &review.Reviewing{Store: db, Queues: db, Items: db, Exposure: db, Now: c.Now, Random: rand.Reader, LeaseFor: 5 * time.Minute}
	s.quality = &review.Quality{Store: db, Reviewing: s.reviews}
	return s
}

// decide has u claim the next item and decide it.
func (s *qaSetup) decide(t *testing.T, u review.User, v review.Verdict, category string) review.Decision {
	t.Helper()
	ctx := context.Background()
	id, err := s.reviews.Claim(ctx, u, s.q.ID)
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := s.reviews.Decide(ctx, u, id, review.Decision{Verdict: v, Category: category})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (s *qaSetup) settle(t *testing.T) {
	t.Helper()
	s.c.Advance(review.UndoWindow)
	if _, err := s.db.SettleDecisions(context.Background(), s.c.Now()); err != nil {
		t.Fatal(err)
	}
}

func (s *qaSetup) samples(t *testing.T) []review.Sample {
	t.Helper()
	got, err := s.db.FindSamples(context.Background(), review.SampleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestSampleWaitsForItsDecisionToSettle(t *testing.T) {
	eachEngine(t, testSampleWaitsForItsDecisionToSettle)
}

func testSampleWaitsForItsDecisionToSettle(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	s := newQASetup(t, db, c, 2)
	ana, bo, cy := s.revs[0], s.revs[1], s.revs[2]
	d := s.decide(t, ana, review.Violating, "A1")
	got := s.samples(t)
	if len(got) != 1 || got[0].DecisionID != d.ID || got[0].Source != review.SourceHuman || got[0].DecidedBy != ana.ID || got[0].Original != review.LabelOf(review.Violating, "A1") {
		t.Fatalf("samples = %+v", got)
	}
	// Inside the undo window nobody may check it: the decision may yet go.
	if _, err := s.quality.Claim(ctx, bo, s.q.ID); !errors.Is(err, review.ErrNotFound) {
		t.Fatalf("claimed a sample of an unsettled decision: %v", err)
	}
	s.settle(t)
	if _, err := s.quality.Claim(ctx, ana, s.q.ID); !errors.Is(err, review.ErrNotFound) {
		t.Fatalf("ana was given her own decision to check: %v", err)
	}
	if n, _ := db.CountClaimableSamples(ctx, s.q.ID, bo.ID, c.Now(), 10); n != 1 {
		t.Errorf("bo could claim %d samples, want 1", n)
	}
	id, err := s.quality.Claim(ctx, bo, s.q.ID)
	if err != nil || id != got[0].ID {
		t.Fatalf("bo claimed %d, %v; want sample %d", id, err, got[0].ID)
	}
	if again, err := s.quality.Claim(ctx, bo, s.q.ID); again != id || err != nil {
		t.Errorf("bo's second claim gave %d, %v; want his sample back", again, err)
	}
	if _, err := s.quality.Claim(ctx, cy, s.q.ID); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("a held sample went to a second person: %v", err)
	}
	// Sampling never happens twice: settling again adds nothing.
	s.settle(t)
	if n := len(s.samples(t)); n != 1 {
		t.Errorf("%d samples of one decision", n)
	}
}

func TestUndoneDecisionLeavesNoSample(t *testing.T) { eachEngine(t, testUndoneDecisionLeavesNoSample) }

func testUndoneDecisionLeavesNoSample(t *testing.T, db *DB, c *clock) {
	s := newQASetup(t, db, c, 2)
	ana := s.revs[0]
	d := s.decide(t, ana, review.NotViolating, "")
	if len(s.samples(t)) != 1 {
		t.Fatal("the final decision was not sampled at 100%")
	}
	if _, err := s.reviews.Undo(context.Background(), ana, d.ID); err != nil {
		t.Fatal(err)
	}
	if got := s.samples(t); len(got) != 0 {
		t.Errorf("the undone decision left samples: %+v", got)
	}
}

// Only final decisions are sampled, and none at 0%.
func TestOnlyFinalDecisionsAreSampled(t *testing.T) { eachEngine(t, testOnlyFinalDecisionsAreSampled) }

func testOnlyFinalDecisionsAreSampled(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	s := newQASetup(t, db, c, 3)
	s.q.RequiredReviews = 2
	if err := db.UpdateQueue(ctx, s.q, review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	s.decide(t, s.revs[0], review.Violating, "A1") // first of two: not final
	if n := len(s.samples(t)); n != 0 {
		t.Fatalf("a first review of two was sampled (%d)", n)
	}
	second := s.decide(t, s.revs[1], review.Violating, "A1")
	if got := s.samples(t); len(got) != 1 || got[0].DecisionID != second.ID || got[0].DecidedBy != s.revs[1].ID {
		t.Fatalf("the final second review was not the one sampled: %+v", got)
	}
	if err := db.SetQAPercent(ctx, s.q.ID, 0, review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	s.q.RequiredReviews = 1
	if err := db.UpdateQueue(ctx, s.q, review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	s.decide(t, s.revs[2], review.NotViolating, "")
	if n := len(s.samples(t)); n != 1 {
		t.Errorf("a queue at 0%% sampled a decision (%d samples)", n)
	}
	if q, _ := db.FindQueue(ctx, s.q.ID); q.QAPercent != 0 {
		t.Errorf("qa_percent read back as %d", q.QAPercent)
	}
}

// A QA reviewer may reveal the item of the sample they hold, and only
// while they hold it; their verdict closes their reveals.
func TestQAHoldAllowsReveals(t *testing.T) { eachEngine(t, testQAHoldAllowsReveals) }

func testQAHoldAllowsReveals(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	s := newQASetup(t, db, c, 1)
	ana, bo, cy := s.revs[0], s.revs[1], s.revs[2]
	d := s.decide(t, ana, review.Violating, "A1")
	db.w.Exec(`INSERT INTO media (id, item_id, position, content_type, size, width, height, sha256, md5) VALUES ('m1', ?, 0, 'image/png', 1, 10, 10, '', '')`, d.ItemID)
	s.settle(t)
	id, err := s.quality.Claim(ctx, bo, s.q.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []review.User{bo, cy} {
		held, err := db.HoldsItem(ctx, d.ItemID, u.ID, c.Now())
		if err != nil || held != (u.ID == bo.ID) {
			t.Errorf("%s holds the item: %v, %v", u.Email, held, err)
		}
	}
	e := review.Exposure{ReviewerID: bo.ID, ItemID: d.ItemID, MediaID: "m1", Rendition: "grey", RegionFraction: 1, StartedAt: c.Now(), CapAt: c.Now().Add(10 * time.Second)}
	if _, err := db.CreateReveal(ctx, e, "qa-grant", c.Now().Add(time.Minute), review.AuditEvent{Action: "test"}); err != nil {
		t.Fatalf("the QA reviewer could not reveal: %v", err)
	}
	if _, err := db.UseGrant(ctx, "qa-grant", bo.ID, c.Now()); err != nil {
		t.Fatalf("the QA reviewer could not use the grant: %v", err)
	}
	e.ReviewerID = cy.ID
	if _, err := db.CreateReveal(ctx, e, "cy-grant", c.Now().Add(time.Minute), review.AuditEvent{Action: "test"}); !errors.Is(err, review.ErrLeaseLost) {
		t.Errorf("someone without the sample revealed: %v", err)
	}
	// A decision on the item needs the item's lease, not the sample's.
	if _, _, err := s.reviews.Decide(ctx, bo, d.ItemID, review.Decision{Verdict: review.NotViolating}); !errors.Is(err, review.ErrLeaseLost) {
		t.Errorf("the QA reviewer decided the item itself: %v", err)
	}
	c.Advance(time.Second)
	judged, err := s.quality.Judge(ctx, bo, id, review.LabelOf(review.Violating, "A1"), "")
	if err != nil || judged.Status != review.SampleAgreed {
		t.Fatalf("judge: %+v, %v", judged, err)
	}
	ex, _ := db.FindExposures(ctx, d.ItemID)
	if len(ex) != 1 || ex[0].Open() || ex[0].ClosedBy != "decision" {
		t.Errorf("the QA reveal was not closed by the verdict: %+v", ex)
	}
	if held, _ := db.HoldsItem(ctx, d.ItemID, bo.ID, c.Now()); held {
		t.Error("the QA reviewer still holds the item after the verdict")
	}
	if _, err := s.quality.Judge(ctx, bo, id, review.LabelOf(review.NotViolating, ""), ""); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("a sample was judged twice: %v", err)
	}
}

// A disagreement goes to a lead; a lead's verdict that differs from the
// original is an override with its callback, committed with the
// resolution, and the sample cannot be settled twice.
func TestLeadResolvesDisagreementWithOverride(t *testing.T) {
	eachEngine(t, testLeadResolvesDisagreementWithOverride)
}

func testLeadResolvesDisagreementWithOverride(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	s := newQASetup(t, db, c, 1)
	ana, bo := s.revs[0], s.revs[1]
	d := s.decide(t, ana, review.NotViolating, "")
	s.settle(t)
	id, err := s.quality.Claim(ctx, bo, s.q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.quality.Resolve(ctx, s.lead, id, review.LabelOf(review.Violating, "B1"), "seen"); !errors.Is(err, review.ErrConflict) {
		t.Errorf("a lead settled a sample nobody disputed: %v", err)
	}
	judged, err := s.quality.Judge(ctx, bo, id, review.LabelOf(review.Violating, "A2"), "looks like A2")
	if err != nil || judged.Status != review.SampleDisputed {
		t.Fatalf("judge: %+v, %v", judged, err)
	}
	disputed, _ := db.FindSamples(ctx, review.SampleFilter{Status: review.SampleDisputed})
	if len(disputed) != 1 || disputed[0].QA != review.LabelOf(review.Violating, "A2") || disputed[0].QAReviewer != bo.Email || disputed[0].QANote != "looks like A2" {
		t.Fatalf("disputed = %+v", disputed)
	}
	if _, err := s.quality.Resolve(ctx, bo, id, review.LabelOf(review.Violating, "A2"), "x"); !errors.Is(err, review.ErrForbidden) {
		t.Errorf("a reviewer settled a disagreement: %v", err)
	}
	if _, err := s.quality.Resolve(ctx, s.lead, id, review.LabelOf(review.Violating, "A2"), ""); err == nil {
		t.Error("an override without a reason was accepted")
	}
	res, err := s.quality.Resolve(ctx, s.lead, id, review.LabelOf(review.Violating, "A2"), "A2 on a second look")
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := db.FindDecisions(ctx, d.ItemID)
	last := ds[len(ds)-1]
	if res.OverrideID != last.ID || last.Kind != review.KindOverride || last.Verdict != review.Violating || last.Category != "A2" || !last.Final || ds[0].Final {
		t.Fatalf("decisions after the lead's verdict: %+v (resolution %+v)", ds, res)
	}
	got, _ := db.FindSample(ctx, id)
	if got.Status != review.SampleResolved || got.Final != review.LabelOf(review.Violating, "A2") || got.Lead != s.lead.Email || got.OverrideID != last.ID {
		t.Errorf("resolved sample = %+v", got)
	}
	if n := len(s.samples(t)); n != 1 {
		t.Errorf("the lead's override was sampled again (%d samples)", n)
	}
	if _, err := s.quality.Resolve(ctx, s.lead, id, review.LabelOf(review.NotViolating, ""), "again"); !errors.Is(err, review.ErrConflict) {
		t.Errorf("a sample was settled twice: %v", err)
	}
}

// A lead who sides with the original closes the sample without an
// override.
func TestLeadUpholdsOriginal(t *testing.T) { eachEngine(t, testLeadUpholdsOriginal) }

func testLeadUpholdsOriginal(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	s := newQASetup(t, db, c, 1)
	d := s.decide(t, s.revs[0], review.Violating, "A1")
	s.settle(t)
	id, _ := s.quality.Claim(ctx, s.revs[1], s.q.ID)
	if _, err := s.quality.Judge(ctx, s.revs[1], id, review.LabelOf(review.NotViolating, ""), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.quality.Resolve(ctx, s.lead, id, review.LabelOf(review.Violating, "A1"), ""); err != nil {
		t.Fatal(err)
	}
	got, _ := db.FindSample(ctx, id)
	ds, _ := db.FindDecisions(ctx, d.ItemID)
	if got.Status != review.SampleResolved || got.OverrideID != 0 || !got.Upheld() || len(ds) != 1 {
		t.Errorf("sample %+v, decisions %+v", got, ds)
	}
}

type recordingSwitch struct{ off []int64 }

func (r *recordingSwitch) DisableAutomation(_ context.Context, queueID int64, _ string) error {
	r.off = append(r.off, queueID)
	return nil
}

// Automated decisions that QA overturns too often switch automation off
// and alert the leads; the next window starts after the alert.
func TestAutomationSwitchesOffOnStore(t *testing.T) { eachEngine(t, testAutomationSwitchesOffOnStore) }

func testAutomationSwitchesOffOnStore(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	const n = review.AutomationMinSamples
	s := newQASetup(t, db, c, n)
	sw := &recordingSwitch{}
	s.quality.Automation = sw
	for range n {
		s.decide(t, s.revs[0], review.Violating, "A1")
		c.Advance(time.Second)
	}
	// Automated decisions arrive with another helper's migration; here the
	// samples of these decisions stand in for them.
	if _, err := db.w.Exec(`UPDATE qa_samples SET source = 'automated'`); err != nil {
		t.Fatal(err)
	}
	s.settle(t)
	for i := range n {
		id, err := s.quality.Claim(ctx, s.revs[1], s.q.ID)
		if err != nil {
			t.Fatal(err)
		}
		l := review.LabelOf(review.Violating, "A1")
		if i < 2 { // the two oldest disagree; the lead agrees with QA
			l = review.LabelOf(review.NotViolating, "")
		}
		if _, err := s.quality.Judge(ctx, s.revs[1], id, l, ""); err != nil {
			t.Fatal(err)
		}
		if i < 2 {
			if len(sw.off) != 0 {
				t.Fatalf("switched off before enough samples closed: %v", sw.off)
			}
			if _, err := s.quality.Resolve(ctx, s.lead, id, l, "not violating"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(sw.off) != 1 || sw.off[0] != s.q.ID {
		t.Fatalf("switched off %v, want queue %d once (18 of 20 upheld)", sw.off, s.q.ID)
	}
	alerts, err := db.FindQualityAlerts(ctx, 10)
	if err != nil || len(alerts) != 1 || alerts[0].QueueID != s.q.ID || alerts[0].Queue != "q" {
		t.Fatalf("alerts = %+v, %v", alerts, err)
	}
	if w, _ := db.FindAutomationSamples(ctx, s.q.ID, review.AutomationWindow); len(w) != 0 {
		t.Errorf("the window after the switch-off still holds %d samples", len(w))
	}
}

// Concurrent QA claims take each sample once (SKIP LOCKED on PostgreSQL).
func TestConcurrentSampleClaimsTakeEachOnce(t *testing.T) {
	eachEngine(t, testConcurrentSampleClaimsTakeEachOnce)
}

func testConcurrentSampleClaimsTakeEachOnce(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	s := newQASetup(t, db, c, 4)
	for range 4 {
		s.decide(t, s.revs[0], review.NotViolating, "")
	}
	s.settle(t)
	checkers := []review.User{s.revs[1], s.revs[2]}
	for i := range 4 {
		u := createUser(t, db, fmt.Sprintf("qa%d@example.org", i), review.RoleReviewer)
		db.SetMember(ctx, s.q.ID, u.ID, true, review.AuditEvent{Action: "test"})
		checkers = append(checkers, u)
	}
	got := make([]int64, len(checkers))
	errs := make([]error, len(checkers))
	var wg sync.WaitGroup
	for i, u := range checkers {
		wg.Go(func() { got[i], errs[i] = s.quality.Claim(ctx, u, s.q.ID) })
	}
	wg.Wait()
	claimed := map[int64]bool{}
	for i, id := range got {
		switch {
		case errs[i] != nil && !errors.Is(errs[i], review.ErrNotFound):
			t.Errorf("claim %d: %v", i, errs[i])
		case errs[i] == nil && claimed[id]:
			t.Errorf("sample %d claimed twice", id)
		case errs[i] == nil:
			claimed[id] = true
		}
	}
	if len(claimed) != 4 {
		t.Errorf("%d samples claimed by 6 people, want all 4", len(claimed))
	}
}
