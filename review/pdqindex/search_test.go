package pdqindex

import (
	"bufio"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review/pdq"
)

// withLayout rebuilds x's tables with m slots, to test layouts that only
// large indexes would get.
func withLayout(x *Index, m int) *Index {
	x.layout = newLayout(m)
	x.tables = buildTables(x.layout, x.hashes[:x.built], nil)
	return x
}

// checkSearch compares Search, and probing the tables even where Search
// would scan, with BruteForce over entries at each threshold.
func checkSearch(t *testing.T, x *Index, entries []Entry, q pdq.Hash, thresholds ...int) {
	t.Helper()
	checkAgainst(t, x, BruteForce(entries, q, slices.Max(thresholds)), q, thresholds...)
}

// checkAgainst is checkSearch given the brute-force answer at the largest
// threshold.
func checkAgainst(t *testing.T, x *Index, all []Match, q pdq.Hash, thresholds ...int) {
	t.Helper()
	for _, threshold := range thresholds {
		want := all[:0:0]
		for _, m := range all {
			if m.Distance <= threshold {
				want = append(want, m)
			}
		}
		if got := x.Search(q, threshold); !slices.Equal(got, want) {
			t.Fatalf("t=%d q=%v: Search = %v, brute force %v", threshold, q, got, want)
		}
		if _, ok := x.layout.flips(threshold); ok && x.built > 0 {
			if got := x.search(q, threshold, true); !slices.Equal(got, want) {
				t.Fatalf("t=%d q=%v: probe (%d slots) = %v, brute force %v", threshold, q, x.layout.slots, got, want)
			}
		}
	}
}

// The reference haystack and needles (real PDQ hashes of photographs and
// their edits).
func TestSearchReferenceData(t *testing.T) {
	haystack := readHashes(t, "haystack.txt")
	needles := readHashes(t, "needles.txt")
	entries := make([]Entry, len(haystack))
	for i, h := range haystack {
		entries[i] = Entry{ID: uint64(i + 1), Hash: h}
	}
	matched := 0
	for _, m := range []int{16, 21, 13} {
		x := withLayout(Build(entries), m)
		for _, q := range needles {
			checkSearch(t, x, entries, q, 0, 10, 31, 40)
			matched += len(x.Search(q, 31))
		}
		for _, q := range haystack[:50] {
			checkSearch(t, x, entries, q, 0)
		}
	}
	if matched == 0 {
		t.Error("no needle matched at 31: the test checks nothing")
	}
}

// Random hashes with near-duplicates planted at every distance from 0 to
// 40 around some of them, for the default layout and narrower and wider
// ones.
func TestSearchPlanted(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	entries, bases := plantedEntries(rng, 200_000, 100)
	queries := make([]pdq.Hash, 0, 80)
	for i := range 80 {
		switch i % 3 {
		case 0:
			queries = append(queries, bases[rng.IntN(len(bases))])
		case 1:
			queries = append(queries, flipBits(rng, toWords(bases[rng.IntN(len(bases))]), 1+rng.IntN(20)).hash())
		default:
			queries = append(queries, randomWords(rng).hash())
		}
	}
	thresholds := []int{0, 1, 10, 16, 31, 32, 40, 47}
	want := make([][]Match, len(queries))
	for i, q := range queries {
		want[i] = BruteForce(entries, q, 63)
	}
	x := Build(entries)
	for _, m := range []int{16, 21} {
		if m != x.layout.slots {
			x = withLayout(x, m)
		}
		for i, q := range queries {
			checkAgainst(t, x, want[i], q, thresholds...)
		}
		// Three flips per slot probe thousands of keys; a few queries
		// suffice.
		for i, q := range queries[:6] {
			checkAgainst(t, x, want[i], q, 63)
		}
	}
	// A planted base has 41 near-duplicates within 40, so the comparisons
	// above covered matches at every distance.
	if got := len(x.Search(queries[0], 40)); got < 41 {
		t.Errorf("base query: %d matches at 40, want at least 41", got)
	}
}

func TestSearchEdgeThresholds(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	entries, _ := plantedEntries(rng, 2000, 5)
	x := Build(entries)
	q := entries[0].Hash
	if got := x.Search(q, -1); got != nil {
		t.Errorf("threshold -1: %v, want nil", got)
	}
	if got := x.Search(q, 256); len(got) != len(entries) {
		t.Errorf("threshold 256: %d matches, want all %d", len(got), len(entries))
	}
	if got := New().Search(q, 31); got != nil {
		t.Errorf("empty index: %v", got)
	}
	got := x.Search(q, 40)
	if len(got) == 0 || got[0] != (Match{ID: entries[0].ID, Distance: 0}) {
		t.Fatalf("own hash: %v", got)
	}
	if !slices.IsSortedFunc(got, func(a, b Match) int { return a.Distance - b.Distance }) {
		t.Errorf("matches not nearest first: %v", got)
	}
}

// plantedEntries returns n entries: random hashes, plus for each of the
// given number of bases 41 near-duplicates at distances 0 to 40. IDs are
// shuffled so that the index cannot rely on their order.
func plantedEntries(rng *rand.Rand, n, bases int) ([]Entry, []pdq.Hash) {
	var entries []Entry
	var baseHashes []pdq.Hash
	for range bases {
		b := randomWords(rng)
		baseHashes = append(baseHashes, b.hash())
		for d := range 41 {
			entries = append(entries, Entry{Hash: flipBits(rng, b, d).hash()})
		}
	}
	for len(entries) < n {
		entries = append(entries, Entry{Hash: randomWords(rng).hash()})
	}
	rng.Shuffle(len(entries), func(i, j int) { entries[i], entries[j] = entries[j], entries[i] })
	for i, id := range rng.Perm(len(entries)) {
		entries[i].ID = uint64(id) * 3
	}
	return entries, baseHashes
}

func readHashes(t *testing.T, name string) []pdq.Hash {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var hashes []pdq.Hash
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		h, err := pdq.ParseHash(fields[0])
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return hashes
}
