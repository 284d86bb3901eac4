package hashlist

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

var errLineTooLong = errors.New("line too long")

// lineReader yields a file's physical lines, numbered as an editor numbers
// them, holding at most one line of bounded length in memory however the
// file is shaped.
type lineReader struct {
	br   *bufio.Reader
	max  int
	line int // number of the line last returned
}

func newLineReader(r io.Reader, max int) *lineReader {
	// Room for the longest allowed line and its "\r\n".
	return &lineReader{br: bufio.NewReaderSize(r, max+2), max: max}
}

// next returns the next line without its "\n" or "\r\n" ending, and its
// 1-based number. The line is valid until the following call. A line over
// the limit is skipped to its end and reported as errLineTooLong, after which
// reading can go on. next returns io.EOF after the last line.
func (lr *lineReader) next() ([]byte, int, error) {
	b, err := lr.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		for err == bufio.ErrBufferFull {
			_, err = lr.br.ReadSlice('\n')
		}
		lr.line++
		if err != nil && err != io.EOF {
			return nil, lr.line, err
		}
		return nil, lr.line, errLineTooLong
	}
	if err != nil && (err != io.EOF || len(b) == 0) {
		return nil, lr.line + 1, err
	}
	lr.line++
	b = bytes.TrimSuffix(b, []byte("\n"))
	b = bytes.TrimSuffix(b, []byte("\r"))
	if len(b) > lr.max {
		return nil, lr.line, errLineTooLong
	}
	return b, lr.line, nil
}
