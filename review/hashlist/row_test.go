package hashlist

import (
	"errors"
	"strings"
	"testing"
)

func TestRawRowEntry(t *testing.T) {
	tests := []struct {
		name    string
		raw     rawRow
		want    Entry
		wantErr string
	}{
		{
			name: "defaults to active, trims, lower-cases",
			raw:  rawRow{hashType: " MD5", hashValue: strings.ToUpper(md5Empty) + " ", category: " spam "},
			want: Entry{Type: MD5, Value: md5Empty, Category: "spam", Status: Active, Source: SourceImport},
		},
		{
			name: "retracted with reason",
			raw:  rawRow{hashType: "pdq", hashValue: pdqSample, status: " Retracted ", reason: " false positive "},
			want: Entry{Type: PDQ, Value: pdqSample, Status: Retracted, Reason: "false positive", Source: SourceImport},
		},
		{
			name:    "bad type hides no other problem",
			raw:     rawRow{hashType: "crc", hashValue: "x", status: "gone"},
			wantErr: `hash_type: unknown hash type "crc" (want pdq, md5 or sha256); status: unknown status "gone" (want active or retracted)`,
		},
		{
			name:    "bad value and bad category",
			raw:     rawRow{hashType: "sha256", hashValue: "abc", category: "x\ty"},
			wantErr: "hash_value: want 64 hex digits for sha256, got 3; category: has a non-printable character U+0009 at byte 2",
		},
		{
			name:    "retracted without reason",
			raw:     rawRow{hashType: "md5", hashValue: md5Empty, status: "retracted", reason: "  "},
			wantErr: "reason: required when status is retracted",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, p := tt.raw.entry()
			if tt.wantErr != "" {
				if p.Error() != tt.wantErr {
					t.Fatalf("problems = %q, want %q", p.Error(), tt.wantErr)
				}
				return
			}
			if len(p) > 0 || got != tt.want {
				t.Fatalf("entry() = %+v, %v; want %+v", got, p, tt.want)
			}
		})
	}
}

func TestCollector(t *testing.T) {
	ok := rawRow{hashType: "md5", hashValue: md5Empty}
	t.Run("duplicate names the first line", func(t *testing.T) {
		c := newCollector(defaultLimits)
		c.add(2, ok)
		c.add(3, rawRow{hashType: "sha256", hashValue: sha256Empty})
		c.add(5, rawRow{hashType: "MD5", hashValue: strings.ToUpper(md5Empty), status: "retracted", reason: "r"})
		if len(c.rows) != 2 || len(c.errs) != 1 {
			t.Fatalf("rows %+v errs %+v", c.rows, c.errs)
		}
		want := RowError{Line: 5, Reason: "duplicate of line 2 (same hash_type and hash_value)"}
		if c.errs[0] != want {
			t.Fatalf("err = %+v, want %+v", c.errs[0], want)
		}
	})
	t.Run("a rejected row is no original", func(t *testing.T) {
		c := newCollector(defaultLimits)
		c.add(2, rawRow{hashType: "md5", hashValue: md5Empty, category: "=x"})
		c.add(3, ok)
		if len(c.rows) != 1 || c.rows[0].Line != 3 || len(c.errs) != 1 || c.errs[0].Line != 2 {
			t.Fatalf("rows %+v errs %+v", c.rows, c.errs)
		}
	})
	t.Run("row limit", func(t *testing.T) {
		c := newCollector(limits{lineBytes: 100, rows: 2, rowErrors: 10})
		for line := 2; c.startRow(line); line++ {
			c.add(line, rawRow{hashType: "md5", hashValue: strings.Repeat(string(rune('a'+line)), 32)})
		}
		want := RowError{Line: 4, Reason: "more than 2 rows; split the file"}
		if !c.done || len(c.rows) != 2 || len(c.errs) != 1 || c.errs[0] != want {
			t.Fatalf("done %v rows %+v errs %+v", c.done, c.rows, c.errs)
		}
	})
	t.Run("error limit", func(t *testing.T) {
		c := newCollector(limits{lineBytes: 100, rows: 100, rowErrors: 3})
		for line := 2; !c.done; line++ {
			c.fail(line, "bad")
		}
		want := RowError{Line: 4, Reason: "stopped reading after 3 rejected rows"}
		if len(c.errs) != 4 || c.errs[3] != want {
			t.Fatalf("errs %+v", c.errs)
		}
	})
	t.Run("read errors", func(t *testing.T) {
		c := newCollector(limits{lineBytes: 100, rows: 100, rowErrors: 10})
		c.readError(2, errLineTooLong)
		if c.done || c.errs[0].Reason != "line longer than 100 bytes" {
			t.Fatalf("after long line: done %v errs %+v", c.done, c.errs)
		}
		c.readError(3, errors.New("disk on fire"))
		if !c.done || c.errs[1] != (RowError{Line: 3, Reason: "read error: disk on fire"}) {
			t.Fatalf("after read error: done %v errs %+v", c.done, c.errs)
		}
	})
}

func TestRowErrorError(t *testing.T) {
	if got := (RowError{Line: 7, Reason: "bad"}).Error(); got != "line 7: bad" {
		t.Fatalf("Error() = %q", got)
	}
}
