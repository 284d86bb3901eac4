package hashlist

import (
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
)

func TestSplitCSVLine(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr string
	}{
		{"a", []string{"a"}, ""},
		{"a,b,c", []string{"a", "b", "c"}, ""},
		{"a,,", []string{"a", "", ""}, ""},
		{",", []string{"", ""}, ""},
		{`"a,b",c`, []string{"a,b", "c"}, ""},
		{`"say ""hi""",x`, []string{`say "hi"`, "x"}, ""},
		{`""`, []string{""}, ""},
		{`a,""`, []string{"a", ""}, ""},
		{` a , b `, []string{" a ", " b "}, ""},
		{`a"b`, nil, `bare "`},
		{`"abc`, nil, "not closed on its line"},
		{`"a"b`, nil, `unexpected text after a closing "`},
		{`"a" ,b`, nil, `unexpected text after a closing "`},
	}
	for _, tt := range tests {
		got, err := splitCSVLine(tt.in, 2)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("splitCSVLine(%q) error = %v, want containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitCSVLine(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// Whatever encoding/csv writes on one line, splitCSVLine reads back.
func TestSplitCSVLineReadsCSVWriter(t *testing.T) {
	records := [][]string{
		{"plain", "with,comma", `with "quote"`, " leading space", "", `\.`, "ünïcödé"},
		{""},
		{"", ""},
	}
	for _, rec := range records {
		var b strings.Builder
		w := csv.NewWriter(&b)
		w.Write(rec)
		w.Flush()
		got, err := splitCSVLine(strings.TrimSuffix(b.String(), "\n"), 0)
		if err != nil || !reflect.DeepEqual(got, rec) {
			t.Errorf("split of %q = %q, %v; want %q", b.String(), got, err, rec)
		}
	}
}
