package review

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// PurgeCandidate is an item whose original media the retention policy
// lets go.
type PurgeCandidate struct {
	ItemID     int64
	ExternalID string
	Source     string
	MediaIDs   []string // media not purged yet
	Why        string   // one of the Purge constants
	Since      time.Time
}

// PurgeStore finds what retention lets go and shreds it.
type PurgeStore interface {
	PurgeCandidates(ctx context.Context, r Retention, now time.Time) ([]PurgeCandidate, error)
	// PurgeMedia deletes the wrapped keys of an item's media (crypto-
	// shredding) and marks them purged, audited, in one transaction, after
	// checking again that no hold appeared; ErrConflict when one did.
	PurgeMedia(ctx context.Context, itemID int64, mediaIDs []string, why string, now time.Time, ev AuditEvent) error
}

// PurgeReport says what a purge deleted, or on a dry run would delete.
type PurgeReport struct {
	DryRun  bool
	Items   []PurgeCandidate
	Media   int              // media purged (or to purge) over all items
	Skipped []PurgeCandidate // no longer eligible when their turn came (a hold appeared)
}

// mediaKinds are every object a media may have in the vault.
var mediaKinds = []MediaKind{KindOriginal, KindPreview, KindGrey}

// Purge deletes the media retention r lets go at now: for each item, the
// keys are shredded and the purge audited in one transaction, and the
// vault files are removed after it commits (a file without its key is
// noise, so a crash in between loses nothing but disk space). A dry run
// only lists. Media under a legal hold is never deleted. Errors with one
// item do not stop the others; they are returned together.
func Purge(ctx context.Context, store PurgeStore, vault Vault, r Retention, now time.Time, dryRun bool) (PurgeReport, error) {
	rep := PurgeReport{DryRun: dryRun}
	cands, err := store.PurgeCandidates(ctx, r, now)
	if err != nil {
		return rep, err
	}
	var errs []error
	for _, c := range cands {
		if !dryRun {
			ev := AuditEvent{Actor: "system", Action: ActionMediaPurged}
			err := store.PurgeMedia(ctx, c.ItemID, c.MediaIDs, c.Why, now, ev)
			if errors.Is(err, ErrConflict) {
				rep.Skipped = append(rep.Skipped, c)
				continue
			}
			if err != nil {
				errs = append(errs, err)
				continue
			}
			for _, id := range c.MediaIDs {
				for _, kind := range mediaKinds {
					if err := vault.Delete(ctx, ObjectID(id, kind)); err != nil {
						errs = append(errs, fmt.Errorf("review: purge item %d: %w", c.ItemID, err))
					}
				}
			}
		}
		rep.Items = append(rep.Items, c)
		rep.Media += len(c.MediaIDs)
	}
	return rep, errors.Join(errs...)
}
