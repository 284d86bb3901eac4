package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/loupe-review/loupe/review"
)

const exposureColumns = `id, reviewer_id, item_id, media_id, rendition, region, region_fraction, started_at, cap_at, ended_at, seconds, closed_by`

// scanExposure reads exposureColumns, after the columns read into before.
func scanExposure(row rowScanner, before ...any) (review.Exposure, error) {
	var e review.Exposure
	var started, capAt, ended, region string
	err := row.Scan(append(before, &e.ID, &e.ReviewerID, &e.ItemID, &e.MediaID, &e.Rendition, &region, &e.RegionFraction, &started, &capAt, &ended, &e.Seconds, &e.ClosedBy)...)
	e.StartedAt, e.CapAt, e.EndedAt = parseTime(started), parseTime(capAt), parseTime(ended)
	fmt.Sscanf(region, "%d,%d,%d,%d", &e.Region.Min.X, &e.Region.Min.Y, &e.Region.Max.X, &e.Region.Max.Y)
	return e, err
}

// CreateReveal opens an exposure and the single-use grant that fetches it,
// only while the reviewer holds the item's lease (or its QA sample's).
func (db *DB) CreateReveal(ctx context.Context, e review.Exposure, grantDigest string, expires time.Time, ev review.AuditEvent) (review.Exposure, error) {
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := db.checkHold(ctx, tx, e.ItemID, e.ReviewerID, e.StartedAt); err != nil {
			return err
		}
		region := ""
		if !e.Region.Empty() {
			region = fmt.Sprintf("%d,%d,%d,%d", e.Region.Min.X, e.Region.Min.Y, e.Region.Max.X, e.Region.Max.Y)
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO exposures (reviewer_id, item_id, media_id, rendition, region, region_fraction, started_at, cap_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			e.ReviewerID, e.ItemID, e.MediaID, e.Rendition, region, e.RegionFraction, fmtTime(e.StartedAt), fmtTime(e.CapAt)).Scan(&e.ID)
		if err != nil {
			return translate(err, "open exposure")
		}
		if _, err = tx.ExecContext(ctx, `INSERT INTO reveal_grants (token_digest, exposure_id, expires_at) VALUES (?, ?, ?)`, grantDigest, e.ID, fmtTime(expires)); err != nil {
			return translate(err, "create reveal grant")
		}
		return db.appendAudit(ctx, tx, ev)
	})
	return e, err
}

// checkLease makes sure the reviewer holds the item, and keeps it theirs
// until tx ends: on PostgreSQL the item's row stays locked, so a decision
// or reveal that raced this one finds the lease gone once this commits.
func (db *DB) checkLease(ctx context.Context, tx *sql.Tx, itemID, userID int64, now time.Time) error {
	l, err := readLease(ctx, tx, itemID, db.d.forUpdate)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !l.runsFor(userID, now)) {
		return review.ErrLeaseLost
	}
	return translate(err, "check lease")
}

// UseGrant spends a reveal grant: it works once, before it expires, for
// the reviewer it was made for while they still hold the item.
func (db *DB) UseGrant(ctx context.Context, grantDigest string, userID int64, now time.Time) (review.Exposure, error) {
	var e review.Exposure
	// Durable: the bytes go out after this returns, so the ledger row of
	// the reveal (committed before, in the same log) is on disk by then.
	err := db.writeDurable(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `UPDATE reveal_grants SET used_at = ? WHERE token_digest = ? AND used_at = '' AND expires_at >= ? RETURNING exposure_id`,
			fmtTime(now), grantDigest, fmtTime(now)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("this reveal link was used already, has expired, or never existed: %w", review.ErrNotFound)
		}
		if err != nil {
			return translate(err, "use grant")
		}
		if e, err = scanExposure(tx.QueryRowContext(ctx, `SELECT `+exposureColumns+` FROM exposures WHERE id = ?`, id)); err != nil {
			return translate(err, "find exposure %d", id)
		}
		if e.ReviewerID != userID {
			return fmt.Errorf("this reveal belongs to someone else: %w", review.ErrForbidden)
		}
		return db.checkHold(ctx, tx, e.ItemID, userID, now)
	})
	return e, err
}

// CloseExposure ends one of the reviewer's exposures (re-blur, page hidden).
func (db *DB) CloseExposure(ctx context.Context, id, userID int64, now time.Time, reason string) (review.Exposure, error) {
	var e review.Exposure
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		e, err = scanExposure(tx.QueryRowContext(ctx, `SELECT `+exposureColumns+` FROM exposures WHERE id = ? AND reviewer_id = ?`, id, userID))
		if err != nil {
			return translate(err, "find exposure %d", id)
		}
		if !e.Open() {
			return nil
		}
		e = e.Close(now, reason)
		return saveClosed(ctx, tx, e)
	})
	return e, err
}

// saveClosed records how an open exposure ended; one that another
// transaction closed meanwhile (an instance's sweep, a decision) keeps the
// first close.
func saveClosed(ctx context.Context, tx *sql.Tx, e review.Exposure) error {
	_, err := tx.ExecContext(ctx, closeExposure, fmtTime(e.EndedAt), e.Seconds, e.ClosedBy, e.ID)
	return translate(err, "close exposure %d", e.ID)
}

// closeExposure ends an exposure found by its key if it is still open.
// "Still open" is spelled length(ended_at) = 0, not as ended_at equal to
// the empty string, so that PostgreSQL finds the row by its key rather
// than reading the whole of exposures_open (see itemlease.go).
const closeExposure = `UPDATE exposures SET ended_at = ?, seconds = ?, closed_by = ? WHERE id = ? AND length(ended_at) = 0`

// closeExposures ends every open exposure of a reviewer on an item.
func closeExposures(ctx context.Context, tx *sql.Tx, userID, itemID int64, now time.Time, reason string) error {
	_, err := closeOpen(ctx, tx, `reviewer_id = ? AND item_id = ?`, []any{userID, itemID}, now, reason)
	return err
}

// closeOpen ends the open exposures that where selects and returns how many.
func closeOpen(ctx context.Context, tx *sql.Tx, where string, args []any, now time.Time, reason string) (int, error) {
	open, err := collectExposures(tx.QueryContext(ctx, `SELECT `+exposureColumns+` FROM exposures WHERE ended_at = '' AND `+where, args...))
	if err != nil {
		return 0, err
	}
	for _, e := range open {
		if err := saveClosed(ctx, tx, e.Close(now, reason)); err != nil {
			return 0, err
		}
	}
	return len(open), nil
}

// CloseStaleExposures caps every exposure past its cap that no page closed
// (a tab closed, a network gone): the ledger never waits on the browser.
func (db *DB) CloseStaleExposures(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = closeOpen(ctx, tx, `cap_at < ?`, []any{fmtTime(now)}, now, "cap")
		return err
	})
	return n, err
}

// FindExposures lists an item's exposures, oldest first.
func (db *DB) FindExposures(ctx context.Context, itemID int64) ([]review.Exposure, error) {
	return collectExposures(db.r.QueryContext(ctx, `SELECT `+exposureColumns+` FROM exposures WHERE item_id = ? ORDER BY id`, itemID))
}

func collectExposures(rows *sql.Rows, err error) ([]review.Exposure, error) {
	if err != nil {
		return nil, translate(err, "find exposures")
	}
	defer rows.Close()
	var out []review.Exposure
	for rows.Next() {
		e, err := scanExposure(rows)
		if err != nil {
			return nil, translate(err, "scan exposure")
		}
		out = append(out, e)
	}
	return out, translate(rows.Err(), "find exposures")
}

// RecordDownload adds an export bundle's download to the ledger, one
// closed row per original handed out, with its audit entry.
func (db *DB) RecordDownload(ctx context.Context, rows []review.Exposure, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		for _, e := range rows {
			at := fmtTime(e.StartedAt)
			if _, err := tx.ExecContext(ctx, `INSERT INTO exposures (reviewer_id, item_id, media_id, rendition, region_fraction, started_at, cap_at, ended_at, seconds, closed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
				e.ReviewerID, e.ItemID, e.MediaID, review.RenditionDownload, e.RegionFraction, at, at, at, review.RenditionDownload); err != nil {
				return translate(err, "record download of media %s", e.MediaID)
			}
		}
		return db.appendAudit(ctx, tx, ev)
	})
}
