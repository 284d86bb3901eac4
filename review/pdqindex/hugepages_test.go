package pdqindex

import "testing"

// The advice must never fault or corrupt, whatever the alignment or size.
func TestAdviseHugePages(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 1 << 20, 3<<20 + 7} {
		s := make([]uint32, n, n+n/3)
		adviseHugePages(s)
		for i := range s {
			s[i] = uint32(i)
		}
		for i, v := range s {
			if v != uint32(i) {
				t.Fatalf("n=%d: s[%d] = %d", n, i, v)
			}
		}
	}
	adviseHugePages([]words(nil))
}
