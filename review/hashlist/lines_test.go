package hashlist

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

type lineResult struct {
	text string
	n    int
	err  error
}

func readLines(r io.Reader, max int) []lineResult {
	lr := newLineReader(r, max)
	var out []lineResult
	for {
		b, n, err := lr.next()
		if err == io.EOF {
			return out
		}
		out = append(out, lineResult{string(b), n, err})
		if err != nil && !errors.Is(err, errLineTooLong) {
			return out
		}
	}
}

func TestLineReader(t *testing.T) {
	const max = 20 // bufio's minimum buffer is 16; max+2 stays above it
	long := strings.Repeat("x", 21)
	tests := []struct {
		name string
		in   string
		want []lineResult
	}{
		{"empty", "", nil},
		{"no final newline", "a\nb", []lineResult{{"a", 1, nil}, {"b", 2, nil}}},
		{"crlf and blank", "a\r\n\r\nb\n", []lineResult{{"a", 1, nil}, {"", 2, nil}, {"b", 3, nil}}},
		{"exactly max with crlf", strings.Repeat("y", 20) + "\r\n", []lineResult{{strings.Repeat("y", 20), 1, nil}}},
		{"one over max", long + "\nok\n", []lineResult{{"", 1, errLineTooLong}, {"ok", 2, nil}}},
		{"far over max, skipped", "a\n" + strings.Repeat("z", 1000) + "\nb\n", []lineResult{{"a", 1, nil}, {"", 2, errLineTooLong}, {"b", 3, nil}}},
		{"long last line without newline", "a\n" + strings.Repeat("z", 100), []lineResult{{"a", 1, nil}, {"", 2, errLineTooLong}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readLines(strings.NewReader(tt.in), max)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d lines %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("line %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestLineReaderReadError(t *testing.T) {
	boom := errors.New("boom")
	got := readLines(io.MultiReader(strings.NewReader("a\n"), iotest.ErrReader(boom)), 20)
	want := []lineResult{{"a", 1, nil}, {"", 2, boom}}
	if len(got) != 2 || got[0] != want[0] || got[1].n != 2 || !errors.Is(got[1].err, boom) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

// Reads of one byte at a time must give the same lines as one big read.
func TestLineReaderOneByteReads(t *testing.T) {
	in := "a,b\r\n" + strings.Repeat("q", 30) + "\nlast"
	got := readLines(iotest.OneByteReader(strings.NewReader(in)), 20)
	want := []lineResult{{"a,b", 1, nil}, {"", 2, errLineTooLong}, {"last", 3, nil}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
