package storage

import (
	"context"
	"database/sql"
	"time"

	"github.com/loupe-review/loupe/review"
)

// enqueue adds an outbox entry inside tx, so it commits with the change
// that caused it (a decision and its callback are one transaction).
func (db *DB) enqueue(ctx context.Context, tx *sql.Tx, kind string, sourceID, itemID int64, payload string) error {
	now := fmtTime(db.Now())
	var item any // NULL when the entry is about no item
	if itemID != 0 {
		item = itemID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, source_id, item_id, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		kind, sourceID, item, payload, now, now)
	return translate(err, "enqueue %s", kind)
}

// Enqueue adds an outbox entry in its own transaction.
func (db *DB) Enqueue(ctx context.Context, kind string, sourceID, itemID int64, payload string) error {
	return db.write(ctx, func(tx *sql.Tx) error { return db.enqueue(ctx, tx, kind, sourceID, itemID, payload) })
}

const outboxColumns = `id, kind, COALESCE(source_id, 0), COALESCE(item_id, 0), payload, attempts, next_attempt_at, last_error, last_status, delivered_at, created_at`

func scanOutbox(rows *sql.Rows) (review.OutboxEntry, error) {
	var e review.OutboxEntry
	var next, delivered, created string
	err := rows.Scan(&e.ID, &e.Kind, &e.SourceID, &e.ItemID, &e.Payload, &e.Attempts, &next, &e.LastError, &e.LastStatus, &delivered, &created)
	e.NextAttemptAt, e.DeliveredAt, e.CreatedAt = parseTime(next), parseTime(delivered), parseTime(created)
	return e, err
}

func collectOutbox(rows *sql.Rows, err error) ([]review.OutboxEntry, error) {
	if err != nil {
		return nil, translate(err, "read outbox")
	}
	defer rows.Close()
	var out []review.OutboxEntry
	for rows.Next() {
		e, err := scanOutbox(rows)
		if err != nil {
			return nil, translate(err, "scan outbox entry")
		}
		out = append(out, e)
	}
	return out, translate(rows.Err(), "read outbox")
}

// ClaimOutbox leases due entries by pushing their next attempt past the
// lease: another instance skips them until then, and if this one dies
// mid-delivery they come due again.
func (db *DB) ClaimOutbox(ctx context.Context, kind string, now time.Time, lease time.Duration, limit int) ([]review.OutboxEntry, error) {
	var out []review.OutboxEntry
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = collectOutbox(tx.QueryContext(ctx, `UPDATE outbox SET next_attempt_at = ?
			WHERE id IN (SELECT id FROM outbox WHERE kind = ? AND delivered_at = '' AND attempts < ? AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`+db.d.skipLocked+`)
				AND next_attempt_at <= ?
			RETURNING `+outboxColumns,
			fmtTime(now.Add(lease)), kind, review.MaxAttempts, fmtTime(now), limit, fmtTime(now)))
		return err
	})
	return out, err
}

// MarkDelivered records a successful delivery.
func (db *DB) MarkDelivered(ctx context.Context, id int64, status int, at time.Time) error {
	return db.execDurable(ctx, "mark delivered", `UPDATE outbox SET delivered_at = ?, last_status = ?, last_error = '', attempts = attempts + 1 WHERE id = ?`, fmtTime(at), status, id)
}

// MarkFailed records a failed attempt and when to try again.
func (db *DB) MarkFailed(ctx context.Context, id int64, status int, problem string, next time.Time) error {
	return db.exec(ctx, "mark failed", `UPDATE outbox SET attempts = attempts + 1, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?`, status, problem, fmtTime(next), id)
}

// FindOutbox lists the newest entries of kind.
func (db *DB) FindOutbox(ctx context.Context, kind string, limit int) ([]review.OutboxEntry, error) {
	return collectOutbox(db.r.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE kind = ? ORDER BY id DESC LIMIT ?`, kind, limit))
}
