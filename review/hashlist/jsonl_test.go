package hashlist

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseJSONLRows(t *testing.T) {
	in := "\uFEFF" + `{"hash_type":"MD5","hash_value":" ` + strings.ToUpper(md5Empty) + ` ","category":"spam"}` + "\r\n" +
		"\n   \n" +
		`  {"hash_value":"` + pdqSample + `","hash_type":"pdq","status":"retracted","reason":"said \"oops\"","category":null}  ` + "\n" +
		`{"hash_type":"sha256","hash_value":"` + sha256Empty + `","status":"","version":4,"source":"x","added_at":"yesterday"}`
	rows, errs := ParseJSONL(strings.NewReader(in))
	if len(errs) != 0 {
		t.Fatalf("errs = %+v", errs)
	}
	want := []Row{
		{1, Entry{Type: MD5, Value: md5Empty, Category: "spam", Status: Active, Source: SourceImport}},
		{4, Entry{Type: PDQ, Value: pdqSample, Status: Retracted, Reason: `said "oops"`, Source: SourceImport}},
		{5, Entry{Type: SHA256, Value: sha256Empty, Status: Active, Source: SourceImport}},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows =\n%+v\nwant\n%+v", rows, want)
	}
}

func TestParseJSONLRowErrors(t *testing.T) {
	first := `{"hash_type":"md5","hash_value":"` + md5Empty + `"}` + "\n" // line 1, valid
	tests := []struct {
		name string
		line string // becomes line 2
		want string
	}{
		{"unknown field", `{"hash_type":"md5","hash_value":"` + sha256Empty[:32] + `","colour":"red"}`, `unknown field "colour" (known: hash_type, hash_value, category, status, reason, version, source, added_at)`},
		{"key case matters", `{"Hash_Type":"md5"}`, `unknown field "Hash_Type" (known: hash_type, hash_value, category, status, reason, version, source, added_at)`},
		{"repeated key", `{"hash_type":"md5","hash_type":"sha256"}`, `field "hash_type" appears twice`},
		{"number value", `{"hash_type":"md5","hash_value":12}`, "field hash_value: want a string, got a number"},
		{"object value", `{"hash_type":{"a":1}}`, "field hash_type: want a string"},
		{"bool version", `{"version":true}`, "field version: want a number"},
		{"array", `["md5","x"]`, "not a JSON object"},
		{"string", `"md5"`, "not a JSON object"},
		{"not closed", `{"hash_type":"md5"`, "object not closed on its line"},
		{"cut in a string", `{"hash_type":"md`, "object not closed on its line"},
		{"syntax", `{"hash_type" "md5"}`, "not valid JSON: want : at byte 14, got '\"'"},
		{"two objects", `{} {}`, "not valid JSON: unexpected text after the object at byte 4"},
		{"not UTF-8", `{"category":"caf` + "\xe9" + `"}`, "not valid UTF-8"},
		{"missing everything", `{}`, "hash_type: missing (want pdq, md5 or sha256)"},
		{"bad value", `{"hash_type":"sha256","hash_value":"abc"}`, "hash_value: want 64 hex digits for sha256, got 3"},
		{"escaped control", `{"hash_type":"md5","hash_value":"` + sha256Empty[:32] + `","category":"a\u0007"}`, "category: has a non-printable character U+0007 at byte 2"},
		{"status", `{"hash_type":"md5","hash_value":"` + sha256Empty[:32] + `","status":"gone"}`, `status: unknown status "gone" (want active or retracted)`},
		{"retracted without reason", `{"hash_type":"md5","hash_value":"` + sha256Empty[:32] + `","status":"retracted"}`, "reason: required when status is retracted"},
		{"duplicate", `{"hash_type":"MD5","hash_value":"` + strings.ToUpper(md5Empty) + `"}`, "duplicate of line 1 (same hash_type and hash_value)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, errs := ParseJSONL(strings.NewReader(first + tt.line + "\n"))
			want := []RowError{{2, tt.want}}
			if len(rows) != 1 || !reflect.DeepEqual(errs, want) {
				t.Fatalf("rows %+v errs %+v\nwant errs %+v", rows, errs, want)
			}
		})
	}
}

// A file in another format is one error on its first line, not one per line.
func TestParseJSONLFileErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []RowError
	}{
		{"empty", "", nil},
		{"CSV", "hash_type,hash_value\nmd5," + md5Empty + "\n", []RowError{{1, "not JSON Lines: want one JSON object per line"}}},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\n{}\n", []RowError{{1, "not JSON Lines: want one JSON object per line"}}},
		{"JSON array", `[{"hash_type":"md5"}]`, []RowError{{1, "not JSON Lines: want one JSON object per line"}}},
		{"after blank lines", "\n\n{\n", []RowError{{3, "object not closed on its line"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, errs := ParseJSONL(strings.NewReader(tt.in))
			if len(rows) != 0 || !reflect.DeepEqual(errs, tt.want) {
				t.Fatalf("rows %+v errs %+v, want %+v", rows, errs, tt.want)
			}
		})
	}
}

func TestParseJSONLLimits(t *testing.T) {
	lim := limits{lineBytes: 100, rows: 3, rowErrors: 50}
	var b strings.Builder
	fmt.Fprintf(&b, `{"hash_type":"md5","hash_value":"%s"}`+"\n", md5Empty)
	fmt.Fprintf(&b, `{"category":"%s"}`+"\n", strings.Repeat("c", 200)) // line 2: too long
	fmt.Fprintf(&b, `{"hash_type":"pdq","hash_value":"%s"}`+"\n", pdqSample)
	fmt.Fprintf(&b, `{"hash_type":"sha256","hash_value":"%s"}`+"\n", sha256Empty) // fourth row
	rows, errs := parseJSONL(strings.NewReader(b.String()), lim)
	want := []RowError{{2, "line longer than 100 bytes"}, {4, "more than 3 rows; split the file"}}
	if len(rows) != 2 || !reflect.DeepEqual(errs, want) {
		t.Fatalf("rows %+v errs %+v\nwant errs %+v", rows, errs, want)
	}
}

func TestParseJSONLLargeFile(t *testing.T) {
	const n = 100_000
	rows, errs := ParseJSONL(strings.NewReader(largeJSONL(n)))
	if len(errs) != 0 || len(rows) != n || rows[n-1].Line != n {
		t.Fatalf("%d rows, errs %+v", len(rows), errs[:min(len(errs), 3)])
	}
}

func TestWriteJSONL(t *testing.T) {
	added := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	entries := []Entry{
		{Type: SHA256, Value: sha256Empty, Category: "<b>&", Status: Active, Source: SourceManual, AddedBy: "bob", AddedAt: added, Version: 1},
		{Type: MD5, Value: md5Empty, Status: Retracted, Reason: `said "oops"`, Version: 2},
	}
	var b strings.Builder
	if err := WriteJSONL(&b, entries); err != nil {
		t.Fatal(err)
	}
	want := `{"hash_type":"sha256","hash_value":"` + sha256Empty + `","category":"\u003cb\u003e\u0026","status":"active","reason":"","version":1,"source":"manual","added_at":"2026-03-04T05:06:07Z"}` + "\n" +
		`{"hash_type":"md5","hash_value":"` + md5Empty + `","category":"","status":"retracted","reason":"said \"oops\"","version":2,"source":"","added_at":""}` + "\n"
	if b.String() != want {
		t.Fatalf("WriteJSONL =\n%s\nwant\n%s", b.String(), want)
	}
	if strings.Contains(b.String(), "bob") {
		t.Fatal("export names the reviewer")
	}
}
