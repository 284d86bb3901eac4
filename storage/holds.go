package storage

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/loupe-review/loupe/review"
)

// placeHolds puts every item of a case under a legal hold until until. It
// runs inside the transaction that finishes the case, so a finished case
// is never without its holds.
func placeHolds(ctx context.Context, tx *sql.Tx, caseID int64, until time.Time, reason, by string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO legal_holds (item_id, case_id, reason, held_until, created_by, created_at)
		SELECT item_id, case_id, ?, ?, ?, ? FROM report_items WHERE case_id = ? ORDER BY item_id`,
		reason, fmtTime(until), by, fmtTime(now), caseID)
	return translate(err, "place holds of case %d", caseID)
}

const holdColumns = `h.id, h.item_id, COALESCE(h.case_id, 0), h.reason, h.held_until, h.created_by, h.created_at, i.external_id, s.name`
const holdFrom = ` FROM legal_holds h JOIN items i ON i.id = h.item_id JOIN sources s ON s.id = i.source_id`

func scanHold(row rowScanner) (review.Hold, error) {
	var h review.Hold
	var until, created string
	err := row.Scan(&h.ID, &h.ItemID, &h.CaseID, &h.Reason, &until, &h.CreatedBy, &created, &h.ExternalID, &h.Source)
	h.Until, h.CreatedAt = parseTime(until), parseTime(created)
	return h, err
}

// FindHolds lists the holds in force at activeAt (every hold when it is
// zero), by case, item and end.
func (db *DB) FindHolds(ctx context.Context, activeAt time.Time) ([]review.Hold, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+holdColumns+holdFrom+` WHERE h.held_until > ?
		ORDER BY COALESCE(h.case_id, 0), h.item_id, h.held_until, h.id`, fmtTime(activeAt))
	if err != nil {
		return nil, translate(err, "find holds")
	}
	defer rows.Close()
	var out []review.Hold
	for rows.Next() {
		h, err := scanHold(rows)
		if err != nil {
			return nil, translate(err, "scan hold")
		}
		out = append(out, h)
	}
	return out, translate(rows.Err(), "find holds")
}

// ExtendHold moves a hold's end to until: only later, and with a reason,
// which is appended to the hold's and recorded in the audit entry.
func (db *DB) ExtendHold(ctx context.Context, holdID int64, until time.Time, reason string, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		h, err := scanHold(tx.QueryRowContext(ctx, `SELECT `+holdColumns+holdFrom+` WHERE h.id = ?`, holdID))
		if err != nil {
			return translate(err, "find hold %d", holdID)
		}
		if err := review.ValidateHoldExtension(h, until, reason, db.Now()); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE legal_holds SET held_until = ?, reason = ? WHERE id = ?`,
			fmtTime(until), review.ExtendedReason(h.Reason, reason, ev.Actor, until), holdID)
		if err != nil {
			return translate(err, "extend hold %d", holdID)
		}
		ev.Action, ev.Target = review.ActionHoldExtended, "hold:"+strconv.FormatInt(holdID, 10)
		ev.Details = map[string]string{
			"item": strconv.FormatInt(h.ItemID, 10), "case": strconv.FormatInt(h.CaseID, 10),
			"from": fmtTime(h.Until), "until": fmtTime(until), "reason": reason,
		}
		return db.appendAudit(ctx, tx, ev)
	})
}
