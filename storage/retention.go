package storage

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/loupe-review/loupe/review"
)

// retentionFacts reads what the retention policy looks at, for every item
// with media not purged yet (or one item when itemID is not 0), from q: the
// read pool or a write transaction.
func retentionFacts(ctx context.Context, q querier, itemID int64) (map[int64]review.RetentionFacts, map[int64][2]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT i.id, i.external_id, s.name, i.decided_at,
			COALESCE((SELECT d.verdict FROM decisions d WHERE d.item_id = i.id AND d.final = 1 ORDER BY d.id DESC LIMIT 1), ''),
			COALESCE(rc.status, ''), COALESCE(rc.finished_at, '')
		FROM items i JOIN sources s ON s.id = i.source_id
		LEFT JOIN report_items ri ON ri.item_id = i.id
		LEFT JOIN report_cases rc ON rc.id = ri.case_id
		WHERE i.decided_at != '' AND (? = 0 OR i.id = ?)
			AND EXISTS (SELECT 1 FROM media m WHERE m.item_id = i.id AND m.purged_at = '')
		ORDER BY i.id`, itemID, itemID)
	if err != nil {
		return nil, nil, translate(err, "find retention facts")
	}
	facts, names := map[int64]review.RetentionFacts{}, map[int64][2]string{}
	for rows.Next() {
		var id int64
		var ext, source, decided, verdict, status, finished string
		if err := rows.Scan(&id, &ext, &source, &decided, &verdict, &status, &finished); err != nil {
			rows.Close()
			return nil, nil, translate(err, "scan retention facts")
		}
		facts[id] = review.RetentionFacts{Verdict: review.Verdict(verdict), DecidedAt: parseTime(decided), ReportStatus: status, ReportedAt: parseTime(finished)}
		names[id] = [2]string{ext, source}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, translate(err, "find retention facts")
	}
	rows, err = q.QueryContext(ctx, `SELECT item_id, held_until FROM legal_holds WHERE (? = 0 OR item_id = ?)`, itemID, itemID)
	if err != nil {
		return nil, nil, translate(err, "find holds")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var until string
		if err := rows.Scan(&id, &until); err != nil {
			return nil, nil, translate(err, "scan hold")
		}
		if f, ok := facts[id]; ok {
			f.HeldUntil = append(f.HeldUntil, parseTime(until))
			facts[id] = f
		}
	}
	return facts, names, translate(rows.Err(), "find holds")
}

// PurgeCandidates lists the items whose media retention r lets go at now,
// oldest eligible first.
func (db *DB) PurgeCandidates(ctx context.Context, r review.Retention, now time.Time) ([]review.PurgeCandidate, error) {
	facts, names, err := retentionFacts(ctx, db.r, 0)
	if err != nil {
		return nil, err
	}
	var out []review.PurgeCandidate
	for id, f := range facts {
		ok, why, since := r.Purgeable(f, now)
		if !ok {
			continue
		}
		c := review.PurgeCandidate{ItemID: id, ExternalID: names[id][0], Source: names[id][1], Why: why, Since: since}
		if c.MediaIDs, err = db.unpurgedMedia(ctx, id); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b review.PurgeCandidate) int {
		return cmp.Or(a.Since.Compare(b.Since), cmp.Compare(a.ItemID, b.ItemID))
	})
	return out, nil
}

func (db *DB) unpurgedMedia(ctx context.Context, itemID int64) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id FROM media WHERE item_id = ? AND purged_at = '' ORDER BY position`, itemID)
	if err != nil {
		return nil, translate(err, "find media of item %d", itemID)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, translate(err, "scan media")
		}
		ids = append(ids, id)
	}
	return ids, translate(rows.Err(), "find media of item %d", itemID)
}

// PurgeMedia crypto-shreds an item's media: it deletes their wrapped keys
// (with the sealed previews kept beside them) and marks them purged, with one audit entry, in one transaction. It first
// checks again that the item has a final decision, is under no hold at now
// and in no report case still on its way (ErrConflict otherwise), since a
// case may have finished after the candidates were listed. The media rows,
// hashes included, stay: hash lists and reports refer to them. Removing the
// vault files is the caller's, after this commits.
func (db *DB) PurgeMedia(ctx context.Context, itemID int64, mediaIDs []string, why string, now time.Time, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		facts, _, err := retentionFacts(ctx, tx, itemID)
		if err != nil {
			return err
		}
		f, ok := facts[itemID]
		// The periods were checked when listing; a zero policy checks only
		// what may have changed since: the decision, holds and reports.
		if ok {
			ok, _, _ = review.Retention{}.Purgeable(f, now)
		}
		if !ok {
			return fmt.Errorf("storage: purge item %d: no longer eligible: %w", itemID, review.ErrConflict)
		}
		for _, id := range mediaIDs {
			res, err := tx.ExecContext(ctx, `UPDATE media SET purged_at = ? WHERE id = ? AND item_id = ? AND purged_at = ''`, fmtTime(now), id, itemID)
			if err != nil {
				return translate(err, "purge media %s", id)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("storage: purge item %d: media %s is not its or already purged: %w", itemID, id, review.ErrConflict)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM media_objects WHERE media_id = ?`, id); err != nil {
				return translate(err, "shred media %s", id)
			}
		}
		ev.Action, ev.Target = review.ActionMediaPurged, "item:"+strconv.FormatInt(itemID, 10)
		ev.Details = map[string]string{"why": why, "media": strconv.Itoa(len(mediaIDs))}
		return db.appendAudit(ctx, tx, ev)
	})
}

// missingMedia reports media whose original's key is gone although
// retention did not purge it, and held media that is gone at all (purged
// before its hold was placed or extended, or lost). Purged media is not
// missing: its metadata and hashes are all that is meant to remain.
func (db *DB) missingMedia(ctx context.Context) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT m.id, m.item_id, m.purged_at,
			COALESCE((SELECT MAX(h.held_until) FROM legal_holds h WHERE h.item_id = m.item_id AND h.held_until > ?), '')
		FROM media m
		WHERE NOT EXISTS (SELECT 1 FROM media_objects o WHERE o.media_id = m.id AND o.kind = 'original')
		ORDER BY m.item_id, m.position`, fmtTime(db.Now()))
	if err != nil {
		return nil, translate(err, "find missing media")
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var id, purged, heldUntil string
		var itemID int64
		if err := rows.Scan(&id, &itemID, &purged, &heldUntil); err != nil {
			return nil, translate(err, "scan missing media")
		}
		switch {
		case heldUntil != "":
			problems = append(problems, fmt.Sprintf("media %s of item %d is under legal hold until %s but its original is gone", id, itemID, heldUntil))
		case purged == "":
			problems = append(problems, fmt.Sprintf("media %s of item %d has no original and was not purged", id, itemID))
		}
	}
	return problems, translate(rows.Err(), "find missing media")
}
