package pdqindex

import (
	"math/rand/v2"
	"testing"

	"github.com/loupe-review/loupe/review/pdq"
)

// Build copies its input: changing the slice afterwards changes nothing.
func TestBuildCopiesEntries(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	entries, _ := plantedEntries(rng, 1000, 2)
	x := Build(entries)
	q, id := entries[0].Hash, entries[0].ID
	entries[0].Hash[0] ^= 0xff
	entries[0].ID = 1 << 62
	got := x.Search(q, 0)
	if len(got) == 0 || got[0].ID != id {
		t.Errorf("after editing the input: Search = %v, want ID %d first", got, id)
	}
	if x.Len() != len(entries) {
		t.Errorf("Len = %d, want %d", x.Len(), len(entries))
	}
}

func TestWordsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	for range 10 {
		w := randomWords(rng)
		if got := toWords(w.hash()); got != w {
			t.Fatalf("round trip %v -> %v", w, got)
		}
		v := randomWords(rng)
		if got, want := distance(&w, &v), pdq.Distance(w.hash(), v.hash()); got != want {
			t.Fatalf("distance %d, pdq.Distance %d", got, want)
		}
	}
}
