package review

import (
	"maps"
	"time"
)

// SignInPolicy holds the limits that slow down guessing.
type SignInPolicy struct {
	// MaxFailures in a row locks the account for LockFor.
	MaxFailures int
	LockFor     time.Duration
	// IPMaxFailures within IPWindow from one address are throttled until the window ends.
	IPMaxFailures int
	IPWindow      time.Duration
}

// DefaultSignInPolicy is what Loupe enforces unless configured otherwise.
var DefaultSignInPolicy = SignInPolicy{
	MaxFailures:   5,
	LockFor:       15 * time.Minute,
	IPMaxFailures: 20,
	IPWindow:      15 * time.Minute,
}

// PendingFor is how long an attempt counts as being checked. A check takes
// milliseconds; an attempt still pending after this was lost to a crash and
// no longer holds one of the account's places.
const PendingFor = time.Minute

// An Attempt is one try at a sign-in secret: a password, a TOTP or recovery
// code, or the code that confirms enrollment. It is counted (reserved)
// before its secret is checked, so guesses sent in parallel cannot outrun
// the limits, and settled once the check is done.
type Attempt struct {
	IP     string
	UserID int64 // 0 when the email is unknown: only the address counts it
	At     time.Time
}

// Reservation is what counting an attempt decided.
type Reservation struct {
	// ThrottledUntil is set when the address has used up its attempts: the
	// attempt is refused and nothing else about it is decided.
	ThrottledUntil time.Time
	// User is the account, with this attempt pending if it was admitted.
	User User
	// Refused says why the account's secret must not be checked ("" when it
	// may be): the account is locked or disabled, or its remaining places
	// are taken by attempts being checked right now.
	Refused string
}

// AttemptOutcome is how a checked attempt ended.
type AttemptOutcome int

const (
	// AttemptFailed: the secret was wrong. The attempt stays counted against the
	// address and becomes one of the account's failures.
	AttemptFailed AttemptOutcome = iota
	// AttemptPassed: the secret was right but the sign-in is not complete (the
	// password step). The attempt no longer counts anywhere; the account's
	// failures stay, so a known password does not buy more code guesses.
	AttemptPassed
	// AttemptSignedIn: the second factor was right. The attempt no longer counts
	// against the address and the account's failures start again from zero.
	AttemptSignedIn
)

// Throttled reports whether the hits of an address in the current window,
// this attempt included, are too many.
func (p SignInPolicy) Throttled(hits int) bool { return hits > p.IPMaxFailures }

// Admit returns the account with one more attempt pending at now, or why it
// is refused. Failures and attempts being checked together never exceed
// MaxFailures, however many arrive at once. Attempts during a lock are
// refused without extending it (or a guesser could keep someone locked out
// for ever); the count restarts once a lock has expired.
func (p SignInPolicy) Admit(u User, now time.Time) (User, string) {
	switch {
	case u.Disabled:
		return u, "account disabled"
	case u.Locked(now):
		return u, "account locked"
	}
	if !u.LockedUntil.IsZero() {
		u.FailedAttempts, u.LockedUntil = 0, time.Time{}
	}
	if !now.Before(u.PendingUntil) {
		u.PendingAttempts = 0
	}
	if u.FailedAttempts+u.PendingAttempts >= p.MaxFailures {
		return u, "too many attempts at once"
	}
	u.PendingAttempts++
	u.PendingUntil = now.Add(PendingFor)
	return u, ""
}

// Settle returns the account once an attempt it admitted has ended with o
// at now, and ev as the audit log should record it: the failure that
// reaches MaxFailures records the lockout it starts.
func (p SignInPolicy) Settle(u User, o AttemptOutcome, now time.Time, ev AuditEvent) (User, AuditEvent) {
	u.PendingAttempts = max(u.PendingAttempts-1, 0)
	switch o {
	case AttemptSignedIn:
		u.FailedAttempts, u.LockedUntil = 0, time.Time{}
	case AttemptFailed:
		if u.Locked(now) {
			break
		}
		u.FailedAttempts++
		if u.FailedAttempts >= p.MaxFailures {
			u.LockedUntil = now.Add(p.LockFor)
			ev.Action = ActionLockout
			ev.Details = withDetail(ev.Details, "locked_until", u.LockedUntil.UTC().Format(time.RFC3339))
		}
	}
	return u, ev
}

// withDetail returns a copy of details with key set.
func withDetail(details map[string]string, key, value string) map[string]string {
	out := make(map[string]string, len(details)+1)
	maps.Copy(out, details)
	out[key] = value
	return out
}
