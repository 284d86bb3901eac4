package csvsafe

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"=1+2@example.org": "'=1+2@example.org", "+1": "'+1", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)",
		"\t=1": "'\t=1", "\r=1": "'\r=1", "": "", "ana@example.org": "ana@example.org", "1.5": "1.5",
		"a=b": "a=b", "'quoted": "'quoted", "2026-11-26": "2026-11-26",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriterGuardsEveryCell(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	w.Write([]string{"date", "who"})
	w.Write([]string{"=cmd|' /C calc'!A0", "-1"})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][0] != "'=cmd|' /C calc'!A0" || rows[1][1] != "'-1" || rows[0][0] != "date" {
		t.Errorf("rows %q, %v", rows, err)
	}
}
