package hashlist

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

var errNotClosed = errors.New("object not closed on its line")

// decodeObject reads one line holding a flat JSON object whose values are
// strings, null or (for version) a number. It is a small scanner rather than
// json.Unmarshal, which matches keys ignoring case and lets a repeated key
// silently replace the first, and rather than json.Decoder.Token, which
// builds and discards a formatted error inside every value it reads and so
// dominated the time of a large import. Strings with escapes are still
// decoded by encoding/json.
func decodeObject(line []byte) (rawRow, error) {
	var raw rawRow
	// encoding/json would quietly turn invalid bytes into U+FFFD.
	if !utf8.Valid(line) {
		return raw, errors.New("not valid UTF-8")
	}
	s := objScanner{b: line}
	s.skipSpace()
	if s.peek() != '{' {
		return raw, errors.New("not a JSON object")
	}
	s.i++
	s.skipSpace()
	if s.peek() == '}' {
		s.i++
		return raw, s.end()
	}
	var seen uint16 // bit i: columns[i] read
	for {
		if s.peek() != '"' {
			return raw, s.unexpected("a quoted field name")
		}
		key, err := s.key()
		if err != nil {
			return raw, err
		}
		col := columnIndex(key)
		if col < 0 {
			return raw, fmt.Errorf("unknown field %s (known: %s)", quote(key), knownColumns)
		}
		if seen&(1<<col) != 0 {
			return raw, fmt.Errorf("field %s appears twice", quote(key))
		}
		seen |= 1 << col
		s.skipSpace()
		if s.peek() != ':' {
			return raw, s.unexpected(":")
		}
		s.i++
		s.skipSpace()
		v, err := s.value(key)
		if err != nil {
			return raw, err
		}
		raw.set(key, v)
		s.skipSpace()
		switch s.peek() {
		case ',':
			s.i++
			s.skipSpace()
		case '}':
			s.i++
			return raw, s.end()
		default:
			return raw, s.unexpected(", or }")
		}
	}
}

type objScanner struct {
	b []byte
	i int
}

// peek returns the next byte, or 0 at the end of the line, which no valid
// position holds.
func (s *objScanner) peek() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *objScanner) skipSpace() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

func (s *objScanner) unexpected(want string) error {
	if s.i >= len(s.b) {
		return errNotClosed
	}
	return fmt.Errorf("not valid JSON: want %s at byte %d, got %q", want, s.i+1, s.b[s.i])
}

// end checks that nothing but space follows the object.
func (s *objScanner) end() error {
	s.skipSpace()
	if s.i < len(s.b) {
		return fmt.Errorf("not valid JSON: unexpected text after the object at byte %d", s.i+1)
	}
	return nil
}

// key reads a field name. An unescaped name that is a column returns the
// column's own string, which saves copying every key of every line.
func (s *objScanner) key() (string, error) {
	tok, escaped, err := s.strToken()
	if err != nil || escaped {
		return s.decodeStr(tok, err)
	}
	inner := tok[1 : len(tok)-1]
	for _, c := range columns {
		if string(inner) == c {
			return c, nil
		}
	}
	return string(inner), nil
}

// str reads the string starting at the current '"'.
func (s *objScanner) str() (string, error) {
	tok, escaped, err := s.strToken()
	if err != nil || escaped {
		return s.decodeStr(tok, err)
	}
	return string(tok[1 : len(tok)-1]), nil
}

// strToken finds the end of the string starting at the current '"' and
// returns it with its quotes, and whether it holds an escape.
func (s *objScanner) strToken() (tok []byte, escaped bool, err error) {
	start := s.i
	for j := start + 1; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '\\':
			escaped = true
			j++
		case c == '"':
			s.i = j + 1
			return s.b[start:s.i], escaped, nil
		case c < 0x20:
			return nil, false, fmt.Errorf("not valid JSON: control character in the string at byte %d", j+1)
		}
	}
	return nil, false, errNotClosed
}

// decodeStr decodes a string token holding escapes.
func (s *objScanner) decodeStr(tok []byte, err error) (string, error) {
	if err != nil {
		return "", err
	}
	var v string
	if err := json.Unmarshal(tok, &v); err != nil {
		return "", fmt.Errorf("not valid JSON: bad escape in the string at byte %d", s.i-len(tok)+1)
	}
	return v, nil
}

// value reads the value of field key, which must be a string or null, or
// for version a number (ignored, as version is).
func (s *objScanner) value(key string) (string, error) {
	c := s.peek()
	switch {
	case c == '"':
		return s.str()
	case c == 'n':
		if len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "null" {
			s.i += 4
			return "", nil
		}
	case c == '-' || '0' <= c && c <= '9':
		start := s.i
		for s.i < len(s.b) && isNumberByte(s.b[s.i]) {
			s.i++
		}
		if !json.Valid(s.b[start:s.i]) {
			return "", fmt.Errorf("not valid JSON: bad number at byte %d", start+1)
		}
		if key != colVersion {
			return "", fmt.Errorf("field %s: want a string, got a number", key)
		}
		return "", nil
	case c == 0:
		return "", errNotClosed
	case c == 't' || c == 'f' || c == '{' || c == '[':
		if key == colVersion {
			return "", fmt.Errorf("field %s: want a number", key)
		}
		return "", fmt.Errorf("field %s: want a string", key)
	}
	return "", s.unexpected("a value")
}

func isNumberByte(c byte) bool {
	return '0' <= c && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}
