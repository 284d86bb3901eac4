package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loupe-review/loupe/review"
)

// FindAutomation returns a queue's automation.
func (db *DB) FindAutomation(ctx context.Context, queueID int64) (review.Automation, error) {
	a := review.Automation{QueueID: queueID}
	err := db.r.QueryRowContext(ctx, `SELECT q.auto_enabled, COALESCE(q.auto_block_list_id, 0), q.auto_block_distance, COALESCE(q.auto_allow_list_id, 0),
			q.auto_allow_distance, COALESCE(q.auto_by, 0), COALESCE(u.email, ''), q.auto_off_reason
		FROM queues q LEFT JOIN users u ON u.id = q.auto_by WHERE q.id = ?`, queueID).
		Scan(&a.Enabled, &a.BlockListID, &a.BlockDistance, &a.AllowListID, &a.AllowDistance, &a.ByID, &a.By, &a.OffReason)
	return a, translate(err, "find automation of queue %d", queueID)
}

// SetAutomation replaces a queue's automation; switching it on clears the
// reason it was last switched off.
func (db *DB) SetAutomation(ctx context.Context, a review.Automation, ev review.AuditEvent) error {
	if a.Enabled && a.ByID == 0 {
		return review.Invalid("auto_enabled", "automation needs the lead who configures it")
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		reason := a.OffReason
		if a.Enabled {
			reason = ""
		}
		res, err := tx.ExecContext(ctx, `UPDATE queues SET auto_enabled = ?, auto_block_list_id = ?, auto_block_distance = ?, auto_allow_list_id = ?,
			auto_allow_distance = ?, auto_by = ?, auto_off_reason = ? WHERE id = ?`,
			a.Enabled, nullID(a.BlockListID), a.BlockDistance, nullID(a.AllowListID), a.AllowDistance, nullID(a.ByID), reason, a.QueueID)
		if err := changedOne(res, err, "set automation of queue", a.QueueID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// DisableAutomation switches a queue's automation off with a reason shown
// on the queue page (quality sampling calls it when agreement drops).
func (db *DB) DisableAutomation(ctx context.Context, queueID int64, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return review.Invalid("reason", "say why automation is switched off")
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		var name string
		err := tx.QueryRowContext(ctx, `UPDATE queues SET auto_enabled = 0, auto_off_reason = ? WHERE id = ? RETURNING name`, reason, queueID).Scan(&name)
		if err != nil {
			return translate(err, "disable automation of queue %d", queueID)
		}
		return db.appendAudit(ctx, tx, review.AuditEvent{Actor: "loupe", Action: review.ActionAutomationDisabled, Target: "queue:" + name,
			Details: map[string]string{"reason": reason}})
	})
}

// SetListTrusted marks a list trusted or not.
func (db *DB) SetListTrusted(ctx context.Context, listID int64, trusted bool, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE hash_lists SET trusted = ? WHERE id = ?`, trusted, listID)
		if err := changedOne(res, err, "set trusted of list", listID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// FindAutoEntries returns what automation knows of the entries with ids.
func (db *DB) FindAutoEntries(ctx context.Context, ids []int64) (map[int64]review.AutoEntry, error) {
	out := map[int64]review.AutoEntry{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := db.r.QueryContext(ctx, `SELECT e.id, e.list_id, l.name, l.kind, COALESCE(NULLIF(e.category, ''), l.category),
			CASE WHEN e.status = 'active' AND (e.source != 'import' OR l.trusted = 1) THEN 1 ELSE 0 END
		FROM hash_entries e JOIN hash_lists l ON l.id = e.list_id WHERE e.id IN (`+placeholders(len(ids))+`)`, int64Args(ids)...)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var e review.AutoEntry
		err := rows.Scan(&e.ID, &e.ListID, &e.List, &e.Kind, &e.Category, &e.Eligible)
		out[e.ID] = e
		return err
	})
	return out, translate(err, "find entries for automation")
}

// checkUnclaimed locks an item an automated decision is about and checks
// it still waits, queued and held by nobody (ErrConflict otherwise).
func (db *DB) checkUnclaimed(ctx context.Context, tx *sql.Tx, itemID int64, now time.Time) error {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM items WHERE id = ? AND status = 'queued' AND lease_until < ?`+db.d.forUpdate, itemID, fmtTime(now)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("storage: item %d is no longer waiting: %w", itemID, review.ErrConflict)
	}
	return translate(err, "check item %d", itemID)
}

// autoDistance is an automated decision's distance, NULL for others.
func autoDistance(d review.Decision) any {
	if d.Kind != review.KindAutomated {
		return nil
	}
	return d.AutoDistance
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// nullID stores 0 as NULL, for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// changedOne is ErrNotFound when an UPDATE by id changed no row.
func changedOne(res sql.Result, err error, what string, id int64) error {
	if err != nil {
		return translate(err, "%s %d", what, id)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("storage: %s %d: %w", what, id, review.ErrNotFound)
	}
	return nil
}
