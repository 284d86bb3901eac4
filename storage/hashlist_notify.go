package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// hashListChannel is the PostgreSQL notification channel on which a
// hash-list change announces "list id:version" to every instance.
const hashListChannel = "loupe_hashlists"

// notifyHashList announces a change to a list inside tx: PostgreSQL
// delivers it when tx commits, and not at all if it rolls back. On SQLite
// the one instance applies its own changes (review.HashLists).
func (db *DB) notifyHashList(ctx context.Context, tx *sql.Tx, listID int64) error {
	if db.d.notify == "" {
		return nil
	}
	var v int64
	if err := tx.QueryRowContext(ctx, `SELECT version FROM hash_lists WHERE id = ?`, listID).Scan(&v); err != nil {
		return translate(err, "find version of list %d", listID)
	}
	_, err := tx.ExecContext(ctx, db.d.notify, fmt.Sprintf("%d:%d", listID, v))
	return translate(err, "notify change of list %d", listID)
}

// ListenHashLists calls changed when another instance may have changed a
// hash list, until ctx ends: on PostgreSQL once on connecting (and on each
// reconnection, to catch up on what was missed) and then on every
// notification; changed reloads what changed since the versions it last
// saw. On SQLite it only waits, since no other instance exists. Connection
// problems are retried every second and reported through problem.
func (db *DB) ListenHashLists(ctx context.Context, changed func(), problem func(error)) {
	if db.pgConfig == nil {
		<-ctx.Done()
		return
	}
	for ctx.Err() == nil {
		err := db.listen(ctx, changed)
		if ctx.Err() != nil {
			return
		}
		problem(err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (db *DB) listen(ctx context.Context, changed func()) error {
	conn, err := pgx.ConnectConfig(ctx, db.pgConfig)
	if err != nil {
		return fmt.Errorf("storage: hash-list listener: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `LISTEN `+hashListChannel); err != nil {
		return fmt.Errorf("storage: listen for hash-list changes: %w", err)
	}
	changed() // whatever happened while not listening
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return fmt.Errorf("storage: hash-list listener: %w", err)
		}
		changed()
	}
}
