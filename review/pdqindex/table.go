package pdqindex

import (
	"runtime"
	"sync"
)

// table is one slot's inverted index in compressed sparse row form: the
// positions of the hashes whose slot key is k are
// positions[offsets[k]:offsets[k+1]], in increasing order. Two flat arrays
// cost 4 bytes per hash plus 4 per possible key; a map of slices would cost
// several times that at millions of hashes.
type table struct {
	offsets   []uint32
	positions []uint32
}

// buildTables builds every slot's table over hashes. It reuses the arrays
// of old (the previous tables, possibly nil) when they are large enough, so
// that compacting a big index does not need twice its memory. Slots are
// built in parallel.
func buildTables(l *layout, hashes []words, old []table) []table {
	tables := make([]table, l.slots)
	if len(hashes) == 0 {
		return tables // never probed; see probeWorthIt
	}
	copy(tables, old)
	workers := min(runtime.GOMAXPROCS(0), l.slots)
	next := make(chan int, l.slots)
	for s := range l.slots {
		next <- s
	}
	close(next)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var b tableBuilder
			for s := range next {
				tables[s] = b.build(l, s, hashes, tables[s])
			}
		})
	}
	wg.Wait()
	return tables
}

// tableBuilder sorts positions by slot key in two counting-sort passes,
// first by the key's high half, then each high-half group by the low half.
// A single pass over 2^24 keys would scatter every write across a 64 MiB
// offsets array and its 40 MiB of positions, a cache miss each; split in
// two, each pass writes into a few thousand sequential streams or within a
// group that fits in cache, several times faster at ten million hashes.
type tableBuilder struct {
	low    []uint16 // low half of the key of positions[i], during the build
	counts []uint32
	group  []uint32
	groupK []uint16
}

func (b *tableBuilder) build(l *layout, s int, hashes []words, t table) table {
	width := l.width[s]
	lowBits := width - width/2
	highBits := width - lowBits
	lowMask := uint32(1)<<lowBits - 1

	if n := 1<<width + 1; len(t.offsets) == n {
		clear(t.offsets)
	} else {
		t.offsets = make([]uint32, n)
		adviseHugePages(t.offsets)
	}
	if cap(t.positions) >= len(hashes) {
		t.positions = t.positions[:len(hashes)]
	} else {
		// Headroom, so that the next compactions after additions reuse
		// this array.
		t.positions = make([]uint32, len(hashes), len(hashes)+len(hashes)/32)
		adviseHugePages(t.positions)
	}
	if cap(b.low) < len(hashes) {
		b.low = make([]uint16, len(hashes))
	}
	low := b.low[:len(hashes)]

	// Pass 1: group positions by the key's high half. starts[h] is where
	// group h begins; it serves as the write cursor, then is reset.
	starts := grow(&b.counts, 1<<highBits+1)
	for p := range hashes {
		starts[l.key(&hashes[p], s)>>lowBits+1]++
	}
	for h := 1; h < len(starts); h++ {
		starts[h] += starts[h-1]
	}
	for p := range hashes {
		k := l.key(&hashes[p], s)
		i := starts[k>>lowBits]
		starts[k>>lowBits]++
		t.positions[i] = uint32(p)
		low[i] = uint16(k & lowMask)
	}
	// Each cursor now points at the next group's start.

	// Pass 2: within each group, counting-sort by the low half and fill
	// in the group's stretch of offsets.
	groupStart := uint32(0)
	for h := range 1 << highBits {
		groupEnd := starts[h]
		pos := append(b.group[:0], t.positions[groupStart:groupEnd]...)
		keys := append(b.groupK[:0], low[groupStart:groupEnd]...)
		b.group, b.groupK = pos, keys
		// offsets for keys h<<lowBits .. (h+1)<<lowBits, plus the next
		// group's first, which this group's count prefix ends at.
		off := t.offsets[h<<lowBits : (h+1)<<lowBits+1]
		for _, k := range keys {
			off[k+1]++
		}
		off[0] = groupStart
		for k := 1; k < len(off); k++ {
			off[k] += off[k-1]
		}
		// Scatter using off[k] as the cursor, then restore it.
		for i, k := range keys {
			t.positions[off[k]] = pos[i]
			off[k]++
		}
		copy(off[1:], off[:len(off)-1])
		off[0] = groupStart
		groupStart = groupEnd
	}
	return t
}

// grow returns (*buf)[:n] zeroed, reallocating when too small.
func grow(buf *[]uint32, n int) []uint32 {
	if cap(*buf) < n {
		*buf = make([]uint32, n)
	}
	s := (*buf)[:n]
	clear(s)
	return s
}
