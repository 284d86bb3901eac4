package review

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// UndoWindow is how long a reviewer may take back a decision. Nothing the
// decision causes outside Loupe (the platform callback, a report case, hash
// proposals) exists before the window ends: those effects wait with the
// decision and are applied when it closes.
const UndoWindow = 10 * time.Second

// ActionDecisionUndo is the audit action of an undone decision.
const ActionDecisionUndo = "decision.undo"

// ErrUndoExpired refuses an undo after the window.
var ErrUndoExpired = fmt.Errorf("the %d seconds to undo this decision have passed; it stands (a lead can override it): %w", int(UndoWindow.Seconds()), ErrConflict)

// errNoUndo refuses an undo of a decision that is not the reviewer's own.
var errNoUndo = fmt.Errorf("you have no decision to undo: %w", ErrNotFound)

// PendingDecision is a decision inside its undo window: what it changed on
// its item (to put back) and when its held effects come due.
type PendingDecision struct {
	DecisionID int64
	ItemID     int64
	ReviewerID int64
	DueAt      time.Time
}

// CheckUndo says whether userID may undo p at now: only their own
// decision, and only before the window ends.
func CheckUndo(p PendingDecision, userID int64, now time.Time) error {
	switch {
	case p.ReviewerID != userID:
		return errNoUndo
	case !now.Before(p.DueAt):
		return ErrUndoExpired
	}
	return nil
}

// SecondsLeft is the whole seconds of the window left at now (at least 0).
func (p PendingDecision) SecondsLeft(now time.Time) int {
	left := p.DueAt.Sub(now)
	if left <= 0 {
		return 0
	}
	return int((left + time.Second - 1) / time.Second)
}

// Undo takes back u's decision within the window: the decision and its
// held effects are gone, and the item is u's to review again (their
// current item goes back to its queue), in one audited transaction.
func (r *Reviewing) Undo(ctx context.Context, u User, decisionID int64) (int64, error) {
	now := r.Now()
	ev := AuditEvent{Actor: u.Email, Action: ActionDecisionUndo, Details: map[string]string{"decision": strconv.FormatInt(decisionID, 10)}}
	return r.Store.UndoDecision(ctx, decisionID, u.ID, now, now.Add(r.LeaseFor), ev)
}
