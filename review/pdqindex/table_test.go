package pdqindex

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// Every position must appear exactly once, under its own key, in
// increasing order within a key.
func TestBuildTables(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	hashes := make([]words, 5000)
	for i := range hashes {
		hashes[i] = randomWords(rng)
		if i%7 == 0 && i > 0 {
			hashes[i] = hashes[i-1] // repeated keys in every slot
		}
	}
	for _, m := range []int{16, 21} {
		l := newLayout(m)
		tables := buildTables(l, hashes, nil)
		checkTables(t, l, hashes, tables)
		// Rebuilding over more hashes reuses or grows the arrays and must
		// give the same answer as a fresh build.
		more := append(slices.Clone(hashes), randomWords(rng), randomWords(rng))
		checkTables(t, l, more, buildTables(l, more, tables))
		checkTables(t, l, hashes[:100], buildTables(l, hashes[:100], tables))
	}
	if tables := buildTables(newLayout(16), nil, nil); tables[0].offsets != nil {
		t.Error("empty index allocated tables")
	}
}

func checkTables(t *testing.T, l *layout, hashes []words, tables []table) {
	t.Helper()
	for s, tab := range tables {
		if len(tab.offsets) != 1<<l.width[s]+1 || len(tab.positions) != len(hashes) {
			t.Fatalf("slot %d: %d offsets, %d positions", s, len(tab.offsets), len(tab.positions))
		}
		if tab.offsets[0] != 0 || int(tab.offsets[len(tab.offsets)-1]) != len(hashes) {
			t.Fatalf("slot %d: offsets span %d..%d", s, tab.offsets[0], tab.offsets[len(tab.offsets)-1])
		}
		seen := make([]bool, len(hashes))
		for k := range len(tab.offsets) - 1 {
			run := tab.positions[tab.offsets[k]:tab.offsets[k+1]]
			if !slices.IsSorted(run) {
				t.Fatalf("slot %d key %d: positions not increasing", s, k)
			}
			for _, p := range run {
				if got := l.key(&hashes[p], s); got != uint32(k) || seen[p] {
					t.Fatalf("slot %d: position %d under key %d (its key %d, seen %v)", s, p, k, got, seen[p])
				}
				seen[p] = true
			}
		}
	}
}
