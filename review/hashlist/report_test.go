package hashlist

import (
	"errors"
	"strings"
	"testing"
)

func TestDryRunReport(t *testing.T) {
	tests := []struct {
		name string
		rows []Row
		errs []RowError
		want string
	}{
		{"all accepted", make([]Row, 3), nil, "3 accepted, 0 rejected\n"},
		{"empty file", nil, []RowError{{1, "empty file"}}, "0 accepted, 1 rejected\nline 1: empty file\n"},
		{
			name: "sorted by line, a line counted once",
			rows: make([]Row, 2),
			errs: []RowError{{9, "bad status"}, {3, "bad value"}, {9, "stopped reading"}, {4, "duplicate of line 2"}},
			want: "2 accepted, 3 rejected\n" +
				"line 3: bad value\n" +
				"line 4: duplicate of line 2\n" +
				"line 9: bad status\n" +
				"line 9: stopped reading\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := DryRunReport(&b, tt.rows, tt.errs); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Fatalf("report =\n%s\nwant\n%s", b.String(), tt.want)
			}
		})
	}
}

// The caller's slice keeps its order.
func TestDryRunReportLeavesErrsAlone(t *testing.T) {
	errs := []RowError{{5, "b"}, {2, "a"}}
	DryRunReport(new(strings.Builder), nil, errs)
	if errs[0].Line != 5 {
		t.Fatalf("errs reordered: %+v", errs)
	}
}

// End to end: a parsed file with problems gives the report a partner reads.
func TestDryRunReportOfParsedFile(t *testing.T) {
	in := "hash_type,hash_value,status\n" +
		"md5," + md5Empty + ",\n" +
		"md5,nothex,\n" +
		"sha256," + sha256Empty + ",retracted\n" +
		"md5," + md5Empty + ",\n"
	rows, errs := ParseCSV(strings.NewReader(in))
	var b strings.Builder
	if err := DryRunReport(&b, rows, errs); err != nil {
		t.Fatal(err)
	}
	want := "1 accepted, 3 rejected\n" +
		"line 3: hash_value: want hex digits only for md5, got 'n' at position 1\n" +
		"line 4: reason: required when status is retracted\n" +
		"line 5: duplicate of line 2 (same hash_type and hash_value)\n"
	if b.String() != want {
		t.Fatalf("report =\n%s\nwant\n%s", b.String(), want)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestDryRunReportWriteError(t *testing.T) {
	err := DryRunReport(failWriter{}, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v", err)
	}
}
