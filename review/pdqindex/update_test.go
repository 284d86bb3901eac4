package pdqindex

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/loupe-review/loupe/review/pdq"
)

// model is the entry set an index should hold, for BruteForce.
type model []Entry

func (m *model) remove(id uint64) bool {
	n := len(*m)
	*m = slices.DeleteFunc(*m, func(e Entry) bool { return e.ID == id })
	return len(*m) < n
}

func TestAddRemoveAfterBuild(t *testing.T) {
	for _, tc := range []struct {
		name      string
		sortedIDs bool
	}{{"sorted IDs", true}, {"shuffled IDs", false}} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, 12))
			entries, bases := plantedEntries(rng, 30_000, 20)
			if tc.sortedIDs {
				for i := range entries {
					entries[i].ID = uint64(i)
				}
			}
			x := Build(entries)
			want := model(slices.Clone(entries))
			check := func(stage string) {
				t.Helper()
				if x.Len() != len(want) {
					t.Fatalf("%s: Len %d, want %d", stage, x.Len(), len(want))
				}
				for _, b := range bases[:8] {
					checkSearch(t, x, want, b, 0, 10, 31, 40)
				}
				checkSearch(t, x, want, want[0].Hash, 0, 31)
			}
			check("built")

			// Additions near the planted bases, some reusing IDs.
			for i := range 500 {
				e := Entry{ID: 1_000_000 + uint64(i), Hash: flipBits(rng, toWords(bases[i%8]), rng.IntN(35)).hash()}
				if i%50 == 0 {
					e.ID = entries[i].ID // a second entry under an existing ID
				}
				x.Add(e.ID, e.Hash)
				want = append(want, e)
			}
			check("added")

			// Removals of built entries, recent additions, an ID with
			// entries in both, and an unknown ID.
			for _, id := range []uint64{entries[3].ID, entries[77].ID, 1_000_001, 1_000_499, entries[0].ID, entries[50].ID} {
				if got, w := x.Remove(id), want.remove(id); got != w {
					t.Fatalf("Remove(%d) = %v, want %v", id, got, w)
				}
			}
			if x.Remove(1 << 60) {
				t.Error("Remove of unknown ID reported true")
			}
			if x.Remove(entries[3].ID) {
				t.Error("second Remove of an ID reported true")
			}
			// Remove everything near one base, so a search must skip
			// tombstones it finds through the tables.
			for _, m := range BruteForce(want, bases[0], 40) {
				x.Remove(m.ID)
				want.remove(m.ID)
			}
			check("removed")

			x.Compact()
			if x.built != len(x.hashes) || x.nRemoved != 0 {
				t.Fatalf("after Compact: built %d of %d, %d removed", x.built, len(x.hashes), x.nRemoved)
			}
			check("compacted")
			x.Compact() // nothing to do
			check("compacted twice")
		})
	}
}

// Adding maxPending entries rebuilds the tables; removing a quarter of the
// entries drops them from memory.
func TestAutomaticRebuild(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	x := New()
	var want model
	for i := range maxPending + 10 {
		e := Entry{ID: uint64(i), Hash: randomWords(rng).hash()}
		x.Add(e.ID, e.Hash)
		want = append(want, e)
	}
	if x.built != maxPending {
		t.Fatalf("after %d additions: %d built, want %d", len(want), x.built, maxPending)
	}
	checkSearch(t, x, want, want[5].Hash, 0, 31)
	checkSearch(t, x, want, want[len(want)-1].Hash, 0, 31)

	for i := range len(want) / 4 {
		x.Remove(uint64(i))
	}
	want = want[len(want)/4:]
	if x.nRemoved != 0 || len(x.hashes) != len(want) {
		t.Fatalf("after removing a quarter: %d tombstones, %d hashes, want 0 and %d", x.nRemoved, len(x.hashes), len(want))
	}
	checkSearch(t, x, want, want[0].Hash, 0, 31)
}

// Searches run while entries come and go; run with -race to check locking.
func TestConcurrentSearchAndUpdate(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	entries, bases := plantedEntries(rng, 20_000, 10)
	x := Build(entries)
	var wg sync.WaitGroup
	for g := range 2 {
		wg.Go(func() {
			for i := range 200 {
				for _, m := range x.Search(bases[(g+i)%len(bases)], 31) {
					if m.Distance > 31 {
						t.Errorf("match at distance %d", m.Distance)
						return
					}
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 200 {
			x.Add(uint64(1e9+i), bases[i%len(bases)])
			if i%3 == 0 {
				x.Remove(entries[i].ID)
			}
		}
		x.Compact()
	})
	wg.Wait()
	if got, want := x.Len(), len(entries)+200-67; got != want {
		t.Errorf("Len = %d, want %d", got, want)
	}
}

func TestNewIsEmpty(t *testing.T) {
	x := New()
	if x.Len() != 0 || x.Remove(1) {
		t.Fatal("new index not empty")
	}
	x.Add(7, pdq.Hash{1})
	if got := x.Search(pdq.Hash{1}, 0); !slices.Equal(got, []Match{{ID: 7}}) {
		t.Errorf("Search after Add = %v", got)
	}
}
