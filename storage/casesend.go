package storage

import (
	"context"
	"database/sql"
	"time"

	"github.com/loupe-review/loupe/review"
)

// The report outbox's state lives on the case: its report id, each file's
// progress and every transmission, written before the next step starts,
// so a restart resumes where sending stopped.

// DueCases lists approved cases whose next attempt is due.
func (db *DB) DueCases(ctx context.Context, now time.Time) ([]review.Case, error) {
	ids, err := collectIDs(db.r.QueryContext(ctx, `SELECT id FROM report_cases WHERE status = 'approved' AND next_attempt_at <= ? ORDER BY id LIMIT 20`, fmtTime(now)))
	if err != nil {
		return nil, translate(err, "find due cases")
	}
	var out []review.Case
	for _, id := range ids {
		c, err := db.FindCase(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// RecordTransmission stores one request and its answer.
func (db *DB) RecordTransmission(ctx context.Context, t review.Transmission) error {
	return db.writeDurable(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO report_transmissions (case_id, step, request, status, response, code, error, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			t.CaseID, t.Step, t.Request, t.Status, t.Response, t.Code, t.Error, fmtTime(t.At))
		return translate(err, "record transmission")
	})
}

// FindTransmissions lists a case's requests and answers, oldest first.
func (db *DB) FindTransmissions(ctx context.Context, caseID int64) ([]review.Transmission, error) {
	var out []review.Transmission
	rows, err := db.r.QueryContext(ctx, `SELECT id, case_id, step, request, status, response, code, error, at FROM report_transmissions WHERE case_id = ? ORDER BY id`, caseID)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var t review.Transmission
		var at string
		err := rows.Scan(&t.ID, &t.CaseID, &t.Step, &t.Request, &t.Status, &t.Response, &t.Code, &t.Error, &at)
		t.At = parseTime(at)
		out = append(out, t)
		return err
	})
	return out, translate(err, "find transmissions")
}

// SetReportID records the destination's report id and the XML sent,
// before any file is uploaded.
func (db *DB) SetReportID(ctx context.Context, caseID, reportID int64, xml string) error {
	return db.execDurable(ctx, "set report id", `UPDATE report_cases SET report_id = ?, xml = ?, attempts = 0, updated_at = ? WHERE id = ?`, reportID, xml, fmtTime(db.Now()), caseID)
}

// FindCaseFiles lists a case's file progress.
func (db *DB) FindCaseFiles(ctx context.Context, caseID int64) ([]review.CaseFile, error) {
	var out []review.CaseFile
	rows, err := db.r.QueryContext(ctx, `SELECT media_id, file_id, uploaded_at, info_at FROM report_files WHERE case_id = ? ORDER BY media_id`, caseID)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var f review.CaseFile
		var up, info string
		err := rows.Scan(&f.MediaID, &f.FileID, &up, &info)
		f.UploadedAt, f.InfoAt = parseTime(up), parseTime(info)
		out = append(out, f)
		return err
	})
	return out, translate(err, "find case files")
}

// SetFileUploaded records a file's id at the destination.
func (db *DB) SetFileUploaded(ctx context.Context, caseID int64, mediaID, fileID string, at time.Time) error {
	return db.execDurable(ctx, "record upload", `INSERT INTO report_files (case_id, media_id, file_id, uploaded_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (case_id, media_id) DO UPDATE SET file_id = excluded.file_id, uploaded_at = excluded.uploaded_at, info_at = ''`,
		caseID, mediaID, fileID, fmtTime(at))
}

// SetFileInfo records that a file's details were accepted.
func (db *DB) SetFileInfo(ctx context.Context, caseID int64, mediaID string, at time.Time) error {
	return db.execDurable(ctx, "record file info", `UPDATE report_files SET info_at = ? WHERE case_id = ? AND media_id = ?`, fmtTime(at), caseID, mediaID)
}

// ResetCase forgets a report the destination discarded, so sending starts
// again from submit.
func (db *DB) ResetCase(ctx context.Context, caseID int64) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM report_files WHERE case_id = ?`, caseID); err != nil {
			return translate(err, "reset files")
		}
		_, err := tx.ExecContext(ctx, `UPDATE report_cases SET report_id = 0 WHERE id = ?`, caseID)
		return translate(err, "reset case")
	})
}

// RetryCase schedules the next attempt after a failure that may pass.
func (db *DB) RetryCase(ctx context.Context, caseID int64, attempts int, next time.Time, problem string) error {
	return db.exec(ctx, "schedule retry", `UPDATE report_cases SET attempts = ?, next_attempt_at = ?, problem = ?, updated_at = ? WHERE id = ?`,
		attempts, fmtTime(next), problem, fmtTime(db.Now()), caseID)
}

// FailCase marks a case the destination refused for good.
func (db *DB) FailCase(ctx context.Context, caseID int64, problem string, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE report_cases SET status = 'failed', problem = ?, updated_at = ? WHERE id = ?`, problem, fmtTime(db.Now()), caseID); err != nil {
			return translate(err, "fail case")
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// FinishCase marks a case finished, its items reported, and puts them
// under a legal hold until holdUntil, in one transaction.
func (db *DB) FinishCase(ctx context.Context, caseID int64, now, holdUntil time.Time, xml string, ev review.AuditEvent) error {
	return db.writeDurable(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE report_cases SET status = 'finished', finished_at = ?, problem = '', xml = CASE WHEN ? != '' THEN ? ELSE xml END, updated_at = ?
			WHERE id = ? AND status = 'approved'`, fmtTime(now), xml, xml, fmtTime(now), caseID)
		if err := mustChange(res, err, "case %d is not being sent", caseID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE items SET status = 'reported' WHERE id IN (SELECT item_id FROM report_items WHERE case_id = ?)`, caseID); err != nil {
			return translate(err, "mark items reported")
		}
		if err := placeHolds(ctx, tx, caseID, holdUntil, "reported: "+review.CaseTarget(caseID), ev.Actor, now); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, ev)
	})
}
