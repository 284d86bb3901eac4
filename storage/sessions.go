package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/loupe-review/loupe/review"
)

// StartSession stores s in place of the session it replaces, with ev.
func (db *DB) StartSession(ctx context.Context, replaces string, s review.Session, ev *review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if replaces != "" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, replaces); err != nil {
				return translate(err, "replace session")
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, stage, csrf_token, pending_totp, ip, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			s.IDHash, s.UserID, string(s.Stage), s.CSRFToken, s.PendingTOTP, s.IP, fmtTime(s.CreatedAt), fmtTime(s.LastSeenAt))
		if err != nil {
			return translate(err, "create session for user %d", s.UserID)
		}
		if ev == nil {
			return nil
		}
		return db.appendAudit(ctx, tx, *ev)
	})
}

// FindSession returns the session with that id hash, or review.ErrNotFound.
func (db *DB) FindSession(ctx context.Context, idHash string) (review.Session, review.User, error) {
	var s review.Session
	var stage, created, seen string
	u, err := scanUser(db.r.QueryRowContext(ctx, `SELECT s.id_hash, s.user_id, s.stage, s.csrf_token, s.pending_totp, s.ip, s.created_at, s.last_seen_at, `+userColumns+`
		FROM sessions s JOIN users ON users.id = s.user_id WHERE s.id_hash = ?`, idHash), &s.IDHash, &s.UserID, &stage, &s.CSRFToken, &s.PendingTOTP, &s.IP, &created, &seen)
	s.Stage, s.CreatedAt, s.LastSeenAt = review.SessionStage(stage), parseTime(created), parseTime(seen)
	return s, u, translate(err, "find session")
}

// TouchSession records activity, which keeps the session from idling out.
func (db *DB) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	return db.exec(ctx, "touch session", `UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`, fmtTime(at), idHash)
}

// SetPendingTOTP remembers the secret shown on the enrollment page until it is confirmed.
func (db *DB) SetPendingTOTP(ctx context.Context, idHash, secret string) error {
	return db.exec(ctx, "set pending totp", `UPDATE sessions SET pending_totp = ? WHERE id_hash = ?`, secret, idHash)
}

// EndSession signs one browser out, recording ev (if any).
func (db *DB) EndSession(ctx context.Context, idHash string, ev *review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash); err != nil {
			return translate(err, "end session")
		}
		if ev == nil {
			return nil
		}
		return db.appendAudit(ctx, tx, *ev)
	})
}

// DeleteExpiredSessions removes sessions past their idle or absolute timeout.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ? OR (stage = 'password' AND created_at < ?)`,
			fmtTime(now.Add(-review.SessionIdle)), fmtTime(now.Add(-review.SessionAbsolute)), fmtTime(now.Add(-review.SessionPasswordStage)))
		if err != nil {
			return translate(err, "delete expired sessions")
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// exec runs one statement in its own write transaction.
func (db *DB) exec(ctx context.Context, what, q string, args ...any) error {
	return execWith(ctx, db.write, what, q, args...)
}

// execDurable is exec committed with writeDurable.
func (db *DB) execDurable(ctx context.Context, what, q string, args ...any) error {
	return execWith(ctx, db.writeDurable, what, q, args...)
}

func execWith(ctx context.Context, write func(context.Context, func(*sql.Tx) error) error, what, q string, args ...any) error {
	return write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("storage: %s: %w", what, err)
		}
		return nil
	})
}
