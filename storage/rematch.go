package storage

import (
	"context"
	"database/sql"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/pdq"
)

// waitingItems restricts i to items still waiting for a decision (the
// status set of the items_claimable index).
const waitingItems = `i.status IN ('queued', 'awaiting_second_review', 'escalated')`

// FindWaitingByHash returns the media of waiting items whose exact hash of
// hashType is one of values, through the media hash indexes.
func (db *DB) FindWaitingByHash(ctx context.Context, hashType string, values []string) ([]review.WaitingMedia, error) {
	if hashType != "sha256" && hashType != "md5" {
		return nil, review.Invalid("hash_type", "must be sha256 or md5")
	}
	if len(values) == 0 {
		return nil, nil
	}
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	rows, err := db.r.QueryContext(ctx, `SELECT m.item_id, m.id, m.`+hashType+` FROM media m JOIN items i ON i.id = m.item_id
		WHERE m.`+hashType+` IN (`+placeholders(len(values))+`) AND `+waitingItems+` ORDER BY m.item_id, m.position`, args...)
	var out []review.WaitingMedia
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var w review.WaitingMedia
		err := rows.Scan(&w.ItemID, &w.MediaID, &w.Hash)
		out = append(out, w)
		return err
	})
	return out, translate(err, "find waiting media by %s", hashType)
}

// EachWaitingPDQ calls fn with each usable PDQ hash of the waiting items'
// media, in one pass.
func (db *DB) EachWaitingPDQ(ctx context.Context, fn func(review.WaitingMedia) error) error {
	rows, err := db.r.QueryContext(ctx, `SELECT m.item_id, m.id, m.pdq FROM items i JOIN media m ON m.item_id = i.id
		WHERE `+waitingItems+` AND m.pdq != '' AND m.pdq_quality >= ?`, pdq.MinQuality)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var w review.WaitingMedia
		if err := rows.Scan(&w.ItemID, &w.MediaID, &w.Hash); err != nil {
			return err
		}
		return fn(w)
	})
	return translate(err, "scan waiting media")
}

// FindWaitingMatches returns the stored matches of waiting items on the
// entries with these ids.
func (db *DB) FindWaitingMatches(ctx context.Context, entryIDs []int64) ([]review.WaitingMatch, error) {
	if len(entryIDs) == 0 {
		return nil, nil
	}
	rows, err := db.r.QueryContext(ctx, `SELECT m.item_id, mm.media_id, mm.list_id, l.name, l.kind, mm.entry_id, mm.hash_type, mm.distance, mm.variant
		FROM media_matches mm JOIN media m ON m.id = mm.media_id JOIN items i ON i.id = m.item_id JOIN hash_lists l ON l.id = mm.list_id
		WHERE mm.entry_id IN (`+placeholders(len(entryIDs))+`) AND `+waitingItems+` ORDER BY m.item_id`, int64Args(entryIDs)...)
	var out []review.WaitingMatch
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var w review.WaitingMatch
		err := rows.Scan(&w.ItemID, &w.MediaID, &w.ListID, &w.List, &w.Kind, &w.EntryID, &w.HashType, &w.Distance, &w.Variant)
		out = append(out, w)
		return err
	})
	return out, translate(err, "find matches of waiting items")
}

// ApplyRematch stores one item's new and removed matches and, when r
// moves it, moves it if it is still queued and held by nobody, with the
// move's audit entry, in one transaction.
func (db *DB) ApplyRematch(ctx context.Context, r review.Rematch) (bool, error) {
	moved := false
	err := db.write(ctx, func(tx *sql.Tx) error {
		for _, m := range r.Remove {
			if _, err := tx.ExecContext(ctx, `DELETE FROM media_matches WHERE media_id = ? AND entry_id = ?`, m.MediaID, m.EntryID); err != nil {
				return translate(err, "remove match of %s", m.MediaID)
			}
		}
		if err := insertMatches(ctx, tx, r.Add); err != nil {
			return err
		}
		if r.Move == nil {
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE items SET queue_id = ?, rule_id = ?, priority = ? WHERE id = ? AND status = 'queued' AND lease_until < ?`,
			r.Move.QueueID, nullID(r.Move.RuleID), r.Move.Priority, r.ItemID, fmtTime(r.Now))
		if err != nil {
			return translate(err, "move item %d", r.ItemID)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // claimed or decided meanwhile: its reviewer sees the new matches
		}
		moved = true
		return db.appendAudit(ctx, tx, r.Event)
	})
	return moved, err
}

// SetRematched advances a list's re-matching cursor to version.
func (db *DB) SetRematched(ctx context.Context, listID, version int64) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE hash_lists SET rematched_version = ? WHERE id = ? AND rematched_version < ?`, version, listID, version)
		return translate(err, "advance re-matching of list %d", listID)
	})
}
