package review

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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
)

// GenesisHash is the "previous hash" of the first entry in the chain.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

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

// ChainHash computes an entry's hash from its fields and the previous hash.
// The id is included so that deleting or reordering rows breaks the chain.
func ChainHash(e AuditEntry) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s",
		e.ID, e.At.UTC().Format(TimeFormat), e.Actor, e.Action, e.Target, e.Details, e.PrevHash)
	return hex.EncodeToString(h.Sum(nil))
}

// ChainBreak describes the first entry at which an audit chain fails.
type ChainBreak struct {
	ID     int64
	Reason string
}

func (b *ChainBreak) Error() string {
	return fmt.Sprintf("audit chain broken at entry %d: %s", b.ID, b.Reason)
}

// ChainVerifier checks entries one at a time, in id order, so a long log
// never has to be held in memory.
type ChainVerifier struct {
	prev   string
	lastID int64
	Count  int
}

// NewChainVerifier starts a verification at the beginning of the log.
func NewChainVerifier() *ChainVerifier { return &ChainVerifier{prev: GenesisHash} }

// Next checks one entry; it returns a *ChainBreak at the first problem.
func (v *ChainVerifier) Next(e AuditEntry) error {
	switch {
	case e.ID != v.lastID+1:
		return &ChainBreak{ID: e.ID, Reason: fmt.Sprintf("expected entry %d next (an entry was deleted or reordered)", v.lastID+1)}
	case e.PrevHash != v.prev:
		return &ChainBreak{ID: e.ID, Reason: "previous-hash link does not match the entry before it"}
	case ChainHash(e) != e.Hash:
		return &ChainBreak{ID: e.ID, Reason: "contents do not match the entry's hash (the entry was altered)"}
	}
	v.prev, v.lastID = e.Hash, e.ID
	v.Count++
	return nil
}
