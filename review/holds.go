package review

import (
	"context"
	"strings"
	"time"
)

// Hold is a legal hold on an item: its media and metadata are preserved
// until Until, whatever the retention policy says. Finishing a report case
// places one on each of its items.
type Hold struct {
	ID        int64
	ItemID    int64
	CaseID    int64 // 0 when the hold came from no case
	Reason    string
	Until     time.Time
	CreatedBy string
	CreatedAt time.Time
	// For the holds register: which item, as its platform knows it.
	ExternalID string
	Source     string
}

// HoldStore keeps legal holds.
type HoldStore interface {
	// FindHolds lists holds still in force at activeAt (every hold when
	// activeAt is zero), by case and item.
	FindHolds(ctx context.Context, activeAt time.Time) ([]Hold, error)
	// ExtendHold moves a hold's end to a later date, appending the reason
	// to the hold's and recording it in ev's audit entry.
	ExtendHold(ctx context.Context, holdID int64, until time.Time, reason string, ev AuditEvent) error
}

// ValidateHoldExtension checks an extension of h to until at now: a
// reason is required, and a hold only ever gets longer.
func ValidateHoldExtension(h Hold, until time.Time, reason string, now time.Time) error {
	var v ValidationError
	if strings.TrimSpace(reason) == "" {
		v.Add("reason", "say why the hold is extended")
	}
	switch {
	case until.IsZero():
		v.Add("until", "give the new end date, like 2027-11-26")
	case !until.After(h.Until):
		v.Add("until", "a hold can only be extended to a later date than "+h.Until.UTC().Format(time.DateOnly))
	case !until.After(now):
		v.Add("until", "the new end date must be in the future")
	}
	return v.Err()
}

// ExtendedReason is a hold's reason after an extension: the old reason
// and the new one, so the history of the hold reads in one place.
func ExtendedReason(old, reason, by string, until time.Time) string {
	return old + "; extended to " + until.UTC().Format(time.DateOnly) + " by " + by + ": " + strings.TrimSpace(reason)
}
