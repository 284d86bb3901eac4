package storage

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
)

// TestSchemasOfBothEnginesMatch: after every migration, SQLite and
// PostgreSQL have the same tables, the same columns in each, and the same
// named indexes, so a migration ported to one engine only (or differently)
// fails here. Run with LOUPE_TEST_POSTGRES set.
func TestSchemasOfBothEnginesMatch(t *testing.T) {
	lite, _ := openTest(t)
	pg, _ := openPostgresTest(t)
	ctx := context.Background()
	a, b := schemaOf(t, ctx, lite), schemaOf(t, ctx, pg)
	if len(a) < 20 {
		t.Fatalf("only %d schema facts read from SQLite", len(a))
	}
	for _, f := range a {
		if !slices.Contains(b, f) {
			t.Errorf("SQLite has %s, PostgreSQL does not", f)
		}
	}
	for _, f := range b {
		if !slices.Contains(a, f) {
			t.Errorf("PostgreSQL has %s, SQLite does not", f)
		}
	}
}

// schemaOf lists "table t", "column t.c" and "index i on t" facts, sorted.
func schemaOf(t *testing.T, ctx context.Context, db *DB) []string {
	t.Helper()
	queries := map[string]string{
		sqliteDialect.name: `
			SELECT 'table ' || name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
			UNION ALL SELECT 'column ' || m.name || '.' || c.name FROM sqlite_schema m, pragma_table_info(m.name) c
				WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
			UNION ALL SELECT 'index ' || name || ' on ' || tbl_name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL`,
		postgresDialect.name: `
			SELECT 'table ' || table_name FROM information_schema.tables WHERE table_schema = current_schema()
			UNION ALL SELECT 'column ' || table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema()
			UNION ALL SELECT 'index ' || i.relname || ' on ' || r.relname FROM pg_index x
				JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class r ON r.oid = x.indrelid
				WHERE r.relnamespace = current_schema()::regnamespace
					AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
	}
	rows, err := db.r.QueryContext(ctx, queries[db.d.name])
	var out []string
	err = eachRow(rows, err, func(rows *sql.Rows) error {
		var f string
		err := rows.Scan(&f)
		out = append(out, strings.ToLower(f))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
