package hashlist

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseCSVRows(t *testing.T) {
	in := "\uFEFFHash_Value , hash_type,category,status,reason\r\n" +
		strings.ToUpper(md5Empty) + ",MD5, spam ,,\r\n" +
		"\r\n" +
		"  " + pdqSample + "  ,pdq,\"violence, graphic\",retracted,\"said \"\"oops\"\"\"\n" +
		sha256Empty + ",sha256,,ACTIVE,\n"
	rows, errs := ParseCSV(strings.NewReader(in))
	if len(errs) != 0 {
		t.Fatalf("errs = %+v", errs)
	}
	want := []Row{
		{2, Entry{Type: MD5, Value: md5Empty, Category: "spam", Status: Active, Source: SourceImport}},
		{4, Entry{Type: PDQ, Value: pdqSample, Category: "violence, graphic", Status: Retracted, Reason: `said "oops"`, Source: SourceImport}},
		{5, Entry{Type: SHA256, Value: sha256Empty, Status: Active, Source: SourceImport}},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows =\n%+v\nwant\n%+v", rows, want)
	}
}

// Each rule, with the line number the error must carry.
func TestParseCSVRowErrors(t *testing.T) {
	const header = "hash_type,hash_value,category,status,reason\n"
	tests := []struct {
		name string
		body string // after the header, so its first line is line 2
		want RowError
	}{
		{"unknown type", "sha1," + md5Empty + ",,,\n", RowError{2, `hash_type: unknown hash type "sha1" (want pdq, md5 or sha256)`}},
		{"missing type", "," + md5Empty + ",,,\n", RowError{2, "hash_type: missing (want pdq, md5 or sha256)"}},
		{"bad md5", "md5,abc,,,\n", RowError{2, "hash_value: want 32 hex digits for md5, got 3"}},
		{"bad sha256 on line 3", "md5," + md5Empty + ",,,\nsha256,xyz,,,\n", RowError{3, "hash_value: want hex digits only for sha256, got 'x' at position 1"}},
		{"bad pdq", "pdq," + pdqSample[1:] + ",,,\n", RowError{2, "hash_value: want 64 hex digits for pdq, got 63"}},
		{"zero pdq", "pdq," + strings.Repeat("0", 64) + ",,,\n", RowError{2, "hash_value: all-zero pdq hash, which is what images too small to hash produce"}},
		{"long category", "md5," + md5Empty + "," + strings.Repeat("c", 65) + ",,\n", RowError{2, "category: longer than 64 bytes (got 65)"}},
		{"control in category", "md5," + md5Empty + ",a\x00b,,\n", RowError{2, "category: has a non-printable character U+0000 at byte 2"}},
		{"formula category", "md5," + md5Empty + ",+1,,\n", RowError{2, `category: starts with "+", which spreadsheets read as a formula`}},
		{"unknown status", "md5," + md5Empty + ",,removed,\n", RowError{2, `status: unknown status "removed" (want active or retracted)`}},
		{"retracted without reason", "md5," + md5Empty + ",,retracted,\n", RowError{2, "reason: required when status is retracted"}},
		{"two problems, one line", "md5,zz,,retracted,\n", RowError{2, "hash_value: want hex digits only for md5, got 'z' at position 1; reason: required when status is retracted"}},
		{"duplicate after normalising", "md5," + md5Empty + ",,,\n\nMD5, " + strings.ToUpper(md5Empty) + ",other,,\n", RowError{4, "duplicate of line 2 (same hash_type and hash_value)"}},
		{"too few fields", "md5," + md5Empty + "\n", RowError{2, "2 fields, but the header names 5 columns"}},
		{"too many fields", "md5," + md5Empty + ",,,,\n", RowError{2, "6 fields, but the header names 5 columns"}},
		{"bare quote", `md5,` + md5Empty + `,a"b,,` + "\n", RowError{2, `bare " in an unquoted field (quote the field and double the ")`}},
		{"quote left open", `md5,` + md5Empty + `,"a,,` + "\nmore\"\n", RowError{2, "quoted field not closed on its line"}},
		{"not UTF-8", "md5," + md5Empty + ",caf\xe9,,\n", RowError{2, "not valid UTF-8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := ParseCSV(strings.NewReader(header + tt.body))
			if len(errs) == 0 || errs[0] != tt.want {
				t.Fatalf("errs = %+v\nwant first %+v", errs, tt.want)
			}
		})
	}
}

// A bad header, or a file that is not CSV, is one error on line 1.
func TestParseCSVFileErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", "empty file: want a header line naming at least hash_type and hash_value"},
		{"only blank lines", "\n \r\n", "empty file: want a header line naming at least hash_type and hash_value"},
		{"unknown column, rows not read", "hash_type,hash_value,colour\nmd5,x,red\n", `header: unknown column "colour" (known: hash_type, hash_value, category, status, reason, version, source, added_at)`},
		{"missing required", "hash_type,category\n", `header: missing required column "hash_value"`},
		{"repeated column", "hash_type,hash_value,Category,category\n", `header: column "category" appears twice`},
		{"unnamed column", "hash_type,,hash_value\n", "header: column 2 has no name"},
		{"no header at all", md5Empty + ",md5\n", `header: unknown column "d41d8cd98f00b204e9800998ecf8427e" (known: hash_type, hash_value, category, status, reason, version, source, added_at); unknown column "md5" (known: hash_type, hash_value, category, status, reason, version, source, added_at); missing required column "hash_type"; missing required column "hash_value"`},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "header is not valid UTF-8; is this a CSV file?"},
		{"JSON Lines", `{"hash_type":"md5","hash_value":"` + md5Empty + `"}` + "\n", "header starts with {; is this a JSON Lines file?"},
		{"broken quoting", `"hash_type,hash_value` + "\n", "header: quoted field not closed on its line"},
		{"header too long", strings.Repeat("hash_type,", 10000), "header line longer than 65536 bytes; is this a CSV file?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, errs := ParseCSV(strings.NewReader(tt.in))
			want := []RowError{{1, tt.want}}
			if len(rows) != 0 || !reflect.DeepEqual(errs, want) {
				t.Fatalf("rows %+v errs %+v\nwant errs %+v", rows, errs, want)
			}
		})
	}
}

func TestParseCSVAcceptsExportColumns(t *testing.T) {
	in := "added_at,source,version,hash_value,hash_type\n" +
		"2026-01-02T03:04:05Z,decision,12," + md5Empty + ",md5\n" +
		"not a time,whatever,-3," + sha256Empty + ",sha256\n"
	rows, errs := ParseCSV(strings.NewReader(in))
	if len(errs) != 0 || len(rows) != 2 {
		t.Fatalf("rows %+v errs %+v", rows, errs)
	}
	// The exporter's bookkeeping is not the importer's: none of it is kept.
	for _, r := range rows {
		if r.Entry.Version != 0 || !r.Entry.AddedAt.IsZero() || r.Entry.Source != SourceImport {
			t.Errorf("line %d kept bookkeeping: %+v", r.Line, r.Entry)
		}
	}
}

func TestParseCSVLimits(t *testing.T) {
	lim := limits{lineBytes: 100, rows: 3, rowErrors: 50}
	var b strings.Builder
	b.WriteString("hash_type,hash_value,category\n")
	fmt.Fprintf(&b, "md5,%s,%s\n", md5Empty, strings.Repeat("c", 200)) // line 2: too long
	fmt.Fprintf(&b, "sha256,%s,\n", sha256Empty)                       // line 3
	fmt.Fprintf(&b, "pdq,%s,\n", pdqSample)                            // line 4
	fmt.Fprintf(&b, "md5,%s,\n", md5Empty)                             // line 5: fourth row
	rows, errs := parseCSV(strings.NewReader(b.String()), lim)
	want := []RowError{{2, "line longer than 100 bytes"}, {5, "more than 3 rows; split the file"}}
	if len(rows) != 2 || !reflect.DeepEqual(errs, want) {
		t.Fatalf("rows %+v errs %+v\nwant errs %+v", rows, errs, want)
	}
}

// Every rejected row is reported, not just the first.
func TestParseCSVReportsEveryRow(t *testing.T) {
	in := "hash_type,hash_value\nmd5,1\nmd5," + md5Empty + "\nmd5,2\nsha1,3\n"
	rows, errs := ParseCSV(strings.NewReader(in))
	var lines []int
	for _, e := range errs {
		lines = append(lines, e.Line)
	}
	if len(rows) != 1 || !reflect.DeepEqual(lines, []int{2, 4, 5}) {
		t.Fatalf("rows %+v errs %+v", rows, errs)
	}
}

func TestParseCSVLargeFile(t *testing.T) {
	const n = 100_000
	rows, errs := ParseCSV(strings.NewReader(largeCSV(n)))
	if len(errs) != 0 || len(rows) != n || rows[n-1].Line != n+1 {
		t.Fatalf("%d rows, errs %+v", len(rows), errs[:min(len(errs), 3)])
	}
}

func TestWriteCSV(t *testing.T) {
	added := time.Date(2026, 3, 4, 5, 6, 7, 800, time.FixedZone("CET", 3600))
	entries := []Entry{
		{Type: MD5, Value: md5Empty, Category: `spam, "bulk"`, Status: Active, Source: SourceDecision, AddedBy: "alice", AddedAt: added, Version: 3},
		{Type: PDQ, Value: pdqSample, Status: Retracted, Reason: "false positive", Source: SourceImport, Version: 4},
	}
	var b strings.Builder
	if err := WriteCSV(&b, entries); err != nil {
		t.Fatal(err)
	}
	want := "hash_type,hash_value,category,status,reason,version,source,added_at\n" +
		"md5," + md5Empty + `,"spam, ""bulk""",active,,3,decision,2026-03-04T04:06:07Z` + "\n" +
		"pdq," + pdqSample + ",,retracted,false positive,4,import,\n"
	if b.String() != want {
		t.Fatalf("WriteCSV =\n%s\nwant\n%s", b.String(), want)
	}
	if strings.Contains(b.String(), "alice") {
		t.Fatal("export names the reviewer")
	}
}

func TestWriteCSVEmpty(t *testing.T) {
	var b strings.Builder
	if err := WriteCSV(&b, nil); err != nil {
		t.Fatal(err)
	}
	if b.String() != "hash_type,hash_value,category,status,reason,version,source,added_at\n" {
		t.Fatalf("WriteCSV(nil) = %q", b.String())
	}
}
