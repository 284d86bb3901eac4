package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/storage/vault"
)

// retained is storage with a real vault, a source, a queue and a reviewer,
// for retention and hold tests.
type retained struct {
	db       *DB
	clock    *clock
	vault    *vault.Vault
	source   review.Source
	queue    review.Queue
	reviewer int64
	lead     string
}

func newRetained(t *testing.T, db *DB, c *clock) *retained {
	t.Helper()
	key := make([]byte, vault.KeySize)
	rand.Read(key)
	v, err := vault.Open(filepath.Join(t.TempDir(), "media"), key, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	src, err := db.EnsureSource(ctx, "photos")
	if err != nil {
		t.Fatal(err)
	}
	q, err := db.CreateQueue(ctx, review.NewQueue("retention"), review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return &retained{db: db, clock: c, vault: v, source: src, queue: q,
		reviewer: createUser(t, db, "rev@example.org", review.RoleReviewer).ID, lead: "lead@example.org"}
}

// addItem stores an item with n media, each with an original and a
// preview encrypted in the vault.
func (s *retained) addItem(t *testing.T, ext string, n int) review.Item {
	t.Helper()
	it := review.Item{SourceID: s.source.ID, ExternalID: ext, Status: review.StatusQueued, QueueID: s.queue.ID, Priority: 50,
		Metadata: review.Metadata{ExternalID: ext}}
	objects := map[string]review.MediaObjects{}
	for i := range n {
		m := review.Media{ID: fmt.Sprintf("%s-m%d", ext, i), Position: i, ContentType: "image/jpeg", Size: 3, Width: 1, Height: 1,
			SHA256: fmt.Sprintf("sha-%s-%d", ext, i), MD5: fmt.Sprintf("md5-%s-%d", ext, i)}
		objects[m.ID] = review.MediaObjects{}
		for _, kind := range []review.MediaKind{review.KindOriginal, review.KindPreview} {
			wrapped, err := s.vault.Put(t.Context(), review.ObjectID(m.ID, kind), []byte("image "+m.ID+" "+string(kind)))
			if err != nil {
				t.Fatal(err)
			}
			objects[m.ID][kind] = review.StoredObject{Key: wrapped}
		}
		it.Media = append(it.Media, m)
	}
	it, err := s.db.CreateItem(context.Background(), it, objects, review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return it
}

// decide records a final decision at the clock's time.
func (s *retained) decide(t *testing.T, itemID int64, v review.Verdict) {
	t.Helper()
	now := fmtTime(s.clock.Now())
	if _, err := s.db.w.Exec(`INSERT INTO decisions (item_id, reviewer_id, kind, verdict, final, created_at) VALUES (?, ?, 'first', ?, 1, ?)`,
		itemID, s.reviewer, string(v), now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.w.Exec(`UPDATE items SET status = 'decided', decided_at = ? WHERE id = ?`, now, itemID); err != nil {
		t.Fatal(err)
	}
}

// report puts items in a case of the given status; a finished case holds
// them until until, as finishing a case does.
func (s *retained) report(t *testing.T, status string, until time.Time, itemIDs ...int64) int64 {
	t.Helper()
	ctx := context.Background()
	now := s.clock.Now()
	finished := ""
	if status == "finished" {
		finished = fmtTime(now)
	}
	var caseID int64
	err := s.db.w.QueryRow(`INSERT INTO report_cases (source_id, destination, status, finished_at, created_at, updated_at) VALUES (?, 'bundle', ?, ?, ?, ?) RETURNING id`,
		s.source.ID, status, finished, fmtTime(now), fmtTime(now)).Scan(&caseID)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range itemIDs {
		if _, err := s.db.w.Exec(`INSERT INTO report_items (case_id, item_id) VALUES (?, ?)`, caseID, id); err != nil {
			t.Fatal(err)
		}
	}
	if status == "finished" {
		err := s.db.write(ctx, func(tx *sql.Tx) error { return placeHolds(ctx, tx, caseID, until, "reported", s.lead, now) })
		if err != nil {
			t.Fatal(err)
		}
	}
	return caseID
}

// objects counts a media's wrapped keys and vault files.
func (s *retained) objects(t *testing.T, mediaID string) (keys, files int) {
	t.Helper()
	if err := s.db.r.QueryRow(`SELECT COUNT(*) FROM media_objects WHERE media_id = ?`, mediaID).Scan(&keys); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []review.MediaKind{review.KindOriginal, review.KindPreview, review.KindGrey} {
		if ok, err := s.vault.Exists(t.Context(), review.ObjectID(mediaID, kind)); err != nil {
			t.Fatal(err)
		} else if ok {
			files++
		}
	}
	return keys, files
}

// purge runs the policy at the clock's time.
func (s *retained) purge(t *testing.T, dryRun bool) review.PurgeReport {
	t.Helper()
	rep, err := review.Purge(context.Background(), s.db, s.vault, review.DefaultRetention, s.clock.Now(), dryRun)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// purgedIDs lists the external ids of a report's items.
func purgedIDs(rep review.PurgeReport) []string {
	var out []string
	for _, c := range rep.Items {
		out = append(out, c.ExternalID)
	}
	return out
}
