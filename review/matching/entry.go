package matching

import (
	"fmt"
	"strings"

	"github.com/loupe-review/loupe/review/pdq"
)

// The hash types an entry may hold, as Entry.Type and Match.HashType.
const (
	PDQ    = "pdq"
	MD5    = "md5"
	SHA256 = "sha256"
)

// Entry is an active hash-list entry. Retracted entries are not given to
// the matcher: retracting one is Matcher.Remove.
type Entry struct {
	ID       int64
	ListID   int64
	Type     string // PDQ, MD5 or SHA256
	Value    string // hex; upper case is accepted and lowered
	Category string // shown with block matches
}

// entry is an Entry ready to match: its value normalised and, for PDQ,
// parsed once rather than on every query.
type entry struct {
	Entry
	hash pdq.Hash // PDQ entries only
}

// prepare checks e's value for its type and normalises it.
func prepare(e Entry) (entry, error) {
	invalid := func(format string, args ...any) (entry, error) {
		return entry{}, fmt.Errorf("matching: entry %d: %w: %s", e.ID, ErrInvalidEntry, fmt.Sprintf(format, args...))
	}
	e.Value = strings.ToLower(e.Value)
	switch e.Type {
	case PDQ:
		h, err := pdq.ParseHash(e.Value)
		if err != nil {
			return invalid("%v", err)
		}
		// The hasher gives the zero hash for images too small to hash; an
		// entry of it would match every such image.
		if h.IsZero() {
			return invalid("all-zero pdq hash")
		}
		return entry{Entry: e, hash: h}, nil
	case MD5, SHA256:
		if !isHex(e.Value, hexDigits(e.Type)) {
			return invalid("want %d hex digits for %s, got %q", hexDigits(e.Type), e.Type, truncate(e.Value))
		}
		return entry{Entry: e}, nil
	}
	return invalid("unknown hash type %q (want pdq, md5 or sha256)", truncate(e.Type))
}

// hexDigits is the length of an exact hash type's hex form.
func hexDigits(typ string) int {
	if typ == MD5 {
		return 32
	}
	return 64
}

// isHex reports whether s is n lower-case hex digits.
func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := range len(s) {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// truncate keeps error messages short whatever a bad row holds.
func truncate(s string) string {
	const max = 70
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
