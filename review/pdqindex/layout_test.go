package pdqindex

import (
	"math/rand/v2"
	"testing"
)

func TestNewLayoutCoversEveryBitOnce(t *testing.T) {
	for _, m := range []int{11, 12, 13, 16, 21} {
		l := newLayout(m)
		at := 0
		for s := range l.slots {
			if l.start[s] != at {
				t.Fatalf("m=%d slot %d starts at %d, want %d", m, s, l.start[s], at)
			}
			if w := l.width[s]; w < 256/m || w > 256/m+1 || w > 24 {
				t.Fatalf("m=%d slot %d width %d", m, s, w)
			}
			at += l.width[s]
		}
		if at != 256 {
			t.Errorf("m=%d: slots cover %d bits", m, at)
		}
	}
}

func TestLayoutFor(t *testing.T) {
	for _, tc := range []struct{ n, slots int }{
		{0, 16}, {1350, 16}, {1 << 20, 16}, {1<<21 - 1, 16},
		{1 << 21, 12}, {5_000_000, 12}, {1 << 23, 11}, {10_000_000, 11}, {100_000_000, 11},
	} {
		if got := layoutFor(tc.n).slots; got != tc.slots {
			t.Errorf("layoutFor(%d) has %d slots, want %d", tc.n, got, tc.slots)
		}
	}
}

// key must return the slot's bits, least significant first, including
// slots that straddle two words.
func TestKeyMatchesBitDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, m := range []int{11, 12, 16, 21} {
		l := newLayout(m)
		for range 50 {
			w := randomWords(rng)
			for s := range l.slots {
				var want uint32
				for b := range l.width[s] {
					bit := l.start[s] + b
					want |= uint32(w[bit>>6]>>(bit&63)&1) << b
				}
				if got := l.key(&w, s); got != want {
					t.Fatalf("m=%d slot %d: key %#x, want %#x", m, s, got, want)
				}
			}
		}
	}
}

func TestFlipMasks(t *testing.T) {
	for _, tc := range []struct{ width, r, want int }{
		{16, 0, 1}, {16, 1, 17}, {16, 2, 137}, {16, 3, 697}, {23, 2, 277}, {24, 2, 301},
	} {
		masks := flipMasks(tc.width, tc.r)
		if len(masks) != tc.want {
			t.Errorf("flipMasks(%d, %d): %d masks, want %d", tc.width, tc.r, len(masks), tc.want)
		}
		seen := map[uint32]bool{}
		for _, m := range masks {
			if seen[m] || m>>tc.width != 0 || popcount(m) > tc.r {
				t.Fatalf("flipMasks(%d, %d): bad or repeated mask %#x", tc.width, tc.r, m)
			}
			seen[m] = true
		}
	}
}

// The allowances must satisfy the pigeonhole condition sum(r_s+1) >= t+1
// exactly (no slack means no wasted probes), and give up beyond maxFlips.
func TestFlips(t *testing.T) {
	for _, m := range []int{11, 12, 16} {
		l := newLayout(m)
		for threshold := 0; threshold <= 256; threshold++ {
			r, ok := l.flips(threshold)
			if !ok {
				if threshold+1 <= m*(maxFlips+1) {
					t.Errorf("m=%d t=%d: gave up, but %d flips per slot suffice", m, threshold, maxFlips)
				}
				continue
			}
			sum := 0
			for s, rs := range r {
				if rs < -1 || rs > maxFlips || (s > 0 && rs > r[s-1]) {
					t.Fatalf("m=%d t=%d: allowances %v", m, threshold, r)
				}
				sum += rs + 1
			}
			if sum != threshold+1 {
				t.Errorf("m=%d t=%d: sum(r+1) = %d, want %d", m, threshold, sum, threshold+1)
			}
		}
		if r, _ := l.flips(31); m == 16 && r[0] != 1 {
			t.Errorf("16 slots at 31: allowance %d, want 1", r[0])
		}
	}
}

func popcount(v uint32) int {
	n := 0
	for ; v != 0; v &= v - 1 {
		n++
	}
	return n
}

func randomWords(rng *rand.Rand) words {
	return words{rng.Uint64(), rng.Uint64(), rng.Uint64(), rng.Uint64()}
}
