package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
)

// ServerSecret returns the named secret, creating it with n random bytes on
// first use. Keeping it in the database lets several instances share it.
func (db *DB) ServerSecret(ctx context.Context, name string, n int, random io.Reader) ([]byte, error) {
	var v []byte
	err := db.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT value FROM server_secrets WHERE name = ?`, name).Scan(&v)
		if !errors.Is(err, sql.ErrNoRows) {
			return translate(err, "read secret %s", name)
		}
		v = make([]byte, n)
		if _, err := io.ReadFull(random, v); err != nil {
			return fmt.Errorf("storage: make secret %s: %w", name, err)
		}
		// Another instance may make it at the same moment: the first stored wins.
		if _, err := tx.ExecContext(ctx, `INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, v); err != nil {
			return translate(err, "store secret %s", name)
		}
		return translate(tx.QueryRowContext(ctx, `SELECT value FROM server_secrets WHERE name = ?`, name).Scan(&v), "read secret %s", name)
	})
	if err == nil && len(v) != n {
		return nil, fmt.Errorf("storage: secret %s has %d bytes, want %d", name, len(v), n)
	}
	return v, err
}
