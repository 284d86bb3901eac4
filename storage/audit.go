package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/loupe-review/loupe/review"
)

// Append records one event in its own transaction.
func (db *DB) Append(ctx context.Context, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error { return db.appendAudit(ctx, tx, ev) })
}

// appendAudit records ev inside tx, so an event commits together with the
// change it describes, or not at all. Where writers take turns (SQLite) it
// is chained at once; where they run side by side (PostgreSQL) it waits in
// audit_pending for ChainPending, so that no write waits for the chain.
func (db *DB) appendAudit(ctx context.Context, tx *sql.Tx, ev review.AuditEvent) error {
	e := review.AuditEntry{
		At: db.Now().UTC(), Actor: ev.Actor, Action: ev.Action, Target: ev.Target,
		Details: review.CanonicalDetails(ev.Details),
	}
	if db.d.chainLater {
		return db.appendPending(ctx, tx, e)
	}
	return db.chainAudit(ctx, tx, e)
}

// chainAudit appends entries to the chain, after its head, in order. On
// PostgreSQL it takes the chain's lock until tx ends, so that reading the
// head and inserting after it cannot interleave with another instance and
// the chain never forks; SQLite's single writer already serialises them.
func (db *DB) chainAudit(ctx context.Context, tx *sql.Tx, entries ...review.AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	if err := db.d.lock(ctx, tx, lockAudit); err != nil {
		return err
	}
	head := review.ChainHead{Hash: review.GenesisHash}
	err := tx.QueryRowContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&head.ID, &head.Hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("storage: audit head: %w", err)
	}
	args := make([]any, 0, 8*len(entries))
	for _, e := range entries {
		e.ID, e.PrevHash = head.ID+1, head.Hash
		e.Hash = review.ChainMAC(db.auditKey, e)
		args = append(args, e.ID, fmtTime(e.At), e.Actor, e.Action, e.Target, e.Details, e.PrevHash, e.Hash)
		head = review.ChainHead{ID: e.ID, Hash: e.Hash}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (`+auditColumns+`) VALUES `+rowsOf(8, len(entries)), args...)
	return translate(err, "append %d audit entries", len(entries))
}

// rowsOf spells n rows of width placeholders for a multi-row VALUES.
func rowsOf(width, n int) string {
	row := "(?" + strings.Repeat(", ?", width-1) + ")"
	return row + strings.Repeat(", "+row, n-1)
}

const auditColumns = `id, at, actor, action, target, details, prev_hash, hash`

func scanAudit(rows *sql.Rows) (review.AuditEntry, error) {
	var e review.AuditEntry
	var at string
	err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Details, &e.PrevHash, &e.Hash)
	e.At = parseTime(at)
	return e, err
}

// FindAuditEntries lists entries newest first, narrowed by f, one page
// at a time by id (keyset paging: every page costs the same however deep).
func (db *DB) FindAuditEntries(ctx context.Context, f review.AuditFilter) ([]review.AuditEntry, error) {
	if err := db.chained(ctx); err != nil {
		return nil, err
	}
	var where []string
	var args []any
	for _, c := range []struct {
		on   bool
		cond string
		arg  any
	}{
		{f.Actor != "", "actor = ?", f.Actor},
		{f.Action != "", "action = ?", f.Action},
		{f.Target != "", "target = ?", f.Target},
		{!f.Since.IsZero(), "at >= ?", fmtTime(f.Since)},
		{!f.Until.IsZero(), "at < ?", fmtTime(f.Until)},
		{f.Before != 0, "id < ?", f.Before},
		{f.After != 0, "id > ?", f.After},
	} {
		if c.on {
			where, args = append(where, c.cond), append(args, c.arg)
		}
	}
	q := `SELECT ` + auditColumns + ` FROM audit_log`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	order := ` ORDER BY id DESC LIMIT ?`
	if f.After != 0 {
		order = ` ORDER BY id LIMIT ?` // the page just newer, reversed below
	}
	rows, err := db.r.QueryContext(ctx, q+order, append(args, limit)...)
	if err != nil {
		return nil, translate(err, "find audit entries")
	}
	defer rows.Close()
	var out []review.AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, translate(err, "scan audit entry")
		}
		out = append(out, e)
	}
	if f.After != 0 {
		slices.Reverse(out)
	}
	return out, translate(rows.Err(), "find audit entries")
}

// FindAuditActions lists the distinct actions in the log, by name. It
// hops from one action to the next along audit_log_action, so it costs
// one index seek per action, not a scan of the log.
func (db *DB) FindAuditActions(ctx context.Context) ([]string, error) {
	if err := db.chained(ctx); err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, `WITH RECURSIVE a(action) AS (
			SELECT MIN(action) FROM audit_log
			UNION ALL
			SELECT (SELECT MIN(action) FROM audit_log WHERE action > a.action) FROM a WHERE a.action IS NOT NULL)
		SELECT action FROM a WHERE action IS NOT NULL`)
	if err != nil {
		return nil, translate(err, "find audit actions")
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, translate(err, "scan audit action")
		}
		out = append(out, a)
	}
	return out, translate(rows.Err(), "find audit actions")
}

// AuditHead returns the newest entry's id and hash, for operators to
// anchor elsewhere; ID 0 and GenesisHash when the log is empty.
func (db *DB) AuditHead(ctx context.Context) (review.ChainHead, error) {
	h := review.ChainHead{Hash: review.GenesisHash}
	if err := db.chained(ctx); err != nil {
		return h, err
	}
	err := db.r.QueryRowContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&h.ID, &h.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return h, translate(err, "audit head")
}

// VerifyAudit recomputes the whole chain in id order and returns its head,
// or a *review.ChainBreak for the first broken entry (with the head of the
// intact part before it). A non-zero anchor must still be in the chain,
// unchanged.
func (db *DB) VerifyAudit(ctx context.Context, anchor review.ChainHead) (review.ChainHead, error) {
	if err := db.chained(ctx); err != nil {
		return review.ChainHead{}, err
	}
	tx, err := db.snapshot(ctx)
	if err != nil {
		return review.ChainHead{}, translate(err, "read audit log")
	}
	defer tx.Rollback()
	v := &review.ChainVerifier{Key: db.auditKey, Anchor: anchor}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MIN(id), 0) FROM audit_log WHERE action = ?`, review.ActionAuditKeyed).Scan(&v.KeyedFrom); err != nil {
		return review.ChainHead{}, translate(err, "find the first keyed audit entry")
	}
	if err := walkAudit(ctx, tx, v); err != nil {
		return v.Head(), err
	}
	return v.Finish()
}

// walkAudit feeds every entry to v, in id order.
func walkAudit(ctx context.Context, tx *sql.Tx, v *review.ChainVerifier) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY id`)
	if err != nil {
		return translate(err, "read audit log")
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return translate(err, "scan audit entry")
		}
		if err := v.Next(e); err != nil {
			return err
		}
	}
	return translate(rows.Err(), "read audit log")
}
