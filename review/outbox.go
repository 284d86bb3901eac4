package review

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// OutboxEntry is one message that must be delivered at least once, such as
// a decision callback. It lives in the database, so it survives restarts.
type OutboxEntry struct {
	ID            int64
	Kind          string
	SourceID      int64
	ItemID        int64
	Payload       string
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	LastStatus    int
	DeliveredAt   time.Time
	CreatedAt     time.Time
}

// Outbox kinds.
const KindCallback = "callback"

// MaxAttempts is how often delivery is tried before an entry is given up
// (about five days with the backoff below); it stays visible to admins.
const MaxAttempts = 30

// Backoff is the wait after the n-th failed attempt: 10 s doubling, at most 6 h.
func Backoff(n int) time.Duration {
	d := 10 * time.Second
	for i := 1; i < n && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// OutboxStore keeps the outbox.
type OutboxStore interface {
	// ClaimOutbox leases up to limit due entries of kind for lease, so that
	// one instance delivers each at a time.
	ClaimOutbox(ctx context.Context, kind string, now time.Time, lease time.Duration, limit int) ([]OutboxEntry, error)
	MarkDelivered(ctx context.Context, id int64, status int, at time.Time) error
	MarkFailed(ctx context.Context, id int64, status int, problem string, next time.Time) error
	FindOutbox(ctx context.Context, kind string, limit int) ([]OutboxEntry, error)
}

// SignatureHeader carries a callback's signature.
const SignatureHeader = "Loupe-Signature"

// Sign returns the Loupe-Signature value for body sent at t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<unix seconds>." + body)>".
func Sign(secret, body []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, secret)
	fmt.Fprintf(mac, "%s.", ts)
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}
