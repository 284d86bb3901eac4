package storage

import (
	"context"
	"database/sql"

	"github.com/loupe-review/loupe/review"
)

// FindClusterStats lists a queue's clusters with two or more members
// waiting (held or not), largest first.
func (db *DB) FindClusterStats(ctx context.Context, q review.Queue) (review.ClusterStats, error) {
	st := review.ClusterStats{Queue: q}
	rows, err := db.r.QueryContext(ctx, `SELECT cluster_id, COUNT(*) FROM items
		WHERE queue_id = ? AND `+claimable+` AND cluster_id IS NOT NULL
		GROUP BY cluster_id HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC, cluster_id`, q.ID)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var c review.ClusterSize
		err := rows.Scan(&c.ID, &c.Members)
		st.Clusters = append(st.Clusters, c)
		return err
	})
	return st, translate(err, "find clusters of queue %d", q.ID)
}

// countDecidedWithoutLook counts the final decisions on a queue's items
// made with a cluster (through another item) or by automation, on items
// nobody revealed (a download in an export bundle is not a look either).
func (db *DB) countDecidedWithoutLook(ctx context.Context, queueID int64) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM decisions d JOIN items i ON i.id = d.item_id
		WHERE i.queue_id = ? AND d.final = 1
			AND (d.kind = 'automated' OR (d.cluster_item_id IS NOT NULL AND d.cluster_item_id != d.item_id))
			AND NOT EXISTS (SELECT 1 FROM exposures e WHERE e.item_id = d.item_id AND e.rendition != 'download')`, queueID).Scan(&n)
	return n, translate(err, "count decisions without a look in queue %d", queueID)
}
