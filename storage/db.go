package storage

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"runtime"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// DB is Loupe's SQLite database. Writes go through one connection with
// immediate transactions (SQLite has one writer at a time anyway, and this
// avoids busy errors on lock upgrades); reads use a pool of read-only
// connections that WAL lets run alongside the writer.
type DB struct {
	w   *sql.DB
	r   *sql.DB
	Now func() time.Time
	// auditKey keys the audit chain's hashes (review.ChainMAC).
	auditKey []byte
}

// Open opens (creating if needed) the database file at path and applies
// every pending migration. auditKey, derived from the master key, keys the
// audit chain: without it nobody can write entries that verify.
func Open(ctx context.Context, path string, now func() time.Time, auditKey []byte) (*DB, error) {
	if len(auditKey) < 32 {
		return nil, fmt.Errorf("storage: open %s: the audit key must be at least 32 bytes", path)
	}
	w, err := sql.Open("sqlite3", dsn(path, "rwc", "immediate"))
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	db := &DB{w: w, Now: now, auditKey: auditKey}
	if err := db.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite3", dsn(path, "ro", "deferred"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("storage: open %s read-only: %w", path, err)
	}
	r.SetMaxOpenConns(max(4, 2*runtime.GOMAXPROCS(0)))
	r.SetMaxIdleConns(max(4, 2*runtime.GOMAXPROCS(0)))
	db.r = r
	return db, nil
}

// dsn holds every SQLite setting Loupe relies on, in one place: WAL,
// foreign keys, a busy timeout, and synchronous=NORMAL: in WAL mode every
// commit survives a crash of the process and the database stays consistent
// through a power cut. Commits that acknowledge something to the outside
// (an ingested item, a decision) use writeDurable, which also survives a
// power cut.
func dsn(path, mode, txlock string) string {
	q := url.Values{}
	q.Set("mode", mode)
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "NORMAL")
	// 256 KiB of page cache per connection, so memory stays flat however
	// large the database grows; the operating system caches the file.
	q.Set("_cache_size", "-256")
	q.Set("_txlock", txlock)
	return "file:" + path + "?" + q.Encode()
}

// Close closes both pools.
func (db *DB) Close() error {
	return errorsJoin(db.r.Close(), db.w.Close())
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.r.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// write runs fn in one immediate transaction and commits it, or rolls back
// on error.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("storage: begin: %w", err)
	}
	return finish(tx, fn(tx))
}

// writeDurable is write with the commit fsynced to disk before it returns
// (synchronous=FULL for this transaction), for what Loupe acknowledges.
func (db *DB) writeDurable(ctx context.Context, fn func(tx *sql.Tx) error) error {
	conn, err := db.w.Conn(ctx) // the only writer connection, held throughout
	if err != nil {
		return fmt.Errorf("storage: writer: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = FULL`); err != nil {
		return fmt.Errorf("storage: synchronous: %w", err)
	}
	defer conn.ExecContext(context.Background(), `PRAGMA synchronous = NORMAL`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("storage: begin: %w", err)
	}
	return finish(tx, fn(tx))
}

func finish(tx *sql.Tx, err error) error {
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("storage: commit: %w", err)
	}
	return nil
}
