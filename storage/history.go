package storage

import (
	"context"

	"github.com/loupe-review/loupe/review"
)

// FindUploaderHistory reads the final verdicts on other items of the same
// uploader (source and account). The review screen and the item page both
// show it, so they cannot disagree.
func (db *DB) FindUploaderHistory(ctx context.Context, it review.Item) (review.UploaderHistory, error) {
	h := review.UploaderHistory{Counts: map[review.Verdict]int{}}
	if it.Metadata.Uploader == nil || it.Metadata.Uploader.AccountID == "" {
		return h, nil
	}
	// Only decided items are visited (items_uploader_decided), and each
	// looks its final decision up by index (a scalar subquery is run per item
	// by both engines): joined, PostgreSQL read all of decisions while it
	// was small, at milliseconds a page.
	const final = `FROM decisions d WHERE d.item_id = i.id AND d.final = 1 ORDER BY d.id DESC LIMIT 1`
	rows, err := db.r.QueryContext(ctx, `SELECT id, verdict, at FROM (SELECT i.id, (SELECT d.verdict `+final+`) AS verdict, (SELECT d.created_at `+final+`) AS at
		FROM items i WHERE i.source_id = ? AND i.uploader_id = ? AND i.decided_at != '' AND i.id != ?) h WHERE verdict IS NOT NULL ORDER BY at DESC, id DESC`,
		it.SourceID, it.Metadata.Uploader.AccountID, it.ID)
	if err != nil {
		return h, translate(err, "uploader history")
	}
	defer rows.Close()
	for rows.Next() {
		var e review.EarlierItem
		var v, at string
		if err := rows.Scan(&e.ItemID, &v, &at); err != nil {
			return h, translate(err, "scan uploader history")
		}
		e.Verdict, e.DecidedAt = review.Verdict(v), parseTime(at)
		h.Counts[e.Verdict]++
		if len(h.Items) < review.HistoryItems {
			h.Items = append(h.Items, e)
		}
	}
	return h, translate(rows.Err(), "uploader history")
}

// UploaderHistory counts the final verdicts of FindUploaderHistory.
func (db *DB) UploaderHistory(ctx context.Context, it review.Item) (map[review.Verdict]int, error) {
	h, err := db.FindUploaderHistory(ctx, it)
	return h.Counts, err
}
