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
	rows, err := db.r.QueryContext(ctx, `SELECT i.id, d.verdict, d.created_at FROM decisions d JOIN items i ON i.id = d.item_id
		WHERE i.source_id = ? AND i.uploader_id = ? AND i.id != ? AND d.final = 1 ORDER BY d.created_at DESC, d.id DESC`,
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
