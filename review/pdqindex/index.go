// Package pdqindex finds, among millions of PDQ hashes, those within a
// Hamming distance of a query, using multi-index hashing: the hash is cut
// into slots, each slot has an inverted index, and by pigeonhole a near
// neighbour must be near the query in at least one slot. Results are
// exactly those of a brute-force scan (BruteForce), only much faster.
package pdqindex

import (
	"cmp"
	"math"
	"slices"
	"sync"

	"github.com/loupe-review/loupe/review/pdq"
)

// Entry is a hash with the caller's identifier for it, such as a hash-list
// row id. IDs need not be unique: Remove removes every entry with the ID.
type Entry struct {
	ID   uint64
	Hash pdq.Hash
}

// Match is an entry within the search threshold.
type Match struct {
	ID       uint64
	Distance int
}

// maxPending bounds the entries added since the last build, which every
// search scans one by one; reaching it rebuilds the slot tables. Scanning
// 8,192 hashes costs a few tens of microseconds; rebuilding ten million
// hashes (a few seconds) every 8,192 additions adds well under a
// millisecond to each.
const maxPending = 1 << 13

// Index is an in-memory PDQ near-neighbour index. Hashes live in one array
// indexed by a uint32 position; each slot's table maps a key to positions.
// Entries added after the last build are kept in the same arrays past
// built and scanned directly; removed entries stay as tombstones until the
// next rebuild.
//
// An Index is safe for concurrent use. Searches run in parallel; Add,
// Remove and Compact take an exclusive lock, and the occasional rebuild
// they trigger holds it for a few seconds per ten million hashes. To load
// many entries at once, Build a new index instead.
//
// Positions are 32-bit, so an index holds at most 2^32-1 entries.
type Index struct {
	mu     sync.RWMutex
	hashes []words  // by position
	ids    []uint64 // by position
	built  int      // positions [0, built) are in the tables

	layout *layout
	tables []table

	// idsSorted reports whether ids[:built] is non-decreasing, as when
	// entries come from a table in primary key order; otherwise byID holds
	// positions [0, built) ordered by ID. Either way Remove finds an ID by
	// binary search without a map, which would cost more memory than the
	// hashes at ten million entries.
	idsSorted bool
	byID      []uint32

	removed  []uint64 // tombstone bitset by position
	nRemoved int

	scratch sync.Pool // of *scratch
}

// New returns an empty index.
func New() *Index {
	return Build(nil)
}

// Build returns an index of entries. It is much faster than adding them one
// by one. The entries are copied.
func Build(entries []Entry) *Index {
	x := &Index{
		hashes: make([]words, len(entries)),
		ids:    make([]uint64, len(entries)),
	}
	adviseHugePages(x.hashes)
	for i, e := range entries {
		x.hashes[i] = toWords(e.Hash)
		x.ids[i] = e.ID
	}
	x.rebuild()
	return x
}

// Len returns the number of entries.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.hashes) - x.nRemoved
}

// Compact drops removed entries and rebuilds the slot tables over every
// entry, so searches no longer scan recent additions one by one. Add and
// Remove call it when enough changes have piled up; call it after a batch
// of changes to make searches as fast as possible.
func (x *Index) Compact() {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.built == len(x.hashes) && x.nRemoved == 0 {
		return
	}
	x.rebuild()
}

// rebuild drops tombstoned entries (shifting the rest down, which keeps
// their order) and rebuilds the tables and the ID order. The caller holds
// the write lock.
func (x *Index) rebuild() {
	if len(x.hashes) > math.MaxUint32 {
		panic("pdqindex: more than 2^32-1 entries")
	}
	if x.nRemoved > 0 {
		n := 0
		for p := range x.hashes {
			if !x.isRemoved(p) {
				x.hashes[n], x.ids[n] = x.hashes[p], x.ids[p]
				n++
			}
		}
		clear(x.hashes[n:])
		x.hashes, x.ids = x.hashes[:n], x.ids[:n]
		x.nRemoved = 0
	}
	x.removed = make([]uint64, (len(x.hashes)+63)/64)
	if x.layout == nil || layoutFor(len(x.hashes)).slots != x.layout.slots {
		x.layout, x.tables = layoutFor(len(x.hashes)), nil
	}
	x.tables = buildTables(x.layout, x.hashes, x.tables)
	x.built = len(x.hashes)

	x.idsSorted = slices.IsSorted(x.ids)
	x.byID = nil
	if !x.idsSorted {
		x.byID = make([]uint32, x.built)
		for p := range x.byID {
			x.byID[p] = uint32(p)
		}
		slices.SortFunc(x.byID, func(a, b uint32) int { return cmp.Compare(x.ids[a], x.ids[b]) })
	}
}

func (x *Index) isRemoved(p int) bool {
	return p < len(x.removed)*64 && x.removed[p>>6]&(1<<(p&63)) != 0
}
