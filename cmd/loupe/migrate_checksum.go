package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// A column's kind is how its values are compared and copied: SQLite's
// dynamic typing may hand back an integer column's value as text, or a
// text column's as bytes, so both sides are read into the kind the
// PostgreSQL column has.
type kind int

const (
	kindText kind = iota
	kindInt
	kindFloat
	kindBytes
)

// kindOf maps a PostgreSQL data_type to a kind.
func kindOf(dataType string) kind {
	switch dataType {
	case "bigint", "integer", "smallint":
		return kindInt
	case "double precision", "real", "numeric":
		return kindFloat
	case "bytea":
		return kindBytes
	}
	return kindText
}

// canonical converts a scanned value to the Go type of its kind: int64,
// float64, string, []byte, or nil for NULL.
func canonical(k kind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case kindInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case float64:
			if x == float64(int64(x)) {
				return int64(x), nil
			}
		case string, []byte:
			return strconv.ParseInt(asString(x), 10, 64)
		}
	case kindFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		case string, []byte:
			return strconv.ParseFloat(asString(x), 64)
		}
	case kindBytes:
		switch x := v.(type) {
		case []byte:
			return append([]byte(nil), x...), nil
		case string:
			return []byte(x), nil
		}
	case kindText:
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		}
	}
	return nil, fmt.Errorf("value of type %T where the column holds %s", v, [...]string{"text", "integers", "numbers", "bytes"}[k])
}

func asString(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v.(string)
}

// checksum is a table's row count and the sum (mod 2^256) of the SHA-256
// of each row's canonical values: the same rows give the same checksum in
// any order, so the two engines need not sort text alike.
type checksum struct {
	Rows int64
	Sum  [32]byte
}

func (c checksum) String() string {
	return fmt.Sprintf("%d rows, %s", c.Rows, hex.EncodeToString(c.Sum[:8]))
}

// add counts one row of canonical values.
func (c *checksum) add(row []any) {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	for _, v := range row {
		var b []byte
		switch x := v.(type) {
		case nil:
			h.Write([]byte{'N'})
			continue
		case int64:
			b = strconv.AppendInt(nil, x, 10)
		case float64:
			b = strconv.AppendFloat(nil, x, 'g', -1, 64)
		case string:
			b = []byte(x)
		case []byte:
			b = x
		}
		h.Write([]byte{'V'})
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(b)))])
		h.Write(b)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	carry := 0
	for i := 31; i >= 0; i-- {
		s := int(c.Sum[i]) + int(sum[i]) + carry
		c.Sum[i], carry = byte(s), s>>8
	}
	c.Rows++
}

// scanRows reads every row of rows as canonical values and hands each to
// fn; the slice is reused between rows.
func scanRows(rows *sql.Rows, cols []column, fn func([]any) error) error {
	defer rows.Close()
	raw := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	row := make([]any, len(cols))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, c := range cols {
			v, err := canonical(c.kind, raw[i])
			if err != nil {
				return fmt.Errorf("column %s: %w", c.name, err)
			}
			row[i] = v
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

// tableChecksum reads a whole table through q (a *sql.Tx or *sql.DB).
func tableChecksum(ctx context.Context, q querier, t table) (checksum, error) {
	var c checksum
	rows, err := q.QueryContext(ctx, `SELECT `+t.columnList()+` FROM `+quote(t.name))
	if err != nil {
		return c, fmt.Errorf("checksum %s: %w", t.name, err)
	}
	err = scanRows(rows, t.cols, func(row []any) error { c.add(row); return nil })
	if err != nil {
		return c, fmt.Errorf("checksum %s: %w", t.name, err)
	}
	return c, nil
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// quote quotes an identifier for both engines.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
