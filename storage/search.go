package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/pdq"
)

// Search by external id and by account id reads, for each source, the
// index that starts with the source: items has no index of its own for
// either (see 022_fewer_item_indexes.sql).
const (
	searchExternal = `SELECT id FROM items WHERE source_id IN (SELECT id FROM sources) AND external_id = ?`
	searchAccount  = `SELECT id FROM items WHERE source_id IN (SELECT id FROM sources) AND uploader_id = ?`
)

// SearchItems finds items by every key q can be, newest first, one page
// at a time. Each key uses an index, except PDQ: near matches are found by
// comparing q's hash with every stored one (a sequential read of the
// media table's hash column, fine for a team's volumes).
func (db *DB) SearchItems(ctx context.Context, q review.SearchQuery) (review.SearchResults, error) {
	var res review.SearchResults
	why := map[int64][]string{}
	add := func(reason, query string, args ...any) error {
		rows, err := db.r.QueryContext(ctx, query, args...)
		if err != nil {
			return translate(err, "search by %s", reason)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return translate(err, "scan search hit")
			}
			if !slices.Contains(why[id], reason) {
				why[id] = append(why[id], reason)
			}
		}
		return translate(rows.Err(), "search by %s", reason)
	}
	keys := []struct {
		on     bool
		reason string
		query  string
		arg    any
	}{
		{q.ItemID != 0, "item id", `SELECT id FROM items WHERE id = ?`, q.ItemID},
		{true, "external id", searchExternal, q.Text},
		{true, "account id", searchAccount, q.Text},
		{true, "screen name", `SELECT id FROM items WHERE lower(uploader_name) = ?`, foldASCII(q.Text)},
		{q.SHA256 != "", "SHA-256", `SELECT item_id FROM media WHERE sha256 = ?`, q.SHA256},
		{q.MD5 != "", "MD5", `SELECT item_id FROM media WHERE md5 = ?`, q.MD5},
	}
	for _, k := range keys {
		if k.on {
			if err := add(k.reason, k.query, k.arg); err != nil {
				return res, err
			}
		}
	}
	if q.HasPDQ {
		if err := db.searchPDQ(ctx, q.PDQ, why); err != nil {
			return res, err
		}
	}
	ids := make([]int64, 0, len(why))
	for id := range why {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int64) int { return int(b - a) })
	res.Total = len(ids)
	from := min((q.Page-1)*review.SearchPerPage, len(ids))
	for _, id := range ids[from:min(from+review.SearchPerPage, len(ids))] {
		it, err := db.FindItemByID(ctx, id)
		if err != nil {
			return res, err
		}
		it.Media = it.Media[:min(1, len(it.Media))]
		res.Hits = append(res.Hits, review.SearchHit{Item: it, Why: why[id]})
	}
	return res, nil
}

// foldASCII lower-cases ASCII letters only, as lower() does on SQLite and
// on PostgreSQL's uploader_name (C collation): the screen name matches
// without regard to case the same way on both engines.
func foldASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// searchPDQ adds the items with a file within review.SearchPDQThreshold
// of h, with the nearest distance per item.
func (db *DB) searchPDQ(ctx context.Context, h pdq.Hash, why map[int64][]string) error {
	rows, err := db.r.QueryContext(ctx, `SELECT item_id, pdq FROM media WHERE pdq != ''`)
	if err != nil {
		return translate(err, "search by PDQ")
	}
	defer rows.Close()
	best := map[int64]int{}
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return translate(err, "scan PDQ")
		}
		m, err := pdq.ParseHash(s)
		if err != nil {
			continue // a hash this build cannot read matches nothing
		}
		if d := pdq.Distance(h, m); d <= review.SearchPDQThreshold {
			if old, ok := best[id]; !ok || d < old {
				best[id] = d
			}
		}
	}
	for id, d := range best {
		why[id] = append(why[id], fmt.Sprintf("PDQ distance %d", d))
	}
	return translate(rows.Err(), "search by PDQ")
}
