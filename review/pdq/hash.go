package pdq

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/bits"
)

// Hash is a 256-bit PDQ hash. Bytes are stored in the order of the canonical
// hex form, so bit k of the C++ reference (word k>>4, bit k&15, words printed
// from 15 down to 0) is bit k&7 of byte 31-(k>>3): the hash reads as one
// big-endian 256-bit number.
type Hash [32]byte

// Bits is the number of bits in a Hash.
const Bits = 256

// String returns the 64-character lowercase hex form used by the reference
// tools and by ThreatExchange hash lists.
func (h Hash) String() string {
	return hex.EncodeToString(h[:])
}

// ParseHash parses the 64-character hex form written by String. Upper-case
// digits are accepted, since hash lists from other tools sometimes use them.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 2*len(h) {
		return Hash{}, fmt.Errorf("pdq: parse hash %q: want %d hex digits, got %d", s, 2*len(h), len(s))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return Hash{}, fmt.Errorf("pdq: parse hash %q: %w", s, err)
	}
	return h, nil
}

// Distance is the Hamming distance between a and b, from 0 to 256.
func Distance(a, b Hash) int {
	d := 0
	for i := 0; i < len(a); i += 8 {
		d += bits.OnesCount64(binary.BigEndian.Uint64(a[i:]) ^ binary.BigEndian.Uint64(b[i:]))
	}
	return d
}

// Bit reports whether bit k (0..255, the reference numbering) is set.
func (h Hash) Bit(k int) bool {
	return h[31-(k>>3)]&(1<<(k&7)) != 0
}

func (h *Hash) setBit(k int) {
	h[31-(k>>3)] |= 1 << (k & 7)
}

// IsZero reports whether every bit is clear, which is what images too small
// to hash produce.
func (h Hash) IsZero() bool {
	return h == Hash{}
}
