package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/storage/storagetest"
	"github.com/loupe-review/loupe/storage/vault/s3/s3test"
)

func TestMigrateUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"migrate"}, "--to"},
		{[]string{"migrate", "--to", "/var/lib/loupe/loupe.db"}, "postgres://"},
		{[]string{"migrate", "--to", "postgres://x@/y", "--database", "postgres://x@/z"}, "already on PostgreSQL"},
	} {
		if code, _, stderr := loupe(t, t.TempDir(), "", c.args...); code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d %q, want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// seededDeployment is a SQLite data directory with the demo's people,
// items, decisions and hash lists in it.
func seededDeployment(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	data := t.TempDir()
	a, err := openApp(ctx, location{Data: data}, env{stderr: io.Discard, getenv: s3test.Getenv})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := seedDemo(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := seedDemoItems(ctx, a, time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return data
}

// migrateCmd runs a command on the data directory.
func migrateCmd(ctx context.Context, data string, run func(context.Context, env) error, args ...string) (string, error) {
	var out bytes.Buffer
	err := run(ctx, env{stdout: &out, stderr: io.Discard, getenv: s3test.Getenv, args: append(args, "--data", data)})
	return out.String(), err
}

// A populated SQLite deployment moves to PostgreSQL (and its media to a
// bucket, when an S3 server is there): every table arrives with its
// checksum, doctor passes there (every media object decrypts, the audit
// chain verifies under the same key), new rows get new ids, and a second
// copy into the same database is refused.
func TestMigrateToPostgres(t *testing.T) {
	target := storagetest.PostgresDatabase(t)
	ctx := context.Background()
	data := seededDeployment(t)
	args := []string{"--to", target}
	where := []string{"--database", target}
	if os.Getenv(s3test.Var) != "" {
		bucket := s3test.Bucket(t).String()
		args = append(args, "--media-to", bucket)
		where = append(where, "--media", bucket)
	}
	out, err := migrateCmd(ctx, data, cmdMigrate, args...)
	if err != nil || !strings.Contains(out, "every table's checksum matches") || !strings.Contains(out, "audit chain of") {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	for _, table := range []string{"users", "items", "media_objects", "decisions", "audit_log", "hash_lists"} {
		if !regexpMatch(`(?m)^\s+`+table+`\s+[1-9]\d* rows, [0-9a-f]{16}\s+match$`, out) {
			t.Errorf("no matching checksum line for %s with rows in it:\n%s", table, out)
		}
	}
	if out, err := migrateCmd(ctx, data, cmdDoctor, where...); err != nil || !strings.Contains(out, "is healthy") || strings.Contains(out, " 0 media objects") {
		t.Errorf("doctor on the target: %v\n%s", err, out)
	}
	if out, err := migrateCmd(ctx, data, cmdAuditVerify, where...); err != nil || !strings.Contains(out, "audit log intact") {
		t.Errorf("audit verify on the target: %v\n%s", err, out)
	}
	assertSameCounts(t, filepath.Join(data, "loupe.db"), target, "users", "items", "media", "decisions", "audit_log")
	// The identities continue past the copied ids.
	dst, err := openApp(ctx, location{Data: data, Database: target}, env{stderr: io.Discard, getenv: s3test.Getenv})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := dst.accounts.CreateUser(ctx, "test", "new@demo.example", review.NewRoles(review.RoleReviewer), ""); err != nil {
		t.Errorf("a new account on the target: %v", err)
	}
	dst.Close()
	_, err = migrateCmd(ctx, data, cmdMigrate, "--to", target)
	if err == nil || !strings.Contains(err.Error(), "already holds rows") || !strings.Contains(err.Error(), "--resume") {
		t.Errorf("second migrate into the same database: %v, want a refusal pointing at --resume", err)
	}
}

// A copy that stops halfway through a table is finished by --resume, which
// copies only the rest and verifies everything.
func TestMigrateResume(t *testing.T) {
	target := storagetest.PostgresDatabase(t)
	ctx := context.Background()
	data := seededDeployment(t)
	// Migrate the target, then copy until 20 of the 36 items.
	dst, err := openApp(ctx, location{Data: data, Database: target}, env{stderr: io.Discard, getenv: s3test.Getenv})
	if err != nil {
		t.Fatal(err)
	}
	dst.Close()
	stop, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := 0
	copied, err := copyDatabase(stop, filepath.Join(data, "loupe.db"), target, copyOptions{Out: io.Discard, BatchRows: 10, AfterBatch: func(table string) {
		if table == "items" {
			if batches++; batches == 2 {
				cancel()
			}
		}
	}})
	if !errors.Is(err, context.Canceled) || copied == 0 {
		t.Fatalf("interrupted copy: %d rows, %v; want some rows and context.Canceled", copied, err)
	}
	if _, err := migrateCmd(ctx, data, cmdMigrate, "--to", target); err == nil || !strings.Contains(err.Error(), "--resume") {
		t.Errorf("migrate without --resume into a half-copied database: %v, want a refusal", err)
	}
	out, err := migrateCmd(ctx, data, cmdMigrate, "--to", target, "--resume")
	if err != nil || !strings.Contains(out, "every table's checksum matches") {
		t.Fatalf("resumed migrate: %v\n%s", err, out)
	}
	if want := fmt.Sprintf("copied %d rows;", sourceRows(t, filepath.Join(data, "loupe.db"))-copied); !strings.Contains(out, want) {
		t.Errorf("the resumed copy did not copy just the rest (%d rows before), want %q:\n%s", copied, want, out)
	}
	if out, err := migrateCmd(ctx, data, cmdDoctor, "--database", target); err != nil || !strings.Contains(out, "is healthy") {
		t.Errorf("doctor on the target: %v\n%s", err, out)
	}
	assertSameCounts(t, filepath.Join(data, "loupe.db"), target, "users", "items", "media", "decisions", "audit_log")
	// A row changed on the target after the copy: the next --resume names
	// its table.
	pg, err := sql.Open("pgx", target)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if _, err := pg.Exec(`UPDATE items SET priority = priority + 1 WHERE id = (SELECT MIN(id) FROM items)`); err != nil {
		t.Fatal(err)
	}
	out, err = migrateCmd(ctx, data, cmdMigrate, "--to", target, "--resume")
	if err == nil || !strings.Contains(err.Error(), "checksums differ in items") || !regexpMatch(`(?m)^\s+items\s.*DIFFER`, out) {
		t.Errorf("resume over a changed row: %v, want the items checksum to differ\n%s", err, out)
	}
}

func assertSameCounts(t *testing.T, sqlitePath, pg string, tables ...string) {
	t.Helper()
	src, err := sql.Open("sqlite3", "file:"+sqlitePath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := sql.Open("pgx", pg)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	for _, table := range tables {
		var a, b int
		if err := src.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&a); err != nil {
			t.Fatal(err)
		}
		if err := dst.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&b); err != nil {
			t.Fatal(err)
		}
		if a != b || a == 0 {
			t.Errorf("%s: %d rows in SQLite, %d in PostgreSQL; want the same, more than 0", table, a, b)
		}
	}
}

// sourceRows counts the rows of every table a copy takes from a SQLite file.
func sourceRows(t *testing.T, path string) int64 {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names, err := queryStrings(context.Background(), db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'`)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, name := range names {
		var n int64
		if err := db.QueryRow(`SELECT COUNT(*) FROM ` + quote(name)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		total += n
	}
	return total
}
