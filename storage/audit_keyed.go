package storage

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strconv"

	"github.com/loupe-review/loupe/review"
)

// startKeyedAudit is migration 9's step. A log written before the chain was
// keyed is checked once, as it stands, and the first keyed entry is
// appended after its newest entry, recording how many entries came before
// and whether they verified: from then on, changing any of them breaks the
// link to that keyed entry. An empty log needs nothing: every entry will be
// keyed.
func (db *DB) startKeyedAudit(ctx context.Context, tx *sql.Tx) error {
	var n int64
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&n); err != nil {
		return translate(err, "count audit entries")
	}
	if n == 0 {
		return nil
	}
	legacy := "intact"
	err := walkAudit(ctx, tx, &review.ChainVerifier{KeyedFrom: math.MaxInt64})
	var br *review.ChainBreak
	if errors.As(err, &br) {
		legacy = br.Error()
	} else if err != nil {
		return err
	}
	// Chained at once: audit_pending comes with a later migration.
	return db.chainAudit(ctx, tx, review.AuditEntry{At: db.Now().UTC(), Actor: "system", Action: review.ActionAuditKeyed, Target: "audit_log",
		Details: review.CanonicalDetails(map[string]string{"earlier_entries": strconv.FormatInt(n, 10), "earlier_chain": legacy})})
}
