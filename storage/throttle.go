package storage

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Hits returns the count in the current window for key and when it ends.
func (db *DB) Hits(ctx context.Context, key string, now time.Time, window time.Duration) (int, time.Time, error) {
	var start string
	var hits int
	err := db.r.QueryRowContext(ctx, `SELECT window_start, hits FROM throttles WHERE key = ?`, key).Scan(&start, &hits)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, now.Add(window), nil
	}
	if err != nil {
		return 0, time.Time{}, translate(err, "read throttle")
	}
	end := parseTime(start).Add(window)
	if !now.Before(end) {
		return 0, now.Add(window), nil
	}
	return hits, end, nil
}

// Hit counts one event for key, starting a new window when the old one has ended.
func (db *DB) Hit(ctx context.Context, key string, now time.Time, window time.Duration) (int, time.Time, error) {
	var start string
	var hits int
	err := db.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO throttles (key, window_start, hits) VALUES (?, ?, 1)
			ON CONFLICT (key) DO UPDATE SET
				hits = CASE WHEN window_start <= ? THEN 1 ELSE hits + 1 END,
				window_start = CASE WHEN window_start <= ? THEN excluded.window_start ELSE window_start END
			RETURNING window_start, hits`,
			key, fmtTime(now), fmtTime(now.Add(-window)), fmtTime(now.Add(-window))).Scan(&start, &hits)
		return translate(err, "hit throttle")
	})
	return hits, parseTime(start).Add(window), err
}
