package review

import (
	"context"
	"fmt"
	"image"
	"slices"
	"strconv"
	"time"

	"github.com/loupe-review/loupe/review/secret"
)

// ExposureStore keeps the exposure ledger and reveal grants.
type ExposureStore interface {
	CreateReveal(ctx context.Context, e Exposure, grantDigest string, expires time.Time, ev AuditEvent) (Exposure, error)
	UseGrant(ctx context.Context, grantDigest string, userID int64, now time.Time) (Exposure, error)
	CloseExposure(ctx context.Context, id, userID int64, now time.Time, reason string) (Exposure, error)
	FindExposures(ctx context.Context, itemID int64) ([]Exposure, error)
	// RecordDownload adds closed rows for originals handed out in an
	// export bundle, with the download's audit entry, in one transaction.
	RecordDownload(ctx context.Context, rows []Exposure, ev AuditEvent) error
}

// Reveal is a granted reveal: the single-use token that fetches it, and
// when the page must re-blur.
type Reveal struct {
	Exposure Exposure
	Token    string
	Expires  time.Time
}

// Reveal grants u one reveal step of one media of it, an item they hold:
// an exposure row opens now, and a single-use token fetches exactly that
// rendition within RevealTTL. The hold is checked as the exposure is
// recorded (ErrLeaseLost when it has ended).
func (r *Reviewing) Reveal(ctx context.Context, ex ExposureStore, u User, it Item, mediaID, step string, region image.Rectangle) (Reveal, error) {
	itemID, now := it.ID, r.Now()
	m, ok := it.MediaByID(mediaID)
	if !ok {
		return Reveal{}, fmt.Errorf("media %s is not part of item %d: %w", mediaID, itemID, ErrNotFound)
	}
	q, err := r.Queues.FindQueue(ctx, it.QueueID)
	if err != nil {
		return Reveal{}, err
	}
	if !q.Policy.Allows(step) {
		return Reveal{}, fmt.Errorf("queue %s does not allow the %s reveal: %w", q.Name, step, ErrForbidden)
	}
	e := Exposure{ReviewerID: u.ID, ItemID: itemID, MediaID: m.ID, Rendition: step, RegionFraction: 1, StartedAt: now}
	if step == StepSpotlight {
		if e.Region, e.RegionFraction, err = q.Policy.Spotlight(region, m.Width, m.Height); err != nil {
			return Reveal{}, err
		}
	}
	length, err := r.revealLength(ctx, u, q, e)
	if err != nil {
		return Reveal{}, err
	}
	e.CapAt = now.Add(length)
	token, err := secret.Token(r.Random, 32)
	if err != nil {
		return Reveal{}, err
	}
	expires := now.Add(RevealTTL)
	ev := AuditEvent{Actor: u.Email, Action: ActionReveal, Target: ItemTarget(itemID), Details: map[string]string{"media": m.ID, "step": step}}
	e, err = ex.CreateReveal(ctx, e, secret.Digest(token), expires, ev)
	return Reveal{Exposure: e, Token: token, Expires: expires}, err
}

// revealLength is how long a reveal may last: the queue's re-blur time,
// shortened to what the reviewer's per-item reveal time and daily budget
// leave. A break that applies refuses the reveal.
func (r *Reviewing) revealLength(ctx context.Context, u User, q Queue, e Exposure) (time.Duration, error) {
	length := q.Policy.Reblur()
	if r.Wellbeing == nil {
		return length, nil
	}
	s, a, err := r.Wellbeing.Admit(ctx, u, q.ID, e.ItemID)
	if err != nil {
		return 0, err
	}
	allow, err := s.RevealAllowance(a, e.ItemID, Weight(e.Rendition, e.RegionFraction))
	switch {
	case err != nil:
		return 0, err
	case allow >= 0 && allow < time.Second:
		return 0, fmt.Errorf("too little of today's exposure budget is left for a %s reveal: %w", e.Rendition, ErrForbidden)
	case allow >= 0 && allow < length:
		return allow.Truncate(time.Second), nil
	}
	return length, nil
}

// UsedReveals lists the reveal steps u used on an item since claiming it,
// from the ledger (never from what the browser says).
func UsedReveals(exposures []Exposure, userID int64, since time.Time) []string {
	var steps []string
	for _, e := range exposures {
		if e.ReviewerID == userID && e.Rendition != RenditionDownload && !e.StartedAt.Before(since) && !slices.Contains(steps, e.Rendition) {
			steps = append(steps, e.Rendition)
		}
	}
	return steps
}

// ParseRegion reads "x,y,w,h" in image pixels.
func ParseRegion(s string) (image.Rectangle, error) {
	var x, y, w, h int
	if _, err := fmt.Sscanf(s, "%d,%d,%d,%d", &x, &y, &w, &h); err != nil || w <= 0 || h <= 0 {
		return image.Rectangle{}, Invalid("region", "must be x,y,width,height in image pixels")
	}
	return image.Rect(x, y, x+w, y+h), nil
}

// ItemTarget names an item in the audit log.
func ItemTarget(id int64) string { return "item:" + strconv.FormatInt(id, 10) }
