package storage

import (
	"context"
	"database/sql"
	"errors"
	"image"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

func TestRevealGrantsAndStaleExposures(t *testing.T) {
	eachEngine(t, testRevealGrantsAndStaleExposures)
}

func testRevealGrantsAndStaleExposures(t *testing.T, db *DB, c *clock) {
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

// TestDownloadsJoinTheLedger: a bundle download adds a closed row per file
// for the downloader, with its audit entry, and the wellbeing ledger
// counts it under its own rendition with no seconds.
func TestDownloadsJoinTheLedger(t *testing.T) { eachEngine(t, testDownloadsJoinTheLedger) }

func testDownloadsJoinTheLedger(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	r := reviewers(t, db, 1)
	seedItems(t, db, 1, review.NewQueue("q"))
	db.w.Exec(`INSERT INTO media (id, item_id, position, content_type, size, width, height, sha256, md5) VALUES ('m1', 1, 0, 'image/png', 1, 10, 10, '', ''), ('m2', 1, 1, 'image/png', 1, 10, 10, '', '')`)
	rows := []review.Exposure{
		{ReviewerID: r[0], ItemID: 1, MediaID: "m1", Rendition: review.RenditionDownload, RegionFraction: 1, StartedAt: c.Now()},
		{ReviewerID: r[0], ItemID: 1, MediaID: "m2", Rendition: review.RenditionDownload, RegionFraction: 1, StartedAt: c.Now()},
	}
	if err := db.RecordDownload(ctx, rows, review.AuditEvent{Actor: "lead@example.org", Action: review.ActionBundle, Target: "case:1"}); err != nil {
		t.Fatal(err)
	}
	got, _ := db.FindExposures(ctx, 1)
	if len(got) != 2 || got[0].Open() || got[0].Seconds != 0 || got[0].ClosedBy != "download" || got[1].MediaID != "m2" {
		t.Errorf("ledger rows %+v", got)
	}
	if n, _ := db.CloseStaleExposures(ctx, c.Now().Add(time.Hour)); n != 0 {
		t.Errorf("the sweep closed %d download rows", n)
	}
	led, _ := db.FindLedger(ctx, r[0], c.Now().Add(-time.Hour))
	if len(led.Exposures) != 1 || led.Exposures[0].Rendition != review.RenditionDownload || led.Exposures[0].Reveals != 2 || led.Exposures[0].Seconds != 0 {
		t.Errorf("wellbeing buckets %+v", led.Exposures)
	}
	if entries, _ := db.FindAuditEntries(ctx, review.AuditFilter{Action: review.ActionBundle}); len(entries) != 1 {
		t.Errorf("%d audit entries for the download", len(entries))
	}
}

// TestMigrationKeepsTheLedger upgrades a database at version 7 with a
// reveal and its grant: both survive the ledger's rebuild, with their ids,
// and the grant still refers to its exposure.
func TestMigrationKeepsTheLedger(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite3", dsn(path, "rwc", "immediate"))
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	raw.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)`)
	files, _ := migrationFiles()
	for _, f := range files[:7] {
		v, _ := migrationVersion(f)
		if err := (&DB{w: raw, d: sqliteDialect}).applyMigration(ctx, v, f); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO users (id, email, password_hash, created_at) VALUES (1, 'r@example.org', 'x', '2026-11-26T09:00:00Z')`,
		`INSERT INTO sources (id, name, created_at) VALUES (1, 'photos', '2026-11-26T09:00:00Z')`,
		`INSERT INTO items (id, source_id, external_id, status, queue_id, priority, metadata, received_at) VALUES (1, 1, 'e1', 'queued', 1, 50, '{}', '2026-11-26T09:00:00Z')`,
		`INSERT INTO media (id, item_id, position, content_type, size, width, height, sha256, md5) VALUES ('m1', 1, 0, 'image/png', 1, 10, 10, '', '')`,
		`INSERT INTO exposures (id, reviewer_id, item_id, media_id, rendition, region, region_fraction, started_at, cap_at) VALUES (41, 1, 1, 'm1', 'spotlight', '0,0,5,5', 0.25, '2026-11-26T09:00:00Z', '2026-11-26T09:00:10Z')`,
		`INSERT INTO reveal_grants (token_digest, exposure_id, expires_at) VALUES ('g1', 41, '2026-11-26T09:01:00Z')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	db, err := Open(ctx, path, time.Now, testAuditKey)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, _ := db.FindExposures(ctx, 1)
	if len(got) != 1 || got[0].ID != 41 || got[0].Region != image.Rect(0, 0, 5, 5) || got[0].RegionFraction != 0.25 {
		t.Errorf("exposures after the migration: %+v", got)
	}
	var exposureID int64
	if err := db.r.QueryRow(`SELECT g.exposure_id FROM reveal_grants g JOIN exposures e ON e.id = g.exposure_id WHERE g.token_digest = 'g1'`).Scan(&exposureID); err != nil || exposureID != 41 {
		t.Errorf("the grant after the migration: %d, %v", exposureID, err)
	}
	var fkProblems int
	var references string
	err1 := db.r.QueryRow(`SELECT COUNT(*) FROM pragma_foreign_key_check`).Scan(&fkProblems)
	err2 := db.r.QueryRow(`SELECT sql FROM sqlite_schema WHERE name = 'reveal_grants'`).Scan(&references)
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	if fkProblems != 0 || !strings.Contains(references, "REFERENCES exposures (id)") {
		t.Errorf("foreign keys after the migration: %d problems; reveal_grants is %s", fkProblems, references)
	}
}
