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

// scanItem reads itemColumns, then the columns read into after.
func scanItem(row rowScanner, after ...any) (review.Item, error) {
	var it review.Item
	var status, meta, received, leaseUntil, leasedAt, decidedAt string
	err := row.Scan(append([]any{&it.ID, &it.SourceID, &it.Source, &it.ExternalID, &status, &it.QueueID, &it.Queue, &it.Priority, &it.RuleID, &meta, &received,
		&it.LeaseUserID, &leaseUntil, &leasedAt, &decidedAt, &it.Cluster.ID, &it.Cluster.Distance, &it.Cluster.Match}, after...)...)
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

// findItem reads an item and its media in one query (items are read on
// every request of a review; media in a second query cost a round trip).
func (db *DB) findItem(ctx context.Context, where string, args ...any) (review.Item, error) {
	items, err := collectItems(db.r.QueryContext(ctx, `SELECT `+itemWithMedia+` WHERE `+where+` ORDER BY m.position`, args...))
	if err == nil && len(items) == 0 {
		err = sql.ErrNoRows
	}
	if err != nil {
		return review.Item{}, translate(err, "find item")
	}
	return items[0], nil
}

// itemWithMedia selects items with their media, a row per media (or one
// row with no media) repeating the item, for collectItems.
const itemWithMedia = itemColumns + `, ` + mediaColumnsOrNone + itemFrom + ` LEFT JOIN media m ON m.item_id = i.id`

// collectItems reads itemWithMedia rows, each item's rows together.
func collectItems(rows *sql.Rows, err error) ([]review.Item, error) {
	var out []review.Item
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var m review.Media
		var purged string
		it, err := scanItem(rows, &m.ID, &m.Position, &m.FileName, &m.ContentType, &m.Size, &m.Width, &m.Height, &m.SHA256, &m.MD5, &m.PDQ, &m.PDQQuality, &purged)
		if err != nil {
			return err
		}
		if len(out) == 0 || out[len(out)-1].ID != it.ID {
			out = append(out, it)
		}
		if m.ID != "" {
			m.PurgedAt = parseTime(purged)
			last := &out[len(out)-1]
			last.Media = append(last.Media, m)
		}
		return nil
	})
	return out, err
}

// mediaColumnsOrNone are a media row's columns, zero where a LEFT JOIN
// found none.
const mediaColumnsOrNone = `COALESCE(m.id, ''), COALESCE(m.position, 0), COALESCE(m.file_name, ''), COALESCE(m.content_type, ''), COALESCE(m.size, 0),
	COALESCE(m.width, 0), COALESCE(m.height, 0), COALESCE(m.sha256, ''), COALESCE(m.md5, ''), COALESCE(m.pdq, ''), COALESCE(m.pdq_quality, 0), COALESCE(m.purged_at, '')`

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

// Seed describes a synthetic backlog for load tests and benchmarks.
type Seed struct {
	QueueID, SourceID int64
	Waiting           int     // queued items, each with one media row whose vault objects do not exist
	Decided           int     // items decided a week ago by Reviewers, each with its decision and reveal
	Reviewers         []int64 // who decided them, in turn (needed when Decided > 0)
	Prefix            string  // of external ids
}

// SeedItems inserts a synthetic backlog quickly, a transaction per
// seedBatch items; nothing but load tests and benchmarks calls it. The
// decided items give decisions and reveals the size of a deployment with a
// past. Call Settle when the setup is done.
func (db *DB) SeedItems(ctx context.Context, s Seed) error {
	for from := 0; from < s.Waiting+s.Decided; from += seedBatch {
		if err := db.seedItems(ctx, s, from, min(s.Waiting+s.Decided, from+seedBatch)); err != nil {
			return translate(err, "seed items")
		}
	}
	return nil
}

// Settle, for benchmarks, does at the end of their setup what the
// database would otherwise do in the middle of what they measure: on
// PostgreSQL it vacuums and analyzes every table and takes a checkpoint.
// Planned for empty tables, claims scanned the whole backlog; a first
// vacuum of a million fresh rows rewrote every page; and each analyze of a
// table that grew from nothing (users and sessions made in the setup, too)
// made every connection plan its statements again at once.
func (db *DB) Settle(ctx context.Context) error {
	if db.d.name != postgresDialect.name {
		return nil
	}
	if _, err := db.w.ExecContext(ctx, `VACUUM (ANALYZE)`); err != nil {
		return translate(err, "vacuum")
	}
	_, err := db.w.ExecContext(ctx, `CHECKPOINT`)
	return translate(err, "checkpoint")
}

const seedBatch = 100_000

// seedItems inserts the items numbered from to to-1: the first s.Waiting
// wait, the rest are decided.
func (db *DB) seedItems(ctx context.Context, s Seed, from, to int) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		items, err := tx.PrepareContext(ctx, `INSERT INTO items (source_id, external_id, status, queue_id, priority, uploader_id, metadata, received_at, decided_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
		if err != nil {
			return err
		}
		defer items.Close()
		media, err := tx.PrepareContext(ctx, `INSERT INTO media (id, item_id, position, content_type, size, width, height, sha256, md5) VALUES (?, ?, 0, 'image/jpeg', 1, 1000, 1000, '', '')`)
		if err != nil {
			return err
		}
		defer media.Close()
		decision, err := tx.PrepareContext(ctx, `INSERT INTO decisions (item_id, reviewer_id, kind, verdict, seconds, final, created_at) VALUES (?, ?, 'first', 'not_violating', 20, 1, ?)`)
		if err != nil {
			return err
		}
		defer decision.Close()
		exposure, err := tx.PrepareContext(ctx, `INSERT INTO exposures (reviewer_id, item_id, media_id, rendition, region_fraction, started_at, cap_at, ended_at, seconds, closed_by)
			VALUES (?, ?, ?, 'grey', 1, ?, ?, ?, 5, 'decision')`)
		if err != nil {
			return err
		}
		defer exposure.Close()
		now, past := fmtTime(db.Now()), fmtTime(db.Now().AddDate(0, 0, -7))
		for i := from; i < to; i++ {
			ext := fmt.Sprintf("%s-%d", s.Prefix, i)
			// 5,000 uploaders, a run of 100 items each, one of every
			// priority: the items claimed first (priority 99) come from
			// every uploader in turn. (With uploader i%5000 they all came
			// from 50 uploaders, whose history, read by every review page,
			// grew by a few hundred decisions a run.)
			uploader := (i / 100) % 5000
			meta := fmt.Sprintf(`{"external_id":%q,"uploader":{"account_id":"acct-%d"}}`, ext, uploader)
			status, decidedAt := "queued", ""
			if i >= s.Waiting {
				status, decidedAt = "decided", past
			}
			var id int64
			if err := items.QueryRowContext(ctx, s.SourceID, ext, status, s.QueueID, i%100, fmt.Sprintf("acct-%d", uploader), meta, now, decidedAt).Scan(&id); err != nil {
				return translate(err, "seed item %d", i)
			}
			mediaID := fmt.Sprintf("%sm%d", s.Prefix, i)
			if _, err := media.ExecContext(ctx, mediaID, id); err != nil {
				return translate(err, "seed media %d", i)
			}
			if decidedAt == "" {
				continue
			}
			by := s.Reviewers[i%len(s.Reviewers)]
			if _, err := decision.ExecContext(ctx, id, by, past); err != nil {
				return translate(err, "seed decision %d", i)
			}
			if _, err := exposure.ExecContext(ctx, by, id, mediaID, past, past, past); err != nil {
				return translate(err, "seed reveal %d", i)
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
