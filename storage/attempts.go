package storage

import (
	"context"
	"database/sql"
	"time"

	"github.com/loupe-review/loupe/review"
)

// ReserveAttempt counts att against its address and, when it names one,
// its account, in one write transaction, before its secret is checked:
// attempts sent at the same moment are counted one after the other, and
// each learns from its own count whether it may be checked.
func (db *DB) ReserveAttempt(ctx context.Context, att review.Attempt, p review.SignInPolicy) (review.Reservation, error) {
	var res review.Reservation
	err := db.write(ctx, func(tx *sql.Tx) error {
		hits, end, err := hit(ctx, tx, ipKey(att.IP), att.At, p.IPWindow)
		if err != nil {
			return err
		}
		if p.Throttled(hits) {
			res.ThrottledUntil = end
			return nil
		}
		if att.UserID == 0 {
			return nil
		}
		if err := db.lockUser(ctx, tx, att.UserID); err != nil {
			return err
		}
		u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, att.UserID))
		if err != nil {
			return translate(err, "find user %d", att.UserID)
		}
		if res.User, res.Refused = p.Admit(u, att.At); res.Refused != "" {
			return nil
		}
		return setAttempts(ctx, tx, res.User)
	})
	return res, err
}

// SettleAttempt records how an admitted attempt ended: a success gives its
// address back its place, and the account's counts move as the policy
// says, with ev (a failure, or the lockout it starts) in the same
// transaction.
func (db *DB) SettleAttempt(ctx context.Context, att review.Attempt, o review.AttemptOutcome, p review.SignInPolicy, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if o != review.AttemptFailed {
			// Only within the window that counted it: a new window owes nothing.
			_, err := tx.ExecContext(ctx, `UPDATE throttles SET hits = CASE WHEN hits > 0 THEN hits - 1 ELSE 0 END WHERE key = ? AND window_start <= ?`,
				ipKey(att.IP), fmtTime(att.At))
			if err != nil {
				return translate(err, "refund throttle")
			}
		}
		if att.UserID != 0 {
			if err := db.lockUser(ctx, tx, att.UserID); err != nil {
				return err
			}
			u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, att.UserID))
			if err != nil {
				return translate(err, "find user %d", att.UserID)
			}
			u, ev = p.Settle(u, o, att.At, ev)
			if err := setAttempts(ctx, tx, u); err != nil {
				return err
			}
		}
		if ev.Action == "" {
			return nil
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

func ipKey(ip string) string { return "signin-ip:" + ip }

// hit counts one event for key in a fixed window, starting a new window
// when the old one has ended, and returns the new count and when the
// window ends. One upsert: concurrent hits never overwrite each other.
func hit(ctx context.Context, tx *sql.Tx, key string, now time.Time, window time.Duration) (int, time.Time, error) {
	var start string
	var hits int
	err := tx.QueryRowContext(ctx, `INSERT INTO throttles (key, window_start, hits) VALUES (?, ?, 1)
		ON CONFLICT (key) DO UPDATE SET
			hits = CASE WHEN throttles.window_start <= ? THEN 1 ELSE throttles.hits + 1 END,
			window_start = CASE WHEN throttles.window_start <= ? THEN excluded.window_start ELSE throttles.window_start END
		RETURNING window_start, hits`,
		key, fmtTime(now), fmtTime(now.Add(-window)), fmtTime(now.Add(-window))).Scan(&start, &hits)
	return hits, parseTime(start).Add(window), translate(err, "hit throttle")
}

// setAttempts stores an account's failure, lock and pending counts.
func setAttempts(ctx context.Context, tx *sql.Tx, u review.User) error {
	_, err := tx.ExecContext(ctx, `UPDATE users SET failed_attempts = ?, locked_until = ?, pending_attempts = ?, pending_until = ? WHERE id = ?`,
		u.FailedAttempts, fmtTime(u.LockedUntil), u.PendingAttempts, fmtTime(u.PendingUntil), u.ID)
	return translate(err, "count attempts of user %d", u.ID)
}
