package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/hashlist"
)

const proposalColumns = `p.id, p.list_id, l.name, p.item_id, p.decision_id, p.reviewer_id, p.hash_type, p.value, p.category, p.status, p.decided_by, p.created_at`

// insertProposals stores a decision's proposals inside its transaction.
func insertProposals(ctx context.Context, tx *sql.Tx, decisionID int64, ps []review.Proposal, now string) error {
	for _, p := range ps {
		_, err := tx.ExecContext(ctx, `INSERT INTO hash_proposals (list_id, item_id, decision_id, reviewer_id, hash_type, value, category, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ListID, p.ItemID, decisionID, p.ReviewerID, p.HashType, p.Value, p.Category, now)
		if err != nil {
			return translate(err, "propose %s", p.Value)
		}
	}
	return nil
}

// FindProposals lists a list's proposals with a status, oldest first.
func (db *DB) FindProposals(ctx context.Context, listID int64, status string) ([]review.Proposal, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+proposalColumns+` FROM hash_proposals p JOIN hash_lists l ON l.id = p.list_id
		WHERE p.list_id = ? AND p.status = ? ORDER BY p.id`, listID, status)
	if err != nil {
		return nil, translate(err, "find proposals")
	}
	defer rows.Close()
	var out []review.Proposal
	for rows.Next() {
		var p review.Proposal
		var created string
		if err := rows.Scan(&p.ID, &p.ListID, &p.List, &p.ItemID, &p.DecisionID, &p.ReviewerID, &p.HashType, &p.Value, &p.Category, &p.Status, &p.DecidedBy, &created); err != nil {
			return nil, translate(err, "scan proposal")
		}
		p.CreatedAt = parseTime(created)
		out = append(out, p)
	}
	return out, translate(rows.Err(), "find proposals")
}

// DecideProposals approves or rejects pending proposals of a list in one
// transaction. The approver must not be the reviewer who made the decision
// behind any of them (ErrForbidden, and nothing changes).
func (db *DB) DecideProposals(ctx context.Context, listID int64, ids []int64, approve bool, actor review.User, ev review.AuditEvent) ([]review.HashEntry, error) {
	var added []review.HashEntry
	err := db.write(ctx, func(tx *sql.Tx) error {
		now := fmtTime(db.Now())
		var v int64
		for _, id := range ids {
			var p review.Proposal
			err := tx.QueryRowContext(ctx, `SELECT item_id, reviewer_id, hash_type, value, category FROM hash_proposals WHERE id = ? AND list_id = ? AND status = 'pending'`+db.d.forUpdate, id, listID).
				Scan(&p.ItemID, &p.ReviewerID, &p.HashType, &p.Value, &p.Category)
			if err != nil {
				return translate(err, "find pending proposal %d", id)
			}
			if p.ReviewerID == actor.ID {
				return fmt.Errorf("proposal %d comes from your own decision; another lead must decide it: %w", id, review.ErrForbidden)
			}
			status := "rejected"
			if approve {
				status = "approved"
				if v == 0 {
					if v, err = bumpVersion(ctx, tx, listID); err != nil {
						return err
					}
				}
				e, err := upsertEntry(ctx, tx, listID, v, p.ItemID, hashlist.Entry{Type: hashlist.HashType(p.HashType), Value: p.Value, Category: p.Category, Source: hashlist.SourceDecision}, actor.Email, now)
				if err != nil {
					return err
				}
				added = append(added, e)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE hash_proposals SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?`, status, actor.Email, now, id); err != nil {
				return translate(err, "decide proposal %d", id)
			}
		}
		if v != 0 {
			if err := db.notifyHashList(ctx, tx, listID); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, ev)
	})
	return added, err
}

// withdrawProposals withdraws an item's pending proposals (its decision
// was overturned) inside tx.
func withdrawProposals(ctx context.Context, tx *sql.Tx, itemID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE hash_proposals SET status = 'withdrawn' WHERE item_id = ? AND status = 'pending'`, itemID)
	return translate(err, "withdraw proposals of item %d", itemID)
}

// insertMatches stores the hash-list matches of one media.
func insertMatches(ctx context.Context, tx *sql.Tx, ms []review.MediaMatch) error {
	for _, m := range ms {
		_, err := tx.ExecContext(ctx, `INSERT INTO media_matches (media_id, list_id, entry_id, hash_type, distance, variant) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			m.MediaID, m.ListID, m.EntryID, m.HashType, m.Distance, m.Variant)
		if err != nil {
			return translate(err, "store match of %s", m.MediaID)
		}
	}
	return nil
}

// FindMatches lists the hash-list matches of an item's media.
func (db *DB) FindMatches(ctx context.Context, itemID int64) ([]review.MediaMatch, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT mm.media_id, mm.list_id, l.name, l.kind, mm.entry_id, COALESCE(NULLIF(e.category, ''), l.category), mm.hash_type, mm.distance, mm.variant
		FROM media_matches mm JOIN media m ON m.id = mm.media_id JOIN hash_lists l ON l.id = mm.list_id JOIN hash_entries e ON e.id = mm.entry_id
		WHERE m.item_id = ? ORDER BY l.kind, mm.distance, l.name`, itemID)
	if err != nil {
		return nil, translate(err, "find matches of item %d", itemID)
	}
	defer rows.Close()
	var out []review.MediaMatch
	for rows.Next() {
		var m review.MediaMatch
		if err := rows.Scan(&m.MediaID, &m.ListID, &m.List, &m.Kind, &m.EntryID, &m.Category, &m.HashType, &m.Distance, &m.Variant); err != nil {
			return nil, translate(err, "scan match")
		}
		out = append(out, m)
	}
	return out, translate(rows.Err(), "find matches")
}
