package storage

import (
	"context"
	"database/sql/driver"
	"fmt"
	"hash/fnv"
)

// A Lease is the right to run one piece of singleton work (report sending,
// callback delivery, retention sweeps): on PostgreSQL, where several
// instances share the database, one of them holds it at a time, as a
// session advisory lock on a connection of its own. When that instance
// dies, its connection closes and PostgreSQL releases the lock, so another
// instance takes the work over at its next try. On SQLite there is one
// instance, which always holds it.
type Lease struct {
	name string
	conn leaseConn // nil on SQLite
}

// leaseConn is the part of *sql.Conn a lease uses.
type leaseConn interface {
	PingContext(ctx context.Context) error
	Raw(func(driverConn any) error) error
	Close() error
}

// TryLease takes the named lease if no other instance holds it; ok is false
// when one does.
func (db *DB) TryLease(ctx context.Context, name string) (l *Lease, ok bool, err error) {
	if db.d.xactLock == "" {
		return &Lease{name: name}, true, nil
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("storage: lease %s: %w", name, err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(?)`, leaseKey(name)).Scan(&ok); err != nil || !ok {
		conn.Close()
		return nil, false, translate(err, "lease %s", name)
	}
	return &Lease{name: name, conn: conn}, true, nil
}

// Check reports whether the lease is still held: its connection answers.
func (l *Lease) Check(ctx context.Context) error {
	if l.conn == nil {
		return nil
	}
	if err := l.conn.PingContext(ctx); err != nil {
		return fmt.Errorf("storage: lease %s lost: %w", l.name, err)
	}
	return nil
}

// Release gives the lease up. Its connection is closed rather than
// returned to the pool, which releases the lock whatever state it is in.
func (l *Lease) Release() {
	if l.conn == nil {
		return
	}
	l.conn.Raw(func(any) error { return driver.ErrBadConn })
	l.conn.Close()
}

// leaseKey maps a lease's name into the advisory lock key space, apart
// from the transaction locks' keys.
func leaseKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("loupe lease " + name))
	return int64(h.Sum64() &^ (1 << 63))
}
