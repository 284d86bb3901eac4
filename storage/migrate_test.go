package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// TestMigration010BindsTokensToListIDs: partner tokens made before 010
// named their list; 010 binds each to the id of the list that has that name,
// and revokes those naming no list, which would otherwise reach the next
// list to take the name.
func TestMigration010BindsTokensToListIDs(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "loupe.db")
	now := func() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) }
	db, err := Open(ctx, path, now, testAuditKey)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, name := range []string{"alpha", "beta", "12"} {
		l, err := db.CreateHashList(ctx, review.HashList{Name: name, Kind: "block", Threshold: 31, Enabled: true}, review.AuditEvent{Action: "test"})
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = l.ID
	}
	scopes := map[string]string{"a": "hashlist:alpha", "b": "hashlist:beta", "n": "hashlist:12", "gone": "hashlist:gone", "in": "ingest", "m": "metrics"}
	for name, scope := range scopes {
		if _, err := db.CreateToken(ctx, name, "partner", scope, "digest-"+name, "test", review.AuditEvent{Action: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	// The database as it was before 010.
	if _, err := db.w.Exec(`DELETE FROM schema_migrations WHERE version = 10`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(ctx, path, now, testAuditKey); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tokens, err := db.FindTokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a": fmt.Sprint("hashlist:", ids["alpha"]), "b": fmt.Sprint("hashlist:", ids["beta"]),
		"n": fmt.Sprint("hashlist:", ids["12"]), "gone": "hashlist:gone", "in": "ingest", "m": "metrics"}
	for _, tok := range tokens {
		if tok.Scope != want[tok.Name] {
			t.Errorf("token %s: scope %q, want %q", tok.Name, tok.Scope, want[tok.Name])
		}
		if revoked := tok.Name == "gone"; tok.Revoked() != revoked {
			t.Errorf("token %s (scope %s): revoked %v, want %v", tok.Name, tok.Scope, tok.Revoked(), revoked)
		}
	}
	if len(tokens) != len(want) {
		t.Errorf("%d tokens after the migration, want %d", len(tokens), len(want))
	}
}
