package storage

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/loupe-review/loupe/storage/storagetest"
)

// The storage tests are the contract every engine keeps: each test that
// runs through eachEngine runs on a SQLite file and on a PostgreSQL
// database of its own. PostgreSQL runs need LOUPE_TEST_POSTGRES (see
// storagetest); without it those subtests skip, saying so.

// eachEngine runs fn as a subtest per engine, on a fresh database.
func eachEngine(t *testing.T, fn func(t *testing.T, db *DB, c *clock)) {
	t.Helper()
	eachOpener(t, func(t *testing.T, open opener) {
		db, c := open(t)
		fn(t, db, c)
	})
}

// opener opens a fresh database of one engine.
type opener func(t *testing.T) (*DB, *clock)

// eachOpener runs fn as a subtest per engine, for tests that open several
// databases.
func eachOpener(t *testing.T, fn func(t *testing.T, open opener)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, openTest) })
	t.Run("postgres", func(t *testing.T) { fn(t, openPostgresTest) })
}

// testClock starts every test's time at the same moment.
func testClock() *clock { return &clock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)} }

func openTest(t *testing.T) (*DB, *clock) {
	t.Helper()
	c := testClock()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "loupe.db"), c.Now, testAuditKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, c
}

func openPostgresTest(t *testing.T) (*DB, *clock) {
	t.Helper()
	c := testClock()
	db, err := Open(context.Background(), storagetest.PostgresDatabase(t), c.Now, testAuditKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, c
}
