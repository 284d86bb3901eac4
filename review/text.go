package review

import "fmt"

// ControlRune reports whether r is a control character (C0, DEL, C1), a
// bidirectional formatting character or a line or paragraph separator:
// characters that can clear a terminal, forge a line of output or reorder
// text on a page. Metadata refuses them at ingest; the command line escapes
// them wherever it prints stored text.
func ControlRune(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// checkPlain adds a problem for field if s holds a ControlRune. Refusing is
// the truthful choice: a report must carry what the platform sent, so Loupe
// does not quietly alter it, and the platform keeps the item until it sends
// the text escaped.
func checkPlain(v *ValidationError, field, s string) {
	for i, r := range s {
		if ControlRune(r) {
			v.Add(field, fmt.Sprintf("must not contain control or bidirectional formatting characters (%U at byte %d)", r, i))
			return
		}
	}
}
