package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/loupe-review/loupe/review"
)

// userColumns are named with their table, so that a query may join users.
const userColumns = `users.id, users.email, users.password_hash, users.totp_secret, users.totp_last_step, users.failed_attempts, users.locked_until,
	users.pending_attempts, users.pending_until, users.disabled, users.created_at, users.must_change_password,
	(SELECT COALESCE(string_agg(role, ','), '') FROM user_roles WHERE user_id = users.id)`

type rowScanner interface{ Scan(dest ...any) error }

// scanUser reads userColumns, after the columns read into before.
func scanUser(row rowScanner, before ...any) (review.User, error) {
	var u review.User
	var locked, pending, created, roles string
	err := row.Scan(append(before, &u.ID, &u.Email, &u.PasswordHash, &u.TOTPSecret, &u.TOTPLastStep, &u.FailedAttempts, &locked, &u.PendingAttempts, &pending, &u.Disabled, &created, &u.MustChangePassword, &roles)...)
	if err != nil {
		return u, err
	}
	u.LockedUntil, u.PendingUntil, u.CreatedAt = parseTime(locked), parseTime(pending), parseTime(created)
	var rs []review.Role
	for r := range strings.SplitSeq(roles, ",") {
		if r != "" {
			rs = append(rs, review.Role(r))
		}
	}
	u.Roles = review.NewRoles(rs...)
	return u, nil
}

// CreateUser inserts u with its roles and records ev.
func (db *DB) CreateUser(ctx context.Context, u review.User, ev review.AuditEvent) (review.User, error) {
	u.CreatedAt = db.Now().UTC()
	err := db.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, ?) RETURNING id`,
			u.Email, u.PasswordHash, fmtTime(u.CreatedAt)).Scan(&u.ID)
		if err != nil {
			return translate(err, "create user %s", u.Email)
		}
		if err := setRoles(ctx, tx, u.ID, u.Roles); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, ev)
	})
	return u, err
}

func setRoles(ctx context.Context, tx *sql.Tx, id int64, roles review.Roles) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = ?`, id); err != nil {
		return translate(err, "clear roles of user %d", id)
	}
	for _, r := range roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, id, string(r)); err != nil {
			return translate(err, "set role %s of user %d", r, id)
		}
	}
	return nil
}

// FindUserByID returns the user with id, or review.ErrNotFound.
func (db *DB) FindUserByID(ctx context.Context, id int64) (review.User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	return u, translate(err, "find user %d", id)
}

// FindUserByEmail returns the user with that (normalised) email, or review.ErrNotFound.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (review.User, error) {
	u, err := scanUser(db.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, review.NormalizeEmail(email)))
	return u, translate(err, "find user %s", email)
}

// FindUsers lists every user by email.
func (db *DB) FindUsers(ctx context.Context) ([]review.User, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	if err != nil {
		return nil, translate(err, "find users")
	}
	defer rows.Close()
	var out []review.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, translate(err, "scan user")
		}
		out = append(out, u)
	}
	return out, translate(rows.Err(), "find users")
}

// UpdateUser applies upd and records ev in one transaction.
func (db *DB) UpdateUser(ctx context.Context, id int64, upd review.UserUpdate, ev review.AuditEvent) (review.User, error) {
	var u review.User
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := updateUser(ctx, tx, id, upd); err != nil {
			return err
		}
		if err := db.appendAudit(ctx, tx, ev); err != nil {
			return err
		}
		var err error
		u, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
		return translate(err, "reload user %d", id)
	})
	return u, err
}

func updateUser(ctx context.Context, tx *sql.Tx, id int64, upd review.UserUpdate) error {
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE id = ?`, id).Scan(&exists); err != nil {
		return translate(err, "find user %d", id)
	}
	exec := func(q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return translate(err, "update user %d", id)
	}
	if upd.Roles != nil {
		if err := setRoles(ctx, tx, id, *upd.Roles); err != nil {
			return err
		}
	}
	if upd.Disabled != nil {
		if err := exec(`UPDATE users SET disabled = ? WHERE id = ?`, *upd.Disabled, id); err != nil {
			return err
		}
	}
	if upd.PasswordHash != nil {
		if err := exec(`UPDATE users SET password_hash = ?, must_change_password = ?, failed_attempts = 0, locked_until = '' WHERE id = ?`, *upd.PasswordHash, upd.OneTime, id); err != nil {
			return err
		}
	}
	if upd.ResetTOTP {
		if err := exec(`UPDATE users SET totp_secret = '', totp_last_step = 0, failed_attempts = 0, locked_until = '' WHERE id = ?`, id); err != nil {
			return err
		}
		if err := exec(`DELETE FROM recovery_codes WHERE user_id = ?`, id); err != nil {
			return err
		}
	}
	// Disabling a person or resetting their second factor signs them out everywhere.
	if upd.RevokeSessions || upd.ResetTOTP || (upd.Disabled != nil && *upd.Disabled) {
		return exec(`DELETE FROM sessions WHERE user_id = ?`, id)
	}
	return nil
}

// AcceptTOTP advances the last accepted step; a step at or before it is a
// replay. (The sign-in's attempt is settled separately: SettleAttempt.)
func (db *DB) AcceptTOTP(ctx context.Context, id int64, step int64) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, id, step)
		if err != nil {
			return translate(err, "accept totp of user %d", id)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("storage: totp step %d of user %d already used: %w", step, id, review.ErrConflict)
		}
		return nil
	})
}

// EnrollTOTP stores the confirmed secret and new recovery code hashes.
func (db *DB) EnrollTOTP(ctx context.Context, id int64, secret string, step int64, recoveryHashes []string, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = ?, totp_last_step = ? WHERE id = ? AND totp_secret = ''`, secret, step, id)
		if err != nil {
			return translate(err, "enroll user %d", id)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("storage: user %d is already enrolled or gone: %w", id, review.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, id); err != nil {
			return translate(err, "clear recovery codes of user %d", id)
		}
		for _, h := range recoveryHashes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, id, h); err != nil {
				return translate(err, "store recovery code of user %d", id)
			}
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// UseRecoveryCode marks the matching unused code as used.
func (db *DB) UseRecoveryCode(ctx context.Context, id int64, codeHash string, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		// used_at = '' twice: a use that raced this one and committed first
		// wins, and this one then changes nothing.
		res, err := tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = ? WHERE id = (
			SELECT id FROM recovery_codes WHERE user_id = ? AND code_hash = ? AND used_at = '' LIMIT 1) AND used_at = ''`,
			fmtTime(db.Now()), id, codeHash)
		if err != nil {
			return translate(err, "use recovery code of user %d", id)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("storage: no unused recovery code matches for user %d: %w", id, review.ErrNotFound)
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// CountRecoveryCodes returns how many unused recovery codes the user has left.
func (db *DB) CountRecoveryCodes(ctx context.Context, id int64) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at = ''`, id).Scan(&n)
	return n, translate(err, "count recovery codes of user %d", id)
}
