package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/loupe-review/loupe/review"
)

// QA samples: created with their decision, claimed like items once the
// decision settled, judged blind, and settled by a lead on disagreement.

const sampleColumns = `s.id, s.decision_id, s.item_id, s.queue_id, s.source, s.decided_by, du.email, d.verdict, d.category, s.status, s.sampled_at,
	COALESCE(s.lease_user_id, 0), s.lease_until, COALESCE(s.qa_reviewer_id, 0), COALESCE(qu.email, ''), s.qa_verdict, s.qa_category, s.qa_note, s.qa_at,
	COALESCE(s.lead_id, 0), COALESCE(lu.email, ''), s.lead_verdict, s.lead_category, s.lead_note, s.resolved_at, COALESCE(s.override_id, 0)`

const sampleFrom = ` FROM qa_samples s JOIN decisions d ON d.id = s.decision_id JOIN users du ON du.id = s.decided_by
	LEFT JOIN users qu ON qu.id = s.qa_reviewer_id LEFT JOIN users lu ON lu.id = s.lead_id`

func scanSample(row rowScanner) (review.Sample, error) {
	var s review.Sample
	var status, verdict, category, sampled, leaseUntil, qaVerdict, qaCategory, qaAt, leadVerdict, leadCategory, resolved string
	err := row.Scan(&s.ID, &s.DecisionID, &s.ItemID, &s.QueueID, &s.Source, &s.DecidedBy, &s.DecidedByEmail, &verdict, &category, &status, &sampled,
		&s.LeaseUser, &leaseUntil, &s.QAReviewerID, &s.QAReviewer, &qaVerdict, &qaCategory, &s.QANote, &qaAt,
		&s.LeadID, &s.Lead, &leadVerdict, &leadCategory, &s.LeadNote, &resolved, &s.OverrideID)
	s.Status, s.SampledAt, s.LeaseUntil, s.QAAt, s.ResolvedAt = review.SampleStatus(status), parseTime(sampled), parseTime(leaseUntil), parseTime(qaAt), parseTime(resolved)
	s.Original = review.LabelOf(review.Verdict(verdict), category)
	if qaVerdict != "" {
		s.QA = review.LabelOf(review.Verdict(qaVerdict), qaCategory)
	}
	if leadVerdict != "" {
		s.Final = review.LabelOf(review.Verdict(leadVerdict), leadCategory)
	}
	return s, err
}

// recordQuality is a decision's part in QA, inside its transaction: the
// sample it was drawn for, or the disputed sample a lead's override
// settles.
func recordQuality(ctx context.Context, tx *sql.Tx, rec review.DecisionRecord, d review.Decision, now time.Time) error {
	if rec.Resolves != 0 {
		return resolveSample(ctx, tx, rec.Resolves, d.ReviewerID, review.LabelOf(d.Verdict, d.Category), d.Note, d.ID, now)
	}
	if !rec.QASample || !d.Final {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO qa_samples (decision_id, item_id, queue_id, source, decided_by, sampled_at)
		SELECT ?, id, queue_id, ?, ?, ? FROM items WHERE id = ?`, d.ID, d.Source(), d.ReviewerID, fmtTime(now), d.ItemID)
	return translate(err, "sample decision %d", d.ID)
}

// claimableSample is what a person may take for QA: an open sample of the
// queue nobody holds, not of their own decision, whose decision settled
// (nothing held for an undo) and still stands.
const claimableSample = `s.queue_id = ? AND s.status = 'open' AND s.lease_until < ? AND s.decided_by != ?
	AND NOT EXISTS (SELECT 1 FROM pending_decisions p WHERE p.decision_id = s.decision_id)
	AND EXISTS (SELECT 1 FROM decisions fd WHERE fd.id = s.decision_id AND fd.final = 1)`

// ClaimSample leases the next sample of a queue to a person (or renews
// the one they hold), as ClaimItem does for items.
func (db *DB) ClaimSample(ctx context.Context, queueID, userID int64, now, until time.Time, ev review.AuditEvent) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := db.lockUser(ctx, tx, userID); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `UPDATE qa_samples SET lease_until = ? WHERE id = (SELECT id FROM qa_samples
			WHERE queue_id = ? AND status = 'open' AND lease_user_id = ? AND lease_until >= ? LIMIT 1) RETURNING id`,
			fmtTime(until), queueID, userID, fmtTime(now)).Scan(&id)
		if !errors.Is(err, sql.ErrNoRows) {
			return translate(err, "renew QA sample")
		}
		err = tx.QueryRowContext(ctx, `UPDATE qa_samples SET lease_user_id = ?, lease_until = ?
			WHERE id = (SELECT s.id FROM qa_samples s WHERE `+claimableSample+` ORDER BY s.id LIMIT 1`+db.d.skipLocked+`)
			AND status = 'open' AND lease_until < ? RETURNING id`,
			userID, fmtTime(until), queueID, fmtTime(now), userID, fmtTime(now)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("storage: queue %d has no quality check for user %d: %w", queueID, userID, review.ErrNotFound)
		}
		if err != nil {
			return translate(err, "claim QA sample")
		}
		ev.Target = "qa_sample:" + fmt.Sprint(id)
		return db.appendAudit(ctx, tx, ev)
	})
	return id, err
}

// CountClaimableSamples counts, up to upTo, the samples of a queue a
// person could claim at now.
func (db *DB) CountClaimableSamples(ctx context.Context, queueID, userID int64, now time.Time, upTo int) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM qa_samples s WHERE `+claimableSample+` LIMIT ?) AS waiting`,
		queueID, fmtTime(now), userID, upTo).Scan(&n)
	return n, translate(err, "count QA samples of queue %d", queueID)
}

// FindSample returns a sample by id.
func (db *DB) FindSample(ctx context.Context, id int64) (review.Sample, error) {
	s, err := scanSample(db.r.QueryRowContext(ctx, `SELECT `+sampleColumns+sampleFrom+` WHERE s.id = ?`, id))
	return s, translate(err, "find QA sample %d", id)
}

// heldSample is the condition "the person holds the open sample of the
// item", the QA half of what lets a person look at an item.
const heldSample = `item_id = ? AND status = 'open' AND lease_user_id = ? AND lease_until >= ?`

// HoldsItem reports whether a person may look at an item at now: they
// hold its lease, or the lease on an open QA sample of it.
func (db *DB) HoldsItem(ctx context.Context, itemID, userID int64, now time.Time) (bool, error) {
	var l itemLease
	var samples int
	err := db.r.QueryRowContext(ctx, `SELECT lease_user_id, lease_until, status, (SELECT COUNT(*) FROM qa_samples WHERE `+heldSample+`)
		FROM items WHERE id = ?`, itemID, userID, fmtTime(now), itemID).Scan(&l.user, &l.until, &l.status, &samples)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return l.runsFor(userID, now) || samples > 0, translate(err, "check hold on item %d", itemID)
}

// checkHold is checkLease for looking (reveals): the item's lease, or the
// lease on an open QA sample of it, kept until tx ends.
func (db *DB) checkHold(ctx context.Context, tx *sql.Tx, itemID, userID int64, now time.Time) error {
	err := db.checkLease(ctx, tx, itemID, userID, now)
	if !errors.Is(err, review.ErrLeaseLost) {
		return err
	}
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM qa_samples WHERE `+heldSample+` LIMIT 1`+db.d.forUpdate, itemID, userID, fmtTime(now)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return review.ErrLeaseLost
	}
	return translate(err, "check QA hold")
}

// RenewSample extends the lease on the open sample of an item a person
// holds.
func (db *DB) RenewSample(ctx context.Context, itemID, userID int64, now, until time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE qa_samples SET lease_until = ? WHERE `+heldSample, fmtTime(until), itemID, userID, fmtTime(now))
		if err != nil {
			return translate(err, "renew QA sample")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return review.ErrLeaseLost
		}
		return nil
	})
}

// ReleaseSample hands a sample back and closes the person's open reveals
// of its item.
func (db *DB) ReleaseSample(ctx context.Context, id, userID int64, now time.Time, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		var itemID int64
		err := tx.QueryRowContext(ctx, `UPDATE qa_samples SET lease_user_id = NULL, lease_until = '' WHERE id = ? AND lease_user_id = ? AND status = 'open' RETURNING item_id`,
			id, userID).Scan(&itemID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // already released or expired: nothing to do
		}
		if err != nil {
			return translate(err, "release QA sample %d", id)
		}
		if err := closeExposures(ctx, tx, userID, itemID, now, "lease_end"); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// SetQAPercent changes the share of a queue's final decisions sampled.
func (db *DB) SetQAPercent(ctx context.Context, queueID int64, percent int, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE queues SET qa_percent = ? WHERE id = ?`, percent, queueID)
		if err != nil {
			return translate(err, "set QA share of queue %d", queueID)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("storage: queue %d: %w", queueID, review.ErrNotFound)
		}
		return db.appendAudit(ctx, tx, ev)
	})
}
