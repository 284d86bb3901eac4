package storage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/loupe-review/loupe/review"
)

// joinCluster puts a new item into the cluster of its first candidate
// still waiting for a first review in its queue (the candidate becomes
// the cluster's first item if it was in none), and leaves in
// it.ClusterCandidates the candidates that no longer wait. The other
// candidates' clusters, and candidates in none, are merged into it when
// nobody holds any of their items: copies that arrived at the same moment,
// or that each missed the other by a few bits, started clusters of their
// own, and the new item shows they are one picture.
func (db *DB) joinCluster(ctx context.Context, tx *sql.Tx, it *review.Item) error {
	if len(it.ClusterCandidates) == 0 {
		return nil
	}
	ids := make([]any, len(it.ClusterCandidates))
	for i, c := range it.ClusterCandidates {
		ids[i] = c.ItemID
	}
	// By id alone, so that the primary key is used: with the queue and
	// status in the WHERE clause SQLite read the queue's waiting items.
	roots := map[int64]sql.NullInt64{} // the candidates still waiting, by id
	rows, err := tx.QueryContext(ctx, `SELECT id, cluster_id, queue_id, status FROM items WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`+db.d.forUpdate, ids...)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var id, queue int64
		var root sql.NullInt64
		var status string
		err := rows.Scan(&id, &root, &queue, &status)
		if queue == it.QueueID && status == string(review.StatusQueued) {
			roots[id] = root
		}
		return err
	})
	if err != nil {
		return translate(err, "check cluster candidates")
	}
	var stale []review.ClusterCandidate
	for _, c := range it.ClusterCandidates {
		root, waiting := roots[c.ItemID]
		alone := !root.Valid
		switch {
		case !waiting:
			stale = append(stale, c)
			continue
		case alone:
			root.Int64 = c.ItemID
		}
		if it.Cluster.ID == 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE items SET cluster_id = ? WHERE id = ? AND cluster_id IS NULL`, root.Int64, c.ItemID); err != nil {
				return translate(err, "start cluster %d", c.ItemID)
			}
			it.Cluster = review.ClusterLink{ID: root.Int64, Distance: c.Distance, Match: c.Match}
			continue
		}
		if root.Int64 != it.Cluster.ID {
			if err := db.mergeCluster(ctx, tx, it.QueueID, root.Int64, it.Cluster.ID, alone); err != nil {
				return err
			}
			// The rest of that cluster is in this one now.
			for id, r := range roots {
				if r.Valid && r.Int64 == root.Int64 || id == root.Int64 {
					roots[id] = sql.NullInt64{Int64: it.Cluster.ID, Valid: true}
				}
			}
		}
	}
	it.ClusterCandidates = stale
	return nil
}

// mergeCluster moves the waiting items of cluster from (or item from, in
// none, when alone) into cluster into, unless someone holds one of them.
// Each query names one column (cluster_id or id), so that its index is
// used: with an OR, SQLite read the queue's waiting items.
func (db *DB) mergeCluster(ctx context.Context, tx *sql.Tx, queueID, from, into int64, alone bool) error {
	col := "cluster_id"
	if alone {
		col = "id"
	}
	var held int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM items WHERE `+col+` = ? AND queue_id = ? AND `+claimable+` AND lease_until >= ?`,
		from, queueID, fmtTime(db.Now())).Scan(&held)
	if err != nil || held > 0 {
		return translate(err, "check cluster %d", from)
	}
	_, err = tx.ExecContext(ctx, `UPDATE items SET cluster_id = ? WHERE `+col+` = ? AND queue_id = ? AND status = 'queued'`, into, from, queueID)
	return translate(err, "merge cluster %d into %d", from, into)
}

// FindClusterMedia returns the one file of each single-file item of the
// queue waiting for a first review whose id is in (after, upTo], upTo being
// the highest item id when it read. From 0, it reads the queue through its
// index; after that, the newest items by id (the queue's index is kept out
// of the plan with "+ 0", which would read the whole queue every time).
func (db *DB) FindClusterMedia(ctx context.Context, queueID, after int64) ([]review.ClusterMedia, int64, error) {
	var upTo int64
	if err := db.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM items`).Scan(&upTo); err != nil {
		return nil, 0, translate(err, "find newest item")
	}
	where := `i.queue_id = ? AND i.status = 'queued' AND i.id > ? AND i.id <= ?`
	if after > 0 {
		where = `i.queue_id + 0 = ? AND i.status || '' = 'queued' AND i.id > ? AND i.id <= ?`
	}
	rows, err := db.r.QueryContext(ctx, `SELECT i.id, m.sha256, m.pdq, m.pdq_quality FROM items i JOIN media m ON m.item_id = i.id AND m.position = 0
		WHERE `+where+` AND NOT EXISTS (SELECT 1 FROM media n WHERE n.item_id = i.id AND n.position > 0) ORDER BY i.id`, queueID, after, upTo)
	var out []review.ClusterMedia
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var m review.ClusterMedia
		err := rows.Scan(&m.ItemID, &m.SHA256, &m.PDQ, &m.Quality)
		out = append(out, m)
		return err
	})
	return out, upTo, translate(err, "find cluster media of queue %d", queueID)
}

// heldMembers lists the ids of the items of itemID's cluster that userID
// holds at now (itemID among them, if held), representative first:
// highest PDQ quality, then largest image, then lowest id. Read by holder
// and checked here (see itemlease.go).
func heldMembers(ctx context.Context, q querier, itemID, userID int64, now time.Time) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT i.id, i.lease_until, i.status FROM items i LEFT JOIN media m ON m.item_id = i.id AND m.position = 0
		WHERE i.lease_user_id = ? AND (i.id = ? OR i.cluster_id = (SELECT cluster_id FROM items WHERE id = ?))
		ORDER BY COALESCE(m.pdq_quality, 0) DESC, COALESCE(m.width * m.height, 0) DESC, i.id`, userID, itemID, itemID)
	ids, _, err := collectHeld(rows, err, userID, now)
	return ids, translate(err, "find cluster of item %d", itemID)
}

// collectIDs reads rows of one integer column.
func collectIDs(rows *sql.Rows, err error) ([]int64, error) {
	var ids []int64
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var id int64
		err := rows.Scan(&id)
		ids = append(ids, id)
		return err
	})
	return ids, err
}

// querier is what both *sql.DB and *sql.Tx offer for reading.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// FindClusterMembers returns the items of itemID's cluster that userID
// holds at now, representative first.
func (db *DB) FindClusterMembers(ctx context.Context, itemID, userID int64, now time.Time) ([]review.Item, error) {
	ids, err := heldMembers(ctx, db.r, itemID, userID, now)
	if err != nil {
		return nil, err
	}
	out := make([]review.Item, 0, len(ids))
	for _, id := range ids {
		it, err := db.FindItemByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

// claimed is the item a claim leased: what leaseCluster needs of it.
type claimed struct {
	id, queueID int64
	cluster     sql.NullInt64
	status      string
}

// leaseCluster leases to userID, with the lease of the item it claimed,
// the other members of that item's cluster waiting in the same queue and
// state (not those this person gave a first review), and returns the
// cluster's representative. Members another claim has locked are skipped,
// so two claims never wait on each other.
func (db *DB) leaseCluster(ctx context.Context, tx *sql.Tx, c claimed, userID int64, now, until time.Time) (int64, error) {
	itemID, cluster, queueID, status := c.id, c.cluster, c.queueID, c.status
	if !cluster.Valid {
		return itemID, nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE items SET lease_user_id = ?, lease_until = ?, leased_at = ?
		WHERE id IN (SELECT id FROM items WHERE cluster_id = ? AND queue_id = ? AND status = ? AND lease_until < ? AND first_reviewer_id IS DISTINCT FROM ?`+db.d.skipLocked+`)
			AND lease_until < ?`,
		userID, fmtTime(until), fmtTime(now), cluster.Int64, queueID, status, fmtTime(now), userID, fmtTime(now))
	if err != nil {
		return 0, translate(err, "lease cluster %d", cluster.Int64)
	}
	ids, err := heldMembers(ctx, tx, itemID, userID, now)
	if err != nil || len(ids) == 0 {
		return itemID, err
	}
	return ids[0], nil
}

// errNotInCluster refuses to take out an item that is not in a cluster
// the reviewer holds with at least one other member.
var errNotInCluster = fmt.Errorf("that item is not in a cluster you are deciding: %w", review.ErrConflict)

// SplitCluster takes a member that userID holds out of its cluster before
// the decision: it leaves the cluster and goes back to its queue, their
// open reveals of it close, and ev is recorded. A cluster whose first
// item leaves is renamed after its lowest remaining id, so the item
// cannot bring the others back by starting a cluster of its own.
func (db *DB) SplitCluster(ctx context.Context, itemID, userID int64, now time.Time, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		ids, err := heldMembers(ctx, tx, itemID, userID, now)
		if err != nil {
			return err
		}
		if len(ids) < 2 || !slices.Contains(ids, itemID) {
			return errNotInCluster
		}
		if err := db.lockItems(ctx, tx, ids...); err != nil {
			return err
		}
		var cluster int64
		if err := tx.QueryRowContext(ctx, `SELECT cluster_id FROM items WHERE id = ?`, itemID).Scan(&cluster); err != nil {
			return translate(err, "read cluster of item %d", itemID)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE items SET cluster_id = NULL, cluster_distance = 0, cluster_match = '', lease_user_id = NULL, lease_until = ''
			WHERE id = ?`, itemID); err != nil {
			return translate(err, "take item %d out of cluster %d", itemID, cluster)
		}
		if cluster == itemID {
			if _, err := tx.ExecContext(ctx, `UPDATE items SET cluster_id = (SELECT MIN(id) FROM items WHERE cluster_id = ?) WHERE cluster_id = ?`, cluster, cluster); err != nil {
				return translate(err, "rename cluster %d", cluster)
			}
		}
		if err := closeExposures(ctx, tx, userID, itemID, now, "lease_end"); err != nil {
			return err
		}
		ev.Details = map[string]string{"cluster": strconv.FormatInt(cluster, 10)}
		return db.appendAudit(ctx, tx, ev)
	})
}

// RecordDecisions commits the decisions of a cluster's members, each as
// RecordDecision would, in one transaction (their items locked in id
// order first, so two such transactions cannot deadlock).
func (db *DB) RecordDecisions(ctx context.Context, recs []review.DecisionRecord) ([]review.Decision, error) {
	out := make([]review.Decision, 0, len(recs))
	err := db.writeDurable(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		ids := make([]int64, len(recs))
		for i, rec := range recs {
			ids[i] = rec.Decision.ItemID
		}
		if err := db.lockItems(ctx, tx, ids...); err != nil {
			return err
		}
		for _, rec := range recs {
			d, err := db.recordDecision(ctx, tx, rec)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}
