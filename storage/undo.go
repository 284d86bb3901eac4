package storage

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/loupe-review/loupe/review"
)

// effects are what a decision sends out of Loupe: the platform callback,
// the item's place in a report case, and hashes proposed to a list.
type effects struct {
	decisionID, itemID, sourceID int64
	actor                        string
	callback                     string
	report                       bool
	proposals                    []review.Proposal
}

// applyEffects creates a decision's effects inside tx.
func (db *DB) applyEffects(ctx context.Context, tx *sql.Tx, fx effects, now time.Time) error {
	if err := insertProposals(ctx, tx, fx.decisionID, fx.proposals, fmtTime(now)); err != nil {
		return err
	}
	if fx.report {
		if err := db.joinCase(ctx, tx, fx.itemID, fx.actor, now); err != nil {
			return err
		}
	}
	if fx.callback == "" {
		return nil
	}
	var url string
	if err := tx.QueryRowContext(ctx, `SELECT callback_url FROM sources WHERE id = ?`, fx.sourceID).Scan(&url); err != nil {
		return translate(err, "find callback of source %d", fx.sourceID)
	}
	if url == "" {
		return nil
	}
	return db.enqueue(ctx, tx, review.KindCallback, fx.sourceID, fx.itemID, fx.callback)
}

// priorState is what a decision changes on its item, kept so an undo can
// put it back.
type priorState struct {
	status          string
	queueID         int64
	firstReviewerID sql.NullInt64
	decidedAt       string
	final           []int64
}

// readPrior reads an item's state before a decision changes it, with its
// lease, and locks its row (dialect.forUpdate): what the decision's
// transaction reads of it stays so until it ends.
func (db *DB) readPrior(ctx context.Context, tx *sql.Tx, itemID int64) (priorState, itemLease, error) {
	var p priorState
	var l itemLease
	err := tx.QueryRowContext(ctx, `SELECT lease_user_id, lease_until, status, queue_id, first_reviewer_id, decided_at FROM items WHERE id = ?`+db.d.forUpdate, itemID).
		Scan(&l.user, &l.until, &p.status, &p.queueID, &p.firstReviewerID, &p.decidedAt)
	if err != nil {
		return p, l, translate(err, "read item %d before its decision", itemID)
	}
	l.status = p.status
	rows, err := tx.QueryContext(ctx, `SELECT id FROM decisions WHERE item_id = ? AND final = 1`, itemID)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var id int64
		err := rows.Scan(&id)
		p.final = append(p.final, id)
		return err
	})
	return p, l, translate(err, "read final decisions of item %d", itemID)
}

// holdEffects keeps a decision's effects, and the item's prior state,
// until due.
func holdEffects(ctx context.Context, tx *sql.Tx, fx effects, reviewerID int64, p priorState, due time.Time) error {
	final, _ := json.Marshal(p.final)
	proposals, _ := json.Marshal(fx.proposals)
	_, err := tx.ExecContext(ctx, `INSERT INTO pending_decisions (decision_id, item_id, reviewer_id, actor, due_at, prior_status, prior_queue_id,
		prior_first_reviewer_id, prior_decided_at, prior_final, source_id, callback, report, proposals) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		fx.decisionID, fx.itemID, reviewerID, fx.actor, fmtTime(due), p.status, p.queueID, p.firstReviewerID, p.decidedAt, string(final),
		fx.sourceID, fx.callback, fx.report, string(proposals))
	return translate(err, "hold effects of decision %d", fx.decisionID)
}

const pendingColumns = `decision_id, item_id, reviewer_id, due_at`

func scanPending(row interface{ Scan(...any) error }) (review.PendingDecision, error) {
	var p review.PendingDecision
	var due string
	err := row.Scan(&p.DecisionID, &p.ItemID, &p.ReviewerID, &due)
	p.DueAt = parseTime(due)
	return p, err
}

// FindUndoable returns the reviewer's newest decision still inside its
// undo window at now, or review.ErrNotFound.
func (db *DB) FindUndoable(ctx context.Context, userID int64, now time.Time) (review.PendingDecision, error) {
	// The newest decision is the one whose window ends last (every window
	// is review.UndoWindow long), so it is read alone and its window checked
	// here: with due_at in the query, PostgreSQL planned it again at a third
	// of the calls, and the plan it kept for all of them read every
	// reviewer's pending decisions through pending_decisions_due.
	p, err := scanPending(db.r.QueryRowContext(ctx, `SELECT `+pendingColumns+` FROM pending_decisions
		WHERE reviewer_id = ? ORDER BY decision_id DESC LIMIT 1`, userID))
	if err == nil && !p.DueAt.After(now) {
		err = sql.ErrNoRows
	}
	return p, translate(err, "find undoable decision of user %d", userID)
}

// settleBatch is how many decisions one transaction settles.
const settleBatch = 200

// SettleDecisions applies the held effects of every decision whose undo
// window ended by now, a batch per transaction, and returns how many it
// settled.
func (db *DB) SettleDecisions(ctx context.Context, now time.Time) (int, error) {
	total := 0
	for {
		n, err := db.settleBatch(ctx, now)
		total += n
		if err != nil || n < settleBatch {
			return total, err
		}
	}
}

// settleBatch takes due rows out of pending_decisions and applies their
// effects in the same transaction. The DELETE ... RETURNING claims the
// rows: on PostgreSQL it skips rows another instance is settling (or an
// undo holds), so each decision's effects are applied exactly once.
func (db *DB) settleBatch(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := db.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `DELETE FROM pending_decisions WHERE decision_id IN (
				SELECT decision_id FROM pending_decisions WHERE due_at <= ? ORDER BY decision_id LIMIT ?`+db.d.skipLocked+`)
			RETURNING decision_id, item_id, actor, source_id, callback, report, proposals`, fmtTime(now), settleBatch)
		var due []effects
		err = eachRow(rows, err, func(rows *sql.Rows) error {
			var fx effects
			var proposals string
			if err := rows.Scan(&fx.decisionID, &fx.itemID, &fx.actor, &fx.sourceID, &fx.callback, &fx.report, &proposals); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(proposals), &fx.proposals); err != nil {
				return fmt.Errorf("storage: proposals of decision %d: %w", fx.decisionID, err)
			}
			due = append(due, fx)
			return nil
		})
		if err != nil {
			return translate(err, "settle due decisions")
		}
		slices.SortFunc(due, func(a, b effects) int { return cmp.Compare(a.decisionID, b.decisionID) })
		for _, fx := range due {
			if err := db.applyEffects(ctx, tx, fx, now); err != nil {
				return err
			}
		}
		n = len(due)
		return nil
	})
	return n, err
}

// UndoDecision takes back a decision inside its window (a decision made
// through a cluster, with the members' decisions made with it): the
// decisions and their held effects are deleted, the item returns to the state it had and
// is leased to the reviewer until until, and what the reviewer holds now
// goes back to its queue, with ev in the audit log, in one transaction.
// Someone else working the item since refuses the undo (ErrConflict).
func (db *DB) UndoDecision(ctx context.Context, decisionID, userID int64, now, until time.Time, ev review.AuditEvent) (int64, error) {
	var itemID int64
	err := db.writeDurable(ctx, func(tx *sql.Tx) error {
		// The pending row stays locked until the undo commits, so a settle
		// skips it; one being settled makes this wait and then find it gone.
		p, err := scanPending(tx.QueryRowContext(ctx, `SELECT `+pendingColumns+` FROM pending_decisions WHERE decision_id = ?`+db.d.forUpdate, decisionID))
		if errors.Is(err, sql.ErrNoRows) {
			return settledOrNone(ctx, tx, decisionID, userID)
		}
		if err != nil {
			return translate(err, "find pending decision %d", decisionID)
		}
		if err := review.CheckUndo(p, userID, now); err != nil {
			return err
		}
		itemID = p.ItemID
		group, err := decisionGroup(ctx, tx, decisionID)
		if err != nil {
			return err
		}
		// The reviewer's claims and the items' decisions wait for the undo.
		if err := db.lockUser(ctx, tx, userID); err != nil {
			return err
		}
		items := make([]int64, len(group))
		for i, g := range group {
			items[i] = g.ItemID
		}
		if err := db.lockItems(ctx, tx, items...); err != nil {
			return err
		}
		if err := releaseLeases(ctx, tx, userID, now, "lease_end"); err != nil {
			return err
		}
		for _, g := range group {
			if err := undoOne(ctx, tx, g, userID, now, until); err != nil {
				return err
			}
		}
		ev.Target = review.ItemTarget(p.ItemID)
		return db.appendAudit(ctx, tx, ev)
	})
	return itemID, err
}

// decisionGroup is the decision and, for a decision made through a
// cluster, the other members' decisions made with it that are still
// held, each with its item.
func decisionGroup(ctx context.Context, tx *sql.Tx, decisionID int64) ([]review.PendingDecision, error) {
	rows, err := tx.QueryContext(ctx, `SELECT p.decision_id, p.item_id FROM pending_decisions p JOIN decisions d ON d.id = p.decision_id
		JOIN decisions o ON o.id = ? WHERE d.id = o.id OR (d.cluster_item_id = o.cluster_item_id AND d.reviewer_id = o.reviewer_id AND d.created_at = o.created_at)
		ORDER BY p.decision_id`, decisionID)
	var out []review.PendingDecision
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var p review.PendingDecision
		err := rows.Scan(&p.DecisionID, &p.ItemID)
		out = append(out, p)
		return err
	})
	return out, translate(err, "find decisions made with %d", decisionID)
}

// undoOne takes back one decision of an undo: refused if its item was
// decided again since, else the item is put back and leased to userID.
func undoOne(ctx context.Context, tx *sql.Tx, p review.PendingDecision, userID int64, now, until time.Time) error {
	var later int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM decisions WHERE item_id = ? AND id > ?`, p.ItemID, p.DecisionID).Scan(&later); err != nil {
		return translate(err, "find later decisions")
	}
	if later > 0 {
		return fmt.Errorf("storage: item %d was decided again since: %w", p.ItemID, errTakenSince)
	}
	if err := restoreItem(ctx, tx, p.ItemID, p.DecisionID, userID, now, until); err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM pending_decisions WHERE decision_id = ?`, `DELETE FROM decisions WHERE id = ?`} {
		if _, err := tx.ExecContext(ctx, q, p.DecisionID); err != nil {
			return translate(err, "undo decision %d", p.DecisionID)
		}
	}
	return nil
}

// errTakenSince refuses an undo of an item someone else works on now.
var errTakenSince = fmt.Errorf("someone else has taken this item since; the decision stands: %w", review.ErrConflict)

// settledOrNone explains a decision with nothing held: the reviewer's own
// whose window ended, or none of theirs.
func settledOrNone(ctx context.Context, tx *sql.Tx, decisionID, userID int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM decisions WHERE id = ? AND reviewer_id = ?`, decisionID, userID).Scan(&n); err != nil {
		return translate(err, "find decision %d", decisionID)
	}
	if n > 0 {
		return review.ErrUndoExpired
	}
	return review.CheckUndo(review.PendingDecision{}, userID, time.Time{})
}

// restoreItem puts an item back as it was before a decision and leases it
// to the reviewer; it refuses when another person holds it.
func restoreItem(ctx context.Context, tx *sql.Tx, itemID, decisionID, userID int64, now, until time.Time) error {
	var p priorState
	var final string
	err := tx.QueryRowContext(ctx, `SELECT prior_status, prior_queue_id, prior_first_reviewer_id, prior_decided_at, prior_final FROM pending_decisions WHERE decision_id = ?`, decisionID).
		Scan(&p.status, &p.queueID, &p.firstReviewerID, &p.decidedAt, &final)
	if err != nil {
		return translate(err, "read prior state of item %d", itemID)
	}
	res, err := tx.ExecContext(ctx, `UPDATE items SET status = ?, queue_id = ?, first_reviewer_id = ?, decided_at = ?, lease_user_id = ?, lease_until = ?
		WHERE id = ? AND (lease_user_id IS NULL OR lease_user_id = ? OR lease_until < ?)`,
		p.status, p.queueID, p.firstReviewerID, p.decidedAt, userID, fmtTime(until), itemID, userID, fmtTime(now))
	if err != nil {
		return translate(err, "restore item %d", itemID)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errTakenSince
	}
	_ = json.Unmarshal([]byte(final), &p.final)
	for _, id := range p.final {
		if _, err := tx.ExecContext(ctx, `UPDATE decisions SET final = 1 WHERE id = ?`, id); err != nil {
			return translate(err, "restore decision %d", id)
		}
	}
	return nil
}
