package pdqindex

import (
	"cmp"
	"math/bits"
	"slices"

	"github.com/loupe-review/loupe/review/pdq"
)

// randomAccessCost is how many hashes a sequential scan checks in the time
// a probe checks one candidate (a cache miss in a large index). Searches
// whose probing would cost more than a scan of everything scan instead.
const randomAccessCost = 8

// Search returns the entries within threshold of q (distance <= threshold),
// nearest first, ties by ID. The result is exactly what BruteForce returns
// over the same entries.
func (x *Index) Search(q pdq.Hash, threshold int) []Match {
	if threshold < 0 {
		return nil
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.search(q, threshold, x.probeWorthIt(threshold))
}

// search probes the tables (when probe is true; the caller has checked
// that the threshold allows it) or scans every entry.
func (x *Index) search(q pdq.Hash, threshold int, probe bool) []Match {
	qw := toWords(q)
	var out []Match
	if probe {
		out = x.probe(&qw, threshold, out)
		out = x.scan(&qw, threshold, x.built, len(x.hashes), out)
	} else {
		out = x.scan(&qw, threshold, 0, len(x.hashes), out)
	}
	sortMatches(out)
	return out
}

// probeWorthIt reports whether probing the slot tables beats scanning
// every hash at this threshold.
func (x *Index) probeWorthIt(threshold int) bool {
	r, ok := x.layout.flips(threshold)
	if !ok || x.built == 0 {
		return false
	}
	keys, entries := x.layout.probes(r, x.built)
	return (keys+entries)*randomAccessCost < x.built
}

// probe finds the built entries within threshold through the slot tables.
//
// It works in three passes over flat lists (bucket bounds of every probed
// key, then the positions in those buckets, then their hashes) rather than
// bucket by bucket. Almost every load is a cache miss into a large array,
// and a pass whose loads do not depend on each other lets the processor
// have many misses in flight; nested loops would chain three misses per
// bucket.
func (x *Index) probe(q *words, threshold int, out []Match) []Match {
	l := x.layout
	r, _ := l.flips(threshold)
	sc, _ := x.scratch.Get().(*scratch)
	if sc == nil {
		sc = new(scratch)
	}
	defer x.scratch.Put(sc)

	buckets := sc.buckets[:0]
	for s := range l.slots {
		if r[s] < 0 {
			continue
		}
		offsets := x.tables[s].offsets
		qk := l.key(q, s)
		for _, m := range l.masks[s][r[s]] {
			k := qk ^ m
			if lo, hi := offsets[k], offsets[k+1]; lo < hi {
				buckets = append(buckets, bucket{slot: uint32(s), lo: lo, hi: hi})
			}
		}
	}

	// Most buckets hold one or two positions: a plain loop beats a
	// memmove call per bucket, whose overhead also limits how many cache
	// misses are in flight.
	candidates := sc.candidates[:0]
	for _, b := range buckets {
		for _, p := range x.tables[b.slot].positions[b.lo:b.hi] {
			candidates = append(candidates, p)
		}
	}

	hashes := x.hashes
	q0, q1, q2, q3 := q[0], q[1], q[2], q[3]
	found := sc.found[:0]
	for _, p := range candidates {
		h := &hashes[p]
		d := bits.OnesCount64(h[0]^q0) + bits.OnesCount64(h[1]^q1) +
			bits.OnesCount64(h[2]^q2) + bits.OnesCount64(h[3]^q3)
		if d <= threshold {
			found = append(found, p)
		}
	}

	// A match near the query in several slots was found once per slot.
	slices.Sort(found)
	found = slices.Compact(found)
	for _, p := range found {
		if !x.isRemoved(int(p)) {
			out = append(out, Match{ID: x.ids[p], Distance: distance(&hashes[p], q)})
		}
	}
	sc.buckets, sc.candidates, sc.found = buckets, candidates, found
	return out
}

// bucket is the run of a slot's positions array that holds one probed key.
type bucket struct {
	slot   uint32
	lo, hi uint32
}

// scratch holds a search's working lists, pooled per index so a query
// allocates little more than its result.
type scratch struct {
	buckets    []bucket
	candidates []uint32
	found      []uint32
}

// scan checks positions [from, to) one by one.
func (x *Index) scan(q *words, threshold, from, to int, out []Match) []Match {
	for p := from; p < to; p++ {
		if d := distance(&x.hashes[p], q); d <= threshold && !x.isRemoved(p) {
			out = append(out, Match{ID: x.ids[p], Distance: d})
		}
	}
	return out
}

func sortMatches(ms []Match) {
	slices.SortFunc(ms, func(a, b Match) int {
		return cmp.Or(cmp.Compare(a.Distance, b.Distance), cmp.Compare(a.ID, b.ID))
	})
}
