package main

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/storage/storagetest"
)

// TestCommandsOnPostgres: with --database, the commands keep their state
// in PostgreSQL (the data directory keeps the key and media): an account
// added by one command is listed by the next, the audit chain verifies
// and doctor finds the deployment healthy.
func TestCommandsOnPostgres(t *testing.T) {
	db := storagetest.PostgresDatabase(t)
	dir := t.TempDir()
	on := func(args ...string) (int, string, string) {
		t.Helper()
		return loupe(t, dir, "", append(args, "--database", db)...)
	}
	if code, _, errOut := on("user", "add", "--email", "ana@example.org", "--role", "reviewer"); code != 0 {
		t.Fatalf("user add: %d %s", code, errOut)
	}
	if code, out, _ := on("user", "list"); code != 0 || !strings.Contains(out, "ana@example.org") {
		t.Errorf("user list: %d %q", code, out)
	}
	if code, _, _ := loupe(t, dir, "", "user", "list"); code != 0 {
		t.Errorf("user list on the directory's SQLite file: %d", code)
	} else if _, out, _ := loupe(t, dir, "", "user", "list"); strings.Contains(out, "ana@example.org") {
		t.Error("the account went into the SQLite file, not PostgreSQL")
	}
	if code, out, errOut := on("audit", "verify"); code != 0 || !strings.Contains(out, "intact: 1 entries") || !strings.Contains(out, "0 entries waiting") {
		t.Errorf("audit verify: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := on("doctor"); code != 0 || !strings.Contains(out, "healthy") {
		t.Errorf("doctor: %d %q %q", code, out, errOut)
	}
}

// TestAuditVerifyOnPostgresFindsAlteredPendingEntries: an audit entry
// changed in the database while it waited to be chained makes audit
// verify and doctor fail, though the chain itself is intact.
func TestAuditVerifyOnPostgresFindsAlteredPendingEntries(t *testing.T) {
	url := storagetest.PostgresDatabase(t)
	dir := t.TempDir()
	on := func(args ...string) (int, string, string) {
		t.Helper()
		return loupe(t, dir, "", append(args, "--database", url)...)
	}
	if code, _, errOut := on("user", "add", "--email", "ana@example.org", "--role", "reviewer"); code != 0 {
		t.Fatalf("user add: %d %s", code, errOut)
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if res, err := db.Exec(`UPDATE audit_pending SET target = 'user:mallory@example.org'`); err != nil {
		t.Fatal(err)
	} else if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%d entries waiting to be chained, want user add's", n)
	}
	code, out, errOut := on("audit", "verify")
	if code != 1 || !strings.Contains(out, "intact") || !strings.Contains(errOut, "1 audit entries were changed") {
		t.Errorf("audit verify: exit %d %q %q", code, out, errOut)
	}
	if code, out, _ := on("doctor"); code != 1 || !strings.Contains(out, "problem: 1 audit entries were changed") {
		t.Errorf("doctor: exit %d %q", code, out)
	}
}

func TestDatabaseFlagTakesAPostgresURL(t *testing.T) {
	code, _, errOut := loupe(t, t.TempDir(), "", "user", "list", "--database", "/var/lib/loupe/other.db")
	if code != 2 || !strings.Contains(errOut, "postgres://") {
		t.Errorf("--database with a file path: exit %d, %q", code, errOut)
	}
}

// TestBackupPointsPostgresToItsOwnTools: loupe backup copies a SQLite file;
// a PostgreSQL database is backed up with pg_dump or point-in-time
// recovery, and the command says so instead of half a backup.
func TestBackupPointsPostgresToItsOwnTools(t *testing.T) {
	dest := t.TempDir() + "/backup"
	code, _, errOut := loupe(t, t.TempDir(), "", "backup", dest, "--database", "postgres://loupe@db.invalid/loupe")
	if code == 0 || !strings.Contains(errOut, "pg_dump") {
		t.Errorf("backup with --database: exit %d, %q", code, errOut)
	}
}
