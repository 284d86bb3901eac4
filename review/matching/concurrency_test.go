package matching

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// Matches run while other goroutines add, remove and toggle lists. Run with
// -race. Whatever the interleaving, the entry nobody touches always matches
// and the churned entries are gone at the end.
func TestConcurrentUse(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	stable := randomHash(r)
	// Unrelated entries fill the index as a real list would. They also keep
	// the churn below the index's rebuild thresholds (a quarter removed):
	// a rebuild costs milliseconds even when the index is tiny, which under
	// -race would make this test slow.
	entries := []Entry{{ID: 1, ListID: 1, Type: PDQ, Value: stable.String()}}
	for i := range 4000 {
		entries = append(entries, Entry{ID: int64(100_000 + i), ListID: 1, Type: PDQ, Value: randomHash(r).String()})
	}
	m := load(t,
		[]List{
			{ID: 1, Name: "stable", Kind: Block, Enabled: true},
			{ID: 2, Name: "churn", Kind: Block, Enabled: true},
		},
		entries)

	const writers, readers, rounds = 4, 4, 200
	var wg sync.WaitGroup
	for w := range writers {
		// Each writer has its own IDs and generator: rand.Rand is not safe
		// for concurrent use.
		seed := uint64(w)
		wg.Go(func() {
			r := rand.New(rand.NewPCG(seed, 11))
			for i := range rounds {
				id := int64(1000*(seed+1)) + int64(i)
				e := Entry{ID: id, ListID: 2, Type: PDQ, Value: flip(stable, 1+r.IntN(20)).String()}
				if i%3 == 0 {
					e = Entry{ID: id, ListID: 2, Type: MD5, Value: md5Hex("x")}
				}
				if err := m.Add(e); err != nil {
					t.Errorf("Add: %v", err)
					return
				}
				if !m.Remove(id) {
					t.Errorf("Remove(%d) = false", id)
				}
			}
		})
	}
	wg.Go(func() {
		for i := range rounds {
			if err := m.SetList(List{ID: 2, Name: "churn", Kind: Block, Enabled: i%2 == 0}); err != nil {
				t.Errorf("SetList: %v", err)
			}
		}
	})
	q := Query{MD5: md5Hex("x"), PDQ: original(flip(stable, 2))}
	stableMatch := pdqMatch(1, "stable", Block, 1, "", 2, "original")
	for range readers {
		wg.Go(func() {
			for range rounds {
				got := m.Match(q)
				if !slices.Contains(got, stableMatch) {
					t.Errorf("Match() = %+v, want %+v among them", got, stableMatch)
					return
				}
			}
		})
	}
	wg.Wait()

	if want := len(entries); m.Len() != want {
		t.Errorf("Len() = %d after churn, want %d", m.Len(), want)
	}
	if got := matchedIDs(m, q); len(got) != 1 || got[0] != 1 {
		t.Errorf("after churn: matched %v, want [1]", got)
	}
}
