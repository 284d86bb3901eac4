package main

import (
	"context"
	"database/sql"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// TestPurgeCommand decides two items not violating, one 8 days ago and
// one yesterday: --dry-run lists the first and changes nothing; purge
// deletes its files and keys, and the data directory stays healthy.
func TestPurgeCommand(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	if code, _, errOut := loupe(t, data, "", "user", "add", "--email", "rev@example.org", "--role", "reviewer"); code != 0 {
		t.Fatal(errOut)
	}
	a, err := openApp(ctx, data, "", env{getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	src, _ := a.db.EnsureSource(ctx, "photos")
	rng := rand.New(rand.NewPCG(3, 4))
	ids := map[string]int64{}
	for _, ext := range []string{"old", "new"} {
		it, _, err := a.ingester.Ingest(ctx, review.APIToken{SourceID: src.ID, Source: "photos"}, []byte(`{"external_id":"`+ext+`"}`),
			[]review.Upload{{Bytes: encodePNG(synthImage(1, 32, 32, rng))}})
		if err != nil {
			t.Fatal(err)
		}
		ids[ext] = it.ID
	}
	a.Close()
	db, err := sql.Open("sqlite3", filepath.Join(data, "loupe.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for ext, age := range map[string]int{"old": 8, "new": 1} {
		at := time.Now().AddDate(0, 0, -age).UTC().Format(review.TimeFormat)
		if _, err := db.Exec(`INSERT INTO decisions (item_id, reviewer_id, kind, verdict, final, created_at) VALUES (?, 1, 'first', 'not_violating', 1, ?)`, ids[ext], at); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`UPDATE items SET status = 'decided', decided_at = ? WHERE id = ?`, at, ids[ext]); err != nil {
			t.Fatal(err)
		}
	}
	files := func() int {
		n := 0
		filepath.WalkDir(filepath.Join(data, "media"), func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				n++
			}
			return nil
		})
		return n
	}
	keys := func() (n int) {
		db.QueryRow(`SELECT COUNT(*) FROM media_objects`).Scan(&n)
		return n
	}
	filesBefore, keysBefore := files(), keys()

	line := strconv.FormatInt(ids["old"], 10) + "\told\tnot_violating\t1 media"
	code, out, errOut := loupe(t, data, "", "purge", "--dry-run")
	if code != 0 || !strings.Contains(out, line) || strings.Contains(out, "\tnew\t") || !strings.Contains(out, "would purge 1 media of 1 items") {
		t.Fatalf("purge --dry-run: %d %q %q", code, out, errOut)
	}
	if files() != filesBefore || keys() != keysBefore {
		t.Errorf("--dry-run changed something: %d files and %d keys, want %d and %d", files(), keys(), filesBefore, keysBefore)
	}

	code, out, errOut = loupe(t, data, "", "purge")
	if code != 0 || !strings.Contains(out, line) || !strings.Contains(out, "purged 1 media of 1 items") {
		t.Fatalf("purge: %d %q %q", code, out, errOut)
	}
	if files() != filesBefore-1 || keys() != keysBefore-2 {
		t.Errorf("after purge: %d files and %d keys, want %d and %d (the original's file, its key and the preview gone)", files(), keys(), filesBefore-1, keysBefore-2)
	}
	var audited int
	db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'media.purged' AND target = ?`, "item:"+strconv.FormatInt(ids["old"], 10)).Scan(&audited)
	if audited != 1 {
		t.Errorf("%d audit entries for the purge, want 1", audited)
	}
	if code, out, _ := loupe(t, data, "", "doctor"); code != 0 || !strings.Contains(out, "healthy") {
		t.Errorf("doctor after a purge: %d\n%s", code, out)
	}
	if code, out, _ := loupe(t, data, "", "purge", "--dry-run"); code != 0 || !strings.Contains(out, "would purge 0 media of 0 items") {
		t.Errorf("second dry run: %d %q", code, out)
	}
}
