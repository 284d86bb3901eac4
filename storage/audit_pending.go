package storage

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/loupe-review/loupe/review"
)

// On PostgreSQL several instances write side by side, and the audit log is
// still one chain. Chained where it is written, every audited write (a
// claim, a reveal, a decision) took the chain's lock and held it through
// its commit and the disk flush, so all writes of all instances took turns.
// So an entry is written to audit_pending, in the transaction of the change
// it describes, and ChainPending moves the waiting entries onto the chain
// under the lock: each instance runs it every 200 ms, and every reader of
// the log runs it first, so a reader sees every entry committed before it
// read. Each pending entry carries a MAC of its seq and fields, so an entry
// changed while it waited is found out when it is chained.

// pendingBatch is how many entries one chaining transaction moves.
const pendingBatch = 500

// appendPending writes e to audit_pending inside tx, with its MAC.
func (db *DB) appendPending(ctx context.Context, tx *sql.Tx, e review.AuditEntry) error {
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT nextval('audit_pending_seq')`).Scan(&seq); err != nil {
		return translate(err, "number audit entry %s", e.Action)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_pending (seq, at, actor, action, target, details, mac) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		seq, fmtTime(e.At), e.Actor, e.Action, e.Target, e.Details, review.PendingMAC(db.auditKey, seq, e))
	return translate(err, "append audit %s", e.Action)
}

// Chained is what one ChainPending did.
type Chained struct {
	Entries int // entries moved onto the chain
	Altered int // of which pending entries whose MAC did not match
}

// ChainPending moves every entry waiting in audit_pending onto the chain,
// in seq order, and returns how many. An entry committed late with a lower
// seq goes into a later batch: the chain's order is the order of chaining.
// An entry whose MAC does not match is not chained as it stands: an
// ActionAuditAltered entry, holding what was found, takes its place. Safe
// to run from any number of instances at once: they take turns under the
// chain's lock. Nothing to do on SQLite.
func (db *DB) ChainPending(ctx context.Context) (Chained, error) {
	return db.chainPending(ctx, true)
}

// TryChainPending is ChainPending for the instances' background runs:
// while another instance is chaining it returns at once, having chained
// nothing, instead of holding a connection until it may. That run, or the
// next one, chains this instance's entries too.
func (db *DB) TryChainPending(ctx context.Context) (Chained, error) {
	return db.chainPending(ctx, false)
}

func (db *DB) chainPending(ctx context.Context, wait bool) (Chained, error) {
	var total Chained
	if !db.d.chainLater {
		return total, nil
	}
	var waiting bool // checked without the lock: most calls find nothing
	if err := db.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM audit_pending)`).Scan(&waiting); err != nil || !waiting {
		return total, translate(err, "find pending audit entries")
	}
	for {
		var c Chained
		if err := db.write(ctx, func(tx *sql.Tx) (err error) {
			c, err = db.chainBatch(ctx, tx, wait)
			return err
		}); err != nil {
			return total, err
		}
		total.Entries, total.Altered = total.Entries+c.Entries, total.Altered+c.Altered
		if c.Entries < pendingBatch {
			return total, nil
		}
	}
}

// chainBatch chains up to pendingBatch waiting entries and deletes them
// from audit_pending, under the chain's lock (taken first, so that the
// entries read are not being chained by another instance). Unless it is
// to wait for the lock, it chains nothing while another transaction holds
// it.
func (db *DB) chainBatch(ctx context.Context, tx *sql.Tx, wait bool) (Chained, error) {
	if wait {
		if err := db.d.lock(ctx, tx, lockAudit); err != nil {
			return Chained{}, err
		}
	} else if ok, err := db.d.tryLock(ctx, tx, lockAudit); err != nil || !ok {
		return Chained{}, err
	}
	var entries []review.AuditEntry
	var seqs []any
	var altered int
	rows, err := tx.QueryContext(ctx, `SELECT seq, at, actor, action, target, details, mac FROM audit_pending ORDER BY seq LIMIT ?`, pendingBatch)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var seq int64
		var at, mac string
		var e review.AuditEntry
		if err := rows.Scan(&seq, &at, &e.Actor, &e.Action, &e.Target, &e.Details, &mac); err != nil {
			return err
		}
		e.At = parseTime(at)
		if review.PendingMAC(db.auditKey, seq, e) != mac || fmtTime(e.At) != at {
			e, altered = db.alteredEntry(seq, at, e), altered+1
		}
		entries, seqs = append(entries, e), append(seqs, seq)
		return nil
	})
	if err != nil {
		return Chained{}, translate(err, "read pending audit entries")
	}
	if len(entries) == 0 {
		return Chained{}, nil
	}
	if err := db.chainAudit(ctx, tx, entries...); err != nil {
		return Chained{}, err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM audit_pending WHERE seq IN (?`+strings.Repeat(", ?", len(seqs)-1)+`)`, seqs...)
	return Chained{Entries: len(entries), Altered: altered}, translate(err, "delete chained audit entries")
}

// alteredEntry is what is chained in place of a pending entry whose MAC
// does not match: the system's record of what was found, as found.
func (db *DB) alteredEntry(seq int64, at string, found review.AuditEntry) review.AuditEntry {
	return review.AuditEntry{
		At: db.Now().UTC(), Actor: "system", Action: review.ActionAuditAltered, Target: "audit_pending:" + strconv.FormatInt(seq, 10),
		Details: review.CanonicalDetails(map[string]string{
			"reason": "the pending entry's MAC does not match: it was changed, or written without the audit key, before it was chained",
			"at":     at, "actor": found.Actor, "action": found.Action, "target": found.Target, "details": found.Details,
		}),
	}
}

// chained brings the log up to date before it is read: every entry
// committed before the read is on the chain.
func (db *DB) chained(ctx context.Context) error {
	_, err := db.ChainPending(ctx)
	return err
}

// PendingAudit counts the entries waiting to be chained, and the
// ActionAuditAltered entries on the chain (pending entries found changed).
func (db *DB) PendingAudit(ctx context.Context) (waiting, altered int64, err error) {
	err = db.r.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM audit_pending), (SELECT COUNT(*) FROM audit_log WHERE action = ?)`,
		review.ActionAuditAltered).Scan(&waiting, &altered)
	return waiting, altered, translate(err, "count pending audit entries")
}
