package hashlist

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/loupe-review/loupe/review/csvsafe"
)

var bom = []byte("\uFEFF")

// ParseCSV reads an import file in CSV. The first non-blank line is a header
// naming the columns, in any order: hash_type and hash_value are required;
// category, status and reason are optional; version, source and added_at,
// which WriteCSV adds, are accepted and ignored. Blank lines are skipped.
// Line numbers count from 1, the header included. A bad header ends the
// file with a single error, since no row can be read without it.
func ParseCSV(r io.Reader) ([]Row, []RowError) {
	return parseCSV(r, defaultLimits)
}

func parseCSV(r io.Reader, lim limits) ([]Row, []RowError) {
	lr := newLineReader(r, lim.lineBytes)
	c := newCollector(lim)
	var header []string
	for !c.done {
		b, n, err := lr.next()
		if err == io.EOF {
			break
		}
		if n == 1 {
			// Spreadsheet programs start UTF-8 files with a byte order mark.
			b = bytes.TrimPrefix(b, bom)
		}
		if err != nil {
			if header == nil && errors.Is(err, errLineTooLong) {
				c.stop(n, fmt.Sprintf("header line longer than %d bytes; is this a CSV file?", lim.lineBytes))
				break
			}
			if c.startRow(n) {
				c.readError(n, err)
			}
			continue
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		if header == nil {
			if header, err = parseHeader(b); err != nil {
				c.stop(n, err.Error())
			}
			continue
		}
		if !c.startRow(n) {
			break
		}
		if !utf8.Valid(b) {
			c.fail(n, "not valid UTF-8")
			continue
		}
		fields, err := splitCSVLine(string(b), len(header))
		if err != nil {
			c.fail(n, err.Error())
			continue
		}
		if len(fields) != len(header) {
			c.fail(n, fmt.Sprintf("%d fields, but the header names %d columns", len(fields), len(header)))
			continue
		}
		var raw rawRow
		for i, col := range header {
			raw.set(col, fields[i])
		}
		c.add(n, raw)
	}
	if header == nil && !c.done {
		c.stop(1, "empty file: want a header line naming at least hash_type and hash_value")
	}
	return c.rows, c.errs
}

// parseHeader returns the column names in file order, or every problem with
// them. Names are matched ignoring case and surrounding spaces.
func parseHeader(line []byte) ([]string, error) {
	if !utf8.Valid(line) {
		return nil, fmt.Errorf("header is not valid UTF-8; is this a CSV file?")
	}
	if bytes.HasPrefix(bytes.TrimSpace(line), []byte("{")) {
		return nil, fmt.Errorf("header starts with {; is this a JSON Lines file?")
	}
	fields, err := splitCSVLine(string(line), 8)
	if err != nil {
		return nil, fmt.Errorf("header: %v", err)
	}
	var p []string
	seen := map[string]bool{}
	for i, f := range fields {
		name := strings.ToLower(strings.TrimSpace(f))
		fields[i] = name
		switch {
		case name == "":
			p = append(p, fmt.Sprintf("column %d has no name", i+1))
		case !isColumn(name):
			p = append(p, fmt.Sprintf("unknown column %s (known: %s)", quote(f), knownColumns))
		case seen[name]:
			p = append(p, fmt.Sprintf("column %s appears twice", quote(name)))
		}
		seen[name] = true
	}
	for _, req := range []string{colHashType, colHashValue} {
		if !seen[req] {
			p = append(p, fmt.Sprintf("missing required column %s", quote(req)))
		}
	}
	if len(p) > 0 {
		return nil, fmt.Errorf("header: %s", strings.Join(p, "; "))
	}
	return fields, nil
}

// WriteCSV writes entries with a header line, in the columns ParseCSV reads
// plus version, source and added_at. A retracted entry is written with its
// status and reason as a tombstone, so a partner applying a delta removes
// it. Every entry is validated before anything is written, so an invalid
// entry cannot leave half a file behind. Cells pass through csvsafe like
// every CSV Loupe writes; validation already refuses text a spreadsheet
// would read as a formula, so partners read back exactly what was written.
func WriteCSV(w io.Writer, entries []Entry) error {
	if err := validateAll(entries); err != nil {
		return err
	}
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(columns); err != nil {
		return fmt.Errorf("hashlist: write csv: %w", err)
	}
	for _, e := range entries {
		if err := cw.Write(exportFields(e)); err != nil {
			return fmt.Errorf("hashlist: write csv: %w", err)
		}
	}
	if err := cw.Flush(); err != nil {
		return fmt.Errorf("hashlist: write csv: %w", err)
	}
	return nil
}

// exportFields returns e's fields in the order of columns.
func exportFields(e Entry) []string {
	return []string{string(e.Type), e.Value, e.Category, string(e.Status), e.Reason,
		strconv.FormatInt(e.Version, 10), string(e.Source), formatTime(e.AddedAt)}
}
