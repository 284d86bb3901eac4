package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/loupe-review/loupe/review"
)

const queueColumns = `id, name, description, taxonomy, sla_hours, reveal_policy, required_reviews, reportable, paused, created_at, COALESCE(propose_list_id, 0), qa_percent,
	cluster_threshold, require_view_for_report`

// scanQueue reads queueColumns, then the columns read into after.
func scanQueue(row rowScanner, after ...any) (review.Queue, error) {
	var q review.Queue
	var taxonomy, policy, created string
	if err := row.Scan(append([]any{&q.ID, &q.Name, &q.Description, &taxonomy, &q.SLAHours, &policy, &q.RequiredReviews, &q.Reportable, &q.Paused, &created, &q.ProposeListID, &q.QAPercent,
		&q.ClusterThreshold, &q.RequireViewForReport}, after...)...); err != nil {
		return q, err
	}
	q.CreatedAt = parseTime(created)
	if err := json.Unmarshal([]byte(taxonomy), &q.Taxonomy); err != nil || len(q.Taxonomy) == 0 {
		q.Taxonomy = review.DefaultTaxonomy
	}
	if err := json.Unmarshal([]byte(policy), &q.Policy); err != nil || q.Policy.ReblurSeconds == 0 {
		q.Policy = review.DefaultPolicy
	}
	return q, nil
}

func queueArgs(q review.Queue) (string, string) {
	t, _ := json.Marshal(q.Taxonomy)
	p, _ := json.Marshal(q.Policy)
	return string(t), string(p)
}

// CreateQueue stores a new queue.
func (db *DB) CreateQueue(ctx context.Context, q review.Queue, ev review.AuditEvent) (review.Queue, error) {
	taxonomy, policy := queueArgs(q)
	q.CreatedAt = db.Now().UTC()
	err := db.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO queues (name, description, taxonomy, sla_hours, reveal_policy, required_reviews, reportable, paused, created_at,
				cluster_threshold, require_view_for_report)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, q.Name, q.Description, taxonomy, q.SLAHours, policy, q.RequiredReviews, q.Reportable, q.Paused, fmtTime(q.CreatedAt),
			q.ClusterThreshold, q.RequireViewForReport).Scan(&q.ID)
		if err != nil {
			return translate(err, "create queue %s", q.Name)
		}
		return db.appendAudit(ctx, tx, ev)
	})
	return q, err
}

// UpdateQueue replaces a queue's settings.
func (db *DB) UpdateQueue(ctx context.Context, q review.Queue, ev review.AuditEvent) error {
	taxonomy, policy := queueArgs(q)
	return db.write(ctx, func(tx *sql.Tx) error {
		var list any
		if q.ProposeListID != 0 {
			list = q.ProposeListID
		}
		res, err := tx.ExecContext(ctx, `UPDATE queues SET name = ?, description = ?, taxonomy = ?, sla_hours = ?, reveal_policy = ?, required_reviews = ?, reportable = ?, paused = ?, propose_list_id = ?,
				cluster_threshold = ?, require_view_for_report = ? WHERE id = ?`,
			q.Name, q.Description, taxonomy, q.SLAHours, policy, q.RequiredReviews, q.Reportable, q.Paused, list,
			q.ClusterThreshold, q.RequireViewForReport, q.ID)
		if err != nil {
			return translate(err, "update queue %d", q.ID)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("storage: queue %d: %w", q.ID, review.ErrNotFound)
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// FindQueue returns a queue by id.
func (db *DB) FindQueue(ctx context.Context, id int64) (review.Queue, error) {
	q, err := scanQueue(db.r.QueryRowContext(ctx, `SELECT `+queueColumns+` FROM queues WHERE id = ?`, id))
	return q, translate(err, "find queue %d", id)
}

// FindQueueFor returns a queue and whether a person is assigned to it.
func (db *DB) FindQueueFor(ctx context.Context, id, userID int64) (review.Queue, bool, error) {
	var member bool
	q, err := scanQueue(db.r.QueryRowContext(ctx, `SELECT `+queueColumns+`,
		EXISTS (SELECT 1 FROM queue_members WHERE queue_id = queues.id AND user_id = ?) FROM queues WHERE id = ?`, userID, id), &member)
	return q, member, translate(err, "find queue %d", id)
}

// FindQueueByName returns a queue by name.
func (db *DB) FindQueueByName(ctx context.Context, name string) (review.Queue, error) {
	q, err := scanQueue(db.r.QueryRowContext(ctx, `SELECT `+queueColumns+` FROM queues WHERE name = ?`, name))
	return q, translate(err, "find queue %s", name)
}

// FindQueues lists every queue by name.
func (db *DB) FindQueues(ctx context.Context) ([]review.Queue, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+queueColumns+` FROM queues ORDER BY name`)
	if err != nil {
		return nil, translate(err, "find queues")
	}
	defer rows.Close()
	var out []review.Queue
	for rows.Next() {
		q, err := scanQueue(rows)
		if err != nil {
			return nil, translate(err, "scan queue")
		}
		out = append(out, q)
	}
	return out, translate(rows.Err(), "find queues")
}

// SetMember assigns a reviewer to a queue (member true) or removes them.
func (db *DB) SetMember(ctx context.Context, queueID, userID int64, member bool, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		q := `DELETE FROM queue_members WHERE queue_id = ? AND user_id = ?`
		if member {
			q = `INSERT INTO queue_members (queue_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`
		}
		if _, err := tx.ExecContext(ctx, q, queueID, userID); err != nil {
			return translate(err, "set member %d of queue %d", userID, queueID)
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// FindMembers lists the people assigned to a queue.
func (db *DB) FindMembers(ctx context.Context, queueID int64) ([]review.User, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+userColumns+` FROM users WHERE id IN (SELECT user_id FROM queue_members WHERE queue_id = ?) ORDER BY email`, queueID)
	if err != nil {
		return nil, translate(err, "find members of queue %d", queueID)
	}
	defer rows.Close()
	var out []review.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, translate(err, "scan member")
		}
		out = append(out, u)
	}
	return out, translate(rows.Err(), "find members")
}

// IsMember reports whether a person is assigned to a queue.
func (db *DB) IsMember(ctx context.Context, queueID, userID int64) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM queue_members WHERE queue_id = ? AND user_id = ?`, queueID, userID).Scan(&n)
	return n > 0, translate(err, "check membership")
}

// FindQueueStats computes a queue's depth, age and throughput at now.
func (db *DB) FindQueueStats(ctx context.Context, q review.Queue, now time.Time) (review.QueueStats, error) {
	var st review.QueueStats
	var oldest string
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MIN(received_at), ''),
		COUNT(*) FILTER (WHERE received_at < ?)
		FROM items WHERE queue_id = ? AND status IN ('queued', 'awaiting_second_review', 'escalated')`,
		fmtTime(now.Add(-time.Duration(q.SLAHours)*time.Hour)), q.ID).Scan(&st.Depth, &oldest, &st.PastSLA)
	if err != nil {
		return st, translate(err, "queue stats %d", q.ID)
	}
	if oldest != "" {
		st.OldestAge = now.Sub(parseTime(oldest))
	}
	err = db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM decisions d JOIN items i ON i.id = d.item_id
		WHERE i.queue_id = ? AND d.verdict != 'skip' AND d.created_at >= ?`, q.ID, fmtTime(now.Add(-time.Hour))).Scan(&st.DecisionsLastHour)
	if err != nil {
		return st, translate(err, "queue throughput %d", q.ID)
	}
	if st.DecidedWithoutLook, err = db.countDecidedWithoutLook(ctx, q.ID); err != nil {
		return st, err
	}
	day := now.UTC().Truncate(24 * time.Hour)
	rows, err := db.r.QueryContext(ctx, `SELECT u.email, COUNT(*) FROM decisions d JOIN items i ON i.id = d.item_id JOIN users u ON u.id = d.reviewer_id
		WHERE i.queue_id = ? AND d.verdict != 'skip' AND d.created_at >= ? GROUP BY u.email ORDER BY u.email`, q.ID, fmtTime(day))
	if err != nil {
		return st, translate(err, "queue reviewers %d", q.ID)
	}
	defer rows.Close()
	for rows.Next() {
		var rc review.ReviewerCount
		if err := rows.Scan(&rc.Email, &rc.Decisions); err != nil {
			return st, translate(err, "scan reviewer count")
		}
		st.Today = append(st.Today, rc)
	}
	return st, translate(rows.Err(), "queue reviewers")
}

// FindWaiting lists a queue's waiting items, in claim order.
func (db *DB) FindWaiting(ctx context.Context, queueID int64, limit int) ([]review.Item, error) {
	items, err := collectItems(db.r.QueryContext(ctx, `SELECT `+itemWithMedia+`
		WHERE i.id IN (SELECT id FROM items WHERE queue_id = ? AND `+claimable+` ORDER BY priority DESC, id LIMIT ?)
		ORDER BY i.priority DESC, i.id, m.position`, queueID, limit))
	return items, translate(err, "find waiting items")
}

// FindQueueID returns the id of the named queue, or review.ErrNotFound.
func (db *DB) FindQueueID(ctx context.Context, name string) (int64, error) {
	var id int64
	err := db.r.QueryRowContext(ctx, `SELECT id FROM queues WHERE name = ?`, name).Scan(&id)
	return id, translate(err, "find queue %s", name)
}

// FindQueueRefs lists every queue's id and name, by name.
func (db *DB) FindQueueRefs(ctx context.Context) ([]review.QueueRef, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, name FROM queues ORDER BY name`)
	if err != nil {
		return nil, translate(err, "find queues")
	}
	defer rows.Close()
	var out []review.QueueRef
	for rows.Next() {
		var q review.QueueRef
		if err := rows.Scan(&q.ID, &q.Name); err != nil {
			return nil, translate(err, "scan queue")
		}
		out = append(out, q)
	}
	return out, translate(rows.Err(), "find queues")
}
