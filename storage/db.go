package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// DB is Loupe's database: a SQLite file (one writer connection, a pool of
// readers) or a PostgreSQL server (a pool of writers and one of readers in
// each instance of Loupe that runs on it). The same SQL serves both; dialect holds the
// differences.
type DB struct {
	w   *sql.DB
	r   *sql.DB // read-only connections
	d   dialect
	Now func() time.Time
	// auditKey keys the audit chain's hashes (review.ChainMAC).
	auditKey []byte
	// pgConfig connects the hash-list listener (PostgreSQL only).
	pgConfig *pgx.ConnConfig
}

// Open opens the database and applies every pending migration: a
// postgres:// URL opens PostgreSQL, anything else is the path of a SQLite
// file (created if needed). auditKey, derived from the master key, keys the
// audit chain: without it nobody can write entries that verify.
func Open(ctx context.Context, database string, now func() time.Time, auditKey []byte) (*DB, error) {
	if len(auditKey) < 32 {
		return nil, fmt.Errorf("storage: open %s: the audit key must be at least 32 bytes", Redact(database))
	}
	db := &DB{Now: now, auditKey: auditKey}
	var reader func() (*sql.DB, error)
	var err error
	if IsPostgres(database) {
		db.d = postgresDialect
		db.w, reader, db.pgConfig, err = openPostgres(database)
	} else {
		db.d = sqliteDialect
		db.w, reader, err = openSQLite(database)
	}
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.w.Close()
		return nil, err
	}
	if db.r, err = reader(); err != nil {
		db.w.Close()
		return nil, err
	}
	return db, nil
}

// Engine names the database engine: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.d.name }

// Close closes the pools.
func (db *DB) Close() error {
	return errorsJoin(db.r.Close(), db.w.Close())
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.r.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// write runs fn in one write transaction and commits it, or rolls back on
// error. Its commit survives a crash of Loupe, but a crash of the machine
// (SQLite: synchronous NORMAL) or of the database server (PostgreSQL: the
// writer pool's synchronous_commit is off) may lose the last moments of
// such writes, never half of one: claims, reveal grants, sessions and
// settings, which nobody outside was told of or which are made again.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("storage: begin: %w", err)
	}
	return finish(tx, fn(tx))
}

// writeDurable is write with the commit on disk before it returns, for
// what Loupe acknowledges or acts on outside: an ingested item, a decision
// or its undo, media bytes handed out on a reveal, a report or callback
// sent. A durable commit also puts every earlier commit on disk (both
// engines write one log in order).
func (db *DB) writeDurable(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if db.d.name == sqliteDialect.name {
		return db.writeDurableSQLite(ctx, fn)
	}
	return db.write(durable(ctx), fn)
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

// Raw is the writer pool, for tests that set up rows no store method makes
// (with ? placeholders on every engine). Nothing else should use it.
func (db *DB) Raw() *sql.DB { return db.w }
