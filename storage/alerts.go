package storage

import (
	"context"
	"database/sql"

	"github.com/loupe-review/loupe/review"
)

// FindAlertAcks returns acknowledgements by person and alert key: one
// person's, or everyone's when userID is 0.
func (db *DB) FindAlertAcks(ctx context.Context, userID int64) (map[int64]map[string]review.AlertAck, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT user_id, alert_key, note, acked_by, acked_at FROM wellbeing_alert_acks
		WHERE (? = 0 OR user_id = ?)`, userID, userID)
	if err != nil {
		return nil, translate(err, "find alert acknowledgements")
	}
	defer rows.Close()
	out := map[int64]map[string]review.AlertAck{}
	for rows.Next() {
		var a review.AlertAck
		var at string
		if err := rows.Scan(&a.UserID, &a.Key, &a.Note, &a.By, &at); err != nil {
			return nil, translate(err, "scan alert acknowledgement")
		}
		a.At = parseTime(at)
		if out[a.UserID] == nil {
			out[a.UserID] = map[string]review.AlertAck{}
		}
		out[a.UserID][a.Key] = a
	}
	return out, translate(rows.Err(), "find alert acknowledgements")
}

// AckAlert records (or replaces) an acknowledgement and ev together.
func (db *DB) AckAlert(ctx context.Context, a review.AlertAck, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO wellbeing_alert_acks (user_id, alert_key, note, acked_by, acked_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (user_id, alert_key) DO UPDATE SET note = excluded.note, acked_by = excluded.acked_by, acked_at = excluded.acked_at`,
			a.UserID, a.Key, a.Note, a.By, fmtTime(a.At))
		if err != nil {
			return translate(err, "acknowledge alert %s of user %d", a.Key, a.UserID)
		}
		return db.appendAudit(ctx, tx, ev)
	})
}
