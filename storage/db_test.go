package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// clock is a settable time source for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testAuditKey stands in for the key derived from the master key.
var testAuditKey = bytes.Repeat([]byte{0xa5}, 32)

func TestOpenAppliesMigrationsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "loupe.db")
	for range 2 {
		db, err := Open(context.Background(), path, time.Now, testAuditKey)
		if err != nil {
			t.Fatal(err)
		}
		var mode string
		if err := db.w.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal_mode = %q, %v; want wal", mode, err)
		}
		var fk int
		if err := db.r.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
			t.Errorf("foreign_keys = %d, %v; want 1", fk, err)
		}
		if err := db.Ping(context.Background()); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
}

func TestReadPoolCannotWrite(t *testing.T) {
	db, _ := openTest(t)
	if _, err := db.r.Exec(`INSERT INTO throttles (key, window_start, hits) VALUES ('x', '', 1)`); err == nil {
		t.Fatal("write through the read-only pool succeeded")
	}
}

func TestServerSecretIsCreatedOnceAndKept(t *testing.T) {
	eachEngine(t, testServerSecretIsCreatedOnceAndKept)
}

func testServerSecretIsCreatedOnceAndKept(t *testing.T, db *DB, _ *clock) {
	ctx := context.Background()
	a, err := db.ServerSecret(ctx, "cookie", 64, rand.Reader)
	if err != nil || len(a) != 64 {
		t.Fatalf("%d bytes, %v", len(a), err)
	}
	b, _ := db.ServerSecret(ctx, "cookie", 64, rand.Reader)
	if !bytes.Equal(a, b) {
		t.Error("second call returned a different secret")
	}
}

func TestDurableWritesRestoreNormalSync(t *testing.T) {
	db, _ := openTest(t)
	sync := func() int {
		var n int
		if err := db.w.QueryRow(`PRAGMA synchronous`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if sync() != 1 {
		t.Fatalf("synchronous = %d, want NORMAL (1)", sync())
	}
	var inside int
	err := db.writeDurable(context.Background(), func(tx *sql.Tx) error {
		return tx.QueryRow(`PRAGMA synchronous`).Scan(&inside)
	})
	if err != nil || inside != 2 {
		t.Errorf("inside a durable write synchronous = %d (%v), want FULL (2)", inside, err)
	}
	if sync() != 1 {
		t.Errorf("after a durable write synchronous = %d, want NORMAL again", sync())
	}
}

// On PostgreSQL, writes nobody outside was told of commit without waiting
// for the disk, as SQLite's NORMAL ones do, and durable writes wait for it.
func TestPostgresDurableWritesWaitForTheDisk(t *testing.T) {
	db, _ := openPostgresTest(t)
	setting := func(write func(context.Context, func(*sql.Tx) error) error) string {
		var v string
		if err := write(t.Context(), func(tx *sql.Tx) error {
			return tx.QueryRow(`SHOW synchronous_commit`).Scan(&v)
		}); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := setting(db.write); got != "off" {
		t.Errorf("a write commits with synchronous_commit %s, want off", got)
	}
	if got := setting(db.writeDurable); got != "on" {
		t.Errorf("a durable write commits with synchronous_commit %s, want on", got)
	}
	if got := setting(db.write); got != "off" {
		t.Errorf("after a durable write, a write commits with synchronous_commit %s, want off again", got)
	}
}
