package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/egress"
)

// CallbackStore is what the callback sender needs from storage.
type CallbackStore interface {
	review.OutboxStore
	FindCallbackSecret(ctx context.Context, sourceID int64) (string, []byte, error)
}

// CallbackSender delivers decision callbacks from the outbox: signed POSTs,
// retried with exponential backoff, at least once, across restarts.
type CallbackSender struct {
	Store  CallbackStore
	Sealer review.Sealer
	Client *http.Client // from egress.Policy.Client: no internal addresses, no redirects
	Log    *slog.Logger
	Now    func() time.Time
}

// leaseFor covers one delivery attempt, timeout included.
const leaseFor = 2 * time.Minute

// Run delivers due callbacks every interval until ctx ends.
func (c *CallbackSender) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := c.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			c.Log.Error("deliver callbacks", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// DeliverDue makes one pass over due callbacks and returns how many were delivered.
func (c *CallbackSender) DeliverDue(ctx context.Context) (int, error) {
	entries, err := c.Store.ClaimOutbox(ctx, review.KindCallback, c.Now(), leaseFor, 50)
	if err != nil {
		return 0, err
	}
	delivered := 0
	for _, e := range entries {
		status, err := c.deliver(ctx, e)
		if err != nil {
			next := c.Now().Add(review.Backoff(e.Attempts + 1))
			c.Log.Warn("callback failed", "outbox_id", e.ID, "item_id", e.ItemID, "attempt", e.Attempts+1, "status", status, "err", err, "next", next)
			if err := c.Store.MarkFailed(ctx, e.ID, status, err.Error(), next); err != nil {
				return delivered, err
			}
			continue
		}
		if err := c.Store.MarkDelivered(ctx, e.ID, status, c.Now()); err != nil {
			return delivered, err
		}
		delivered++
	}
	return delivered, nil
}

// deliver POSTs one callback; any answer but 2xx is a failure.
func (c *CallbackSender) deliver(ctx context.Context, e review.OutboxEntry) (int, error) {
	url, sealed, err := c.Store.FindCallbackSecret(ctx, e.SourceID)
	if err != nil {
		return 0, err
	}
	if url == "" || sealed == nil {
		return 0, fmt.Errorf("source %d has no callback URL and secret", e.SourceID)
	}
	key, err := c.Sealer.Open(callbackSecretName(e.SourceID), sealed)
	if err != nil {
		return 0, fmt.Errorf("open callback secret: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader([]byte(e.Payload)))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Loupe-Callback/1")
	req.Header.Set("Loupe-Delivery", fmt.Sprint(e.ID))
	req.Header.Set(review.SignatureHeader, review.Sign(key, []byte(e.Payload), c.Now()))
	res, err := c.Client.Do(req)
	if err != nil { // admins see the class only; the log gets the cause
		return 0, egress.Classify(err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return res.StatusCode, fmt.Errorf("HTTP status %d", res.StatusCode)
	}
	return res.StatusCode, nil
}
