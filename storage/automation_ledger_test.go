package storage

import (
	"context"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// TestLedgerCountsItemsDecidedPerReveal: a person's items decided per
// reveal counts their violating and not-violating decisions (clusters
// give one per member) against their reveals; skips are no verdict, and
// automated decisions, which name the lead who configured the rule, are
// nobody's looks.
func TestLedgerCountsItemsDecidedPerReveal(t *testing.T) { eachEngine(t, testLedgerItemsPerReveal) }

func testLedgerItemsPerReveal(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	r := reviewers(t, db, 1)[0]
	q := seedItems(t, db, 4, review.NewQueue("q"))
	items, _ := db.FindWaiting(ctx, q.ID, 10)
	if _, err := db.w.Exec(`INSERT INTO media (id, item_id, position, content_type, size, width, height, sha256, md5) VALUES ('m', ?, 0, 'image/png', 1, 10, 10, '', '')`, items[0].ID); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := db.w.Exec(`INSERT INTO exposures (reviewer_id, item_id, media_id, rendition, started_at, cap_at, ended_at, seconds, closed_by)
			VALUES (?, ?, 'm', 'grey', ?, ?, ?, 3, 'reblur')`, r, items[0].ID, fmtTime(c.Now()), fmtTime(c.Now()), fmtTime(c.Now())); err != nil {
			t.Fatal(err)
		}
	}
	for i, d := range []struct{ kind, verdict string }{{"first", "violating"}, {"first", "not_violating"}, {"first", "violating"}, {"first", "skip"}, {"automated", "violating"}} {
		if _, err := db.w.Exec(`INSERT INTO decisions (item_id, reviewer_id, kind, verdict, final, created_at) VALUES (?, ?, ?, ?, 1, ?)`,
			items[i%len(items)].ID, r, d.kind, d.verdict, fmtTime(c.Now())); err != nil {
			t.Fatal(err)
		}
	}
	led, err := db.FindLedger(ctx, r, c.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	p := review.BuildPerson(review.User{ID: r}, review.Limits{}, led, 1, c.Now(), time.UTC)
	day := p.Sum(1)
	per, ok := day.DecidedPerReveal()
	if day.Decided != 4 || day.Verdicts != 3 || day.Reveals != 2 || !ok || per != 1.5 {
		t.Errorf("decided %d (want 4), verdicts %d (want 3), reveals %d (want 2), per reveal %v %v (want 1.5)", day.Decided, day.Verdicts, day.Reveals, per, ok)
	}
}
