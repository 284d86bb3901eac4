package storage

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/pdq"
)

// flipped is base with its first k bits set.
func flipped(base pdq.Hash, k int) string {
	h := base
	for i := range k {
		h[i/8] ^= 1 << (i % 8)
	}
	return h.String()
}

func searchFor(t *testing.T, db *DB, text string) review.SearchResults {
	t.Helper()
	q, err := review.ParseSearch(text, 1)
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.SearchItems(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestSearchPDQThreshold: a file 31 bits from the query is found, one 32
// bits away is not, and the hit says how far it is.
func TestSearchPDQThreshold(t *testing.T) { eachEngine(t, testSearchPDQThreshold) }

func testSearchPDQThreshold(t *testing.T, db *DB, _ *clock) {
	ctx := context.Background()
	src, _ := db.EnsureSource(ctx, "photos")
	q, _ := db.FindQueueByName(ctx, "default")
	var base pdq.Hash
	base[31] = 0x5a
	for i, k := range []int{review.SearchPDQThreshold, review.SearchPDQThreshold + 1} {
		ext := []string{"near", "far"}[i]
		it := review.Item{SourceID: src.ID, ExternalID: ext, Status: review.StatusQueued, QueueID: q.ID, Metadata: review.Metadata{ExternalID: ext},
			Media: []review.Media{{ID: "m-" + ext, ContentType: "image/png", SHA256: strings.Repeat("a", 63) + ext[:1], MD5: "x", PDQ: flipped(base, k)}}}
		if _, err := db.CreateItem(ctx, it, nil, review.AuditEvent{Action: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	res := searchFor(t, db, base.String())
	if res.Total != 1 || res.Hits[0].Item.ExternalID != "near" || res.Hits[0].Why[0] != "PDQ distance 31" {
		t.Fatalf("PDQ search: %+v", res)
	}
}

// TestSearchByEachKey finds an item by its id, external id, account id,
// screen name (any case), SHA-256 and MD5; pages hold SearchPerPage hits.
func TestSearchByEachKey(t *testing.T) { eachEngine(t, testSearchByEachKey) }

func testSearchByEachKey(t *testing.T, db *DB, _ *clock) {
	ctx := context.Background()
	src, _ := db.EnsureSource(ctx, "photos")
	q, _ := db.FindQueueByName(ctx, "default")
	sha, md5 := strings.Repeat("ab", 32), strings.Repeat("cd", 16)
	var target review.Item
	for i := range 30 {
		ext := "ext-" + string(rune('a'+i))
		it := review.Item{SourceID: src.ID, ExternalID: ext, Status: review.StatusQueued, QueueID: q.ID,
			Metadata: review.Metadata{ExternalID: ext, Uploader: &review.Uploader{AccountID: "acct-9", ScreenName: "Night_Owl"}},
			Media:    []review.Media{{ID: "m-" + ext, ContentType: "image/png", SHA256: strings.Repeat("0", 63) + "1", MD5: "x"}}}
		if i == 7 {
			it.Media[0].SHA256, it.Media[0].MD5 = sha, md5
			it.Metadata.Uploader = &review.Uploader{AccountID: "acct-7", ScreenName: "Lone_Wolf"}
		}
		it, err := db.CreateItem(ctx, it, nil, review.AuditEvent{Action: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if i == 7 {
			target = it
		}
	}
	for _, key := range []string{"ext-h", "acct-7", "lone_wolf", "LONE_wolf", strings.ToUpper(sha), md5} {
		if res := searchFor(t, db, key); res.Total != 1 || res.Hits[0].Item.ID != target.ID {
			t.Errorf("search %q: %d hits", key, res.Total)
		}
	}
	if res := searchFor(t, db, "7"); res.Total == 0 || res.Hits[0].Item.ID != 7 {
		t.Errorf("search by id 7: %+v", res.Total)
	}
	res := searchFor(t, db, "night_owl")
	if res.Total != 29 || len(res.Hits) != review.SearchPerPage || res.Pages() != 2 {
		t.Errorf("screen name: total %d, page %d, pages %d", res.Total, len(res.Hits), res.Pages())
	}
	if _, err := review.ParseSearch("   ", 1); err == nil {
		t.Error("an empty search was accepted")
	}
}

// Search by external id and by account id reads an index, not the items
// table, now that neither has an index of its own: on SQLite the plan
// searches items by an index; on PostgreSQL each read touches a few
// buffers, with 20,000 items from two sources.
func TestSearchByExternalAndAccountIDReadsAnIndex(t *testing.T) {
	eachEngine(t, testSearchByExternalAndAccountIDReadsAnIndex)
}

func testSearchByExternalAndAccountIDReadsAnIndex(t *testing.T, db *DB, _ *clock) {
	ctx := context.Background()
	q, err := db.CreateQueue(ctx, review.NewQueue("q"), review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"photos", "chat"} {
		src, err := db.EnsureSource(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SeedItems(ctx, Seed{QueueID: q.ID, SourceID: src.ID, Waiting: 10_000, Prefix: name}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	if res := searchFor(t, db, "acct-42"); res.Total != 200 {
		t.Errorf("account acct-42: %d items, want 100 from each source", res.Total)
	}
	for _, s := range []struct{ query, arg string }{{searchExternal, "chat-4242"}, {searchAccount, "acct-42"}} {
		if db.d.name == postgresDialect.name {
			if n := buffersRead(t, db, s.query, s.arg); n > 40 {
				t.Errorf("%s read %d buffers, want a few for each of the two sources", s.query, n)
			}
			continue
		}
		rows, err := db.r.QueryContext(ctx, `EXPLAIN QUERY PLAN `+s.query, s.arg)
		err = eachRow(rows, err, func(rows *sql.Rows) error {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				return err
			}
			if strings.HasPrefix(detail, "SCAN items") {
				t.Errorf("%s: %s", s.query, detail)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
