package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/loupe-review/loupe/review"
)

// CreateItem stores an item, its media and their stored objects with ev.
// The item joins the cluster of its first cluster candidate still waiting
// for a first review in its queue; on return, it.ClusterCandidates holds
// the candidates it found no longer waiting.
func (db *DB) CreateItem(ctx context.Context, it review.Item, objects map[string]review.MediaObjects, ev review.AuditEvent) (review.Item, error) {
	meta, err := json.Marshal(it.Metadata)
	if err != nil {
		return it, fmt.Errorf("storage: encode metadata: %w", err)
	}
	it.ReceivedAt = db.Now().UTC()
	uploader, name := "", ""
	if u := it.Metadata.Uploader; u != nil {
		uploader, name = u.AccountID, u.ScreenName
	}
	err = db.writeDurable(ctx, func(tx *sql.Tx) error {
		var rule, cluster any
		if it.RuleID != 0 {
			rule = it.RuleID
		}
		if err := db.joinCluster(ctx, tx, &it); err != nil {
			return err
		}
		if it.Cluster.ID != 0 {
			cluster = it.Cluster.ID
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO items (source_id, external_id, status, queue_id, priority, rule_id, uploader_id, uploader_name, metadata, received_at,
				cluster_id, cluster_distance, cluster_match)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			it.SourceID, it.ExternalID, string(it.Status), it.QueueID, it.Priority, rule, uploader, name, string(meta), fmtTime(it.ReceivedAt),
			cluster, it.Cluster.Distance, it.Cluster.Match).Scan(&it.ID)
		if err != nil {
			return translate(err, "create item %s", it.ExternalID)
		}
		for _, m := range it.Media {
			if err := insertMedia(ctx, tx, it.ID, m, objects[m.ID]); err != nil {
				return err
			}
		}
		if err := insertMatches(ctx, tx, it.Matches); err != nil {
			return err
		}
		ev.Target = "item:" + strconv.FormatInt(it.ID, 10)
		return db.appendAudit(ctx, tx, ev)
	})
	return it, err
}

func insertMedia(ctx context.Context, tx *sql.Tx, itemID int64, m review.Media, objects review.MediaObjects) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO media (id, item_id, position, file_name, content_type, size, width, height, sha256, md5, pdq, pdq_quality)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, itemID, m.Position, m.FileName, m.ContentType, m.Size, m.Width, m.Height, m.SHA256, m.MD5, m.PDQ, m.PDQQuality)
	if err != nil {
		return translate(err, "create media %s", m.ID)
	}
	for kind, o := range objects {
		if _, err := tx.ExecContext(ctx, `INSERT INTO media_objects (media_id, kind, wrapped_key, sealed) VALUES (?, ?, ?, ?)`, m.ID, string(kind), o.Key, o.Sealed); err != nil {
			return translate(err, "store key of %s %s", m.ID, kind)
		}
	}
	return nil
}

const itemColumns = `i.id, i.source_id, s.name, i.external_id, i.status, i.queue_id, q.name, i.priority, COALESCE(i.rule_id, 0), i.metadata, i.received_at,
	COALESCE(i.lease_user_id, 0), i.lease_until, i.leased_at, i.decided_at, COALESCE(i.cluster_id, 0), i.cluster_distance, i.cluster_match`
const itemFrom = ` FROM items i JOIN sources s ON s.id = i.source_id JOIN queues q ON q.id = i.queue_id`

func scanItem(row rowScanner) (review.Item, error) {
	var it review.Item
	var status, meta, received, leaseUntil, leasedAt, decidedAt string
	err := row.Scan(&it.ID, &it.SourceID, &it.Source, &it.ExternalID, &status, &it.QueueID, &it.Queue, &it.Priority, &it.RuleID, &meta, &received,
		&it.LeaseUserID, &leaseUntil, &leasedAt, &decidedAt, &it.Cluster.ID, &it.Cluster.Distance, &it.Cluster.Match)
	if err != nil {
		return it, err
	}
	it.Status, it.ReceivedAt = review.ItemStatus(status), parseTime(received)
	it.LeaseUntil, it.LeasedAt, it.DecidedAt = parseTime(leaseUntil), parseTime(leasedAt), parseTime(decidedAt)
	if err := json.Unmarshal([]byte(meta), &it.Metadata); err != nil {
		return it, fmt.Errorf("decode metadata of item %d: %w", it.ID, err)
	}
	return it, nil
}

// FindItemByID returns an item with its media, or review.ErrNotFound.
func (db *DB) FindItemByID(ctx context.Context, id int64) (review.Item, error) {
	return db.findItem(ctx, `i.id = ?`, id)
}

// FindItemByExternalID returns a source's item by the id the source gave it.
func (db *DB) FindItemByExternalID(ctx context.Context, sourceID int64, externalID string) (review.Item, error) {
	return db.findItem(ctx, `i.source_id = ? AND i.external_id = ?`, sourceID, externalID)
}

func (db *DB) findItem(ctx context.Context, where string, args ...any) (review.Item, error) {
	it, err := scanItem(db.r.QueryRowContext(ctx, `SELECT `+itemColumns+itemFrom+` WHERE `+where, args...))
	if err != nil {
		return it, translate(err, "find item")
	}
	it.Media, err = db.findMedia(ctx, it.ID)
	return it, err
}

func (db *DB) findMedia(ctx context.Context, itemID int64) ([]review.Media, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, position, file_name, content_type, size, width, height, sha256, md5, pdq, pdq_quality, purged_at
		FROM media WHERE item_id = ? ORDER BY position`, itemID)
	if err != nil {
		return nil, translate(err, "find media of item %d", itemID)
	}
	defer rows.Close()
	var out []review.Media
	for rows.Next() {
		var m review.Media
		var purged string
		if err := rows.Scan(&m.ID, &m.Position, &m.FileName, &m.ContentType, &m.Size, &m.Width, &m.Height, &m.SHA256, &m.MD5, &m.PDQ, &m.PDQQuality, &purged); err != nil {
			return nil, translate(err, "scan media")
		}
		m.PurgedAt = parseTime(purged)
		out = append(out, m)
	}
	return out, translate(rows.Err(), "find media of item %d", itemID)
}

// FindObject returns one stored object of a media.
func (db *DB) FindObject(ctx context.Context, mediaID string, kind review.MediaKind) (review.StoredObject, error) {
	var o review.StoredObject
	err := db.r.QueryRowContext(ctx, `SELECT wrapped_key, sealed FROM media_objects WHERE media_id = ? AND kind = ?`, mediaID, string(kind)).Scan(&o.Key, &o.Sealed)
	return o, translate(err, "find %s of media %s", kind, mediaID)
}

// FindItemByMediaID returns the item a media belongs to.
func (db *DB) FindItemByMediaID(ctx context.Context, mediaID string) (review.Item, error) {
	return db.findItem(ctx, `i.id = (SELECT item_id FROM media WHERE id = ?)`, mediaID)
}

// SeedItems inserts n synthetic queued items, each with one media row
// whose vault objects do not exist, in one transaction. It is for load
// tests and benchmarks that need a large backlog quickly; nothing else
// calls it. On PostgreSQL it then refreshes the planner's statistics, which
// autovacuum would only do later: planned for the empty tables, claims
// scanned the whole backlog.
func (db *DB) SeedItems(ctx context.Context, queueID, sourceID int64, n int, prefix string) error {
	err := db.seedItems(ctx, queueID, sourceID, n, prefix)
	if err == nil && db.d.name == postgresDialect.name {
		_, err = db.w.ExecContext(ctx, `ANALYZE items, media`)
	}
	return translate(err, "seed items")
}

func (db *DB) seedItems(ctx context.Context, queueID, sourceID int64, n int, prefix string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		items, err := tx.PrepareContext(ctx, `INSERT INTO items (source_id, external_id, status, queue_id, priority, uploader_id, metadata, received_at)
			VALUES (?, ?, 'queued', ?, ?, ?, ?, ?) RETURNING id`)
		if err != nil {
			return err
		}
		defer items.Close()
		media, err := tx.PrepareContext(ctx, `INSERT INTO media (id, item_id, position, content_type, size, width, height, sha256, md5) VALUES (?, ?, 0, 'image/jpeg', 1, 1000, 1000, '', '')`)
		if err != nil {
			return err
		}
		defer media.Close()
		now := fmtTime(db.Now())
		for i := range n {
			ext := fmt.Sprintf("%s-%d", prefix, i)
			meta := fmt.Sprintf(`{"external_id":%q,"uploader":{"account_id":"acct-%d"}}`, ext, i%5000)
			var id int64
			if err := items.QueryRowContext(ctx, sourceID, ext, queueID, i%100, fmt.Sprintf("acct-%d", i%5000), meta, now).Scan(&id); err != nil {
				return translate(err, "seed item %d", i)
			}
			if _, err := media.ExecContext(ctx, fmt.Sprintf("%sm%d", prefix, i), id); err != nil {
				return translate(err, "seed media %d", i)
			}
		}
		return nil
	})
}

// AddObject records (or replaces) a rendition made after ingest.
func (db *DB) AddObject(ctx context.Context, mediaID string, kind review.MediaKind, o review.StoredObject) error {
	return db.exec(ctx, "add object", `INSERT INTO media_objects (media_id, kind, wrapped_key, sealed) VALUES (?, ?, ?, ?)
		ON CONFLICT (media_id, kind) DO UPDATE SET wrapped_key = excluded.wrapped_key, sealed = excluded.sealed`, mediaID, string(kind), o.Key, o.Sealed)
}
