package review

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"time"
)

// Automator decides known material without a look (at ingest and when
// re-matching finds new matches) and matches waiting items again when a
// list changes (see Rematch).
type Automator struct {
	Store   AutomationStore
	Reviews ReviewStore
	Items   ItemStore
	Queues  QueueStore
	Rules   RuleStore
	Lists   HashListStore
	Log     *slog.Logger
	Now     func() time.Time
	Random  io.Reader // draws the quality samples
}

// DecideKnown decides a queued item by its queue's automation when its
// matches allow, and returns the item as it is now. Whatever goes wrong
// leaves the item waiting for a person, so it is logged here and not
// returned: the item itself is already safely stored.
func (a *Automator) DecideKnown(ctx context.Context, it Item) Item {
	d, err := a.decide(ctx, it, it.Matches)
	if err != nil {
		if a.Log != nil {
			a.Log.Error("automation: item left for a person", "item", it.ID, "err", err)
		}
		return it
	}
	if d.ID != 0 {
		it.Status, it.DecidedAt = StatusDecided, d.CreatedAt
	}
	return it
}

// decide records the automated decision on it, if its queue's rule and
// the matches ms allow one; the returned decision has ID 0 when not.
func (a *Automator) decide(ctx context.Context, it Item, ms []MediaMatch) (Decision, error) {
	if it.Status != StatusQueued || len(ms) == 0 {
		return Decision{}, nil
	}
	auto, err := a.Store.FindAutomation(ctx, it.QueueID)
	if err != nil || !auto.Enabled {
		return Decision{}, err
	}
	q, err := a.Queues.FindQueue(ctx, it.QueueID)
	if err != nil {
		return Decision{}, err
	}
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.EntryID
	}
	entries, err := a.Store.FindAutoEntries(ctx, ids)
	if err != nil {
		return Decision{}, err
	}
	d, ok := AutoVerdict(q, auto, it.Media, ms, entries)
	if !ok {
		return Decision{}, nil
	}
	now := a.Now()
	d.ItemID = it.ID
	out := Outcome{Kind: KindAutomated, Status: StatusDecided, Final: true}
	e := entries[d.AutoEntryID]
	rec := DecisionRecord{Decision: d, Outcome: out, SourceID: it.SourceID, Now: now, Callback: CallbackEvent(it, d, now),
		Report: d.Verdict == Violating && q.Reportable,
		Event: AuditEvent{Actor: auto.By, Action: ActionDecisionAutomated, Target: ItemTarget(it.ID), Details: map[string]string{
			"verdict": string(d.Verdict), "category": d.Category, "list": e.List, "entry": strconv.FormatInt(d.AutoEntryID, 10),
			"distance": strconv.Itoa(d.AutoDistance), "configured_by": auto.By, "queue": q.Name,
		}}}
	if d.Verdict == Violating && q.ProposeListID != 0 {
		rec.Proposals = Proposals(it, d, q.ProposeListID)
	}
	if rec.QASample, err = Sampled(q.QAPercent, a.Random); err != nil {
		return Decision{}, err
	}
	// No undo window: nobody is there to undo, so the callback, case and
	// proposals apply with the decision.
	saved, err := a.Reviews.RecordDecision(ctx, rec)
	if errors.Is(err, ErrConflict) { // a reviewer claimed it, or it was decided, meanwhile
		return Decision{}, nil
	}
	return saved, err
}
