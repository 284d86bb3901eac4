package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/loupe-review/loupe/storage"
)

// errTargetNotEmpty refuses to copy into a database that already holds a
// deployment's rows.
var errTargetNotEmpty = errors.New("the target database already holds rows")

// dbCopy copies a SQLite database, table by table, parents first, ids
// kept, into a migrated PostgreSQL database, and compares each table's
// checksum on both sides.
type dbCopy struct {
	src *sql.Tx // one read snapshot of the SQLite file throughout
	dst *sql.DB
	copyOptions
}

// copyOptions are how a copy runs.
type copyOptions struct {
	Resume bool
	Out    io.Writer // the checksum lines
	// BatchRows caps the rows of one batch (0: batchRows).
	BatchRows int
	// AfterBatch runs after each committed batch (tests interrupt there).
	AfterBatch func(table string)
}

// Batches are single INSERT statements, each its own transaction: a copy
// that stops keeps whole batches, in id order.
const (
	batchRows  = 500
	batchBytes = 4 << 20
	maxParams  = 65535
)

// copyDatabase copies the SQLite file at srcPath into the PostgreSQL
// database at dstURL, which Loupe has migrated. It returns the number of
// rows it copied.
func copyDatabase(ctx context.Context, srcPath, dstURL string, opt copyOptions) (int64, error) {
	src, err := sql.Open("sqlite3", "file:"+srcPath+"?mode=ro&_busy_timeout=10000&_txlock=deferred")
	if err != nil {
		return 0, err
	}
	defer src.Close()
	tx, err := src.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", srcPath, err)
	}
	defer tx.Rollback()
	dst, err := sql.Open("pgx", dstURL)
	if err != nil {
		return 0, err
	}
	defer dst.Close()
	if opt.BatchRows == 0 {
		opt.BatchRows = batchRows
	}
	c := dbCopy{src: tx, dst: dst, copyOptions: opt}
	return c.run(ctx)
}

func (c dbCopy) run(ctx context.Context) (int64, error) {
	tables, err := readTables(ctx, c.src, c.dst)
	if err != nil {
		return 0, err
	}
	if err := c.prepareTarget(ctx, tables); err != nil {
		return 0, err
	}
	var copied int64
	for _, t := range tables {
		n, err := c.copyTable(ctx, t)
		copied += n
		if err != nil {
			return copied, fmt.Errorf("copy %s: %w", t.name, err)
		}
	}
	if err := resetIdentities(ctx, c.dst); err != nil {
		return copied, err
	}
	return copied, c.verify(ctx, tables)
}

// prepareTarget refuses a target that holds more than a freshly migrated
// database does, unless resuming; a fresh one is emptied of the rows its
// migrations made (the default queues), which the copy brings along.
func (c dbCopy) prepareTarget(ctx context.Context, tables []table) error {
	seeds, err := freshCounts(ctx)
	if err != nil {
		return err
	}
	for _, t := range tables {
		var n int64
		if err := c.dst.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quote(t.name)).Scan(&n); err != nil {
			return fmt.Errorf("count %s on the target: %w", t.name, err)
		}
		if n > seeds[t.name] {
			if c.Resume {
				return nil
			}
			return fmt.Errorf("%w (%s has %d)", errTargetNotEmpty, t.name, n)
		}
	}
	_, err = c.dst.ExecContext(ctx, `TRUNCATE `+strings.Join(tableNames(tables), ", ")+` RESTART IDENTITY`)
	if err != nil {
		return fmt.Errorf("empty the target: %w", err)
	}
	return nil
}

// freshCounts counts the rows of a freshly migrated database, per table.
func freshCounts(ctx context.Context) (map[string]int64, error) {
	dir, err := os.MkdirTemp("", "loupe-migrate-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db, err := storage.Open(ctx, filepath.Join(dir, "fresh.db"), time.Now, make([]byte, 32))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	tables, err := queryStrings(ctx, db.Raw(), `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		return nil, err
	}
	counts := map[string]int64{}
	for _, t := range tables {
		var n int64
		if err := db.Raw().QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quote(t)).Scan(&n); err != nil {
			return nil, err
		}
		counts[t] = n
	}
	return counts, nil
}

// copyTable copies t's rows that the target lacks: in id order after the
// highest id there, or (tables without one integer key) every row, those
// already there left alone. Resuming, a table whose checksum already
// matches is skipped.
func (c dbCopy) copyTable(ctx context.Context, t table) (int64, error) {
	q := `SELECT ` + t.columnList() + ` FROM ` + quote(t.name)
	var args []any
	if t.intID != "" {
		var after int64
		if err := c.dst.QueryRowContext(ctx, `SELECT COALESCE(MAX(`+quote(t.intID)+`), 0) FROM `+quote(t.name)).Scan(&after); err != nil {
			return 0, err
		}
		q += ` WHERE ` + quote(t.intID) + ` > ? ORDER BY ` + quote(t.intID)
		args = append(args, after)
	} else if c.Resume {
		s, err := tableChecksum(ctx, c.src, t)
		if err != nil {
			return 0, err
		}
		d, err := tableChecksum(ctx, c.dst, t)
		if err != nil || s == d {
			return 0, err
		}
	}
	rows, err := c.src.QueryContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	per := min(c.BatchRows, maxParams/len(t.cols))
	var batch []any
	var n, size int64
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		added, err := insertBatch(ctx, c.dst, t, batch)
		if err != nil {
			return err
		}
		n += added
		batch, size = batch[:0], 0
		if c.AfterBatch != nil {
			c.AfterBatch(t.name)
		}
		return ctx.Err()
	}
	err = scanRows(rows, t.cols, func(row []any) error {
		batch = append(batch, row...)
		for _, v := range row {
			if b, ok := v.([]byte); ok {
				size += int64(len(b))
			} else if s, ok := v.(string); ok {
				size += int64(len(s))
			}
		}
		if len(batch)/len(t.cols) >= per || size >= batchBytes {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	return n, err
}

// insertBatch inserts rows (their values one after another) in one
// statement; rows whose key is already there are left as they are (the
// checksums then tell whether they match).
func insertBatch(ctx context.Context, dst *sql.DB, t table, values []any) (int64, error) {
	var b strings.Builder
	b.WriteString(`INSERT INTO ` + quote(t.name) + ` (` + t.columnList() + `) VALUES `)
	for i := range values {
		switch {
		case i == 0:
			b.WriteString("(")
		case i%len(t.cols) == 0:
			b.WriteString("), (")
		default:
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", i+1)
	}
	b.WriteString(`) ON CONFLICT DO NOTHING`)
	res, err := dst.ExecContext(ctx, b.String(), values...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// resetIdentities moves every identity sequence past the highest id its
// table holds, so the next row PostgreSQL numbers does not collide.
func resetIdentities(ctx context.Context, dst *sql.DB) error {
	rows, err := dst.QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'`)
	if err != nil {
		return fmt.Errorf("list identities: %w", err)
	}
	var pairs [][2]string
	for rows.Next() {
		var t, col string
		if err := rows.Scan(&t, &col); err != nil {
			rows.Close()
			return err
		}
		pairs = append(pairs, [2]string{t, col})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range pairs {
		t, col := quote(p[0]), quote(p[1])
		_, err := dst.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX(`+col+`) FROM `+t+`), 1), (SELECT MAX(`+col+`) FROM `+t+`) IS NOT NULL)`, t, p[1])
		if err != nil {
			return fmt.Errorf("reset the identity of %s: %w", p[0], err)
		}
	}
	return nil
}

// verify prints each table's checksum on both sides and fails on any
// difference.
func (c dbCopy) verify(ctx context.Context, tables []table) error {
	var bad []string
	for _, t := range tables {
		s, err := tableChecksum(ctx, c.src, t)
		if err != nil {
			return err
		}
		d, err := tableChecksum(ctx, c.dst, t)
		if err != nil {
			return err
		}
		verdict := "match"
		if s != d {
			verdict, bad = "DIFFER: target "+d.String(), append(bad, t.name)
		}
		fmt.Fprintf(c.Out, "  %-24s %s  %s\n", t.name, s, verdict)
	}
	if len(bad) > 0 {
		return fmt.Errorf("checksums differ in %s", strings.Join(bad, ", "))
	}
	return nil
}
