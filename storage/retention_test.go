package storage

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

const day = 24 * time.Hour

func TestRetentionPurgesOnScheduleAndKeepsHeldMedia(t *testing.T) {
	eachEngine(t, testRetentionPurgesOnScheduleAndKeepsHeldMedia)
}

func testRetentionPurgesOnScheduleAndKeepsHeldMedia(t *testing.T, db *DB, c *clock) {
	s := newRetained(t, db, c)
	ctx := context.Background()
	start := s.clock.Now()
	fine := s.addItem(t, "fine", 2)
	bad := s.addItem(t, "bad", 1)
	reported := s.addItem(t, "reported", 1)
	pending := s.addItem(t, "pending", 1)
	undecided := s.addItem(t, "undecided", 1)
	s.decide(t, fine.ID, review.NotViolating)
	s.decide(t, bad.ID, review.Violating)
	s.decide(t, reported.ID, review.Violating)
	s.decide(t, pending.ID, review.Violating)
	s.report(t, "finished", start.Add(review.DefaultRetention.Hold), reported.ID)
	s.report(t, "approved", time.Time{}, pending.ID)

	steps := []struct {
		at   time.Duration
		want []string
	}{
		{7*day - time.Minute, nil},
		{7 * day, []string{"fine"}},
		{90*day - time.Minute, nil},
		{90 * day, []string{"bad"}},
		{365*day - time.Minute, nil}, // the reported item is under its hold
		{365 * day, []string{"reported"}},
		{800 * day, nil}, // the pending case and the undecided item stay
	}
	for _, st := range steps {
		s.clock.Advance(start.Add(st.at).Sub(s.clock.Now()))
		if got := purgedIDs(s.purge(t, false)); !slices.Equal(got, st.want) {
			t.Errorf("purge at day %.2f: %q, want %q", st.at.Hours()/24, got, st.want)
		}
	}

	// What was purged is shredded and gone from disk; the rest is whole.
	for _, it := range []review.Item{fine, bad, reported} {
		for _, m := range it.Media {
			if keys, files := s.objects(t, m.ID); keys != 0 || files != 0 {
				t.Errorf("purged media %s: %d keys and %d files left", m.ID, keys, files)
			}
		}
		got, err := s.db.FindItemByID(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range got.Media {
			if m.PurgedAt.IsZero() || m.SHA256 == "" || m.MD5 == "" {
				t.Errorf("purged media %s: purged at %v, sha256 %q, md5 %q; want the time and the hashes kept", m.ID, m.PurgedAt, m.SHA256, m.MD5)
			}
		}
	}
	for _, it := range []review.Item{pending, undecided} {
		if keys, files := s.objects(t, it.Media[0].ID); keys != 2 || files != 2 {
			t.Errorf("kept media of %s: %d keys and %d files, want 2 and 2", it.ExternalID, keys, files)
		}
	}

	// One audit entry per purged item, saying why and how many.
	entries, err := s.db.FindAuditEntries(ctx, review.AuditFilter{Action: review.ActionMediaPurged})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range entries {
		got[e.Target] = e.Details
	}
	want := map[string]string{
		"item:" + strconv.FormatInt(fine.ID, 10):     `{"media":"2","why":"not_violating"}`,
		"item:" + strconv.FormatInt(bad.ID, 10):      `{"media":"1","why":"violating_unreported"}`,
		"item:" + strconv.FormatInt(reported.ID, 10): `{"media":"1","why":"reported_hold_ended"}`,
	}
	if len(got) != len(want) || len(entries) != len(want) {
		t.Errorf("audit entries %v, want %v", got, want)
	}
	for target, details := range want {
		if got[target] != details {
			t.Errorf("audit of %s: %q, want %q", target, got[target], details)
		}
	}
	if _, err := s.db.VerifyAudit(ctx, review.ChainHead{}); err != nil {
		t.Errorf("audit chain after purges: %v", err)
	}
}

func TestPurgeDryRunChangesNothing(t *testing.T) { eachEngine(t, testPurgeDryRunChangesNothing) }

func testPurgeDryRunChangesNothing(t *testing.T, db *DB, c *clock) {
	s := newRetained(t, db, c)
	ctx := context.Background()
	it := s.addItem(t, "fine", 2)
	s.decide(t, it.ID, review.NotViolating)
	s.clock.Advance(8 * day)
	rep := s.purge(t, true)
	if !rep.DryRun || !slices.Equal(purgedIDs(rep), []string{"fine"}) || rep.Media != 2 || rep.Items[0].Why != review.PurgeNotViolating {
		t.Fatalf("dry run: %+v", rep)
	}
	for _, m := range it.Media {
		if keys, files := s.objects(t, m.ID); keys != 2 || files != 2 {
			t.Errorf("after a dry run, media %s has %d keys and %d files, want 2 and 2", m.ID, keys, files)
		}
	}
	var purged int
	s.db.r.QueryRow(`SELECT COUNT(*) FROM media WHERE purged_at != ''`).Scan(&purged)
	entries, _ := s.db.FindAuditEntries(ctx, review.AuditFilter{Action: review.ActionMediaPurged})
	if purged != 0 || len(entries) != 0 {
		t.Errorf("after a dry run: %d media marked purged, %d audit entries", purged, len(entries))
	}
	// The same run for real deletes what the dry run listed.
	if rep := s.purge(t, false); !slices.Equal(purgedIDs(rep), []string{"fine"}) {
		t.Errorf("real run: %q", purgedIDs(rep))
	}
	if rep := s.purge(t, true); len(rep.Items) != 0 {
		t.Errorf("dry run after the purge lists %q", purgedIDs(rep))
	}
}

func TestPurgeMediaRechecksHolds(t *testing.T) { eachEngine(t, testPurgeMediaRechecksHolds) }

func testPurgeMediaRechecksHolds(t *testing.T, db *DB, c *clock) {
	s := newRetained(t, db, c)
	ctx := context.Background()
	it := s.addItem(t, "late-report", 1)
	s.decide(t, it.ID, review.Violating)
	s.clock.Advance(91 * day)
	cands, err := s.db.PurgeCandidates(ctx, review.DefaultRetention, s.clock.Now())
	if err != nil || len(cands) != 1 {
		t.Fatalf("candidates: %+v, %v", cands, err)
	}
	// The item is reported and held between the listing and the purge.
	s.report(t, "finished", s.clock.Now().Add(365*day), it.ID)
	err = s.db.PurgeMedia(ctx, it.ID, cands[0].MediaIDs, cands[0].Why, s.clock.Now(), review.AuditEvent{Actor: "system"})
	if !errors.Is(err, review.ErrConflict) {
		t.Errorf("purge of a newly held item: %v, want ErrConflict", err)
	}
	if keys, files := s.objects(t, it.Media[0].ID); keys != 2 || files != 2 {
		t.Errorf("held media: %d keys and %d files, want 2 and 2", keys, files)
	}
	// Media of another item is refused too.
	other := s.addItem(t, "other", 1)
	s.decide(t, other.ID, review.NotViolating)
	s.clock.Advance(8 * day)
	err = s.db.PurgeMedia(ctx, other.ID, []string{it.Media[0].ID}, review.PurgeNotViolating, s.clock.Now(), review.AuditEvent{Actor: "system"})
	if !errors.Is(err, review.ErrConflict) {
		t.Errorf("purge naming another item's media: %v, want ErrConflict", err)
	}
}

func TestCheckReportsHeldMediaMissingNotPurgedMedia(t *testing.T) {
	eachEngine(t, testCheckReportsHeldMediaMissingNotPurgedMedia)
}

func testCheckReportsHeldMediaMissingNotPurgedMedia(t *testing.T, db *DB, c *clock) {
	s := newRetained(t, db, c)
	ctx := context.Background()
	fine := s.addItem(t, "fine", 1)
	held := s.addItem(t, "held", 1)
	lost := s.addItem(t, "lost", 1)
	s.decide(t, fine.ID, review.NotViolating)
	s.decide(t, held.ID, review.Violating)
	s.report(t, "finished", s.clock.Now().Add(365*day), held.ID)
	s.clock.Advance(8 * day)
	s.purge(t, false)
	if problems, err := s.db.Check(ctx); err != nil || len(problems) != 0 {
		t.Fatalf("after a purge: %q, %v; want no problems", problems, err)
	}
	for _, it := range []review.Item{held, lost} {
		if _, err := s.db.w.Exec(`DELETE FROM media_objects WHERE media_id = ?`, it.Media[0].ID); err != nil {
			t.Fatal(err)
		}
	}
	problems, err := s.db.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(problems, "\n")
	if len(problems) != 2 || !strings.Contains(text, "media "+held.Media[0].ID+" of item "+strconv.FormatInt(held.ID, 10)+" is under legal hold") ||
		!strings.Contains(text, "media "+lost.Media[0].ID+" of item "+strconv.FormatInt(lost.ID, 10)+" has no original and was not purged") {
		t.Errorf("problems:\n%s", text)
	}
}
