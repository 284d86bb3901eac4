package pdqindex

import (
	"encoding/binary"
	"math/bits"

	"github.com/loupe-review/loupe/review/pdq"
)

// words is a hash as four 64-bit words, the form popcount works on. The
// mapping from pdq.Hash bytes is arbitrary but fixed; Hamming distance does
// not depend on it.
type words [4]uint64

func toWords(h pdq.Hash) words {
	return words{
		binary.BigEndian.Uint64(h[0:]),
		binary.BigEndian.Uint64(h[8:]),
		binary.BigEndian.Uint64(h[16:]),
		binary.BigEndian.Uint64(h[24:]),
	}
}

func (w words) hash() pdq.Hash {
	var h pdq.Hash
	for i, x := range w {
		binary.BigEndian.PutUint64(h[8*i:], x)
	}
	return h
}

func distance(a, b *words) int {
	return bits.OnesCount64(a[0]^b[0]) + bits.OnesCount64(a[1]^b[1]) +
		bits.OnesCount64(a[2]^b[2]) + bits.OnesCount64(a[3]^b[3])
}

// Multi-index hashing cuts the 256 bits into m disjoint slots. The slot
// distances of two hashes sum to their distance, so if it is at most T,
// then for any per-slot allowances r_s with sum(r_s+1) >= T+1 at least one
// slot is within its allowance (otherwise the sum would exceed T). A search
// looks up, in each slot's table, every key within r_s bit flips of the
// query's key, and checks the full distance of what it finds.

// maxFlips is the largest number of bit flips per slot a search probes;
// beyond it (or when probing would cost more anyway) a search scans every
// hash.
const maxFlips = 3

// layout is one way of cutting the hash into slots: slot s covers bits
// start[s] .. start[s]+width[s]-1 of the words, least significant first.
type layout struct {
	slots int
	start []int
	width []int
	// masks[s][r] lists the keys' XOR masks within r flips for slot s.
	masks [][maxFlips + 1][]uint32
}

// newLayout cuts 256 bits into m slots of as equal width as possible.
func newLayout(m int) *layout {
	l := &layout{slots: m, start: make([]int, m), width: make([]int, m), masks: make([][maxFlips + 1][]uint32, m)}
	byWidth := map[int][maxFlips + 1][]uint32{}
	at := 0
	for s := range m {
		w := 256 / m
		if s < 256%m {
			w++
		}
		l.start[s], l.width[s] = at, w
		at += w
		if _, ok := byWidth[w]; !ok {
			var ms [maxFlips + 1][]uint32
			for r := range ms {
				ms[r] = flipMasks(w, r)
			}
			byWidth[w] = ms
		}
		l.masks[s] = byWidth[w]
	}
	return l
}

// layoutFor picks the slots for an index of n hashes, tuned for the usual
// threshold of 31. Sixteen 16-bit slots need one flip per slot (17 keys
// each), but at millions of hashes a 16-bit bucket holds dozens of entries
// and fetching them dominates: about 42,000 cache misses a query at ten
// million. Wider slots need two flips on most slots (230 to 300 keys each)
// but their buckets hold about one entry: eleven slots of 23-24 bits cost
// about 8,000 misses at ten million, and searches there ran eight times
// faster (0.5 ms against 4 ms). Their offset tables (128 MiB for twelve
// slots, 448 MiB for eleven) pay off only once the hashes take as much.
func layoutFor(n int) *layout {
	switch {
	case n >= 1<<23:
		return newLayout(11)
	case n >= 1<<21:
		return newLayout(12)
	default:
		return newLayout(16)
	}
}

// key returns the value of slot s of w.
func (l *layout) key(w *words, s int) uint32 {
	start, width := l.start[s], l.width[s]
	i, off := start>>6, start&63
	v := w[i] >> off
	if off+width > 64 {
		v |= w[i+1] << (64 - off)
	}
	return uint32(v & (1<<width - 1))
}

// flips returns the allowance r_s of each slot for a search at threshold
// t: the smallest allowances whose sum(r_s+1) reaches t+1, the larger ones
// on the first (widest, so most selective) slots. A slot with allowance -1
// need not be probed at all: at t=0 one slot suffices. ok is false when an
// allowance would exceed maxFlips.
func (l *layout) flips(t int) (r []int, ok bool) {
	q, rem := (t+1)/l.slots, (t+1)%l.slots
	if q > maxFlips+1 || (q == maxFlips+1 && rem > 0) {
		return nil, false
	}
	r = make([]int, l.slots)
	for s := range r {
		r[s] = q - 1
		if s < rem {
			r[s] = q
		}
	}
	return r, true
}

// probes returns the number of keys a search with allowances r looks up,
// and roughly how many entries their buckets hold in an index of n hashes.
func (l *layout) probes(r []int, n int) (keys, entries int) {
	for s, rs := range r {
		if rs >= 0 {
			k := len(l.masks[s][rs])
			keys += k
			entries += k * (n >> l.width[s])
		}
	}
	return keys, entries
}

// flipMasks returns every mask of the given width with at most r bits set,
// the XORs that enumerate the keys within r bit flips of a key. The zero
// mask comes first.
func flipMasks(width, r int) []uint32 {
	masks := []uint32{0}
	var rec func(from int, mask uint32, left int)
	rec = func(from int, mask uint32, left int) {
		for b := from; b < width; b++ {
			m := mask | 1<<b
			masks = append(masks, m)
			if left > 1 {
				rec(b+1, m, left-1)
			}
		}
	}
	if r > 0 {
		rec(0, 0, r)
	}
	return masks
}
