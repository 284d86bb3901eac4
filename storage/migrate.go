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

// Migrations are numbered files in migrations/: NNN_name.sql serves every
// engine, unless NNN_name.pg.sql sits beside it, which PostgreSQL runs
// instead (for identity columns, BYTEA, PL/pgSQL triggers and the like).
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrationSteps are Go code that a migration runs in its transaction,
// after its SQL, for what SQL cannot do. They run on every engine.
var migrationSteps = map[int]func(db *DB, ctx context.Context, tx *sql.Tx) error{
	9:  (*DB).startKeyedAudit,
	16: (*DB).allowAutomatedDecisions,
}

// migrate applies, in order and each in its own transaction, every embedded
// migration newer than the database's version. On PostgreSQL each takes a
// lock first, so instances starting together apply each migration once.
func (db *DB) migrate(ctx context.Context) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := db.d.lock(ctx, tx, lockMigrations); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.d.migrationsTable)
		return err
	})
	if err != nil {
		return fmt.Errorf("storage: migrations table: %w", err)
	}
	files, err := migrationFiles()
	if err != nil {
		return err
	}
	for _, f := range files {
		version, _ := migrationVersion(f)
		if err := db.applyMigration(ctx, version, db.migrationFile(f)); err != nil {
			return err
		}
	}
	return nil
}

// migrationFiles lists the portable migration files in order.
func migrationFiles() ([]string, error) {
	all, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var files []string
	for _, f := range all {
		if strings.Count(strings.TrimPrefix(f, "migrations/"), ".") != 1 {
			continue // an engine's own version of a migration
		}
		if _, err := migrationVersion(f); err != nil {
			return nil, fmt.Errorf("storage: migration %s: name must start with a number", f)
		}
		files = append(files, f)
	}
	sort.Strings(files)
	return files, nil
}

// migrationFile is the file this engine runs for the portable migration f.
func (db *DB) migrationFile(f string) string {
	if db.d.migrationSuffix == "" {
		return f
	}
	own := strings.TrimSuffix(f, ".sql") + db.d.migrationSuffix
	if _, err := fs.Stat(migrations, own); err == nil {
		return own
	}
	return f
}

func (db *DB) applyMigration(ctx context.Context, version int, file string) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.d.lock(ctx, tx, lockMigrations); err != nil {
		return err
	}
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
	files, _ := migrationFiles()
	newest := 0
	for _, f := range files {
		if v, err := migrationVersion(f); err == nil {
			newest = max(newest, v)
		}
	}
	return newest
}
