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

const caseColumns = `c.id, c.source_id, s.name, c.account_id, c.destination, c.status, c.incident_type, c.escalation, c.additional_info,
	COALESCE(c.approved_by, 0), COALESCE(u.email, ''), c.approved_at, c.environment, c.report_id, c.finished_at, c.problem,
	COALESCE(c.merged_into, 0), c.xml, c.attempts, c.next_attempt_at, c.created_at, c.updated_at`

const caseFrom = ` FROM report_cases c JOIN sources s ON s.id = c.source_id LEFT JOIN users u ON u.id = c.approved_by`

func scanCase(row rowScanner) (review.Case, error) {
	var c review.Case
	var status, approved, finished, next, created, updated string
	err := row.Scan(&c.ID, &c.SourceID, &c.Source, &c.AccountID, &c.Destination, &status, &c.IncidentType, &c.Escalation, &c.AdditionalInfo,
		&c.ApprovedBy, &c.Approver, &approved, &c.Environment, &c.ReportID, &finished, &c.Problem,
		&c.MergedInto, &c.XML, &c.Attempts, &next, &created, &updated)
	c.Status = review.CaseStatus(status)
	c.ApprovedAt, c.FinishedAt, c.NextAttemptAt = parseTime(approved), parseTime(finished), parseTime(next)
	c.CreatedAt, c.UpdatedAt = parseTime(created), parseTime(updated)
	return c, err
}

// joinCase puts a reportable item into the open case of its account and
// the organisation's destination, opening one when there is none. Items
// of unknown accounts get a case each.
func (db *DB) joinCase(ctx context.Context, tx *sql.Tx, itemID int64, actor string, now time.Time) error {
	var sourceID int64
	var account, dest string
	err := tx.QueryRowContext(ctx, `SELECT i.source_id, i.uploader_id, COALESCE((SELECT value FROM settings WHERE key = ?), '')
		FROM items i WHERE i.id = ?`, review.SettingDestination, itemID).Scan(&sourceID, &account, &dest)
	if err != nil {
		return translate(err, "find item %d for its case", itemID)
	}
	if dest != review.DestinationBundle {
		dest = review.DestinationCyberTipline
	}
	var caseID int64
	if account != "" {
		err = tx.QueryRowContext(ctx, `SELECT id FROM report_cases WHERE status = 'open' AND source_id = ? AND account_id = ? AND destination = ?`,
			sourceID, account, dest).Scan(&caseID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return translate(err, "find open case")
		}
	}
	if caseID == 0 {
		// Another instance may open the account's case at the same moment:
		// then this insert does nothing and the item joins that case.
		err := tx.QueryRowContext(ctx, `INSERT INTO report_cases (source_id, account_id, destination, status, incident_type, created_at, updated_at)
			VALUES (?, ?, ?, 'open', ?, ?, ?)
			ON CONFLICT (source_id, account_id, destination) WHERE status = 'open' AND account_id != '' DO NOTHING
			RETURNING id`, sourceID, account, dest, review.DefaultIncidentType, fmtTime(now), fmtTime(now)).Scan(&caseID)
		if errors.Is(err, sql.ErrNoRows) {
			return db.joinCase(ctx, tx, itemID, actor, now)
		}
		if err != nil {
			return translate(err, "open case")
		}
		if err := db.appendAudit(ctx, tx, review.AuditEvent{Actor: actor, Action: review.ActionCaseOpened, Target: review.CaseTarget(caseID),
			Details: map[string]string{"destination": dest, "item": fmt.Sprint(itemID)}}); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO report_items (case_id, item_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, caseID, itemID)
	if err != nil {
		return translate(err, "add item %d to case %d", itemID, caseID)
	}
	_, err = tx.ExecContext(ctx, `UPDATE report_cases SET updated_at = ? WHERE id = ?`, fmtTime(now), caseID)
	return translate(err, "touch case %d", caseID)
}

// leaveOpenCase takes an item out of its case while the case is open (a
// lead overturned the violating decision).
func leaveOpenCase(ctx context.Context, tx *sql.Tx, itemID int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM report_items WHERE item_id = ? AND case_id IN (SELECT id FROM report_cases WHERE status = 'open')`, itemID)
	return translate(err, "take item %d out of its case", itemID)
}

// FindCase returns a case with its items.
func (db *DB) FindCase(ctx context.Context, id int64) (review.Case, error) {
	c, err := scanCase(db.r.QueryRowContext(ctx, `SELECT `+caseColumns+caseFrom+` WHERE c.id = ?`, id))
	if err != nil {
		return c, translate(err, "find case %d", id)
	}
	cases := []review.Case{c}
	err = db.addItems(ctx, cases)
	return cases[0], err
}

// FindCases lists cases with a status (all but merged ones when ""), newest first.
func (db *DB) FindCases(ctx context.Context, status review.CaseStatus) ([]review.Case, error) {
	var out []review.Case
	rows, err := db.r.QueryContext(ctx, `SELECT `+caseColumns+caseFrom+`
		WHERE (? = '' AND c.status != 'merged') OR c.status = ? ORDER BY c.id DESC LIMIT 500`, string(status), string(status))
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		c, err := scanCase(rows)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, translate(err, "find cases")
	}
	return out, db.addItems(ctx, out)
}

// addItems fills in the item ids of cases, with one query.
func (db *DB) addItems(ctx context.Context, cases []review.Case) error {
	if len(cases) == 0 {
		return nil
	}
	index := map[int64]int{}
	ids := make([]any, len(cases))
	for i, c := range cases {
		index[c.ID], ids[i] = i, c.ID
	}
	rows, err := db.r.QueryContext(ctx, `SELECT case_id, item_id FROM report_items WHERE case_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY item_id`, ids...)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var caseID, item int64
		if err := rows.Scan(&caseID, &item); err != nil {
			return err
		}
		i := index[caseID]
		cases[i].Items = append(cases[i].Items, item)
		return nil
	})
	return translate(err, "find items of cases")
}

// FindCaseOfItem returns the case an item is in.
func (db *DB) FindCaseOfItem(ctx context.Context, itemID int64) (review.Case, error) {
	var id int64
	if err := db.r.QueryRowContext(ctx, `SELECT case_id FROM report_items WHERE item_id = ?`, itemID).Scan(&id); err != nil {
		return review.Case{}, translate(err, "find case of item %d", itemID)
	}
	return db.FindCase(ctx, id)
}

// UpdateCase saves what leads edit on an open case.
func (db *DB) UpdateCase(ctx context.Context, c review.Case, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE report_cases SET incident_type = ?, escalation = ?, additional_info = ?, updated_at = ? WHERE id = ? AND status = 'open'`,
			c.IncidentType, c.Escalation, c.AdditionalInfo, fmtTime(db.Now()), c.ID)
		if err := mustChange(res, err, "case %d is no longer open", c.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// ApproveCase records the approval and hands the case to the outbox.
func (db *DB) ApproveCase(ctx context.Context, id, userID int64, environment string, now time.Time, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE report_cases SET status = 'approved', approved_by = ?, approved_at = ?, environment = ?, next_attempt_at = ?, updated_at = ?
			WHERE id = ? AND status = 'open'`, userID, fmtTime(now), environment, fmtTime(now), fmtTime(now), id)
		if err := mustChange(res, err, "case %d is no longer open", id); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// MergeCases moves every item of an open case into another open case of
// the same destination.
func (db *DB) MergeCases(ctx context.Context, from, into int64, now time.Time, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM report_cases a JOIN report_cases b ON a.destination = b.destination
			WHERE a.id = ? AND b.id = ? AND a.status = 'open' AND b.status = 'open' AND a.id != b.id`, from, into).Scan(&n)
		if err != nil {
			return translate(err, "check cases")
		}
		if n == 0 {
			return fmt.Errorf("both cases must be open, different, and go to the same destination: %w", review.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE report_items SET case_id = ? WHERE case_id = ?`, into, from); err != nil {
			return translate(err, "move items")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE report_cases SET status = 'merged', merged_into = ?, updated_at = ? WHERE id = ?`, into, fmtTime(now), from); err != nil {
			return translate(err, "close merged case")
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// SplitItem moves one item of an open case into a new case of its own.
func (db *DB) SplitItem(ctx context.Context, caseID, itemID int64, now time.Time, ev review.AuditEvent) (review.Case, error) {
	var newID int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM report_items WHERE case_id = ?`, caseID).Scan(&n); err != nil {
			return translate(err, "count items")
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO report_cases (source_id, account_id, destination, status, incident_type, escalation, additional_info, created_at, updated_at)
			SELECT source_id, '', destination, 'open', incident_type, escalation, additional_info, ?, ? FROM report_cases
			WHERE id = ? AND status = 'open' AND EXISTS (SELECT 1 FROM report_items WHERE case_id = ? AND item_id = ?)
			RETURNING id`,
			fmtTime(now), fmtTime(now), caseID, caseID, itemID).Scan(&newID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("case %d is not open or does not hold item %d: %w", caseID, itemID, review.ErrConflict)
		}
		if err != nil {
			return translate(err, "split case %d", caseID)
		}
		if n < 2 {
			return fmt.Errorf("case %d has only this item: %w", caseID, review.ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE report_items SET case_id = ? WHERE item_id = ?`, newID, itemID); err != nil {
			return translate(err, "move item")
		}
		ev.Details = map[string]string{"item": fmt.Sprint(itemID), "new_case": fmt.Sprint(newID)}
		return db.appendAudit(ctx, tx, ev)
	})
	if err != nil {
		return review.Case{}, err
	}
	return db.FindCase(ctx, newID)
}

// Deciders lists the people who decided any item of a case.
func (db *DB) Deciders(ctx context.Context, caseID int64) ([]int64, error) {
	var out []int64
	rows, err := db.r.QueryContext(ctx, `SELECT DISTINCT reviewer_id FROM decisions WHERE item_id IN (SELECT item_id FROM report_items WHERE case_id = ?)`, caseID)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var id int64
		err := rows.Scan(&id)
		out = append(out, id)
		return err
	})
	return out, translate(err, "find deciders of case %d", caseID)
}

// mustChange turns "no row changed" into a conflict with a message.
func mustChange(res sql.Result, err error, format string, args ...any) error {
	if err != nil {
		return translate(err, "update")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf(format+": %w", append(args, review.ErrConflict)...)
	}
	return nil
}
