package storage

import (
	"context"
	"database/sql"

	"github.com/loupe-review/loupe/review"
)

// FindCategoryDefs returns a queue's own category definitions by code.
func (db *DB) FindCategoryDefs(ctx context.Context, queueID int64) (map[string]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT code, definition FROM queue_categories WHERE queue_id = ? ORDER BY position`, queueID)
	if err != nil {
		return nil, translate(err, "find categories of queue %d", queueID)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code, def string
		if err := rows.Scan(&code, &def); err != nil {
			return nil, translate(err, "scan category")
		}
		out[code] = def
	}
	return out, translate(rows.Err(), "find categories of queue %d", queueID)
}

// SetCategoryDefs replaces a queue's definitions and records ev. Saves of
// one queue take turns on its row, so two at once leave one set, whole.
func (db *DB) SetCategoryDefs(ctx context.Context, queueID int64, defs []review.CategoryDef, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM queues WHERE id = ?`+db.d.forUpdate, queueID).Scan(&id); err != nil {
			return translate(err, "find queue %d", queueID)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM queue_categories WHERE queue_id = ?`, queueID); err != nil {
			return translate(err, "clear categories of queue %d", queueID)
		}
		for i, d := range defs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO queue_categories (queue_id, position, code, definition) VALUES (?, ?, ?, ?)`,
				queueID, i, d.Code, d.Definition); err != nil {
				return translate(err, "set category %s of queue %d", d.Code, queueID)
			}
		}
		return db.appendAudit(ctx, tx, ev)
	})
}
