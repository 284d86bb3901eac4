package matching

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"testing"

	"github.com/loupe-review/loupe/review/pdq"
)

// randomHash returns a hash drawn from r; two of them are about 128 apart.
func randomHash(r *rand.Rand) pdq.Hash {
	var h pdq.Hash
	for i := range h {
		h[i] = byte(r.Uint32())
	}
	return h
}

// flip returns h with n distinct bits flipped, so exactly n from h. The
// bits are spread over the hash (7 is coprime with 256) rather than packed
// into a few bytes.
func flip(h pdq.Hash, n int) pdq.Hash {
	for k := range n {
		b := k * 7 % pdq.Bits
		h[b/8] ^= 1 << (b % 8)
	}
	return h
}

// original is a query of one usable PDQ hash.
func original(h pdq.Hash) []pdq.Result {
	return []pdq.Result{{Hash: h, Quality: 100}}
}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// load returns a matcher holding lists and entries, all of them valid.
func load(t *testing.T, lists []List, entries []Entry) *Matcher {
	t.Helper()
	m := New()
	if err := m.Load(lists, entries); err != nil {
		t.Fatalf("Load: %v", err)
	}
	return m
}
