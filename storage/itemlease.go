package storage

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

// Who holds an item is read by the item's key, or by its holder's
// (items_lease), and the rest of "holds it" is checked here, not in SQL.
//
// Shown a condition that implies the predicate of a partial index, such
// as a claimable status, lease_user_id = ? or ended_at = '', PostgreSQL
// may read that index whole. When the statistics were gathered while the
// index was empty (nobody held an item or had a reveal open: overnight,
// or when bench review settles its backlog), the planner counts it as
// empty for as long as they stand, and prefers reading all of it to
// finding one row by its key. With 200 reviewers at work that was 218
// buffers a lease check through items_lease_expiry, and thousands once
// leases had come and gone through items_lease. So the statements that
// find a row by its key name no such condition.

// leaseOf reads an item's lease by its key (readLease), heldIn the items
// of a queue (?) a person (?) holds or held (findHeld).
const (
	leaseOf = `SELECT lease_user_id, lease_until, status FROM items WHERE id = ?`
	heldIn  = `SELECT id, lease_until, status FROM items WHERE lease_user_id = ? AND queue_id = ? ORDER BY id`
)

// itemLease is an item's lease, as read with its row.
type itemLease struct {
	user   sql.NullInt64
	until  string
	status string
}

// runsFor reports whether the lease is userID's at now, on an item still
// to review (lease_until compares as text, as in SQL).
func (l itemLease) runsFor(userID int64, now time.Time) bool {
	return l.runs(now) && l.user.Int64 == userID
}

// runs reports whether anyone holds the item at now.
func (l itemLease) runs(now time.Time) bool {
	return l.user.Valid && l.until >= fmtTime(now) && isClaimable(l.status)
}

// isClaimable reports whether a status is one of claimable's.
func isClaimable(status string) bool {
	return strings.Contains(claimable, "'"+status+"'")
}

// readLease reads an item's lease by its key; suffix locks the row
// (dialect.forUpdate) or is empty. No row is sql.ErrNoRows.
func readLease(ctx context.Context, q querier, itemID int64, suffix string) (itemLease, error) {
	var l itemLease
	err := q.QueryRowContext(ctx, leaseOf+suffix, itemID).
		Scan(&l.user, &l.until, &l.status)
	return l, err
}

// findHeld returns the items of a queue a reviewer holds at now, and
// whether one of their leases, renewed to until, has less than half of
// its length left.
func findHeld(ctx context.Context, q querier, queueID, userID int64, now, until time.Time) (ids []int64, stale bool, err error) {
	half := fmtTime(now.Add(until.Sub(now) / 2))
	rows, err := q.QueryContext(ctx, heldIn, userID, queueID)
	ids, untils, err := collectHeld(rows, err, userID, now)
	for _, u := range untils {
		stale = stale || u < half
	}
	return ids, stale, err
}

// collectHeld reads rows of (id, lease_until, status) of items whose
// lease_user_id is userID and keeps, in order, those whose lease runs at
// now, with the lease's end.
func collectHeld(rows *sql.Rows, err error, userID int64, now time.Time) (ids []int64, untils []string, _ error) {
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var id int64
		l := itemLease{user: sql.NullInt64{Int64: userID, Valid: true}}
		if err := rows.Scan(&id, &l.until, &l.status); err != nil {
			return err
		}
		if l.runs(now) {
			ids, untils = append(ids, id), append(untils, l.until)
		}
		return nil
	})
	return ids, untils, err
}
