// Package csvsafe writes CSV that spreadsheet programs open as data, never
// as formulas: a cell that begins with a character they read as the start
// of a formula (= + - @, tab or carriage return: OWASP's list) is written
// with a leading single quote, which they show as text. Every CSV Loupe
// writes goes through it.
package csvsafe

import (
	"encoding/csv"
	"io"
	"strings"
)

// Cell returns s as a spreadsheet reads it as text.
func Cell(s string) string {
	if s != "" && strings.ContainsAny(s[:1], "=+-@\t\r") {
		return "'" + s
	}
	return s
}

// Writer is a csv.Writer whose cells pass through Cell.
type Writer struct {
	csv *csv.Writer
	buf []string
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{csv: csv.NewWriter(w)} }

// Write writes one record, each cell guarded.
func (w *Writer) Write(record []string) error {
	w.buf = w.buf[:0]
	for _, s := range record {
		w.buf = append(w.buf, Cell(s))
	}
	return w.csv.Write(w.buf)
}

// Flush writes any buffered data and returns the first error of any write.
func (w *Writer) Flush() error {
	w.csv.Flush()
	return w.csv.Error()
}
