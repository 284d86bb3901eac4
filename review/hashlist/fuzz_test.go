package hashlist

import (
	"bytes"
	"strings"
	"testing"
)

// checkParse asserts what must hold of any parse, whatever the input: every
// row validates and came from the import, lines are in order and each line
// is either accepted or rejected, reasons are one line of text, and the
// accepted rows survive an export and re-import in both formats unchanged.
func checkParse(t *testing.T, rows []Row, errs []RowError, firstRowLine int) {
	t.Helper()
	rejected := map[int]bool{}
	for _, e := range errs {
		if e.Line < 1 || e.Reason == "" || strings.ContainsAny(e.Reason, "\r\n") {
			t.Fatalf("bad RowError %+v", e)
		}
		rejected[e.Line] = true
	}
	entries := make([]Entry, len(rows))
	for i, r := range rows {
		if err := r.Entry.Validate(); err != nil {
			t.Fatalf("line %d: row does not validate: %v\n%+v", r.Line, err, r.Entry)
		}
		if r.Entry.Source != SourceImport || r.Entry.Version != 0 || !r.Entry.AddedAt.IsZero() {
			t.Fatalf("line %d: bookkeeping not the importer's: %+v", r.Line, r.Entry)
		}
		if r.Line < firstRowLine || i > 0 && r.Line <= rows[i-1].Line || rejected[r.Line] {
			t.Fatalf("row line %d out of place (previous %+v, rejected %v)", r.Line, rows[max(i-1, 0)], rejected[r.Line])
		}
		entries[i] = r.Entry
	}
	for _, f := range formats {
		var buf bytes.Buffer
		if err := f.write(&buf, entries); err != nil {
			t.Fatalf("%s: cannot export accepted rows: %v", f.name, err)
		}
		again, errs := f.parse(&buf)
		if len(errs) != 0 || len(again) != len(entries) {
			t.Fatalf("%s: re-import of export gives %d rows, errors %+v", f.name, len(again), errs)
		}
		for i := range again {
			if again[i].Entry != entries[i] {
				t.Fatalf("%s: round trip changed row %d:\n%+v\n%+v", f.name, i, entries[i], again[i].Entry)
			}
		}
	}
}

// fuzzLimits puts every limit within reach of small inputs. With the
// defaults, only inputs over 64 KiB reach the long-line path, and the
// fuzzer spends minutes minimising each one (minimising is quadratic in
// the input's length).
var fuzzLimits = limits{lineBytes: 100, rows: 10, rowErrors: 5}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("hash_type,hash_value,category,status,reason\nmd5," + md5Empty + ",spam,,\npdq," + pdqSample + ",,retracted,fp\n"))
	f.Add([]byte("\uFEFFHASH_VALUE,Hash_Type\r\n" + strings.ToUpper(sha256Empty) + ",SHA256\r\n\r\n"))
	f.Add([]byte("hash_type,hash_value,category\nmd5," + md5Empty + `,"a, ""b"""` + "\nmd5," + md5Empty + ",dup\n"))
	f.Add([]byte("hash_type,hash_value,version,source,added_at\nmd5," + md5Empty + ",3,decision,2026-01-01T00:00:00Z\n"))
	f.Add([]byte("hash_type,hash_value\nmd5,\"" + md5Empty + "\nmd5\"\n"))
	f.Add([]byte("hash_type,hash_value,colour\n"))
	f.Add([]byte("hash_type,hash_value\nsha1,abc\nmd5,a\"b\n,,\n\xff\xfe\n"))
	f.Add([]byte(`{"hash_type":"md5","hash_value":"` + md5Empty + `"}`))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	f.Add([]byte("hash_type,hash_value\n" + strings.Repeat("md5,"+md5Empty+"\n", 3) + strings.Repeat("x", 101) + "\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, errs := ParseCSV(bytes.NewReader(data))
		checkParse(t, rows, errs, 2)
		rows, errs = parseCSV(bytes.NewReader(data), fuzzLimits)
		checkParse(t, rows, errs, 2)
	})
}

func FuzzParseJSONL(f *testing.F) {
	f.Add([]byte(`{"hash_type":"md5","hash_value":"` + md5Empty + `","category":"spam"}` + "\n" +
		`{"hash_type":"pdq","hash_value":"` + pdqSample + `","status":"retracted","reason":"fp"}`))
	f.Add([]byte("\uFEFF" + `{"hash_type":"SHA256","hash_value":" ` + strings.ToUpper(sha256Empty) + ` ","version":3,"source":"decision","added_at":"x"}` + "\r\n\n"))
	f.Add([]byte(`{"hash_type":"md5","hash_value":"` + md5Empty + `"}` + "\n" + `{"hash_type":"md5","hash_value":"` + strings.ToUpper(md5Empty) + `"}`))
	f.Add([]byte(`{"category":"a\"\\\u00e9\ud83d\ude00","hash_type":"md5","hash_value":null}`))
	f.Add([]byte(`{"hash_type":"md5","hash_type":"md5"}` + "\n" + `{"Hash_Type":"md5"}` + "\n" + `{"colour":1}`))
	f.Add([]byte(`{"version":1e999,"category":[1],"reason":{}}` + "\n{\n{} {}\n[]\n"))
	f.Add([]byte("hash_type,hash_value\nmd5," + md5Empty + "\n"))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, errs := ParseJSONL(bytes.NewReader(data))
		checkParse(t, rows, errs, 1)
		rows, errs = parseJSONL(bytes.NewReader(data), fuzzLimits)
		checkParse(t, rows, errs, 1)
		first, _, _ := bytes.Cut(data, []byte("\n"))
		checkDecodeObjectAgrees(t, bytes.TrimSuffix(first, []byte("\r")))
	})
}
