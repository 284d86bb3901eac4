package storage

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

func TestRevealGrantsAndStaleExposures(t *testing.T) {
	db, c := openTest(t)
	ctx := context.Background()
	r := reviewers(t, db, 2)
	q := seedItems(t, db, 1, review.NewQueue("q"))
	id, _ := db.ClaimItem(ctx, q.ID, r[0], c.Now(), c.Now().Add(5*time.Minute), review.AuditEvent{Action: "test"})
	db.w.Exec(`INSERT INTO media (id, item_id, position, content_type, size, width, height, sha256, md5) VALUES ('m1', ?, 0, 'image/png', 1, 10, 10, '', '')`, id)
	e := review.Exposure{ReviewerID: r[0], ItemID: id, MediaID: "m1", Rendition: "grey", RegionFraction: 1, StartedAt: c.Now(), CapAt: c.Now().Add(10 * time.Second)}
	if _, err := db.CreateReveal(ctx, e, "grant-1", c.Now().Add(time.Minute), review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UseGrant(ctx, "grant-1", r[1], c.Now()); !errors.Is(err, review.ErrForbidden) {
		t.Errorf("another reviewer used the grant: %v", err)
	}
	if _, err := db.UseGrant(ctx, "grant-1", r[0], c.Now()); err != nil {
		t.Errorf("the reviewer could not use their grant after someone else's refused attempt: %v", err)
	}
	if _, err := db.UseGrant(ctx, "grant-1", r[0], c.Now()); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("a grant worked twice: %v", err)
	}
	e.ReviewerID = r[1]
	if _, err := db.CreateReveal(ctx, e, "grant-2", c.Now().Add(time.Minute), review.AuditEvent{Action: "test"}); !errors.Is(err, review.ErrConflict) {
		t.Errorf("a reveal without the lease: %v", err)
	}
	// The page never reports back: the sweep closes the reveal at its cap.
	c.Advance(time.Hour)
	if n, err := db.CloseStaleExposures(ctx, c.Now()); n != 1 || err != nil {
		t.Fatalf("closed %d stale exposures, %v", n, err)
	}
	got, _ := db.FindExposures(ctx, id)
	if len(got) != 1 || got[0].Seconds != 10 || got[0].ClosedBy != "cap" {
		t.Errorf("stale exposure accounted as %+v", got)
	}
}
