package storage

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/loupe-review/loupe/review"
)

// On PostgreSQL the instances' writers run side by side and the audit chain
// is still one chain, so appends take turns under a lock from reading the
// head until their transaction commits. Taken where the entry was appended,
// that turn lasted four round trips (lock, head, insert, commit) plus
// whatever the transaction did after the append, and every write of every
// instance queued behind it, holding its pooled connection meanwhile: under
// 200 reviewers the pools ran dry and even pages that only read waited
// seconds. So a transaction's entries are kept by its connection and
// appended as it commits, in two round trips: the lock and the head, then
// the entries and the commit. The entries still commit with the changes
// they describe, or not at all.

// appendAtCommit is the statement appendAudit sends on PostgreSQL: its one
// argument, a review.AuditEntry, is kept by the connection (nothing is sent)
// and appended when the transaction commits.
const appendAtCommit = "-- append the audit entry at commit"

// pgTx is a transaction that appends its connection's kept entries as it
// commits.
type pgTx struct {
	ctx context.Context
	c   *pgConn
	tx  driver.Tx
}

func (t pgTx) Commit() error {
	entries := t.c.pending
	t.c.pending = nil
	if len(entries) == 0 {
		return t.tx.Commit()
	}
	if err := t.c.appendAndCommit(t.ctx, entries); err != nil {
		_ = t.tx.Rollback() // the transaction failed before or at its commit
		return err
	}
	return nil
}

func (t pgTx) Rollback() error {
	t.c.pending = nil
	return t.tx.Rollback()
}

// keep holds an entry for the commit.
func (c *pgConn) keep(args []driver.NamedValue) (driver.Result, error) {
	if len(args) != 1 {
		return nil, errors.New("storage: append at commit: want one entry")
	}
	e, ok := args[0].Value.(review.AuditEntry)
	if !ok {
		return nil, fmt.Errorf("storage: append at commit: %T is not an audit entry", args[0].Value)
	}
	c.pending = append(c.pending, e)
	return driver.RowsAffected(0), nil
}

// appendAndCommit takes the chain's turn, chains entries onto its head and
// commits. Each statement of a pipeline sees what was committed before it
// runs, so the head is read after the lock is granted.
func (c *pgConn) appendAndCommit(ctx context.Context, entries []review.AuditEntry) error {
	conn := c.c.Conn()
	b := &pgx.Batch{}
	b.Queue(`SELECT pg_advisory_xact_lock($1)`, lockAudit)
	b.Queue(`SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`)
	br := conn.SendBatch(ctx, b)
	_, err := br.Exec()
	head := review.ChainHead{Hash: review.GenesisHash}
	if err == nil {
		if err = br.QueryRow().Scan(&head.ID, &head.Hash); errors.Is(err, pgx.ErrNoRows) {
			err = nil
		}
	}
	if err := errors.Join(err, br.Close()); err != nil {
		return fmt.Errorf("storage: audit head: %w", err)
	}
	b = &pgx.Batch{}
	for _, e := range entries {
		e.ID, e.PrevHash = head.ID+1, head.Hash
		e.Hash = review.ChainMAC(c.auditKey, e)
		b.Queue(`INSERT INTO audit_log (id, at, actor, action, target, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			e.ID, fmtTime(e.At), e.Actor, e.Action, e.Target, e.Details, e.PrevHash, e.Hash)
		head = review.ChainHead{ID: e.ID, Hash: e.Hash}
	}
	b.Queue(`COMMIT`)
	br = conn.SendBatch(ctx, b)
	for _, e := range entries {
		if _, err := br.Exec(); err != nil {
			_ = br.Close()
			return translate(err, "append audit %s", e.Action)
		}
	}
	tag, err := br.Exec()
	if err := errors.Join(err, br.Close()); err != nil {
		return fmt.Errorf("storage: commit: %w", err)
	}
	if tag.String() != "COMMIT" {
		return fmt.Errorf("storage: commit: the transaction was rolled back (%s)", tag)
	}
	return nil
}
