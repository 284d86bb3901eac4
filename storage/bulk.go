package storage

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/loupe-review/loupe/review"
)

// ApplyBulk makes one bulk change (validated) to the selected items that
// are waiting in its queue, one audit entry per item changed, all in one
// transaction; it returns how many changed. A move leaves held items
// where they are (release them first); a release hands a held item back
// and closes its holder's open reveals of it.
func (db *DB) ApplyBulk(ctx context.Context, b review.BulkChange) (int, error) {
	now := fmtTime(b.Now)
	changed := 0
	err := db.write(ctx, func(tx *sql.Tx) error {
		changed = 0
		// Each item is checked, then changed: its row stays locked meanwhile.
		if err := db.lockItems(ctx, tx, b.ItemIDs...); err != nil {
			return err
		}
		for _, id := range b.ItemIDs {
			ev := review.AuditEvent{Actor: b.Actor, Target: review.ItemTarget(id)}
			var ok bool
			var err error
			switch b.Action {
			case review.BulkMove:
				ev.Action, ev.Details = review.ActionItemMoved, map[string]string{"from_queue": strconv.FormatInt(b.QueueID, 10), "to_queue": strconv.FormatInt(b.ToQueue, 10)}
				// An escalated item moved out of the escalations queue goes
				// back to reviewers as queued: an escalated status would make
				// any reviewer's verdict final (review.Decide).
				ok, err = execOne(ctx, tx, `UPDATE items SET queue_id = ?,
					status = CASE WHEN status = 'escalated' AND (SELECT name FROM queues WHERE id = ?) != ? THEN 'queued' ELSE status END
					WHERE id = ? AND queue_id = ? AND `+claimable+` AND lease_until < ?`, b.ToQueue, b.ToQueue, review.EscalationQueue, id, b.QueueID, now)
			case review.BulkPriority:
				ev.Action, ev.Details = review.ActionItemReprioritised, map[string]string{"priority": strconv.Itoa(b.Priority)}
				ok, err = execOne(ctx, tx, `UPDATE items SET priority = ? WHERE id = ? AND queue_id = ? AND `+claimable, b.Priority, id, b.QueueID)
			case review.BulkRelease:
				ok, err = releaseHeld(ctx, tx, id, b.QueueID, b.Now, &ev)
			}
			if err != nil {
				return translate(err, "%s item %d", b.Action, id)
			}
			if !ok {
				continue
			}
			changed++
			if err := db.appendAudit(ctx, tx, ev); err != nil {
				return err
			}
		}
		return nil
	})
	return changed, err
}

// execOne runs an update and reports whether it changed a row.
func execOne(ctx context.Context, tx *sql.Tx, q string, args ...any) (bool, error) {
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// releaseHeld ends the lease on a waiting item of a queue someone holds
// now, and closes the holder's open reveals of it.
func releaseHeld(ctx context.Context, tx *sql.Tx, id, queueID int64, now time.Time, ev *review.AuditEvent) (bool, error) {
	var queue int64
	var l itemLease
	err := tx.QueryRowContext(ctx, `SELECT lease_user_id, lease_until, status, queue_id FROM items WHERE id = ?`, id).
		Scan(&l.user, &l.until, &l.status, &queue)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (queue != queueID || !l.runs(now))) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	holder := l.user.Int64
	if _, err := tx.ExecContext(ctx, `UPDATE items SET lease_user_id = NULL, lease_until = '' WHERE id = ?`, id); err != nil {
		return false, err
	}
	ev.Action, ev.Details = review.ActionItemReleasedByLead, map[string]string{"holder": strconv.FormatInt(holder, 10)}
	return true, closeExposures(ctx, tx, holder, id, now, "lease_end")
}
