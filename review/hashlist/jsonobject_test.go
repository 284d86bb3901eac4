package hashlist

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDecodeObject(t *testing.T) {
	tests := []struct {
		in      string
		want    rawRow
		wantErr string
	}{
		{`{}`, rawRow{}, ""},
		{` { } `, rawRow{}, ""},
		{`{"hash_type":"md5","hash_value":"ab"}`, rawRow{hashType: "md5", hashValue: "ab"}, ""},
		{"{ \"category\" :\t\"x\" , \"reason\":null }", rawRow{category: "x"}, ""},
		{`{"category":"a\"b\\c\u00e9\n"}`, rawRow{category: "a\"b\\cé\n"}, ""},
		{`{"hash\u005ftype":"pdq"}`, rawRow{hashType: "pdq"}, ""},
		{`{"version":12,"added_at":"x","source":"y"}`, rawRow{}, ""},
		{`{"version":-1.5e3}`, rawRow{}, ""},
		{`{"version":"12"}`, rawRow{}, ""},
		{`{"category":"ü"}`, rawRow{category: "ü"}, ""},
		{``, rawRow{}, "not a JSON object"},
		{`[]`, rawRow{}, "not a JSON object"},
		{`{`, rawRow{}, "object not closed on its line"},
		{`{"category"`, rawRow{}, "object not closed on its line"},
		{`{"category":`, rawRow{}, "object not closed on its line"},
		{`{"category":"x",`, rawRow{}, "object not closed on its line"},
		{`{"category":"x\`, rawRow{}, "object not closed on its line"},
		{`{"category":"x",}`, rawRow{}, "not valid JSON: want a quoted field name at byte 17, got '}'"},
		{`{category:"x"}`, rawRow{}, "not valid JSON: want a quoted field name at byte 2, got 'c'"},
		{`{"category" "x"}`, rawRow{}, "not valid JSON: want : at byte 13, got '\"'"},
		{`{"category":"x" "reason":"y"}`, rawRow{}, "not valid JSON: want , or } at byte 17, got '\"'"},
		{`{"category":'x'}`, rawRow{}, "not valid JSON: want a value at byte 13, got '\\''"},
		{`{"category":nul}`, rawRow{}, "not valid JSON: want a value at byte 13, got 'n'"},
		{`{"category":"a` + "\t" + `b"}`, rawRow{}, "not valid JSON: control character in the string at byte 15"},
		{`{"category":"\x"}`, rawRow{}, "not valid JSON: bad escape in the string at byte 13"},
		{`{"category":"\u12"}`, rawRow{}, "not valid JSON: bad escape in the string at byte 13"},
		{`{"version":1.2.3}`, rawRow{}, "not valid JSON: bad number at byte 12"},
		{`{"version":01}`, rawRow{}, "not valid JSON: bad number at byte 12"},
		{`{"version":true}`, rawRow{}, "field version: want a number"},
		{`{"category":1}`, rawRow{}, "field category: want a string, got a number"},
		{`{"category":false}`, rawRow{}, "field category: want a string"},
		{`{"category":["x"]}`, rawRow{}, "field category: want a string"},
		{`{"Category":"x"}`, rawRow{}, `unknown field "Category"`},
		{`{"category":"x","category":"y"}`, rawRow{}, `field "category" appears twice`},
		{`{}x`, rawRow{}, "not valid JSON: unexpected text after the object at byte 3"},
		{"{\"category\":\"\xff\"}", rawRow{}, "not valid UTF-8"},
	}
	for _, tt := range tests {
		got, err := decodeObject([]byte(tt.in))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("decodeObject(%s) error = %v, want containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("decodeObject(%s) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

// checkDecodeObjectAgrees asserts that decodeObject and encoding/json agree
// on line: whatever the scanner accepts is valid JSON with the same values,
// and it refuses a flat object of known keys that encoding/json reads only
// for a repeated key. The fuzz target calls it on arbitrary lines.
func checkDecodeObjectAgrees(t *testing.T, line []byte) {
	t.Helper()
	got, err := decodeObject(line)
	if !utf8.Valid(line) {
		// encoding/json reads invalid UTF-8 as U+FFFD; the scanner refuses it.
		if err == nil {
			t.Fatalf("decodeObject accepted invalid UTF-8 %q", line)
		}
		return
	}
	var m map[string]any
	jerr := errors.New("invalid")
	if json.Valid(line) {
		// UseNumber, since 1e999 is valid JSON that no float64 holds.
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		jerr = dec.Decode(&m)
	}
	if err == nil {
		if jerr != nil {
			t.Fatalf("decodeObject accepted %q, encoding/json says %v", line, jerr)
		}
		var want rawRow
		for k, v := range m {
			if s, ok := v.(string); ok {
				want.set(k, s)
			}
		}
		if got != want {
			t.Fatalf("decodeObject(%q) = %+v, encoding/json read %+v", line, got, want)
		}
		return
	}
	if jerr != nil || m == nil {
		return
	}
	for k, v := range m {
		switch v.(type) {
		case string, nil:
		case json.Number:
			if k != colVersion {
				return
			}
		default:
			return
		}
		if !isColumn(k) {
			return
		}
	}
	if !strings.Contains(err.Error(), "appears twice") {
		t.Fatalf("decodeObject refused %q (%v), which encoding/json reads as %v", line, err, m)
	}
}

func TestDecodeObjectAgreesWithEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{"hash_type":"md5","hash_value":"ab","version":3}`,
		`{"category":"\ud83d\ude00 \u0000"}`,
		`{"category":"\ud800"}`,
		`{"reason":null,"status":"x"}`,
		`{"category":"a","category":"b"}`,
		`{"category":"x"} `,
		`{"version":1e999}`,
		`{"category":"caf` + "\xe9" + `"}`,
		`null`,
		`{"hash_type":"md5"}{}`,
	} {
		checkDecodeObjectAgrees(t, []byte(in))
	}
}
