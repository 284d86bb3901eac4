package review

import (
	"encoding/json"
	"time"
)

// Audit actions recorded by the foundation. Later features add theirs.
const (
	ActionSignIn          = "signin.success"
	ActionSignInFailed    = "signin.failure"
	ActionLockout         = "signin.lockout"
	ActionSignOut         = "signout"
	ActionTOTPEnrolled    = "totp.enrolled"
	ActionRecoveryUsed    = "totp.recovery_code_used"
	ActionUserCreated     = "user.created"
	ActionUserDisabled    = "user.disabled"
	ActionUserEnabled     = "user.enabled"
	ActionUserRoles       = "user.roles_changed"
	ActionUserPassword    = "user.password_set"
	ActionTOTPReset       = "user.totp_reset"
	ActionSessionsRevoked = "sessions.revoked"
	ActionItemIngested    = "item.ingested"
	ActionTokenCreated    = "token.created"
	ActionTokenRevoked    = "token.revoked"
	ActionCallbackSet     = "source.callback_set"
	ActionRuleCreated     = "rule.created"
	ActionRuleUpdated     = "rule.updated"
	ActionRuleDeleted     = "rule.deleted"
	ActionLeaseReleased   = "item.released"
	ActionItemClaimed     = "item.claimed"
	ActionReveal          = "item.revealed"
	ActionQueueCreated    = "queue.created"
	ActionQueueUpdated    = "queue.updated"
	ActionQueueMember     = "queue.member_changed"
	ActionAuditKeyed      = "audit.chain_keyed"
	// ActionAuditAltered is chained in place of a pending entry whose MAC
	// did not match: someone changed it before it was chained.
	ActionAuditAltered = "audit.pending_altered"
)

// AuditEvent is what happened, as a caller describes it.
type AuditEvent struct {
	Actor   string            // an email, "system", or "token:<name>"
	Action  string            // one of the Action constants
	Target  string            // what was acted on, e.g. "user:alice@example.org"
	Details map[string]string // small, never secrets or content
}

// AuditEntry is an event as stored: numbered, timed and chained.
type AuditEntry struct {
	ID       int64
	At       time.Time
	Actor    string
	Action   string
	Target   string
	Details  string // canonical JSON of the event's details
	PrevHash string
	Hash     string
}

// CanonicalDetails encodes details as JSON with sorted keys, so the same
// details always hash the same way.
func CanonicalDetails(d map[string]string) string {
	if len(d) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(d) // maps marshal with sorted keys; strings cannot fail
	return string(b)
}

// TimeFormat is how Loupe writes times to storage: fixed width UTC, so text
// order is time order.
const TimeFormat = "2006-01-02T15:04:05.000000Z"
