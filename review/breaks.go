package review

import (
	"errors"
	"fmt"
	"time"
)

// Why a break started.
const (
	BreakStepAway   = "step_away"  // the reviewer stepped away
	BreakContinuous = "continuous" // continuous review time reached its limit
	BreakBudget     = "budget"     // the day's exposure budget is spent
	BreakSevereRate = "severe_rate"
	BreakCooldown   = "cooldown" // the pause after a severe item
)

// BreakReasons says, for each reason, why the reviewer is resting, in the
// words the break page uses.
var BreakReasons = map[string]string{
	BreakStepAway:   "You stepped away.",
	BreakContinuous: "You have been reviewing for a long stretch; a break is due.",
	BreakBudget:     "You have used today's exposure budget.",
	BreakSevereRate: "You have reviewed the hour's limit of severe items.",
	BreakCooldown:   "A short pause follows each severe item.",
}

// Break is a period in which the server refuses a reviewer's claims and
// reveals.
type Break struct {
	ID        int64
	UserID    int64
	Reason    string
	StartedAt time.Time
	EndsAt    time.Time
	// EndedAt is set when a step-away break ended before EndsAt.
	EndedAt time.Time
}

// End is when the break ended or will end.
func (b Break) End() time.Time {
	if !b.EndedAt.IsZero() && b.EndedAt.Before(b.EndsAt) {
		return b.EndedAt
	}
	return b.EndsAt
}

// Active reports whether the break applies at now.
func (b Break) Active(now time.Time) bool {
	return b.ID != 0 && !now.Before(b.StartedAt) && now.Before(b.End())
}

// Enforced reports whether the server started the break (not the reviewer).
func (b Break) Enforced() bool { return b.Reason != BreakStepAway }

// Taken reports whether the break ran its full length by now.
func (b Break) Taken(now time.Time) bool { return !b.End().Before(b.EndsAt) && !now.Before(b.EndsAt) }

// CutShort reports whether a step-away break ended before its length.
func (b Break) CutShort() bool { return b.End().Before(b.EndsAt) }

// ErrOnBreak is the refusal of a claim or reveal while a break applies.
var ErrOnBreak = errors.New("on a break")

// BreakError carries the break that refused the work.
type BreakError struct{ Break Break }

func (e *BreakError) Error() string {
	return fmt.Sprintf("%s Work can resume at %s: %s", BreakReasons[e.Break.Reason], e.Break.EndsAt.UTC().Format("15:04 UTC"), ErrOnBreak)
}

func (e *BreakError) Unwrap() error { return ErrOnBreak }
