package hashlist

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// ParseJSONL reads an import file in JSON Lines: one JSON object per line,
// with the keys hash_type, hash_value, category, status and reason, plus
// version, source and added_at, which WriteJSONL adds and which are accepted
// and ignored. Any other key is refused by name. Blank lines are skipped.
// If the first non-blank line is not a JSON object, the file is taken to be
// in some other format and that one error is reported.
func ParseJSONL(r io.Reader) ([]Row, []RowError) {
	return parseJSONL(r, defaultLimits)
}

func parseJSONL(r io.Reader, lim limits) ([]Row, []RowError) {
	lr := newLineReader(r, lim.lineBytes)
	c := newCollector(lim)
	first := true
	for !c.done {
		b, n, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if c.startRow(n) {
				c.readError(n, err)
			}
			continue
		}
		if n == 1 {
			b = bytes.TrimPrefix(b, bom)
		}
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			continue
		}
		if first {
			first = false
			if b[0] != '{' {
				c.stop(n, "not JSON Lines: want one JSON object per line")
				break
			}
		}
		if !c.startRow(n) {
			break
		}
		raw, err := decodeObject(b)
		if err != nil {
			c.fail(n, err.Error())
			continue
		}
		c.add(n, raw)
	}
	return c.rows, c.errs
}

// exportRow is an Entry as WriteJSONL writes it; field order matches the
// CSV columns.
type exportRow struct {
	HashType  HashType `json:"hash_type"`
	HashValue string   `json:"hash_value"`
	Category  string   `json:"category"`
	Status    Status   `json:"status"`
	Reason    string   `json:"reason"`
	Version   int64    `json:"version"`
	Source    Source   `json:"source"`
	AddedAt   string   `json:"added_at"`
}

// WriteJSONL writes one JSON object per entry, with the keys ParseJSONL
// reads plus version, source and added_at. As with WriteCSV, retracted
// entries are tombstones carrying their reason, and every entry is
// validated before anything is written.
func WriteJSONL(w io.Writer, entries []Entry) error {
	if err := validateAll(entries); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	for _, e := range entries {
		row := exportRow{
			HashType: e.Type, HashValue: e.Value, Category: e.Category,
			Status: e.Status, Reason: e.Reason, Version: e.Version,
			Source: e.Source, AddedAt: formatTime(e.AddedAt),
		}
		if err := enc.Encode(row); err != nil {
			return fmt.Errorf("hashlist: write jsonl: %w", err)
		}
	}
	return nil
}
