package storage

import (
	"context"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

func TestFindMetrics(t *testing.T) { eachEngine(t, testFindMetrics) }

func testFindMetrics(t *testing.T, db *DB, c *clock) {
	ctx := context.Background()
	ev := review.AuditEvent{Action: "test"}
	r := reviewers(t, db, 2)
	q := seedItems(t, db, 3, review.NewQueue("metrics"))
	c.Advance(10 * time.Minute)

	// One item decided after a closed grey reveal, one abandoned with its
	// lease run out, one waiting.
	decided, _ := db.ClaimItem(ctx, q.ID, r[0], c.Now(), c.Now().Add(5*time.Minute), ev)
	db.w.Exec(`INSERT INTO media (id, item_id, position, content_type, size, width, height, sha256, md5) VALUES ('m1', ?, 0, 'image/png', 1, 10, 10, '', '')`, decided)
	e := review.Exposure{ReviewerID: r[0], ItemID: decided, MediaID: "m1", Rendition: "grey", RegionFraction: 1, StartedAt: c.Now(), CapAt: c.Now().Add(10 * time.Second)}
	if _, err := db.CreateReveal(ctx, e, "grant-1", c.Now().Add(time.Minute), ev); err != nil {
		t.Fatal(err)
	}
	c.Advance(4 * time.Second)
	d := review.Decision{ItemID: decided, ReviewerID: r[0], Kind: review.KindFirst, Verdict: review.NotViolating}
	if _, err := db.RecordDecision(ctx, review.DecisionRecord{Decision: d, Outcome: review.Outcome{Kind: review.KindFirst, Status: review.StatusDecided, Final: true}, Now: c.Now(), Event: ev}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ClaimItem(ctx, q.ID, r[1], c.Now(), c.Now().Add(time.Minute), ev); err != nil {
		t.Fatal(err)
	}
	c.Advance(2 * time.Minute)

	// Callbacks: one delivered after a failure, one given up, one pending.
	src, _ := db.EnsureSource(ctx, "photos")
	for range 3 {
		if err := db.Enqueue(ctx, review.KindCallback, src.ID, decided, "{}"); err != nil {
			t.Fatal(err)
		}
	}
	db.w.Exec(`UPDATE outbox SET attempts = 2, delivered_at = ? WHERE id = 1`, fmtTime(c.Now()))
	db.w.Exec(`UPDATE outbox SET attempts = ? WHERE id = 2`, review.MaxAttempts)
	db.w.Exec(`UPDATE outbox SET attempts = 3 WHERE id = 3`)

	m, err := db.FindMetrics(ctx, c.Now())
	if err != nil {
		t.Fatal(err)
	}
	var got review.QueueMetrics
	for _, qm := range m.Queues {
		if qm.Name == "metrics" {
			got = qm
		}
	}
	want := review.QueueMetrics{Name: "metrics", Depth: 2, OldestAge: 12*time.Minute + 4*time.Second, InReview: 0, ExpiredLeases: 1}
	if got != want {
		t.Errorf("queue metrics %+v, want %+v", got, want)
	}
	if len(m.Queues) != 3 { // default, escalations, metrics
		t.Errorf("%d queues reported, want every queue (3)", len(m.Queues))
	}
	if m.ItemsIngested != 3 {
		t.Errorf("items ingested %d, want 3", m.ItemsIngested)
	}
	if len(m.Decisions) != 1 || m.Decisions[0] != (review.DecisionCount{Kind: review.KindFirst, Verdict: review.NotViolating, Count: 1}) {
		t.Errorf("decisions %+v", m.Decisions)
	}
	if len(m.Exposure) != 1 || m.Exposure[0] != (review.ExposureTotal{Rendition: "grey", Reveals: 1, Seconds: 4}) {
		t.Errorf("exposure %+v", m.Exposure)
	}
	wantOutbox := review.OutboxMetrics{Kind: review.KindCallback, Backlog: 1, GivenUp: 1, Delivered: 1, FailedAttempts: 1 + review.MaxAttempts + 3}
	if len(m.Outbox) != 2 || m.Outbox[0] != wantOutbox {
		t.Errorf("outbox %+v, want %+v", m.Outbox, wantOutbox)
	}
}

func TestFindMetricsOnAnEmptyDatabase(t *testing.T) { eachEngine(t, testFindMetricsOnAnEmptyDatabase) }

func testFindMetricsOnAnEmptyDatabase(t *testing.T, db *DB, c *clock) {
	m, err := db.FindMetrics(context.Background(), c.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Queues) != 2 || m.Queues[0].Depth != 0 || m.Queues[0].OldestAge != 0 {
		t.Errorf("queues on an empty database: %+v", m.Queues)
	}
	// Known outbox kinds are reported at zero rather than missing.
	if len(m.Outbox) != 2 || m.Outbox[0] != (review.OutboxMetrics{Kind: review.KindCallback}) || m.Outbox[1] != (review.OutboxMetrics{Kind: review.KindReport}) {
		t.Errorf("outbox on an empty database: %+v", m.Outbox)
	}
}
