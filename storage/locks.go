package storage

import (
	"context"
	"database/sql"
	"slices"
	"strings"
)

// Row locks for transactions that read, check, then change: PostgreSQL runs
// writers side by side and needs them; SQLite's single writer already
// serialises every write transaction, so there they do nothing.

// lockUser keeps a person's row locked until tx ends, so that their
// attempts, claims and breaks take turns (SQLite's writer already does).
func (db *DB) lockUser(ctx context.Context, tx *sql.Tx, userID int64) error {
	if db.d.forUpdate == "" {
		return nil
	}
	var id int64
	return translate(tx.QueryRowContext(ctx, `SELECT id FROM users WHERE id = ?`+db.d.forUpdate, userID).Scan(&id), "lock user %d", userID)
}

// lockItems keeps items' rows locked until tx ends, taken in id order so
// that two transactions locking overlapping sets cannot deadlock (SQLite's
// writer already serialises them).
func (db *DB) lockItems(ctx context.Context, tx *sql.Tx, ids ...int64) error {
	if db.d.forUpdate == "" || len(ids) == 0 {
		return nil
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	rows, err := tx.QueryContext(ctx, `SELECT id FROM items WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY id`+db.d.forUpdate, anys(ids)...)
	return translate(eachRow(rows, err, func(*sql.Rows) error { return nil }), "lock items")
}

func anys[T any](s []T) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
