package review

import "time"

// SessionStage says how far a person has got through sign-in.
type SessionStage string

const (
	// StagePassword: the password was right; only the TOTP pages are reachable.
	StagePassword SessionStage = "password"
	// StageFull: password and second factor were both accepted.
	StageFull SessionStage = "full"
)

// Session timeouts.
const (
	SessionIdle     = 30 * time.Minute
	SessionAbsolute = 12 * time.Hour
	// A password-only session must finish the second step quickly.
	SessionPasswordStage = 10 * time.Minute
)

// Session is a signed-in browser. Its id lives only in the cookie; the
// database keeps a hash of it.
type Session struct {
	IDHash      string
	UserID      int64
	Stage       SessionStage
	CSRFToken   string
	PendingTOTP string // secret shown during enrollment, before it is confirmed
	CreatedAt   time.Time
	LastSeenAt  time.Time
	IP          string
}

// Expired reports whether the session may no longer be used at now.
func (s Session) Expired(now time.Time) bool {
	if s.Stage == StagePassword && now.Sub(s.CreatedAt) >= SessionPasswordStage {
		return true
	}
	return now.Sub(s.LastSeenAt) >= SessionIdle || now.Sub(s.CreatedAt) >= SessionAbsolute
}

// NeedsTouch reports whether LastSeenAt is stale enough to be worth a write;
// touching on every request would make every page view a database write.
func (s Session) NeedsTouch(now time.Time) bool {
	return now.Sub(s.LastSeenAt) >= time.Minute
}
