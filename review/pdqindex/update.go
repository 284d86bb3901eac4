package pdqindex

import (
	"sort"

	"github.com/loupe-review/loupe/review/pdq"
)

// Add adds an entry. It is visible to searches at once; the slot tables are
// rebuilt when maxPending entries have been added since the last build.
func (x *Index) Add(id uint64, h pdq.Hash) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.hashes) == cap(x.hashes) {
		// Grow by hand so that the new array gets the huge-page advice.
		grown := make([]words, len(x.hashes), max(1024, cap(x.hashes)+cap(x.hashes)/4))
		adviseHugePages(grown)
		copy(grown, x.hashes)
		x.hashes = grown
	}
	x.hashes = append(x.hashes, toWords(h))
	x.ids = append(x.ids, id)
	if len(x.hashes)-x.built >= maxPending {
		x.rebuild()
	}
}

// Remove removes every entry with the given ID and reports whether there
// was one. Removed entries are skipped by searches at once and dropped from
// memory at the next rebuild, which happens when a quarter of the entries
// are removed.
func (x *Index) Remove(id uint64) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	found := false
	mark := func(p int) {
		if !x.isRemoved(p) {
			x.markRemoved(p)
			found = true
		}
	}

	// Built entries, by binary search.
	if x.idsSorted {
		for p := sort.Search(x.built, func(p int) bool { return x.ids[p] >= id }); p < x.built && x.ids[p] == id; p++ {
			mark(p)
		}
	} else {
		i := sort.Search(len(x.byID), func(i int) bool { return x.ids[x.byID[i]] >= id })
		for ; i < len(x.byID) && x.ids[x.byID[i]] == id; i++ {
			mark(int(x.byID[i]))
		}
	}
	// Recent additions, one by one.
	for p := x.built; p < len(x.ids); p++ {
		if x.ids[p] == id {
			mark(p)
		}
	}

	if x.nRemoved > 0 && x.nRemoved >= len(x.hashes)/4 {
		x.rebuild()
	}
	return found
}

// markRemoved sets p's tombstone, growing the bitset over recent additions.
func (x *Index) markRemoved(p int) {
	for p>>6 >= len(x.removed) {
		x.removed = append(x.removed, 0)
	}
	x.removed[p>>6] |= 1 << (p & 63)
	x.nRemoved++
}
