package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"

	"github.com/mattn/go-sqlite3"
)

var sqliteDialect = dialect{
	name:            "sqlite",
	migrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)`,
	topScore:        `COALESCE((SELECT MAX(value) FROM json_each(i.metadata, '$.classifier.scores')), 0)`,
}

// openSQLite opens the database file at path: writes go through one
// connection with immediate transactions (SQLite has one writer at a time
// anyway, and this avoids busy errors on lock upgrades); reads use a pool
// of read-only connections that WAL lets run alongside the writer. The
// read pool is opened after migrating, once the file exists.
func openSQLite(path string) (w *sql.DB, reader func() (*sql.DB, error), err error) {
	w, err = sql.Open("sqlite3", dsn(path, "rwc", "immediate"))
	if err != nil {
		return nil, nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	return w, func() (*sql.DB, error) {
		r, err := sql.Open("sqlite3", dsn(path, "ro", "deferred"))
		if err != nil {
			return nil, fmt.Errorf("storage: open %s read-only: %w", path, err)
		}
		r.SetMaxOpenConns(max(4, 2*runtime.GOMAXPROCS(0)))
		r.SetMaxIdleConns(max(4, 2*runtime.GOMAXPROCS(0)))
		return r, nil
	}, nil
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

// writeDurableSQLite runs fn with synchronous=FULL on the writer
// connection, so the commit is fsynced before it returns.
func (db *DB) writeDurableSQLite(ctx context.Context, fn func(tx *sql.Tx) error) error {
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

// sqliteDuplicate reports a unique or primary key violation.
func sqliteDuplicate(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrConstraint &&
		(se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

// checkSQLite runs SQLite's foreign key and integrity checks.
func (db *DB) checkSQLite(ctx context.Context) ([]string, error) {
	var problems []string
	rows, err := db.r.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return nil, translate(err, "foreign key check")
	}
	for rows.Next() {
		var table, parent string
		var rowid, fkid any
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err == nil {
			problems = append(problems, fmt.Sprintf("foreign key: %s row %v points to a missing %s row", table, rowid, parent))
		}
	}
	rows.Close()
	var integrity string
	if err := db.r.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&integrity); err != nil {
		return nil, translate(err, "integrity check")
	}
	if integrity != "ok" {
		problems = append(problems, "integrity check: "+integrity)
	}
	return problems, nil
}
