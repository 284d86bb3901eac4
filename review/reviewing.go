package review

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"
)

// DefaultLease is how long a claim lasts without renewal; the review page
// renews it while open.
const DefaultLease = 5 * time.Minute

// QueueStore keeps queues and who works them.
type QueueStore interface {
	FindQueue(ctx context.Context, id int64) (Queue, error)
	FindQueueByName(ctx context.Context, name string) (Queue, error)
	IsMember(ctx context.Context, queueID, userID int64) (bool, error)
	// FindQueueFor is FindQueue and IsMember in one read.
	FindQueueFor(ctx context.Context, id, userID int64) (q Queue, member bool, err error)
}

// ReviewStore keeps leases and decisions.
type ReviewStore interface {
	// FindHeldItem returns the item of a queue a reviewer holds, when they
	// hold one alone and its lease has more than half of its length (to
	// until) left; ErrNotFound otherwise. It writes nothing.
	FindHeldItem(ctx context.Context, queueID, userID int64, now, until time.Time) (int64, error)
	// ClaimItem leases the next claimable item of a queue to a reviewer in
	// one statement (or returns the item they already hold, its lease
	// renewed once less than half of it is left); ErrNotFound when the
	// queue has nothing for them.
	ClaimItem(ctx context.Context, queueID, userID int64, now, until time.Time, ev AuditEvent) (int64, error)
	RenewLease(ctx context.Context, itemID, userID int64, now, until time.Time) error
	ReleaseLease(ctx context.Context, itemID, userID int64, now time.Time, ev AuditEvent) error
	FindDecisions(ctx context.Context, itemID int64) ([]Decision, error)
	// RecordDecision stores a decision with what it does to the item, the
	// closing of the reviewer's open reveals, the callback and the audit
	// entry, in one transaction. The reviewer must hold the lease, unless
	// the decision is an override.
	RecordDecision(ctx context.Context, rec DecisionRecord) (Decision, error)
	// UndoDecision takes back a decision whose effects are still held (see
	// CheckUndo) and leases its item to the reviewer until until; it
	// returns the item's id.
	UndoDecision(ctx context.Context, decisionID, userID int64, now, until time.Time, ev AuditEvent) (int64, error)
	// FindUndoable returns the reviewer's newest decision still inside its
	// undo window at now, or ErrNotFound.
	FindUndoable(ctx context.Context, userID int64, now time.Time) (PendingDecision, error)
	// HoldsItem reports whether userID may look at an item at now: they
	// hold its lease, or the lease on an open QA sample of it.
	HoldsItem(ctx context.Context, itemID, userID int64, now time.Time) (bool, error)
}

// DecisionRecord is everything one decision commits.
type DecisionRecord struct {
	Decision Decision
	Outcome  Outcome
	ToQueue  int64  // the escalations queue when the outcome escalates
	Callback string // the event for the platform, when the decision is final
	SourceID int64
	// Proposals are hashes offered to the queue's hash list.
	Proposals []Proposal
	// Overturned: an override that is not violating withdraws the item's
	// pending proposals and takes it out of an open report case.
	Overturned bool
	// Report: a final violating decision in a reportable queue puts the
	// item into a report case.
	Report bool
	Event  AuditEvent
	Now    time.Time
	// EffectsDue holds the callback, case and proposals back until then, so
	// the decision can be undone (zero: apply them at once, for overrides).
	EffectsDue time.Time
	// QASample: the final decision was drawn for a blind QA look; its
	// sample is created with it (and goes with it if it is undone).
	QASample bool
	// Resolves is the disputed QA sample a lead's override settles (0:
	// none), resolved in the override's transaction.
	Resolves int64
}

// Reviewing runs claims and decisions: who may claim what, and what each
// verdict does to an item.
type Reviewing struct {
	Store    ReviewStore
	Queues   QueueStore
	Items    ItemStore
	Exposure ExposureStore
	Hashes   *HashLists // nil when hash lists are not in use
	// Clusters decides clusters together (nil: every item on its own).
	Clusters ClusterStore
	// Wellbeing enforces budgets and breaks on claims and reveals (nil: none).
	Wellbeing *Wellbeing
	Now       func() time.Time
	Random    io.Reader
	LeaseFor  time.Duration
}

// ErrLeaseLost means the reviewer no longer holds the item (the lease ran
// out, or they stepped away); the page should return to the queue.
var ErrLeaseLost = fmt.Errorf("you no longer hold this item (the lease ended); it went back to its queue: %w", ErrConflict)

// CanWork reports whether a person may review items of q: assigned
// reviewers, and leads for the escalations queue.
func (r *Reviewing) CanWork(ctx context.Context, u User, q Queue) (bool, error) {
	if q.Name == EscalationQueue || !(u.Roles.Has(RoleReviewer) || u.Roles.Has(RoleLead)) {
		return mayWork(u, q, false), nil
	}
	member, err := r.Queues.IsMember(ctx, q.ID, u.ID)
	return mayWork(u, q, member), err
}

// mayWork is CanWork's rule, given whether u is assigned to q.
func mayWork(u User, q Queue, member bool) bool {
	if q.Name == EscalationQueue {
		return u.Roles.Has(RoleLead)
	}
	return member && (u.Roles.Has(RoleReviewer) || u.Roles.Has(RoleLead))
}

// Claim leases the next item of a queue to u.
func (r *Reviewing) Claim(ctx context.Context, u User, queueID int64) (int64, error) {
	q, member, err := r.Queues.FindQueueFor(ctx, queueID, u.ID)
	if err != nil {
		return 0, err
	}
	if !mayWork(u, q, member) {
		return 0, fmt.Errorf("you are not assigned to queue %s: %w", q.Name, ErrForbidden)
	}
	if q.Paused {
		return 0, fmt.Errorf("queue %s is paused: %w", q.Name, ErrConflict)
	}
	now := r.Now()
	until := now.Add(r.LeaseFor)
	// The item they hold was admitted when it was claimed: it comes back
	// without a new look at their standing (each reveal of it has one).
	if id, err := r.Store.FindHeldItem(ctx, q.ID, u.ID, now, until); !errors.Is(err, ErrNotFound) {
		return id, err
	}
	if r.Wellbeing != nil {
		if _, _, err := r.Wellbeing.Admit(ctx, u, q.ID, 0); err != nil {
			return 0, err
		}
	}
	ev := AuditEvent{Actor: u.Email, Action: ActionItemClaimed, Details: map[string]string{"queue": q.Name}}
	return r.Store.ClaimItem(ctx, q.ID, u.ID, now, until, ev)
}

// Decide records u's decision on an item they hold, or a lead's override
// of a final decision. When the item is in a cluster, the decision is
// made through it for every member u holds (see decideCluster).
func (r *Reviewing) Decide(ctx context.Context, u User, itemID int64, d Decision) (Decision, Outcome, error) {
	return r.decide(ctx, u, itemID, d, 0)
}

// DecideItem is Decide on an item the caller has just read.
func (r *Reviewing) DecideItem(ctx context.Context, u User, it Item, d Decision) (Decision, Outcome, error) {
	return r.decideItem(ctx, u, it, d, 0)
}

// decide is Decide; a lead's override that settles a disputed QA sample
// names it (resolves), is committed with its resolution and is not
// sampled again. Any other final decision is drawn for QA at the queue's
// share (see record).
func (r *Reviewing) decide(ctx context.Context, u User, itemID int64, d Decision, resolves int64) (Decision, Outcome, error) {
	it, err := r.Items.FindItemByID(ctx, itemID)
	if err != nil {
		return Decision{}, Outcome{}, err
	}
	return r.decideItem(ctx, u, it, d, resolves)
}

func (r *Reviewing) decideItem(ctx context.Context, u User, it Item, d Decision, resolves int64) (Decision, Outcome, error) {
	itemID := it.ID
	q, err := r.Queues.FindQueue(ctx, it.QueueID)
	if err != nil {
		return Decision{}, Outcome{}, err
	}
	switch {
	case d.Kind == KindOverride && !u.Roles.Has(RoleLead):
		return Decision{}, Outcome{}, fmt.Errorf("only a lead may override a decision: %w", ErrForbidden)
	case d.Kind == KindOverride && it.Status != StatusDecided:
		return Decision{}, Outcome{}, fmt.Errorf("item %d has no final decision to override: %w", itemID, ErrConflict)
	}
	if err := ValidateDecision(d, q); err != nil {
		return Decision{}, Outcome{}, err
	}
	now := r.Now()
	if d.Kind != KindOverride && it.Cluster.ID != 0 && r.Clusters != nil {
		return r.decideCluster(ctx, u, it, q, d, now)
	}
	if err := r.checkViews(ctx, q, d, []Item{it}); err != nil {
		return Decision{}, Outcome{}, err
	}
	rec, out, err := r.record(ctx, u, it, q, d, now)
	if err != nil {
		return Decision{}, Outcome{}, err
	}
	if resolves != 0 {
		rec.QASample, rec.Resolves, rec.Event.Details["qa_sample"] = false, resolves, strconv.FormatInt(resolves, 10)
	}
	saved, err := r.Store.RecordDecision(ctx, rec)
	if err == nil && rec.Overturned && r.Hashes != nil {
		err = r.Hashes.RetractItem(ctx, u.Email, itemID, "decision overturned: "+d.Note)
	}
	return saved, out, err
}

// firstViolating is the first review's violating decision a second review
// is checked against (nil for an item not awaiting one: its decisions are
// not read).
func (r *Reviewing) firstViolating(ctx context.Context, it Item) (*Decision, error) {
	if it.Status != StatusSecondReview {
		return nil, nil
	}
	prior, err := r.Store.FindDecisions(ctx, it.ID)
	if i := slices.IndexFunc(prior, func(p Decision) bool { return p.Kind == KindFirst && p.Verdict == Violating }); i >= 0 {
		return &prior[i], err
	}
	return nil, err
}

// record works out what u's decision d does to it: its outcome, the time
// and reveals behind it (from the server's own records), the callback,
// proposals and report case it brings, and its audit entry.
func (r *Reviewing) record(ctx context.Context, u User, it Item, q Queue, d Decision, now time.Time) (DecisionRecord, Outcome, error) {
	first, err := r.firstViolating(ctx, it)
	if err != nil {
		return DecisionRecord{}, Outcome{}, err
	}
	out := Decide(it.Status, q, d, first)
	if d.Kind == KindOverride {
		out = Outcome{Kind: KindOverride, Status: StatusDecided, Final: true}
	}
	d.ItemID, d.ReviewerID, d.Reviewer, d.Kind, d.Final = it.ID, u.ID, u.Email, out.Kind, out.Final
	if c, ok := q.Category(d.Category); ok && d.Verdict == Violating {
		d.Severe = c.Severe
	}
	if d.Kind != KindOverride {
		exposures, err := r.Exposure.FindExposures(ctx, it.ID)
		if err != nil {
			return DecisionRecord{}, Outcome{}, err
		}
		d.Seconds, d.Reveals = int(now.Sub(it.LeasedAt).Seconds()), UsedReveals(exposures, u.ID, it.LeasedAt)
	}
	details := map[string]string{"verdict": string(d.Verdict), "category": d.Category, "status": string(out.Status), "note": d.Note}
	if d.ClusterItemID != 0 {
		details["cluster_item"] = strconv.FormatInt(d.ClusterItemID, 10)
	}
	rec := DecisionRecord{Decision: d, Outcome: out, SourceID: it.SourceID, Now: now, Event: AuditEvent{
		Actor: u.Email, Action: "decision." + string(out.Kind), Target: ItemTarget(it.ID), Details: details,
	}}
	if out.Escalate {
		esc, err := r.Queues.FindQueueByName(ctx, EscalationQueue)
		if err != nil {
			return DecisionRecord{}, Outcome{}, err
		}
		rec.ToQueue = esc.ID
	}
	if out.Final {
		rec.Callback = CallbackEvent(it, d, now)
	}
	if out.Final && d.Verdict == Violating && q.ProposeListID != 0 {
		rec.Proposals = Proposals(it, d, q.ProposeListID)
	}
	rec.Overturned = d.Kind == KindOverride && d.Verdict != Violating
	rec.Report = out.Final && d.Verdict == Violating && q.Reportable
	if d.Kind != KindOverride {
		rec.EffectsDue = now.Add(UndoWindow)
	}
	if out.Final {
		if rec.QASample, err = Sampled(q.QAPercent, r.Random); err != nil {
			return DecisionRecord{}, Outcome{}, err
		}
	}
	return rec, out, nil
}

// CallbackEvent is the JSON a platform receives about a final decision.
func CallbackEvent(it Item, d Decision, at time.Time) string {
	b, _ := json.Marshal(map[string]any{
		"event": "item.decided", "item_id": it.ID, "external_id": it.ExternalID, "source": it.Source,
		"decision": map[string]any{
			"verdict": d.Verdict, "category": d.Category, "kind": d.Kind, "decided_at": at.UTC().Format(time.RFC3339),
		},
	})
	return string(b)
}

// Release hands an item back to its queue (the reviewer stepped away or
// left the page); open reveals close.
func (r *Reviewing) Release(ctx context.Context, u User, itemID int64) error {
	return r.Store.ReleaseLease(ctx, itemID, u.ID, r.Now(), AuditEvent{Actor: u.Email, Action: ActionLeaseReleased, Target: ItemTarget(itemID)})
}
