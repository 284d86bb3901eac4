package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/loupe-review/loupe/review"
)

// FindRules returns every routing rule in evaluation order.
func (db *DB) FindRules(ctx context.Context) ([]review.Rule, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT r.id, r.position, COALESCE(r.source_id, 0), COALESCE(s.name, ''), r.name, r.conditions, r.queue_id, q.name, r.priority, r.enabled
		FROM routing_rules r JOIN queues q ON q.id = r.queue_id LEFT JOIN sources s ON s.id = r.source_id`)
	if err != nil {
		return nil, translate(err, "find rules")
	}
	defer rows.Close()
	var out []review.Rule
	for rows.Next() {
		var r review.Rule
		var cond string
		var prio sql.NullInt64
		if err := rows.Scan(&r.ID, &r.Position, &r.SourceID, &r.Source, &r.Name, &cond, &r.QueueID, &r.Queue, &prio, &r.Enabled); err != nil {
			return nil, translate(err, "scan rule")
		}
		if err := json.Unmarshal([]byte(cond), &r.Conditions); err != nil {
			return nil, fmt.Errorf("storage: rule %d conditions: %w", r.ID, err)
		}
		if prio.Valid {
			p := int(prio.Int64)
			r.Priority = &p
		}
		out = append(out, r)
	}
	review.OrderRules(out)
	return out, translate(rows.Err(), "find rules")
}

func ruleArgs(r review.Rule) (cond string, source, prio any, err error) {
	b, err := json.Marshal(r.Conditions)
	if r.SourceID != 0 {
		source = r.SourceID
	}
	if r.Priority != nil {
		prio = *r.Priority
	}
	return string(b), source, prio, err
}

// CreateRule appends a rule at the end of its list (its source's, or the global one).
func (db *DB) CreateRule(ctx context.Context, r review.Rule, ev review.AuditEvent) (review.Rule, error) {
	cond, source, prio, err := ruleArgs(r)
	if err != nil {
		return r, err
	}
	err = db.write(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM routing_rules WHERE source_id IS NOT DISTINCT FROM ?`, source).Scan(&r.Position); err != nil {
			return translate(err, "next rule position")
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO routing_rules (position, source_id, name, conditions, queue_id, priority, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.Position, source, r.Name, cond, r.QueueID, prio, r.Enabled, fmtTime(db.Now())).Scan(&r.ID)
		if err != nil {
			return translate(err, "create rule %s", r.Name)
		}
		return db.appendAudit(ctx, tx, ev)
	})
	return r, err
}

// UpdateRule replaces a rule's fields, position included.
func (db *DB) UpdateRule(ctx context.Context, r review.Rule, ev review.AuditEvent) error {
	cond, source, prio, err := ruleArgs(r)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE routing_rules SET position = ?, source_id = ?, name = ?, conditions = ?, queue_id = ?, priority = ?, enabled = ? WHERE id = ?`,
			r.Position, source, r.Name, cond, r.QueueID, prio, r.Enabled, r.ID)
		if err != nil {
			return translate(err, "update rule %d", r.ID)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("storage: rule %d: %w", r.ID, review.ErrNotFound)
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// DeleteRule removes a rule; items it routed keep their queue.
func (db *DB) DeleteRule(ctx context.Context, id int64, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM routing_rules WHERE id = ?`, id)
		if err != nil {
			return translate(err, "delete rule %d", id)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("storage: rule %d: %w", id, review.ErrNotFound)
		}
		return db.appendAudit(ctx, tx, ev)
	})
}
