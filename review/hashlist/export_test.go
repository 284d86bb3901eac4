package hashlist

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// format is one exchange format: its writer and its parser.
type format struct {
	name  string
	write func(io.Writer, []Entry) error
	parse func(io.Reader) ([]Row, []RowError)
}

var formats = []format{
	{"csv", WriteCSV, ParseCSV},
	{"jsonl", WriteJSONL, ParseJSONL},
}

// imported is e as a parser returns it: the exporter's bookkeeping dropped,
// the source set to import.
func imported(e Entry) Entry {
	return Entry{Type: e.Type, Value: e.Value, Category: e.Category, Status: e.Status, Reason: e.Reason, Source: SourceImport}
}

// exportEntries covers every type, both statuses and text that needs
// quoting or escaping in one format or the other.
func exportEntries() []Entry {
	at := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	return []Entry{
		{Type: PDQ, Value: pdqSample, Category: "violence", Status: Active, Source: SourceDecision, AddedBy: "a", AddedAt: at, Version: 10},
		{Type: MD5, Value: md5Empty, Category: `with, comma and "quotes"`, Status: Active, Source: SourceManual, Version: 11},
		{Type: SHA256, Value: sha256Empty, Category: "Gewalt – ärger 暴力", Status: Retracted, Reason: `partner said "not harmful", see ticket #4`, Source: SourceImport, AddedAt: at, Version: 12},
		{Type: MD5, Value: strings.Repeat("ab", 16), Category: `\.`, Status: Active, Version: 13},
		{Type: SHA256, Value: strings.Repeat("0f", 32), Category: "{\"json\":1}", Status: Retracted, Reason: "x", Version: 14},
	}
}

func TestRoundTrip(t *testing.T) {
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			entries := exportEntries()
			var buf bytes.Buffer
			if err := f.write(&buf, entries); err != nil {
				t.Fatal(err)
			}
			rows, errs := f.parse(&buf)
			if len(errs) != 0 {
				t.Fatalf("own export rejected: %+v", errs)
			}
			if len(rows) != len(entries) {
				t.Fatalf("%d rows, want %d", len(rows), len(entries))
			}
			for i, r := range rows {
				if want := imported(entries[i]); r.Entry != want {
					t.Errorf("row %d = %+v\nwant %+v", i, r.Entry, want)
				}
			}
		})
	}
}

// A delta export carries retractions as tombstones: a partner applying it
// learns to remove the hash, and why.
func TestTombstones(t *testing.T) {
	delta := []Entry{
		{Type: MD5, Value: md5Empty, Status: Retracted, Reason: "false positive: stock photo", Source: SourceDecision, Version: 42},
		{Type: PDQ, Value: pdqSample, Category: "new", Status: Active, Source: SourceDecision, Version: 43},
	}
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := f.write(&buf, delta); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if !strings.Contains(out, "retracted") || !strings.Contains(out, "false positive: stock photo") {
				t.Fatalf("tombstone lost its status or reason:\n%s", out)
			}
			rows, errs := f.parse(&buf)
			if len(errs) != 0 || len(rows) != 2 {
				t.Fatalf("rows %+v errs %+v", rows, errs)
			}
			if got := rows[0].Entry; got.Status != Retracted || got.Reason != "false positive: stock photo" || got.Value != md5Empty {
				t.Fatalf("tombstone parsed as %+v", got)
			}
			if rows[1].Entry.Status != Active {
				t.Fatalf("active entry parsed as %+v", rows[1].Entry)
			}
		})
	}
}

// An entry that would not survive the trip is refused before a byte is
// written, naming the entry and the field.
func TestWriteRefusesInvalidEntry(t *testing.T) {
	entries := exportEntries()
	entries[3].Status = Retracted // without a reason
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := f.write(&buf, entries)
			if err == nil || !strings.Contains(err.Error(), "entry 3") || !strings.Contains(err.Error(), "reason: required") {
				t.Fatalf("err = %v", err)
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != colReason {
				t.Fatalf("errors.As(*FieldError) = %+v", fe)
			}
			if buf.Len() != 0 {
				t.Fatalf("wrote %d bytes before refusing", buf.Len())
			}
		})
	}
}

type failAfter struct{ n int }

func (w *failAfter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriteError(t *testing.T) {
	for _, f := range formats {
		err := f.write(&failAfter{n: 10}, exportEntries())
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: err = %v", f.name, err)
		}
	}
}

func TestFormatTime(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Time{}, ""},
		{time.Date(2026, 1, 2, 3, 4, 5, 999, time.UTC), "2026-01-02T03:04:05Z"},
		{time.Date(2026, 1, 2, 0, 30, 0, 0, time.FixedZone("", 2*3600)), "2026-01-01T22:30:00Z"},
	}
	for _, tt := range tests {
		if got := formatTime(tt.in); got != tt.want {
			t.Errorf("formatTime(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
