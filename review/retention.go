package review

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Audit actions of retention and legal holds.
const (
	ActionMediaPurged  = "media.purged"
	ActionHoldExtended = "hold.extended"
)

// Settings keys of the retention policy, each a whole number of days.
const (
	SettingRetentionNotViolating = "retention.not_violating_days"
	SettingRetentionUnreported   = "retention.unreported_days"
	SettingRetentionHold         = "retention.hold_days"
)

// Why an item's media may be purged: which rule of the policy applies.
const (
	PurgeNotViolating = "not_violating"        // decided not violating, kept NotViolating
	PurgeUnreported   = "violating_unreported" // violating but never reported, kept Unreported
	PurgeHoldEnded    = "reported_hold_ended"  // reported, and every legal hold has ended
)

const day = 24 * time.Hour

// Retention is how long original media is kept after the final decision.
// Metadata, decisions and hashes are kept: hash lists and reports need them.
type Retention struct {
	NotViolating time.Duration // decided not violating
	Unreported   time.Duration // violating, never reported
	// Hold is the length of the legal hold placed when a report case
	// finishes; a reported item's media goes when its holds end.
	Hold time.Duration
}

// DefaultRetention is the policy when no setting overrides it.
var DefaultRetention = Retention{NotViolating: 7 * day, Unreported: 90 * day, Hold: 365 * day}

// SettingsReader reads organisation settings ("" when unset).
type SettingsReader interface {
	Setting(ctx context.Context, key string) (string, error)
}

// LoadRetention reads the policy from the settings, with the defaults for
// unset keys. A value that is not a whole number of days, at least 1, is an
// error rather than a guess: a typo must not delete evidence.
func LoadRetention(ctx context.Context, s SettingsReader) (Retention, error) {
	r := DefaultRetention
	for key, dst := range map[string]*time.Duration{
		SettingRetentionNotViolating: &r.NotViolating,
		SettingRetentionUnreported:   &r.Unreported,
		SettingRetentionHold:         &r.Hold,
	} {
		v, err := s.Setting(ctx, key)
		if err != nil {
			return r, err
		}
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return r, fmt.Errorf("review: retention setting %s=%q: %w", key, v, Invalid(key, "must be a whole number of days, at least 1"))
		}
		*dst = time.Duration(n) * day
	}
	return r, nil
}

// RetentionFacts is what the policy looks at for one item.
type RetentionFacts struct {
	Verdict   Verdict   // of the final decision; "" when there is none
	DecidedAt time.Time // when the final decision (or override) was made
	// ReportStatus is the status of the report case holding the item
	// ("open", "approved", "finished", ...), "" when it is in none.
	ReportStatus string
	ReportedAt   time.Time   // when a finished case finished
	HeldUntil    []time.Time // the end of each legal hold on the item
}

// Reported reports whether the item went to a destination.
func (f RetentionFacts) Reported() bool { return f.ReportStatus == "finished" }

// reportPending reports whether a case with the item is still on its way.
func (f RetentionFacts) reportPending() bool {
	return f.ReportStatus == "open" || f.ReportStatus == "approved"
}

// Purgeable decides whether an item's media may be purged at now. It
// returns since, when the media became (or becomes) purgeable, and why:
// the rule that applies, or what keeps the media when ok is false.
func (r Retention) Purgeable(f RetentionFacts, now time.Time) (ok bool, why string, since time.Time) {
	if f.DecidedAt.IsZero() || (f.Verdict != Violating && f.Verdict != NotViolating) {
		return false, "no final decision", time.Time{}
	}
	var latestHold time.Time
	for _, until := range f.HeldUntil {
		if until.After(latestHold) {
			latestHold = until
		}
	}
	if latestHold.After(now) {
		return false, "under legal hold until " + latestHold.UTC().Format(time.DateOnly), latestHold
	}
	switch {
	case f.Reported():
		// Finishing a case places the holds; without any (a case finished
		// before holds existed) the default hold counts from the finish.
		why, since = PurgeHoldEnded, latestHold
		if len(f.HeldUntil) == 0 {
			since = f.ReportedAt.Add(r.Hold)
			if f.ReportedAt.IsZero() {
				return false, "reported, finish time unknown", time.Time{}
			}
		}
	case f.reportPending():
		return false, "in a report case not finished yet", time.Time{}
	case f.Verdict == NotViolating:
		why, since = PurgeNotViolating, f.DecidedAt.Add(r.NotViolating)
	default:
		why, since = PurgeUnreported, f.DecidedAt.Add(r.Unreported)
	}
	if latestHold.After(since) {
		since = latestHold // media under a hold became purgeable when it ended
	}
	if now.Before(since) {
		return false, "kept until " + since.UTC().Format(time.DateOnly), since
	}
	return true, why, since
}
