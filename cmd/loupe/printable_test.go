package main

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// hostile would clear the screen, forge a row and reverse a column if a
// terminal received it as it is.
const hostile = "\x1b[2J\x1b[Hforged\n9\tfinished\u202eevil\r"

// TestCommandsEscapeStoredText stores hostile text wherever the command
// line prints stored text (as data written before ingest refused it would
// be), and checks each command prints it escaped, on the rows it belongs to.
func TestCommandsEscapeStoredText(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	loupe(t, data, "", "user", "add", "--email", "rev@example.org", "--role", "reviewer")
	loupe(t, data, "", "token", "add", "--name", "scanner", "--source", "photos")
	a, err := openApp(ctx, data, "", env{getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	src, _ := a.db.EnsureSource(ctx, "photos")
	it, _, err := a.ingester.Ingest(ctx, review.APIToken{SourceID: src.ID, Source: "photos"}, []byte(`{"external_id":"old"}`),
		[]review.Upload{{Bytes: encodePNG(synthImage(1, 32, 32, rand.New(rand.NewPCG(3, 4))))}})
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	db, err := sql.Open("sqlite3", filepath.Join(data, "loupe.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Now().AddDate(0, 0, -8).UTC().Format(review.TimeFormat)
	for _, q := range []string{
		`UPDATE users SET email = ?1`,
		`UPDATE queues SET name = ?1 WHERE name = 'escalations'`,
		`UPDATE api_tokens SET name = ?1`,
		`UPDATE sources SET name = ?1`,
		`INSERT INTO report_cases (source_id, account_id, destination, status, created_at, updated_at) VALUES (1, ?1, 'bundle', 'open', ?3, ?3)`,
		`UPDATE items SET external_id = ?1`,
		`INSERT INTO decisions (item_id, reviewer_id, kind, verdict, final, created_at) VALUES (?2, 1, 'first', 'not_violating', 1, ?3)`,
		`UPDATE items SET status = 'decided', decided_at = ?3 WHERE id = ?2`,
	} {
		if _, err := db.Exec(q, hostile, it.ID, at); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	escaped := `\x1b[2J\x1b[Hforged\n9\tfinished\u202eevil\r`
	for _, tc := range []struct {
		args  []string
		lines int
	}{
		{[]string{"report", "list"}, 2},
		{[]string{"user", "list"}, 2},
		{[]string{"queue", "list"}, 3},
		{[]string{"token", "list"}, 2},
		{[]string{"purge", "--dry-run"}, 2},
	} {
		code, out, errOut := loupe(t, data, "", tc.args...)
		if code != 0 {
			t.Errorf("%v: exit %d %q", tc.args, code, errOut)
		}
		if !strings.Contains(out, escaped) || strings.Count(out, "\n") != tc.lines {
			t.Errorf("%v printed %d lines, want %d with %s escaped:\n%s", tc.args, strings.Count(out, "\n"), tc.lines, hostile, out)
		}
		for _, r := range strings.NewReplacer("\n", "", "\t", "").Replace(out) {
			if review.ControlRune(r) {
				t.Errorf("%v printed %U:\n%q", tc.args, r, out)
				break
			}
		}
	}
}
