package main

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// table is one table to copy: its columns as PostgreSQL has them, and its
// single integer primary key when it has one (copied in id order, so a
// resumed copy starts after the highest id already there).
type table struct {
	name    string
	cols    []column
	intID   string // "" when the key is not one integer column
	parents []string
}

type column struct {
	name string
	kind kind
}

func (t table) columnList() string {
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = quote(c.name)
	}
	return strings.Join(names, ", ")
}

// readTables lists the source's tables (all but SQLite's own and the
// migrations table) parents first, with the column types of the target:
// both must have the same columns, which they do when one binary migrated
// both.
func readTables(ctx context.Context, src *sql.Tx, dst *sql.DB) ([]table, error) {
	names, err := queryStrings(ctx, src, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	var tables []table
	for _, name := range names {
		t, err := readTable(ctx, src, dst, name)
		if err != nil {
			return nil, err
		}
		tables = append(tables, t)
	}
	return parentsFirst(tables)
}

func readTable(ctx context.Context, src *sql.Tx, dst *sql.DB, name string) (table, error) {
	t := table{name: name}
	kinds := map[string]kind{}
	rows, err := dst.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`, name)
	if err != nil {
		return t, fmt.Errorf("columns of %s on the target: %w", name, err)
	}
	for rows.Next() {
		var col, typ string
		if err := rows.Scan(&col, &typ); err != nil {
			rows.Close()
			return t, err
		}
		kinds[col] = kindOf(typ)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t, err
	}
	rows, err = src.QueryContext(ctx, `SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid`, name)
	if err != nil {
		return t, fmt.Errorf("columns of %s: %w", name, err)
	}
	var pk []string
	var pkType string
	for rows.Next() {
		var col, typ string
		var pos int
		if err := rows.Scan(&col, &typ, &pos); err != nil {
			rows.Close()
			return t, err
		}
		k, ok := kinds[col]
		if !ok {
			rows.Close()
			return t, fmt.Errorf("table %s: the target has no column %s (is it migrated by the same version of Loupe?)", name, col)
		}
		delete(kinds, col)
		t.cols = append(t.cols, column{col, k})
		if pos > 0 {
			pk, pkType = append(pk, col), typ
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t, err
	}
	if len(t.cols) == 0 {
		return t, fmt.Errorf("table %s is not on the target (is it migrated by the same version of Loupe?)", name)
	}
	for col := range kinds {
		return t, fmt.Errorf("table %s: the target has a column %s the source lacks (is it migrated by the same version of Loupe?)", name, col)
	}
	if len(pk) == 1 && strings.EqualFold(pkType, "INTEGER") {
		t.intID = pk[0]
	}
	t.parents, err = queryStrings(ctx, src, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, name)
	if err != nil {
		return t, fmt.Errorf("foreign keys of %s: %w", name, err)
	}
	return t, nil
}

// parentsFirst orders tables so that every table comes after those its
// foreign keys point to (a table may point to itself).
func parentsFirst(tables []table) ([]table, error) {
	var out []table
	done := map[string]bool{}
	for len(out) < len(tables) {
		progress := false
		for _, t := range tables {
			if done[t.name] {
				continue
			}
			ready := true
			for _, p := range t.parents {
				ready = ready && (done[p] || p == t.name)
			}
			if ready {
				out, done[t.name], progress = append(out, t), true, true
			}
		}
		if !progress {
			var left []string
			for _, t := range tables {
				if !done[t.name] {
					left = append(left, t.name)
				}
			}
			return nil, fmt.Errorf("the foreign keys of %s form a cycle", strings.Join(left, ", "))
		}
	}
	return out, nil
}

func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// tableNames lists the tables' names, quoted.
func tableNames(tables []table) []string {
	var out []string
	for _, t := range tables {
		out = append(out, quote(t.name))
	}
	slices.Sort(out)
	return out
}
