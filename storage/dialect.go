package storage

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
)

// dialect holds what differs between the engines Loupe runs on. SQL is
// written once, with ? placeholders, in the subset both SQLite and
// PostgreSQL accept (RETURNING, ON CONFLICT, FILTER, IS DISTINCT FROM);
// the rest is here and in dialect_sqlite.go and dialect_postgres.go.
type dialect struct {
	name string
	// forUpdate ends a SELECT whose rows a transaction goes on to change,
	// and skipLocked one that claims work: PostgreSQL runs writers side by
	// side and needs the row locks; SQLite's single writer already
	// serialises every write transaction, so both are empty there.
	forUpdate, skipLocked string
	// xactLock takes a lock by key until the transaction ends, and
	// tryXactLock takes it only if it is free, answering whether it did
	// ("" when the single writer makes them needless).
	xactLock, tryXactLock string
	// chainLater: audit entries wait in audit_pending and ChainPending
	// chains them (PostgreSQL, whose writers would otherwise take turns on
	// the chain's head); SQLite's single writer chains them in place.
	chainLater bool
	// migrationSuffix names the file that replaces a migration for this
	// engine when the portable one will not do ("" when none does).
	migrationSuffix string
	// migrationsTable creates the table of applied migrations.
	migrationsTable string
	// notify announces a hash-list change to every instance ("" when only
	// this process shares the database).
	notify string
	// topScore is an item i's highest classifier score (0 without one),
	// read out of its metadata JSON.
	topScore string
	// snapshot is the isolation level at which a read-only transaction
	// sees one snapshot throughout (SQLite's read transactions always do).
	snapshot sql.IsolationLevel
}

// snapshot begins a read-only transaction that sees one consistent state
// of the database, for reads that span several queries.
func (db *DB) snapshot(ctx context.Context) (*sql.Tx, error) {
	return db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: db.d.snapshot})
}

// Keys of the transaction locks Loupe takes (PostgreSQL advisory locks).
const (
	lockMigrations int64 = 0x6c6f757065_01 // "loupe" 1
	lockAudit      int64 = 0x6c6f757065_02
)

// lock takes the transaction lock key, where the engine needs one.
func (d dialect) lock(ctx context.Context, tx *sql.Tx, key int64) error {
	if d.xactLock == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, d.xactLock, key)
	return translate(err, "lock %x", key)
}

// tryLock takes the transaction lock key if no other transaction holds it,
// and reports whether it did (always, where the engine needs no lock).
func (d dialect) tryLock(ctx context.Context, tx *sql.Tx, key int64) (bool, error) {
	if d.tryXactLock == "" {
		return true, nil
	}
	var ok bool
	err := tx.QueryRowContext(ctx, d.tryXactLock, key).Scan(&ok)
	return ok, translate(err, "lock %x", key)
}

// rebinder turns ? placeholders into PostgreSQL's $1..$n, once per query
// text: the storage package's queries are a fixed set of strings.
type rebinder struct{ cache sync.Map }

func (r *rebinder) rebind(q string) string {
	if v, ok := r.cache.Load(q); ok {
		return v.(string)
	}
	out := rebind(q)
	r.cache.Store(q, out)
	return out
}

// rebind numbers the ? placeholders of q outside quoted strings, quoted
// identifiers and comments.
func rebind(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) && q[j] != c {
				j++
			}
			b.WriteString(q[i:min(j+1, len(q))])
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j - 1
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
