package storage

import (
	"context"
	"database/sql"
	"time"

	"github.com/loupe-review/loupe/review"
)

// hourFormat is the first 13 characters of a stored time: its UTC hour.
const hourFormat = "2006-01-02T15"

// FindLedger sums exposures and decisions per person and UTC hour since a
// time (one person's, or everyone's when userID is 0), with the breaks.
// Each exposure counts under the severity of its item's final decision.
func (db *DB) FindLedger(ctx context.Context, userID int64, since time.Time) (review.Ledger, error) {
	var led review.Ledger
	rows, err := db.r.QueryContext(ctx, `SELECT e.reviewer_id, substr(e.started_at, 1, 13), e.rendition,
			CASE WHEN d.id IS NULL THEN 'undecided' WHEN d.verdict = 'violating' AND d.severe = 1 THEN 'severe' ELSE 'other' END,
			SUM(e.seconds), SUM(e.seconds * e.region_fraction), COUNT(*)
		FROM exposures e
		LEFT JOIN decisions d ON d.id = (SELECT MAX(id) FROM decisions WHERE item_id = e.item_id AND final = 1)
		WHERE e.started_at >= ? AND (? = 0 OR e.reviewer_id = ?)
		GROUP BY 1, 2, 3, 4`, fmtTime(since), userID, userID)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var b review.ExposureBucket
		var hour string
		if err := rows.Scan(&b.UserID, &hour, &b.Rendition, &b.Severity, &b.Seconds, &b.FractionSeconds, &b.Reveals); err != nil {
			return err
		}
		b.Hour, _ = time.Parse(hourFormat, hour)
		led.Exposures = append(led.Exposures, b)
		return nil
	})
	if err != nil {
		return led, translate(err, "sum exposures")
	}
	// Automated decisions name the lead who configured the rule, who did
	// not look: they are nobody's work here.
	rows, err = db.r.QueryContext(ctx, `SELECT reviewer_id, substr(created_at, 1, 13), COUNT(*),
			SUM(CASE WHEN verdict IN ('violating', 'not_violating') THEN 1 ELSE 0 END) FROM decisions
		WHERE created_at >= ? AND kind NOT IN ('override', 'automated') AND (? = 0 OR reviewer_id = ?) GROUP BY 1, 2`, fmtTime(since), userID, userID)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var b review.DecisionBucket
		var hour string
		if err := rows.Scan(&b.UserID, &hour, &b.Count, &b.Verdicts); err != nil {
			return err
		}
		b.Hour, _ = time.Parse(hourFormat, hour)
		led.Decisions = append(led.Decisions, b)
		return nil
	})
	if err != nil {
		return led, translate(err, "count decisions")
	}
	led.Breaks, err = db.FindBreaks(ctx, userID, since)
	return led, err
}

// eachRow calls fn for each row of a query and closes it.
func eachRow(rows *sql.Rows, err error, fn func(*sql.Rows) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AddCheckIn records a check-in.
func (db *DB) AddCheckIn(ctx context.Context, c review.CheckIn) (review.CheckIn, error) {
	err := db.write(ctx, func(tx *sql.Tx) error {
		var mood, breakID any
		if c.Mood > 0 {
			mood = c.Mood
		}
		if c.BreakID > 0 {
			breakID = c.BreakID
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO checkins (user_id, break_id, mood, note, shared, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			c.UserID, breakID, mood, c.Note, c.Shared, fmtTime(c.CreatedAt)).Scan(&c.ID)
		return translate(err, "add check-in")
	})
	return c, err
}

// FindCheckIns lists check-ins since a time, newest first: one person's or
// everyone's (userID 0); sharedOnly leaves the private ones out.
func (db *DB) FindCheckIns(ctx context.Context, userID int64, since time.Time, sharedOnly bool) ([]review.CheckIn, error) {
	var out []review.CheckIn
	rows, err := db.r.QueryContext(ctx, `SELECT id, user_id, COALESCE(break_id, 0), COALESCE(mood, 0), note, shared, created_at FROM checkins
		WHERE created_at >= ? AND (? = 0 OR user_id = ?) AND (shared = 1 OR ? = 0) ORDER BY created_at DESC, id DESC`,
		fmtTime(since), userID, userID, sharedOnly)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var c review.CheckIn
		var created string
		if err := rows.Scan(&c.ID, &c.UserID, &c.BreakID, &c.Mood, &c.Note, &c.Shared, &created); err != nil {
			return err
		}
		c.CreatedAt = parseTime(created)
		out = append(out, c)
		return nil
	})
	return out, translate(err, "find check-ins")
}
