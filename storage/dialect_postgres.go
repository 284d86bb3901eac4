package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

var postgresDialect = dialect{
	name:            "postgres",
	forUpdate:       " FOR NO KEY UPDATE",
	skipLocked:      " FOR NO KEY UPDATE SKIP LOCKED",
	xactLock:        `SELECT pg_advisory_xact_lock(?)`,
	tryXactLock:     `SELECT pg_try_advisory_xact_lock(?)`,
	chainLater:      true,
	migrationSuffix: ".pg.sql",
	migrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'))`,
	notify:          `SELECT pg_notify('` + hashListChannel + `', ?)`,
	topScore:        `COALESCE((SELECT MAX(value::float8) FROM jsonb_each_text(i.metadata::jsonb -> 'classifier' -> 'scores')), 0)`,
	snapshot:        sql.LevelRepeatableRead,
}

// IsPostgres reports whether a database names a PostgreSQL server (a
// postgres:// URL) rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Pool sizes per instance: writers, three of whose connections the
// singleton work holds (see lease.go), and readers. Kept small: every
// connection is a server process, and each time autovacuum vacuums or
// analyzes a table (once a minute for the small tables every review
// writes), every connection plans its statements on that table again, all
// at once. 200 reviewers on three instances keep about half a connection
// per instance busy. With 3 + 4 writers and 3 readers instead of 3 + 8 and
// 6, on two 100,000-item backlogs each, bench review's claim + page p99
// (the median of three runs) was 49 and 64 ms before the stop against 94
// and 35, and 45 and 39 ms after it against 224 and 60; PostgreSQL used 4%
// less CPU.
const (
	postgresWriters = 3 + 4
	postgresReaders = 3
)

// openPostgres opens a pool for writes and, like SQLite, a separate pool of
// read-only connections for reads, at PostgreSQL's default READ COMMITTED
// isolation; the statements that act on what they read lock those rows
// (dialect.forUpdate). Reads have their own pool so that pages never wait
// for a connection behind writes.
func openPostgres(dsn string) (w *sql.DB, reader func() (*sql.DB, error), cfg *pgx.ConnConfig, err error) {
	cfg, err = pgx.ParseConfig(dsn)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("storage: database URL: %w", err)
	}
	wc := cfg.Copy()
	wc.RuntimeParams["synchronous_commit"] = "off"
	w = sql.OpenDB(pgConnector{stdlib.GetConnector(*wc), &rebinder{}})
	w.SetMaxOpenConns(postgresWriters)
	w.SetMaxIdleConns(postgresWriters)
	return w, func() (*sql.DB, error) {
		ro := cfg.Copy()
		ro.RuntimeParams["default_transaction_read_only"] = "on"
		r := sql.OpenDB(pgConnector{stdlib.GetConnector(*ro), &rebinder{}})
		r.SetMaxOpenConns(postgresReaders)
		r.SetMaxIdleConns(postgresReaders)
		return r, nil
	}, cfg, nil
}

// pgConnector hands out connections that speak the storage package's SQL,
// sharing one cache of rebound queries.
type pgConnector struct {
	driver.Connector
	r *rebinder
}

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return pgConn{conn.(*stdlib.Conn), c.r}, nil
}

// pgConn is pgx's database/sql connection with ? placeholders rebound to
// $n, and Go bools passed as 0 and 1: Loupe's flags are INTEGER columns on
// both engines.
type pgConn struct {
	c *stdlib.Conn
	r *rebinder
}

func (c pgConn) Prepare(q string) (driver.Stmt, error) { return c.c.Prepare(c.r.rebind(q)) }
func (c pgConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return c.c.PrepareContext(ctx, c.r.rebind(q))
}
func (c pgConn) Close() error { return c.c.Close() }
func (c pgConn) Begin() (driver.Tx, error) {
	return c.c.BeginTx(context.Background(), driver.TxOptions{})
}
func (c pgConn) Ping(ctx context.Context) error { return c.c.Ping(ctx) }
func (c pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if !isDurable(ctx) {
		return c.c.BeginTx(ctx, opts)
	}
	if opts != (driver.TxOptions{}) {
		return nil, errors.New("storage: a durable write runs at the default isolation")
	}
	tx, err := c.c.Conn().BeginTx(ctx, pgx.TxOptions{BeginQuery: durableBegin})
	if err != nil {
		return nil, err
	}
	return pgTx{ctx, tx}, nil
}

// durableBegin starts a transaction whose commit is on disk before it
// returns, in the one round trip of a plain BEGIN (the writer pool's
// connections have synchronous_commit off): a decision and a reveal's
// bytes handed out each took one more before.
const durableBegin = `BEGIN; SET LOCAL synchronous_commit = on`

// pgTx is a pgx transaction as database/sql's driver sees it.
type pgTx struct {
	ctx context.Context
	tx  pgx.Tx
}

func (t pgTx) Commit() error   { return t.tx.Commit(t.ctx) }
func (t pgTx) Rollback() error { return t.tx.Rollback(t.ctx) }

// durableKey marks a context whose write transaction commits durably.
type durableKey struct{}

// durable marks ctx for a durable write transaction (see writeDurable).
func durable(ctx context.Context) context.Context {
	return context.WithValue(ctx, durableKey{}, true)
}

func isDurable(ctx context.Context) bool {
	v, _ := ctx.Value(durableKey{}).(bool)
	return v
}
func (c pgConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return c.c.ExecContext(ctx, c.r.rebind(q), args)
}
func (c pgConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	return c.c.QueryContext(ctx, c.r.rebind(q), args)
}
func (c pgConn) ResetSession(ctx context.Context) error { return c.c.ResetSession(ctx) }
func (c pgConn) IsValid() bool                          { return !c.c.Conn().IsClosed() }

func (c pgConn) CheckNamedValue(nv *driver.NamedValue) error {
	if b, ok := nv.Value.(bool); ok {
		nv.Value = int64(0)
		if b {
			nv.Value = int64(1)
		}
	}
	return nil
}

// postgresDuplicate reports a unique violation.
func postgresDuplicate(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}
