package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/loupe-review/loupe/review"
)

// JudgeSample records a blind second look while the reviewer holds the
// sample, and closes their reveals of its item, with ev, in one
// transaction.
func (db *DB) JudgeSample(ctx context.Context, s review.Sample, now time.Time, ev review.AuditEvent) error {
	return db.writeDurable(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE qa_samples SET status = ?, qa_reviewer_id = ?, qa_verdict = ?, qa_category = ?, qa_note = ?, qa_at = ?,
			lease_user_id = NULL, lease_until = '' WHERE id = ? AND status = 'open' AND lease_user_id = ? AND lease_until >= ?`,
			string(s.Status), s.QAReviewerID, string(s.QA.Verdict), s.QA.Category, s.QANote, fmtTime(s.QAAt), s.ID, s.QAReviewerID, fmtTime(now))
		if err != nil {
			return translate(err, "judge QA sample %d", s.ID)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return review.ErrLeaseLost
		}
		if err := closeExposures(ctx, tx, s.QAReviewerID, s.ItemID, now, "decision"); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// ResolveSample records a lead's verdict that upholds the original
// decision, with ev.
func (db *DB) ResolveSample(ctx context.Context, s review.Sample, ev review.AuditEvent) error {
	return db.writeDurable(ctx, func(tx *sql.Tx) error {
		if err := resolveSample(ctx, tx, s.ID, s.LeadID, s.Final, s.LeadNote, 0, s.ResolvedAt); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// resolveSample closes a disputed sample with a lead's verdict and the
// override it recorded (0: none). A sample settled meanwhile is
// ErrConflict, which rolls back an override made for it.
func resolveSample(ctx context.Context, tx *sql.Tx, id, leadID int64, l review.Label, note string, overrideID int64, now time.Time) error {
	var override any
	if overrideID != 0 {
		override = overrideID
	}
	res, err := tx.ExecContext(ctx, `UPDATE qa_samples SET status = 'resolved', lead_id = ?, lead_verdict = ?, lead_category = ?, lead_note = ?, resolved_at = ?, override_id = ?
		WHERE id = ? AND status = 'disputed'`, leadID, string(l.Verdict), l.Category, note, fmtTime(now), override, id)
	if err != nil {
		return translate(err, "resolve QA sample %d", id)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("storage: QA sample %d is not waiting for a lead: %w", id, review.ErrConflict)
	}
	return nil
}

// FindSamples lists samples newest first.
func (db *DB) FindSamples(ctx context.Context, f review.SampleFilter) ([]review.Sample, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100000
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+sampleColumns+sampleFrom+` WHERE (? = '' OR s.status = ?) AND (? = 0 OR s.queue_id = ?) AND s.sampled_at >= ?
		ORDER BY s.id DESC LIMIT ?`, string(f.Status), string(f.Status), f.QueueID, f.QueueID, fmtTime(f.Since), limit)
	return collectSamples(rows, err)
}

// FindAutomationSamples returns a queue's closed samples of automated
// decisions made after QA last switched its automation off, newest
// decision first, at most limit.
func (db *DB) FindAutomationSamples(ctx context.Context, queueID int64, limit int) ([]review.Sample, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+sampleColumns+sampleFrom+` WHERE s.queue_id = ? AND s.source = 'automated' AND s.status IN ('agreed', 'resolved')
		AND d.created_at > COALESCE((SELECT MAX(created_at) FROM qa_alerts WHERE queue_id = ?), '')
		ORDER BY s.decision_id DESC LIMIT ?`, queueID, queueID, limit)
	return collectSamples(rows, err)
}

func collectSamples(rows *sql.Rows, err error) ([]review.Sample, error) {
	var out []review.Sample
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		s, err := scanSample(rows)
		out = append(out, s)
		return err
	})
	return out, translate(err, "find QA samples")
}

// CreateQualityAlert records what QA tells the leads, with ev.
func (db *DB) CreateQualityAlert(ctx context.Context, a review.QualityAlert, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO qa_alerts (queue_id, text, created_at) VALUES (?, ?, ?)`, a.QueueID, a.Text, fmtTime(a.CreatedAt))
		if err != nil {
			return translate(err, "alert leads about queue %d", a.QueueID)
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// FindQualityAlerts lists the newest alerts, at most limit.
func (db *DB) FindQualityAlerts(ctx context.Context, limit int) ([]review.QualityAlert, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT a.id, a.queue_id, q.name, a.text, a.created_at FROM qa_alerts a JOIN queues q ON q.id = a.queue_id
		ORDER BY a.id DESC LIMIT ?`, limit)
	var out []review.QualityAlert
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var a review.QualityAlert
		var at string
		err := rows.Scan(&a.ID, &a.QueueID, &a.Queue, &a.Text, &at)
		a.CreatedAt = parseTime(at)
		out = append(out, a)
		return err
	})
	return out, translate(err, "find quality alerts")
}
