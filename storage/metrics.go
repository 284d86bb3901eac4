package storage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/loupe-review/loupe/review"
)

// FindMetrics computes the monitoring figures at now with a few aggregate
// queries in one read transaction (one consistent snapshot). Every query
// groups by queue, kind, verdict or rendition, never by person or item.
func (db *DB) FindMetrics(ctx context.Context, now time.Time) (review.Metrics, error) {
	var m review.Metrics
	tx, err := db.snapshot(ctx)
	if err != nil {
		return m, fmt.Errorf("storage: begin metrics: %w", err)
	}
	defer tx.Rollback()
	if m.Queues, err = queueMetrics(ctx, tx, now); err != nil {
		return m, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM items`).Scan(&m.ItemsIngested); err != nil {
		return m, translate(err, "count items")
	}
	if m.Decisions, err = decisionCounts(ctx, tx); err != nil {
		return m, err
	}
	if m.Exposure, err = exposureTotals(ctx, tx); err != nil {
		return m, err
	}
	m.Outbox, err = outboxMetrics(ctx, tx)
	return m, err
}

// queueMetrics lists every queue, empty ones too. The inner query repeats
// claimable so that SQLite uses the items_claimable index.
func queueMetrics(ctx context.Context, tx *sql.Tx, now time.Time) ([]review.QueueMetrics, error) {
	at := fmtTime(now)
	rows, err := tx.QueryContext(ctx, `SELECT q.name, COALESCE(w.depth, 0), COALESCE(w.oldest, ''), COALESCE(w.in_review, 0), COALESCE(w.expired, 0)
		FROM queues q LEFT JOIN (
			SELECT queue_id, COUNT(*) AS depth, MIN(received_at) AS oldest,
				COUNT(*) FILTER (WHERE lease_user_id IS NOT NULL AND lease_until >= ?) AS in_review,
				COUNT(*) FILTER (WHERE lease_user_id IS NOT NULL AND lease_until != '' AND lease_until < ?) AS expired
			FROM items WHERE `+claimable+` GROUP BY queue_id) w ON w.queue_id = q.id
		ORDER BY q.name`, at, at)
	if err != nil {
		return nil, translate(err, "queue metrics")
	}
	defer rows.Close()
	var out []review.QueueMetrics
	for rows.Next() {
		var q review.QueueMetrics
		var oldest string
		if err := rows.Scan(&q.Name, &q.Depth, &oldest, &q.InReview, &q.ExpiredLeases); err != nil {
			return nil, translate(err, "scan queue metrics")
		}
		if oldest != "" {
			q.OldestAge = max(0, now.Sub(parseTime(oldest)))
		}
		out = append(out, q)
	}
	return out, translate(rows.Err(), "queue metrics")
}

func decisionCounts(ctx context.Context, tx *sql.Tx) ([]review.DecisionCount, error) {
	rows, err := tx.QueryContext(ctx, `SELECT kind, verdict, COUNT(*) FROM decisions GROUP BY kind, verdict ORDER BY kind, verdict`)
	if err != nil {
		return nil, translate(err, "decision metrics")
	}
	defer rows.Close()
	var out []review.DecisionCount
	for rows.Next() {
		var d review.DecisionCount
		if err := rows.Scan(&d.Kind, &d.Verdict, &d.Count); err != nil {
			return nil, translate(err, "scan decision metrics")
		}
		out = append(out, d)
	}
	return out, translate(rows.Err(), "decision metrics")
}

func exposureTotals(ctx context.Context, tx *sql.Tx) ([]review.ExposureTotal, error) {
	rows, err := tx.QueryContext(ctx, `SELECT rendition, COUNT(*), COALESCE(SUM(seconds), 0) FROM exposures GROUP BY rendition ORDER BY rendition`)
	if err != nil {
		return nil, translate(err, "exposure metrics")
	}
	defer rows.Close()
	var out []review.ExposureTotal
	for rows.Next() {
		var e review.ExposureTotal
		if err := rows.Scan(&e.Rendition, &e.Reveals, &e.Seconds); err != nil {
			return nil, translate(err, "scan exposure metrics")
		}
		out = append(out, e)
	}
	return out, translate(rows.Err(), "exposure metrics")
}

// outboxMetrics reports every kind in review.OutboxKinds, and any other
// kind found. A delivery also counts as an attempt, so a delivered entry's
// failed attempts are one fewer than its attempts.
func outboxMetrics(ctx context.Context, tx *sql.Tx) ([]review.OutboxMetrics, error) {
	rows, err := tx.QueryContext(ctx, `SELECT kind,
			COUNT(*) FILTER (WHERE delivered_at = '' AND attempts < ?),
			COUNT(*) FILTER (WHERE delivered_at = '' AND attempts >= ?),
			COUNT(*) FILTER (WHERE delivered_at != ''),
			COALESCE(SUM(CASE WHEN delivered_at != '' THEN attempts - 1 ELSE attempts END), 0)
		FROM outbox GROUP BY kind ORDER BY kind`, review.MaxAttempts, review.MaxAttempts)
	if err != nil {
		return nil, translate(err, "outbox metrics")
	}
	defer rows.Close()
	var out []review.OutboxMetrics
	for rows.Next() {
		var o review.OutboxMetrics
		if err := rows.Scan(&o.Kind, &o.Backlog, &o.GivenUp, &o.Delivered, &o.FailedAttempts); err != nil {
			return nil, translate(err, "scan outbox metrics")
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err, "outbox metrics")
	}
	// The report outbox keeps its state on the cases: approved ones are
	// being sent, failed ones were refused, finished ones were delivered.
	r := review.OutboxMetrics{Kind: review.KindReport}
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FILTER (WHERE status = 'approved'), COUNT(*) FILTER (WHERE status = 'failed'),
			COUNT(*) FILTER (WHERE status = 'finished'), (SELECT COUNT(*) FROM report_transmissions WHERE error != '')
		FROM report_cases`).Scan(&r.Backlog, &r.GivenUp, &r.Delivered, &r.FailedAttempts)
	if err != nil {
		return nil, translate(err, "report outbox metrics")
	}
	for _, k := range review.OutboxKinds {
		if !slices.ContainsFunc(out, func(o review.OutboxMetrics) bool { return o.Kind == k }) {
			out = append(out, review.OutboxMetrics{Kind: k})
		}
	}
	return append(out, r), nil
}
