package hashlist

import (
	"fmt"
	"strings"

	"github.com/loupe-review/loupe/review/pdq"
)

// HashType names the algorithm that produced a hash value.
type HashType string

// The hash types a list may hold.
const (
	PDQ    HashType = "pdq"
	MD5    HashType = "md5"
	SHA256 HashType = "sha256"
)

// hexDigits is the length of the type's canonical lower-case hex form, or 0
// for an unknown type.
func (t HashType) hexDigits() int {
	switch t {
	case PDQ, SHA256:
		return 64
	case MD5:
		return 32
	}
	return 0
}

func (t HashType) known() bool { return t.hexDigits() != 0 }

// ParseHashType reads a hash type as people and partner files write it:
// surrounding spaces and upper case are accepted.
func ParseHashType(s string) (HashType, error) {
	t := HashType(strings.ToLower(strings.TrimSpace(s)))
	if !t.known() {
		if t == "" {
			return "", &FieldError{Field: colHashType, Problem: "missing (want pdq, md5 or sha256)"}
		}
		return "", &FieldError{Field: colHashType, Problem: fmt.Sprintf("unknown hash type %s (want pdq, md5 or sha256)", quote(s))}
	}
	return t, nil
}

// NormalizeValue returns v in the canonical form for t: lower-case hex of
// the type's length. Spaces around v and upper-case digits are accepted,
// since partner tools write both; anything else is an error saying what is
// wrong, without echoing more than a short prefix of the input. t must be
// one of the constants; ParseHashType reads one from input.
func NormalizeValue(t HashType, v string) (string, error) {
	want := t.hexDigits()
	if want == 0 {
		return "", &FieldError{Field: colHashType, Problem: fmt.Sprintf("unknown hash type %s (want pdq, md5 or sha256)", quote(string(t)))}
	}
	v = strings.ToLower(strings.TrimSpace(v))
	if v == "" {
		return "", &FieldError{Field: colHashValue, Problem: "missing"}
	}
	for i, r := range v {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return "", &FieldError{Field: colHashValue, Problem: fmt.Sprintf("want hex digits only for %s, got %q at position %d", t, r, i+1)}
		}
	}
	if len(v) != want {
		return "", &FieldError{Field: colHashValue, Problem: fmt.Sprintf("want %d hex digits for %s, got %d", want, t, len(v))}
	}
	if t == PDQ {
		h, err := pdq.ParseHash(v)
		if err != nil {
			return "", &FieldError{Field: colHashValue, Problem: err.Error()}
		}
		// The hasher returns the zero hash for images it cannot hash, so a
		// zero entry stands for no content at all.
		if h.IsZero() {
			return "", &FieldError{Field: colHashValue, Problem: "all-zero pdq hash, which is what images too small to hash produce"}
		}
		v = h.String()
	}
	return v, nil
}
