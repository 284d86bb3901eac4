package review

import "time"

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

// AfterFailure returns the user's failure count and lock deadline after one
// more failed attempt at now. Attempts during a lock do not extend it (or a
// guesser could keep someone locked out for ever); the count restarts once
// a lock has expired.
func (p SignInPolicy) AfterFailure(u User, now time.Time) (failures int, lockedUntil time.Time) {
	if u.Locked(now) {
		return u.FailedAttempts, u.LockedUntil
	}
	failures = u.FailedAttempts
	if !u.LockedUntil.IsZero() && !u.Locked(now) {
		failures = 0
	}
	failures++
	if failures >= p.MaxFailures {
		return failures, now.Add(p.LockFor)
	}
	return failures, u.LockedUntil
}
