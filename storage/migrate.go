package storage

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationSteps are Go code that a migration runs in its transaction,
// after its SQL, for what SQL cannot do.
var migrationSteps = map[int]func(db *DB, ctx context.Context, tx *sql.Tx) error{
	9: (*DB).startKeyedAudit,
}

// migrate applies, in order and each in its own transaction, every embedded
// migration newer than the database's version.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)`); err != nil {
		return fmt.Errorf("storage: migrations table: %w", err)
	}
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, f := range files {
		version, err := migrationVersion(f)
		if err != nil {
			return fmt.Errorf("storage: migration %s: name must start with a number", f)
		}
		if err := db.applyMigration(ctx, version, f); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) applyMigration(ctx context.Context, version int, file string) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := migrations.ReadFile(file)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("storage: apply %s: %w", file, err)
	}
	if step := migrationSteps[version]; step != nil {
		if err := step(db, ctx, tx); err != nil {
			return fmt.Errorf("storage: apply %s: %w", file, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES (?)`, version); err != nil {
		return err
	}
	return tx.Commit()
}

// migrationVersion reads the number that starts a migration's file name.
func migrationVersion(file string) (int, error) {
	return strconv.Atoi(strings.SplitN(strings.TrimPrefix(file, "migrations/"), "_", 2)[0])
}

// newestMigration is the version the binary's migrations reach.
func newestMigration() int {
	files, _ := fs.Glob(migrations, "migrations/*.sql")
	newest := 0
	for _, f := range files {
		if v, err := migrationVersion(f); err == nil {
			newest = max(newest, v)
		}
	}
	return newest
}
