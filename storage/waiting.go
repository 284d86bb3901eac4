package storage

import (
	"context"
	"strings"

	"github.com/loupe-review/loupe/review"
)

// waitingOrder maps each sort of the waiting table to its ORDER BY, in
// the sort's natural direction; the id breaks ties the same way.
var waitingOrder = map[string][2]string{
	"priority": {"i.priority DESC, i.id", "i.priority, i.id DESC"},
	"age":      {"i.received_at, i.id", "i.received_at DESC, i.id DESC"},
	"source":   {"s.name, i.id", "s.name DESC, i.id DESC"},
	"matches":  {"matches DESC, i.id", "matches, i.id DESC"},
	"score":    {"score DESC, i.id", "score, i.id DESC"},
}

// waitingColumns are the table's figures beside the item's own columns.
func (d dialect) waitingColumns() string {
	return `,
	(SELECT COUNT(*) FROM media_matches mm JOIN media m ON m.id = mm.media_id WHERE m.item_id = i.id) AS matches,
	` + d.topScore + ` AS score,
	CASE WHEN i.lease_until >= ? THEN COALESCE((SELECT email FROM users WHERE id = i.lease_user_id), '') ELSE '' END,
	COALESCE((SELECT d.note FROM decisions d WHERE d.item_id = i.id AND d.verdict = 'escalate' ORDER BY d.id DESC LIMIT 1), ''),
	COALESCE((SELECT u.email FROM decisions d JOIN users u ON u.id = d.reviewer_id WHERE d.item_id = i.id AND d.verdict = 'escalate' ORDER BY d.id DESC LIMIT 1), ''),
	COALESCE((SELECT id FROM media WHERE item_id = i.id ORDER BY position LIMIT 1), '')`
}

// FindWaitingPage returns one page of a queue's waiting items, narrowed
// and sorted by f (validated), and how many match.
func (db *DB) FindWaitingPage(ctx context.Context, f review.WaitingFilter) (review.WaitingPage, error) {
	var page review.WaitingPage
	now := fmtTime(f.Now)
	where := []string{"i.queue_id = ?", "i." + claimable}
	args := []any{f.QueueID}
	switch f.Status {
	case "":
	case "held":
		where, args = append(where, "i.lease_until >= ?"), append(args, now)
	default:
		where, args = append(where, "i.status = ?"), append(args, f.Status)
	}
	if f.SourceID != 0 {
		where, args = append(where, "i.source_id = ?"), append(args, f.SourceID)
	}
	if f.Matched {
		where = append(where, "EXISTS (SELECT 1 FROM media_matches mm JOIN media m ON m.id = mm.media_id WHERE m.item_id = i.id)")
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM items i`+cond, args...).Scan(&page.Total); err != nil {
		return page, translate(err, "count waiting items")
	}
	order := waitingOrder[f.Sort][0]
	if f.Reverse {
		order = waitingOrder[f.Sort][1]
	}
	q := `SELECT ` + itemColumns + db.d.waitingColumns() + itemFrom + cond + ` ORDER BY ` + order + ` LIMIT ? OFFSET ?`
	rows, err := db.r.QueryContext(ctx, q, append(append([]any{now}, args...), review.WaitingPerPage, (f.Page-1)*review.WaitingPerPage)...)
	if err != nil {
		return page, translate(err, "find waiting items")
	}
	defer rows.Close()
	for rows.Next() {
		var w review.Waiting
		var mediaID string
		it, err := scanItem(scanExtra{rows, []any{&w.Matches, &w.Score, &w.HeldBy, &w.Escalation, &w.EscalatedBy, &mediaID}})
		if err != nil {
			return page, translate(err, "scan waiting item")
		}
		if mediaID != "" {
			it.Media = []review.Media{{ID: mediaID}}
		}
		w.Item = it
		page.Rows = append(page.Rows, w)
	}
	return page, translate(rows.Err(), "find waiting items")
}

// scanExtra scans an item row followed by more columns.
type scanExtra struct {
	row   rowScanner
	extra []any
}

func (s scanExtra) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra...)...) }
