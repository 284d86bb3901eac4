package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/loupe-review/loupe/review"
)

// claimable is the status set of the items_claimable partial index; the
// claim query repeats it word for word so SQLite uses that index.
const claimable = `status IN ('queued', 'awaiting_second_review', 'escalated')`

// lapsed finds a queue's (?) items whose lease ran out before ? through
// items_lease_expiry: +queue_id keeps SQLite from reading the whole queue
// through an index that starts with queue_id instead.
const lapsed = `+queue_id = ? AND ` + claimable + ` AND lease_user_id IS NOT NULL AND lease_until < ?`

// ClaimItem leases the next item of a queue to a reviewer. The lease is
// taken by one UPDATE, so under any concurrency an item is leased to at
// most one reviewer: SQLite runs one writer at a time, and on PostgreSQL
// the claim skips rows another transaction has locked and checks again
// that the row it locked is still free. A second review never goes to the
// first reviewer. A reviewer who already holds an item of the queue gets
// it back (their claims take turns on their user row). The rest of the
// claimed item's cluster is leased with it (see leaseCluster), and the
// id returned is the cluster's representative.
func (db *DB) ClaimItem(ctx context.Context, queueID, userID int64, now, until time.Time, ev review.AuditEvent) (int64, error) {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := db.lockUser(ctx, tx, userID); err != nil {
			return err
		}
		// What they hold already in the queue is theirs; of a cluster they
		// hold, the representative is what they get.
		held, err := renewHeld(ctx, tx, queueID, userID, now, until)
		switch {
		case err != nil:
			return translate(err, "renew lease")
		case len(held) == 1:
			id = held[0]
			return nil
		case len(held) > 1:
			ids, err := heldMembers(ctx, tx, held[0], userID, now)
			if id = held[0]; err == nil && len(ids) > 0 {
				id = ids[0]
			}
			return err
		}
		// The next item by priority. When no lease has run out (almost
		// always), that is the first item nobody holds, read from
		// items_unleased without passing the items others hold; otherwise
		// the queue is read in order past them, as it always was. (A
		// union of the two, planned with fresh statistics, walked the whole
		// queue for lapsed leases: the planner took items_claimable's order
		// over a sort of the few rows items_lease_expiry finds.)
		next := func(held string) string {
			return `SELECT id FROM items WHERE queue_id = ? AND ` + claimable + held + ` AND first_reviewer_id IS DISTINCT FROM ?
				ORDER BY priority DESC, id LIMIT 1` + db.d.skipLocked
		}
		var c claimed
		err = tx.QueryRowContext(ctx, `UPDATE items SET lease_user_id = ?, lease_until = ?, leased_at = ?
			WHERE id = COALESCE(
				CASE WHEN EXISTS (SELECT 1 FROM items WHERE `+lapsed+`)
					THEN NULL ELSE (`+next(` AND lease_user_id IS NULL`)+`) END,
				(`+next(` AND lease_until < ?`)+`))
			AND `+claimable+` AND lease_until < ?
			RETURNING id, cluster_id, queue_id, status`, userID, fmtTime(until), fmtTime(now),
			queueID, fmtTime(now), queueID, userID, queueID, fmtTime(now), userID, fmtTime(now)).Scan(&c.id, &c.cluster, &c.queueID, &c.status)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("storage: queue %d has no item for user %d: %w", queueID, userID, review.ErrNotFound)
		}
		if err != nil {
			return translate(err, "claim item")
		}
		if id, err = db.leaseCluster(ctx, tx, c, userID, now, until); err != nil {
			return err
		}
		ev.Target = review.ItemTarget(id)
		return db.appendAudit(ctx, tx, ev)
	})
	return id, err
}

// FindHeldItem answers, with one read, the claim that comes right after
// the decision that claimed the next item, or a reload: the reviewer holds
// one item of the queue, and its lease needs no renewal.
func (db *DB) FindHeldItem(ctx context.Context, queueID, userID int64, now, until time.Time) (int64, error) {
	held, stale, err := findHeld(ctx, db.r, queueID, userID, now, until)
	if err != nil {
		return 0, translate(err, "find held item")
	}
	if len(held) != 1 || stale {
		return 0, fmt.Errorf("storage: user %d holds no one item of queue %d with a fresh lease: %w", userID, queueID, review.ErrNotFound)
	}
	return held[0], nil
}

// renewHeld returns the items of a queue a reviewer holds, and renews
// their leases to until when one has less than half of its length left. A
// fresh lease is not written again (a claim comes right after the
// decision that claimed the next item), because each write of an item
// touches every one of its indexes.
func renewHeld(ctx context.Context, tx *sql.Tx, queueID, userID int64, now, until time.Time) ([]int64, error) {
	ids, stale, err := findHeld(ctx, tx, queueID, userID, now, until)
	if err == nil && stale {
		err = extendLeases(ctx, tx, ids, userID, until)
	}
	return ids, err
}

// RenewLease extends a lease the reviewer still holds, on the item and
// the members of its cluster they hold with it.
func (db *DB) RenewLease(ctx context.Context, itemID, userID int64, now, until time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		ids, err := heldMembers(ctx, tx, itemID, userID, now)
		if err != nil {
			return err
		}
		if !slices.Contains(ids, itemID) {
			return review.ErrLeaseLost
		}
		return translate(extendLeases(ctx, tx, ids, userID, until), "renew lease")
	})
}

// extendLeases moves the end of userID's leases on the items ids (read
// as held by them in tx) to until.
func extendLeases(ctx context.Context, tx *sql.Tx, ids []int64, userID int64, until time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE items SET lease_until = ? WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) AND lease_user_id = ?`,
		append(append([]any{fmtTime(until)}, anys(ids)...), userID)...)
	return err
}

// ReleaseLease hands an item, and the members of its cluster the reviewer
// holds with it, back to its queue and closes the reviewer's open reveals
// of them.
func (db *DB) ReleaseLease(ctx context.Context, itemID, userID int64, now time.Time, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		ids, err := heldMembers(ctx, tx, itemID, userID, now)
		if err != nil {
			return err
		}
		if !slices.Contains(ids, itemID) {
			ids = append(ids, itemID) // an expired lease is still cleared
		}
		released := 0
		for _, id := range ids {
			res, err := tx.ExecContext(ctx, `UPDATE items SET lease_user_id = NULL, lease_until = '' WHERE id = ? AND lease_user_id = ?`, id, userID)
			if err != nil {
				return translate(err, "release lease")
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue // already released or expired: nothing to do
			}
			released++
			if err := closeExposures(ctx, tx, userID, id, now, "lease_end"); err != nil {
				return err
			}
		}
		if released == 0 {
			return nil
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

const decisionColumns = `d.id, d.item_id, d.reviewer_id, u.email, d.kind, d.verdict, d.category, d.annotations, d.note, d.seconds, d.reveals, d.final, d.severe, d.created_at,
	COALESCE(d.auto_entry_id, 0), COALESCE(d.auto_distance, 0), COALESCE(d.cluster_item_id, 0)`

// FindDecisions lists an item's decisions, oldest first.
func (db *DB) FindDecisions(ctx context.Context, itemID int64) ([]review.Decision, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+decisionColumns+` FROM decisions d JOIN users u ON u.id = d.reviewer_id WHERE d.item_id = ? ORDER BY d.id`, itemID)
	if err != nil {
		return nil, translate(err, "find decisions of item %d", itemID)
	}
	defer rows.Close()
	var out []review.Decision
	for rows.Next() {
		var d review.Decision
		var kind, verdict, annotations, reveals, created string
		if err := rows.Scan(&d.ID, &d.ItemID, &d.ReviewerID, &d.Reviewer, &kind, &verdict, &d.Category, &annotations, &d.Note, &d.Seconds, &reveals, &d.Final, &d.Severe, &created, &d.AutoEntryID, &d.AutoDistance, &d.ClusterItemID); err != nil {
			return nil, translate(err, "scan decision")
		}
		d.Kind, d.Verdict, d.CreatedAt = review.DecisionKind(kind), review.Verdict(verdict), parseTime(created)
		_ = json.Unmarshal([]byte(annotations), &d.Annotations)
		_ = json.Unmarshal([]byte(reveals), &d.Reveals)
		out = append(out, d)
	}
	return out, translate(rows.Err(), "find decisions")
}

// RecordDecision commits a decision with its effects on the item, the
// reviewer's open reveals and the audit log. What leaves Loupe (callback,
// report case, proposals) is applied at once for an override, and held
// until rec.EffectsDue otherwise (see SettleDecisions and UndoDecision).
func (db *DB) RecordDecision(ctx context.Context, rec review.DecisionRecord) (review.Decision, error) {
	var d review.Decision
	err := db.writeDurable(ctx, func(tx *sql.Tx) error {
		var err error
		d, err = db.recordDecision(ctx, tx, rec)
		return err
	})
	return d, err
}

// recordDecision commits one decision inside tx.
func (db *DB) recordDecision(ctx context.Context, tx *sql.Tx, rec review.DecisionRecord) (review.Decision, error) {
	d, out, now := rec.Decision, rec.Outcome, rec.Now
	d.CreatedAt = now.UTC()
	err := func() error {
		// What the decision changes is read first, for an undo to put back;
		// the item's row, locked and read with it, holds its lease.
		var prior priorState
		var lease itemLease
		var err error
		if !rec.EffectsDue.IsZero() {
			// No item: the checks below say what that means for each kind.
			if prior, lease, err = db.readPrior(ctx, tx, d.ItemID); err != nil && !errors.Is(err, review.ErrNotFound) {
				return err
			}
		}
		switch {
		case d.Kind == review.KindOverride:
		case d.Kind == review.KindAutomated:
			err = db.checkUnclaimed(ctx, tx, d.ItemID, now)
		case rec.EffectsDue.IsZero():
			err = db.checkLease(ctx, tx, d.ItemID, d.ReviewerID, now)
		case !lease.runsFor(d.ReviewerID, now):
			err = review.ErrLeaseLost
		}
		if err != nil {
			return err
		}
		annotations, _ := json.Marshal(nonNil(d.Annotations))
		reveals, _ := json.Marshal(nonNil(d.Reveals))
		err = tx.QueryRowContext(ctx, `INSERT INTO decisions (item_id, reviewer_id, kind, verdict, category, annotations, note, seconds, reveals, final, severe, created_at, auto_entry_id, auto_distance, cluster_item_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			d.ItemID, d.ReviewerID, string(d.Kind), string(d.Verdict), d.Category, string(annotations), d.Note, d.Seconds, string(reveals), d.Final, d.Severe, fmtTime(now),
			nullID(d.AutoEntryID), autoDistance(d), nullID(d.ClusterItemID)).Scan(&d.ID)
		if err != nil {
			return translate(err, "record decision")
		}
		// Other decisions stop being final only when there are some, or when
		// they were not read.
		supersedes := rec.EffectsDue.IsZero() || len(prior.final) > 0
		if err := applyOutcome(ctx, tx, d, out, rec.ToQueue, supersedes, now); err != nil {
			return err
		}
		if err := recordQuality(ctx, tx, rec, d, now); err != nil {
			return err
		}
		if rec.Overturned {
			if err := withdrawProposals(ctx, tx, d.ItemID); err != nil {
				return err
			}
			if err := leaveOpenCase(ctx, tx, d.ItemID); err != nil {
				return err
			}
		}
		if err := closeExposures(ctx, tx, d.ReviewerID, d.ItemID, now, "decision"); err != nil {
			return err
		}
		fx := effects{decisionID: d.ID, itemID: d.ItemID, actor: d.Reviewer, sourceID: rec.SourceID, callback: rec.Callback, report: rec.Report, proposals: rec.Proposals}
		if rec.EffectsDue.IsZero() {
			err = db.applyEffects(ctx, tx, fx, now)
		} else {
			err = holdEffects(ctx, tx, fx, d.ReviewerID, prior, rec.EffectsDue)
		}
		if err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, rec.Event)
	}()
	return d, err
}

// applyOutcome moves the item to the state the decision leads to; a final
// decision that supersedes others makes them no longer final.
func applyOutcome(ctx context.Context, tx *sql.Tx, d review.Decision, out review.Outcome, toQueue int64, supersedes bool, now time.Time) error {
	exec := func(q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return translate(err, "update item %d", d.ItemID)
	}
	switch {
	case out.Release:
		return exec(`UPDATE items SET lease_user_id = NULL, lease_until = '' WHERE id = ?`, d.ItemID)
	case out.Escalate:
		return exec(`UPDATE items SET status = ?, queue_id = ?, lease_user_id = NULL, lease_until = '' WHERE id = ?`, string(out.Status), toQueue, d.ItemID)
	case out.Status == review.StatusSecondReview:
		return exec(`UPDATE items SET status = ?, first_reviewer_id = ?, lease_user_id = NULL, lease_until = '' WHERE id = ?`, string(out.Status), d.ReviewerID, d.ItemID)
	}
	if supersedes {
		if err := exec(`UPDATE decisions SET final = 0 WHERE item_id = ? AND id != ?`, d.ItemID, d.ID); err != nil {
			return err
		}
	}
	return exec(`UPDATE items SET status = ?, decided_at = ?, lease_user_id = NULL, lease_until = '' WHERE id = ?`, string(out.Status), fmtTime(now), d.ItemID)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ReleaseUserLeases hands back every item a person holds (at sign-out).
func (db *DB) ReleaseUserLeases(ctx context.Context, userID int64, now time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		return releaseLeases(ctx, tx, userID, now, "lease_end")
	})
}

// releaseLeases hands back what a person holds and closes their open
// reveals of it for reason.
func releaseLeases(ctx context.Context, tx *sql.Tx, userID int64, now time.Time, reason string) error {
	if _, err := closeOpen(ctx, tx, `reviewer_id = ? AND item_id IN (SELECT id FROM items WHERE lease_user_id = ?)`, []any{userID, userID}, now, reason); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE items SET lease_user_id = NULL, lease_until = '' WHERE lease_user_id = ?`, userID)
	return translate(err, "release leases")
}

// CountWaiting counts a queue's items that nobody holds at now, up to
// upTo: pages that show it on every item stop counting there, so a backlog
// of a million costs what a thousand does (an exact count scanned the
// whole queue on each review page: half a second on PostgreSQL).
func (db *DB) CountWaiting(ctx context.Context, queueID int64, now time.Time, upTo int) (int, error) {
	// Items nobody holds, read from items_unleased alone, and items whose
	// lease ran out, from items_lease_expiry.
	// upTo is written into the statement: with LIMIT ?, PostgreSQL found no
	// plan for every limit as good and planned the count at every call.
	var free, late int
	limit := ` LIMIT ` + strconv.Itoa(upTo)
	err := db.r.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM items WHERE queue_id = ? AND `+claimable+` AND lease_user_id IS NULL`+limit+`) AS free),
		(SELECT COUNT(*) FROM (SELECT 1 FROM items WHERE `+lapsed+limit+`) AS lapsed)`,
		queueID, queueID, fmtTime(now)).Scan(&free, &late)
	return min(free+late, upTo), translate(err, "count waiting items of queue %d", queueID)
}

// CountDecisionsSince counts a reviewer's decisions since a time (their
// session's start, for the progress on the review screen).
func (db *DB) CountDecisionsSince(ctx context.Context, userID int64, since time.Time) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM decisions WHERE reviewer_id = ? AND created_at >= ? AND created_at < ?`, userID, fmtTime(since), timeEnd).Scan(&n)
	return n, translate(err, "count decisions of user %d", userID)
}
