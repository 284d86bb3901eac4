package storage

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/hashlist"
)

const hashListColumns = `l.id, l.name, l.kind, l.category, l.threshold, l.enabled, l.version, l.created_at, l.trusted, l.rematched_version,
	(SELECT COUNT(*) FROM hash_entries e WHERE e.list_id = l.id AND e.status = 'active'),
	(SELECT COUNT(*) FROM hash_proposals p WHERE p.list_id = l.id AND p.status = 'pending')`

func scanHashList(row rowScanner) (review.HashList, error) {
	var l review.HashList
	var created string
	err := row.Scan(&l.ID, &l.Name, &l.Kind, &l.Category, &l.Threshold, &l.Enabled, &l.Version, &created, &l.Trusted, &l.Rematched, &l.Active, &l.Pending)
	l.CreatedAt = parseTime(created)
	return l, err
}

// CreateHashList stores a new list.
func (db *DB) CreateHashList(ctx context.Context, l review.HashList, ev review.AuditEvent) (review.HashList, error) {
	l.CreatedAt = db.Now().UTC()
	err := db.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO hash_lists (name, kind, category, threshold, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			l.Name, l.Kind, l.Category, l.Threshold, l.Enabled, fmtTime(l.CreatedAt)).Scan(&l.ID)
		if err != nil {
			return translate(err, "create hash list %s", l.Name)
		}
		if err := db.notifyHashList(ctx, tx, l.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, ev)
	})
	return l, err
}

// UpdateHashList renames, enables or disables a list, or changes its threshold or category.
func (db *DB) UpdateHashList(ctx context.Context, l review.HashList, ev review.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE hash_lists SET name = ?, category = ?, threshold = ?, enabled = ? WHERE id = ?`, l.Name, l.Category, l.Threshold, l.Enabled, l.ID)
		if err != nil {
			return translate(err, "update hash list %d", l.ID)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("storage: hash list %d: %w", l.ID, review.ErrNotFound)
		}
		if err := db.notifyHashList(ctx, tx, l.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// FindHashLists lists every list by name.
func (db *DB) FindHashLists(ctx context.Context) ([]review.HashList, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+hashListColumns+` FROM hash_lists l ORDER BY l.name`)
	if err != nil {
		return nil, translate(err, "find hash lists")
	}
	defer rows.Close()
	var out []review.HashList
	for rows.Next() {
		l, err := scanHashList(rows)
		if err != nil {
			return nil, translate(err, "scan hash list")
		}
		out = append(out, l)
	}
	return out, translate(rows.Err(), "find hash lists")
}

// FindHashList returns a list by id.
func (db *DB) FindHashList(ctx context.Context, id int64) (review.HashList, error) {
	l, err := scanHashList(db.r.QueryRowContext(ctx, `SELECT `+hashListColumns+` FROM hash_lists l WHERE l.id = ?`, id))
	return l, translate(err, "find hash list %d", id)
}

// FindHashListByName returns a list by name.
func (db *DB) FindHashListByName(ctx context.Context, name string) (review.HashList, error) {
	l, err := scanHashList(db.r.QueryRowContext(ctx, `SELECT `+hashListColumns+` FROM hash_lists l WHERE l.name = ?`, name))
	return l, translate(err, "find hash list %s", name)
}

const entryColumns = `id, list_id, COALESCE(item_id, 0), hash_type, value, category, source, added_by, added_at, status, reason, version`

func scanEntry(row rowScanner) (review.HashEntry, error) {
	var e review.HashEntry
	var typ, source, added, status string
	err := row.Scan(&e.ID, &e.ListID, &e.ItemID, &typ, &e.Value, &e.Category, &source, &e.AddedBy, &added, &status, &e.Reason, &e.Version)
	e.Type, e.Source, e.AddedAt, e.Status = hashlist.HashType(typ), hashlist.Source(source), parseTime(added), hashlist.Status(status)
	return e, err
}

func collectEntries(rows *sql.Rows, err error) ([]review.HashEntry, error) {
	if err != nil {
		return nil, translate(err, "find entries")
	}
	defer rows.Close()
	var out []review.HashEntry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, translate(err, "scan entry")
		}
		out = append(out, e)
	}
	return out, translate(rows.Err(), "find entries")
}

// FindEntries lists a list's entries, newest change first (oldest first
// for delta exports, so a partner can apply them in order).
func (db *DB) FindEntries(ctx context.Context, listID int64, f review.EntryFilter) ([]review.HashEntry, error) {
	where, args := []string{"list_id = ?"}, []any{listID}
	if f.Value != "" {
		where, args = append(where, "value LIKE ?"), append(args, strings.ToLower(f.Value)+"%")
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, string(f.Status))
	}
	order := "version DESC, id DESC"
	if f.SinceVersion > 0 || f.Limit < 0 {
		where, args = append(where, "version > ?"), append(args, f.SinceVersion)
		order = "version, id"
	}
	q := `SELECT ` + entryColumns + ` FROM hash_entries WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	return collectEntries(db.r.QueryContext(ctx, q, args...))
}

// ActiveEntries returns every active entry of every list.
func (db *DB) ActiveEntries(ctx context.Context) ([]review.HashEntry, error) {
	return collectEntries(db.r.QueryContext(ctx, `SELECT `+entryColumns+` FROM hash_entries WHERE status = 'active' ORDER BY id`))
}

// FindItemEntries returns the active entries that came from an item's decision.
func (db *DB) FindItemEntries(ctx context.Context, itemID int64) ([]review.HashEntry, error) {
	return collectEntries(db.r.QueryContext(ctx, `SELECT `+entryColumns+` FROM hash_entries WHERE item_id = ? AND status = 'active'`, itemID))
}

// bumpVersion increases a list's version and returns the new one.
func bumpVersion(ctx context.Context, tx *sql.Tx, listID int64) (int64, error) {
	var v int64
	err := tx.QueryRowContext(ctx, `UPDATE hash_lists SET version = version + 1 WHERE id = ? RETURNING version`, listID).Scan(&v)
	return v, translate(err, "bump version of list %d", listID)
}

// upsertEntry adds or reactivates an entry, or retracts it, at version v.
func upsertEntry(ctx context.Context, tx *sql.Tx, listID, v, itemID int64, e hashlist.Entry, actor, now string) (review.HashEntry, error) {
	var item any
	if itemID != 0 {
		item = itemID
	}
	source := e.Source
	if source == "" {
		source = hashlist.SourceManual
	}
	status := e.Status
	if status == "" {
		status = hashlist.Active
	}
	row := tx.QueryRowContext(ctx, `INSERT INTO hash_entries (list_id, hash_type, value, category, source, added_by, added_at, status, reason, version, item_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (list_id, hash_type, value) DO UPDATE SET category = excluded.category, status = excluded.status, reason = excluded.reason, version = excluded.version
		RETURNING `+entryColumns,
		listID, string(e.Type), e.Value, e.Category, string(source), actor, now, string(status), e.Reason, v, item)
	ent, err := scanEntry(row)
	return ent, translate(err, "store entry %s:%s", e.Type, e.Value)
}

// ImportEntries applies rows to a list in one transaction.
func (db *DB) ImportEntries(ctx context.Context, listID int64, rows []hashlist.Entry, actor string, ev review.AuditEvent) ([]review.HashEntry, error) {
	var out []review.HashEntry
	err := db.write(ctx, func(tx *sql.Tx) error {
		v, err := bumpVersion(ctx, tx, listID)
		if err != nil {
			return err
		}
		now := fmtTime(db.Now())
		for _, r := range rows {
			e, err := upsertEntry(ctx, tx, listID, v, 0, r, actor, now)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		if err := db.notifyHashList(ctx, tx, listID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, ev)
	})
	return out, err
}

// RetractEntries marks entries retracted with a reason: they stop
// matching, and delta exports carry them as tombstones.
func (db *DB) RetractEntries(ctx context.Context, ids []int64, reason, actor string, ev review.AuditEvent) ([]review.HashEntry, error) {
	var out []review.HashEntry
	err := db.write(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			var listID int64
			if err := tx.QueryRowContext(ctx, `SELECT list_id FROM hash_entries WHERE id = ? AND status = 'active'`+db.d.forUpdate, id).Scan(&listID); err != nil {
				return translate(err, "find entry %d", id)
			}
			v, err := bumpVersion(ctx, tx, listID)
			if err != nil {
				return err
			}
			e, err := scanEntry(tx.QueryRowContext(ctx, `UPDATE hash_entries SET status = 'retracted', reason = ?, version = ? WHERE id = ? RETURNING `+entryColumns, reason, v, id))
			if err != nil {
				return translate(err, "retract entry %d", id)
			}
			if err := db.notifyHashList(ctx, tx, listID); err != nil {
				return err
			}
			out = append(out, e)
		}
		return db.appendAudit(ctx, tx, ev)
	})
	return out, err
}
