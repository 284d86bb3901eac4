package review

import (
	"context"
	"time"
)

// UserStore keeps people and their credentials. Every change is committed
// together with its audit entry.
type UserStore interface {
	CreateUser(ctx context.Context, u User, ev AuditEvent) (User, error)
	FindUserByID(ctx context.Context, id int64) (User, error)
	FindUserByEmail(ctx context.Context, email string) (User, error)
	FindUsers(ctx context.Context) ([]User, error)
	UpdateUser(ctx context.Context, id int64, upd UserUpdate, ev AuditEvent) (User, error)
	// AcceptTOTP records a successful second factor at step, refusing a step
	// at or before the last accepted one (ErrConflict: a replay).
	AcceptTOTP(ctx context.Context, id int64, step int64) error
	// EnrollTOTP stores the confirmed secret and the hashes of new recovery codes.
	EnrollTOTP(ctx context.Context, id int64, secret string, step int64, recoveryHashes []string, ev AuditEvent) error
	// UseRecoveryCode marks one unused code as used; ErrNotFound if none matches.
	UseRecoveryCode(ctx context.Context, id int64, codeHash string, ev AuditEvent) error
	CountRecoveryCodes(ctx context.Context, id int64) (int, error)
}

// UserUpdate lists the changes to make to a user; nil fields stay as they are.
type UserUpdate struct {
	Roles        *Roles
	Disabled     *bool
	PasswordHash *string
	// OneTime marks a new PasswordHash as set by an admin: the person
	// must choose their own at next sign-in.
	OneTime bool
	// ResetTOTP clears the authenticator and recovery codes.
	ResetTOTP bool
	// RevokeSessions signs the person out everywhere.
	RevokeSessions bool
}

// SessionStore keeps signed-in browsers.
type SessionStore interface {
	// StartSession stores s, deleting the session it replaces (if any) and
	// recording ev (if any) in the same transaction: session ids rotate at
	// every sign-in step.
	StartSession(ctx context.Context, replaces string, s Session, ev *AuditEvent) error
	// FindSession returns a session with its user.
	FindSession(ctx context.Context, idHash string) (Session, User, error)
	TouchSession(ctx context.Context, idHash string, at time.Time) error
	SetPendingTOTP(ctx context.Context, idHash, secret string) error
	EndSession(ctx context.Context, idHash string, ev *AuditEvent) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}

// AttemptStore counts sign-in attempts per address (in fixed windows) and
// per account. It lives in the database so every instance sees it, and
// applies the SignInPolicy inside its transactions, so that attempts sent
// at the same moment are counted one after the other.
type AttemptStore interface {
	// ReserveAttempt counts att against its address and, when it names
	// one, its account, in one transaction, before its secret is checked.
	ReserveAttempt(ctx context.Context, att Attempt, p SignInPolicy) (Reservation, error)
	// SettleAttempt records how an admitted attempt ended, with ev (if it
	// has an action) in the same transaction.
	SettleAttempt(ctx context.Context, att Attempt, o AttemptOutcome, p SignInPolicy, ev AuditEvent) error
}

// AuditLog appends and reads the tamper-evident audit log.
type AuditLog interface {
	Append(ctx context.Context, ev AuditEvent) error
	FindAuditEntries(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
	// FindAuditActions lists the actions the log holds, by name.
	FindAuditActions(ctx context.Context) ([]string, error)
	// VerifyAudit walks the whole chain and returns its head, or a
	// *ChainBreak for the first broken entry; a non-zero anchor must still
	// be in the chain, unchanged.
	VerifyAudit(ctx context.Context, anchor ChainHead) (ChainHead, error)
	// AuditHead returns the newest entry's id and hash.
	AuditHead(ctx context.Context) (ChainHead, error)
}

// AuditFilter narrows an audit log listing.
type AuditFilter struct {
	Actor  string
	Action string
	Target string
	Since  time.Time
	Until  time.Time
	Limit  int
	// Keyset paging: Before lists the entries just older than that id,
	// After those just newer (still newest first); 0 for neither.
	Before int64
	After  int64
}

// SourceStore keeps sources and the API tokens that act for them.
type SourceStore interface {
	// CreateToken stores a token for source (creating the source if new).
	CreateToken(ctx context.Context, name, source, scope, digest, createdBy string, ev AuditEvent) (APIToken, error)
	FindTokenByDigest(ctx context.Context, digest string) (APIToken, error)
	FindTokens(ctx context.Context) ([]APIToken, error)
	RevokeToken(ctx context.Context, name string, ev AuditEvent) error
	TouchToken(ctx context.Context, id int64, at time.Time) error
	FindSources(ctx context.Context) ([]Source, error)
	FindSourceByName(ctx context.Context, name string) (Source, error)
	// SetCallback sets where decisions of the source's items are sent; the
	// secret is sealed before it is stored. An empty URL turns callbacks off.
	SetCallback(ctx context.Context, sourceID int64, url string, sealedSecret []byte, ev AuditEvent) error
	FindCallbackSecret(ctx context.Context, sourceID int64) (url string, sealed []byte, err error)
}

// ItemStore keeps items and their media.
type ItemStore interface {
	// CreateItem stores an item, its media rows and their stored objects,
	// and ev, in one transaction. A duplicate (source, external id) is
	// ErrConflict.
	CreateItem(ctx context.Context, it Item, objects map[string]MediaObjects, ev AuditEvent) (Item, error)
	FindItemByID(ctx context.Context, id int64) (Item, error)
	FindItemByExternalID(ctx context.Context, sourceID int64, externalID string) (Item, error)
	// FindObject returns one stored object of a media (ErrNotFound when
	// the media has no such object).
	FindObject(ctx context.Context, mediaID string, kind MediaKind) (StoredObject, error)
	// AddObject records a rendition made after ingest.
	AddObject(ctx context.Context, mediaID string, kind MediaKind, o StoredObject) error
}

// RuleStore keeps routing rules and reads queues by name.
type RuleStore interface {
	// FindRules returns every rule in evaluation order.
	FindRules(ctx context.Context) ([]Rule, error)
	CreateRule(ctx context.Context, r Rule, ev AuditEvent) (Rule, error)
	UpdateRule(ctx context.Context, r Rule, ev AuditEvent) error
	DeleteRule(ctx context.Context, id int64, ev AuditEvent) error
}
