package storage

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// allowAutomatedDecisions widens the CHECK on decisions.kind to admit
// 'automated' (migration 16). PostgreSQL replaces the constraint; SQLite
// cannot alter a CHECK, so the table is rebuilt from its own schema text
// (whatever columns earlier migrations added) with its indexes. Foreign
// keys into decisions are deferred to the commit, by which time every row
// is back under the same id.
func (db *DB) allowAutomatedDecisions(ctx context.Context, tx *sql.Tx) error {
	const oldKinds, newKinds = `'escalation', 'override')`, `'escalation', 'override', 'automated')`
	if db.d.name == postgresDialect.name {
		_, err := tx.ExecContext(ctx, `ALTER TABLE decisions DROP CONSTRAINT decisions_kind_check;
			ALTER TABLE decisions ADD CONSTRAINT decisions_kind_check CHECK (kind IN ('first', 'second', 'escalation', 'override', 'automated'))`)
		return err
	}
	var create string
	if err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'decisions'`).Scan(&create); err != nil {
		return err
	}
	widened := strings.Replace(create, oldKinds, newKinds, 1)
	if widened == create {
		return errors.New("decisions.kind has no CHECK to widen")
	}
	var extras []string
	rows, err := tx.QueryContext(ctx, `SELECT sql FROM sqlite_schema WHERE tbl_name = 'decisions' AND type IN ('index', 'trigger') AND sql IS NOT NULL`)
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var s string
		err := rows.Scan(&s)
		extras = append(extras, s)
		return err
	})
	if err != nil {
		return err
	}
	steps := append([]string{
		`PRAGMA defer_foreign_keys = ON`,
		`CREATE TEMP TABLE decisions_copy AS SELECT * FROM decisions`,
		`DROP TABLE decisions`,
		widened,
		`INSERT INTO decisions SELECT * FROM decisions_copy`,
		`DROP TABLE decisions_copy`,
	}, extras...)
	for _, s := range steps {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}
