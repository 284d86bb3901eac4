package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loupe-review/loupe/review"
)

// FindLimits returns the organisation's limits and the queue's and
// person's overrides.
func (db *DB) FindLimits(ctx context.Context, queueID, userID int64) (org, queue, person review.Limits, err error) {
	rows, err := db.r.QueryContext(ctx, `SELECT scope, limits FROM wellbeing_limits
		WHERE (scope = 'org') OR (scope = 'queue' AND scope_id = ?) OR (scope = 'person' AND scope_id = ?)`, queueID, userID)
	if err != nil {
		return nil, nil, nil, translate(err, "find limits")
	}
	defer rows.Close()
	var set review.LimitSet
	set.Clear()
	for rows.Next() {
		var scope, raw string
		if err := rows.Scan(&scope, &raw); err != nil {
			return nil, nil, nil, translate(err, "scan limits")
		}
		if err := addLimits(&set, scope, raw); err != nil {
			return nil, nil, nil, err
		}
	}
	return set.Org, set.Queue, set.Person, translate(rows.Err(), "find limits")
}

// addLimits reads one scope's stored limits into set.
func addLimits(set *review.LimitSet, scope, raw string) error {
	dst := map[string]review.Limits{review.ScopeOrg: set.Org, review.ScopeQueue: set.Queue, review.ScopePerson: set.Person}[scope]
	if err := json.Unmarshal([]byte(raw), &dst); err != nil {
		return fmt.Errorf("storage: limits of %s: %w", scope, err)
	}
	return nil
}

// FindOverrides lists every override of a scope (queue or person) by id.
func (db *DB) FindOverrides(ctx context.Context, scope string) (map[int64]review.Limits, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT scope_id, limits FROM wellbeing_limits WHERE scope = ?`, scope)
	if err != nil {
		return nil, translate(err, "find overrides")
	}
	defer rows.Close()
	out := map[int64]review.Limits{}
	for rows.Next() {
		var id int64
		var raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return nil, translate(err, "scan overrides")
		}
		l := review.Limits{}
		if err := json.Unmarshal([]byte(raw), &l); err != nil {
			return nil, fmt.Errorf("storage: limits of %s %d: %w", scope, id, err)
		}
		out[id] = l
	}
	return out, translate(rows.Err(), "find overrides")
}

// SetLimits replaces one scope's limits (an empty map removes an override).
func (db *DB) SetLimits(ctx context.Context, scope string, scopeID int64, l review.Limits, ev review.AuditEvent) error {
	raw, err := json.Marshal(l)
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		if len(l) == 0 && scope != review.ScopeOrg {
			_, err = tx.ExecContext(ctx, `DELETE FROM wellbeing_limits WHERE scope = ? AND scope_id = ?`, scope, scopeID)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO wellbeing_limits (scope, scope_id, limits, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (scope, scope_id) DO UPDATE SET limits = excluded.limits, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
				scope, scopeID, string(raw), ev.Actor, fmtTime(db.Now()))
		}
		if err != nil {
			return translate(err, "set limits")
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// FindActivity lists a person's reveals, decisions and breaks since a time.
func (db *DB) FindActivity(ctx context.Context, userID int64, since time.Time) (review.Activity, error) {
	f, err := db.FindStanding(ctx, review.StandingQuery{UserID: userID, Since: since, Listed: since, DayStart: since})
	f.Activity.Summed = nil // everything is listed
	return f.Activity, translate(err, "find activity")
}

// FindStanding returns in one round trip what a person's standing in a
// queue is worked out from: the limits that apply, the organisation's time
// zone, and the activity since q.Since, with the closed exposures and the
// decisions that ended before q.Listed summed, not listed (every claim,
// review page and reveal asks).
func (db *DB) FindStanding(ctx context.Context, q review.StandingQuery) (review.StandingFacts, error) {
	since, listed := fmtTime(q.Since), fmtTime(q.Listed)
	recent := fmtTime(later(q.Since, q.Listed.Add(-review.MaxReblur)))
	f, err := db.readStanding(ctx, q.UserID, recent, timeEnd, q.UserID, since, recent,
		review.StepSpotlight, q.UserID, fmtTime(q.DayStart), recent,
		q.UserID, q.ItemID, since, timeEnd,
		q.UserID, listed, timeEnd,
		q.UserID, since, timeEnd,
		q.QueueID, q.UserID, review.SettingTimezone)
	if err == nil {
		f.Activity.Summed.ItemID = q.ItemID
	}
	return f, translate(err, "find standing")
}

// standingRows are FindStanding's rows: each has a kind, then the
// exposures' columns; the other kinds put theirs in the places of the
// same types. Kinds: e, an exposure open, or started late enough to end
// after the listing began (a reveal lasts review.MaxReblur at most); s,
// the day's closed exposures of one rendition (review.Share's seconds in
// region_fraction's place); i, the asked item's closed reveal seconds; d,
// a decision since the listing; b, a break; l, limits (the limits in
// media_id's place, the scope in rendition's); z, the time zone (in
// media_id's place). The sums read exposures_reviewer_day alone: it holds
// every column they need. The day's sums stop where the listing starts,
// so a recent exposure is read once, listed, not summed as well: the
// older rows they read have had time to be vacuumed, and then their heap
// pages are not read at all.
const standingRows = `SELECT 'e', ` + exposureColumns + ` FROM exposures
			WHERE reviewer_id = ? AND started_at >= ? AND started_at < ?
		UNION ALL SELECT 'e', ` + exposureColumns + ` FROM exposures
			WHERE reviewer_id = ? AND ended_at = '' AND started_at >= ? AND started_at < ?
		UNION ALL SELECT 's', 0, 0, 0, '', rendition, '', SUM(seconds * CASE WHEN rendition = ? THEN region_fraction ELSE 1 END), '', '', '', 0, '' FROM exposures
			WHERE reviewer_id = ? AND started_at >= ? AND started_at < ? AND ended_at != '' GROUP BY rendition
		UNION ALL SELECT 'i', 0, 0, 0, '', '', '', 0, '', '', '', COALESCE(SUM(seconds), 0), '' FROM exposures
			WHERE reviewer_id = ? AND item_id = ? AND started_at >= ? AND started_at < ? AND ended_at != ''
		UNION ALL SELECT 'd', 0, 0, severe, '', '', '', 0, created_at, '', '', seconds, '' FROM decisions
			WHERE reviewer_id = ? AND created_at >= ? AND created_at < ? AND kind != 'override'
		UNION ALL SELECT 'b', id, user_id, 0, '', reason, '', 0, started_at, ends_at, ended_at, 0, '' FROM breaks
			WHERE user_id = ? AND started_at >= ? AND started_at < ?
		UNION ALL SELECT 'l', 0, 0, 0, limits, scope, '', 0, '', '', '', 0, '' FROM wellbeing_limits
			WHERE (scope = 'org') OR (scope = 'queue' AND scope_id = ?) OR (scope = 'person' AND scope_id = ?)
		UNION ALL SELECT 'z', 0, 0, 0, value, '', '', 0, '', '', '', 0, '' FROM settings WHERE key = ?
		ORDER BY 9, 2`

// timeEnd is later than every stored time. Reads of what happened since a
// time (every request asks) bound the range with it as an argument: then
// PostgreSQL's generic plan, which cannot know how recent the start is,
// reckons on a narrow range, not a third of the person's history, costs
// what the plan for the actual arguments costs, and is kept, instead of
// planning the statement again at every call.
const timeEnd = "9999-12-31T23:59:59Z"

// readStanding reads standingRows.
func (db *DB) readStanding(ctx context.Context, args ...any) (review.StandingFacts, error) {
	var f review.StandingFacts
	f.Limits.Clear()
	f.Activity.Summed = &review.ActivitySums{Weighted: map[string]float64{}}
	rows, err := db.r.QueryContext(ctx, standingRows, args...)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var kind string
		e, err := scanExposure(rows, &kind)
		if err != nil {
			return err
		}
		a := &f.Activity
		switch kind {
		case "e":
			a.Exposures = append(a.Exposures, e)
		case "s":
			a.Summed.Weighted[e.Rendition] = e.RegionFraction
		case "i":
			a.Summed.ItemSeconds = e.Seconds
		case "d":
			a.Decisions = append(a.Decisions, review.DecisionMark{At: e.StartedAt, Took: time.Duration(e.Seconds) * time.Second, Severe: e.ItemID != 0})
		case "b":
			a.Breaks = append(a.Breaks, review.Break{ID: e.ID, UserID: e.ReviewerID, Reason: e.Rendition, StartedAt: e.StartedAt, EndsAt: e.CapAt, EndedAt: e.EndedAt})
		case "l":
			return addLimits(&f.Limits, e.Rendition, e.MediaID)
		case "z":
			f.Zone = e.MediaID
		}
		return nil
	})
	return f, err
}

const breakColumns = `id, user_id, reason, started_at, ends_at, ended_at`

func scanBreak(row rowScanner) (review.Break, error) {
	var b review.Break
	var started, ends, ended string
	err := row.Scan(&b.ID, &b.UserID, &b.Reason, &started, &ends, &ended)
	b.StartedAt, b.EndsAt, b.EndedAt = parseTime(started), parseTime(ends), parseTime(ended)
	return b, err
}

// FindBreaks lists a person's breaks started since a time (all people's
// when userID is 0), oldest first.
func (db *DB) FindBreaks(ctx context.Context, userID int64, since time.Time) ([]review.Break, error) {
	// One text per case: with (? = 0 OR user_id = ?), PostgreSQL planned
	// the statement again at every call (three times a review).
	q, args := `SELECT `+breakColumns+` FROM breaks WHERE started_at >= ? ORDER BY started_at, id`, []any{fmtTime(since)}
	if userID != 0 {
		q, args = `SELECT `+breakColumns+` FROM breaks WHERE user_id = ? AND started_at >= ? ORDER BY started_at, id`, []any{userID, fmtTime(since)}
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, translate(err, "find breaks")
	}
	defer rows.Close()
	var out []review.Break
	for rows.Next() {
		b, err := scanBreak(rows)
		if err != nil {
			return nil, translate(err, "scan break")
		}
		out = append(out, b)
	}
	return out, translate(rows.Err(), "find breaks")
}

// activeBreak is the person's break running at now, if any.
func activeBreak(ctx context.Context, tx *sql.Tx, userID int64, now time.Time) (review.Break, error) {
	b, err := scanBreak(tx.QueryRowContext(ctx, `SELECT `+breakColumns+` FROM breaks
		WHERE user_id = ? AND started_at <= ? AND (CASE WHEN ended_at != '' THEN ended_at ELSE ends_at END) > ?
		ORDER BY id DESC LIMIT 1`, userID, fmtTime(now), fmtTime(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return review.Break{}, nil
	}
	return b, translate(err, "find active break")
}

// StartBreak records a break unless one is running, hands back every item
// the person holds and closes their open reveals.
func (db *DB) StartBreak(ctx context.Context, b review.Break, ev review.AuditEvent) (review.Break, error) {
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := db.lockUser(ctx, tx, b.UserID); err != nil {
			return err
		}
		running, err := activeBreak(ctx, tx, b.UserID, b.StartedAt)
		if err != nil || running.ID != 0 {
			b = running
			return err
		}
		if err := releaseLeases(ctx, tx, b.UserID, b.StartedAt, "break"); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO breaks (user_id, reason, started_at, ends_at) VALUES (?, ?, ?, ?) RETURNING id`,
			b.UserID, b.Reason, fmtTime(b.StartedAt), fmtTime(b.EndsAt)).Scan(&b.ID)
		if err != nil {
			return translate(err, "start break")
		}
		return db.appendAudit(ctx, tx, ev)
	})
	return b, err
}

// EndBreak ends a person's running step-away break at now. Enforced breaks
// run their length.
func (db *DB) EndBreak(ctx context.Context, userID int64, now time.Time, ev review.AuditEvent) (review.Break, error) {
	var b review.Break
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		if b, err = activeBreak(ctx, tx, userID, now); err != nil {
			return err
		}
		switch {
		case b.ID == 0:
			return fmt.Errorf("you are not on a break: %w", review.ErrConflict)
		case b.Enforced():
			return fmt.Errorf("this break was set by your organisation's limits and ends at %s: %w", b.EndsAt.UTC().Format("15:04 UTC"), review.ErrForbidden)
		}
		b.EndedAt = now
		if _, err := tx.ExecContext(ctx, `UPDATE breaks SET ended_at = ? WHERE id = ?`, fmtTime(now), b.ID); err != nil {
			return translate(err, "end break")
		}
		return db.appendAudit(ctx, tx, ev)
	})
	return b, err
}

// Setting returns one organisation setting ("" when unset).
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, translate(err, "find setting %s", key)
}

// SaveSettings stores organisation settings together, audited.
func (db *DB) SaveSettings(ctx context.Context, values map[string]string, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		for k, v := range values {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
				return translate(err, "save setting %s", k)
			}
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// FindSettings returns the values of several settings ("" when unset).
func (db *DB) FindSettings(ctx context.Context, keys []string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	args := make([]any, len(keys))
	for i, k := range keys {
		out[k], args[i] = "", k
	}
	if len(keys) == 0 {
		return out, nil
	}
	rows, err := db.r.QueryContext(ctx, `SELECT key, value FROM settings WHERE key IN (?`+strings.Repeat(", ?", len(keys)-1)+`)`, args...)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var k, v string
		err := rows.Scan(&k, &v)
		out[k] = v
		return err
	})
	return out, translate(err, "find settings")
}

// later is the later of two times.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
