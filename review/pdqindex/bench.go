package pdqindex

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/loupe-review/loupe/review/pdq"
)

// benchThreshold is the distance the benchmark searches at, the usual PDQ
// match threshold.
const benchThreshold = pdq.MatchDistance

// RunBenchmark builds an index of n pseudo-random hashes (seeded, so runs
// are comparable), a tenth of them planted near-duplicates of others, runs
// the given number of searches at distance 31, and writes build time,
// resident memory, latency percentiles, throughput, and the speed-up over a
// brute-force scan of the same data (timed on up to 200 queries, whose
// results it also checks against the index's).
//
// Uniform random hashes fill every bucket evenly, so each query fetches
// about the same number of candidates. Real PDQ hashes cluster: buckets in
// dense regions hold more, so latencies on real data spread wider (the
// brute-force time does not depend on the data).
func RunBenchmark(w io.Writer, n, queries int, seed uint64) error {
	if n <= 0 || queries <= 0 {
		return errors.New("pdqindex: benchmark needs n > 0 and queries > 0")
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "pdqindex benchmark: n=%d queries=%d threshold=%d seed=%d GOMAXPROCS=%d\n",
		n, queries, benchThreshold, seed, runtime.GOMAXPROCS(0))

	// Fill the index's arrays directly rather than through Build, so the
	// memory figures are the index's own and not a second copy of the
	// input.
	start := time.Now()
	x := &Index{hashes: make([]words, n), ids: make([]uint64, n)}
	adviseHugePages(x.hashes)
	for p := range x.hashes {
		x.ids[p] = uint64(p) + 1
		if p >= 10 && p%10 == 0 {
			x.hashes[p] = flipBits(rng, x.hashes[rng.IntN(p)], rng.IntN(41))
		} else {
			x.hashes[p] = words{rng.Uint64(), rng.Uint64(), rng.Uint64(), rng.Uint64()}
		}
	}
	fmt.Fprintf(bw, "generate:        %v\n", time.Since(start).Round(time.Millisecond))

	start = time.Now()
	x.rebuild()
	fmt.Fprintf(bw, "build:           %v (%d slots of %d-%d bits)\n", time.Since(start).Round(time.Millisecond),
		x.layout.slots, x.layout.width[x.layout.slots-1], x.layout.width[0])
	runtime.GC()
	debug.FreeOSMemory()
	fmt.Fprintf(bw, "memory:          %s resident, %s peak (VmRSS, VmHWM); %s per hash; %s in huge pages\n",
		procStatus("VmRSS"), procStatus("VmHWM"), perHash(procStatus("VmRSS"), n), procField("/proc/self/smaps_rollup", "AnonHugePages"))

	// Half the queries are near-duplicates of indexed hashes (distance
	// 0..40), half unrelated.
	qs := make([]pdq.Hash, queries)
	for i := range qs {
		if i%2 == 0 {
			qs[i] = flipBits(rng, x.hashes[rng.IntN(n)], rng.IntN(41)).hash()
		} else {
			qs[i] = words{rng.Uint64(), rng.Uint64(), rng.Uint64(), rng.Uint64()}.hash()
		}
	}

	lat := make([]time.Duration, len(qs))
	results := make([][]Match, len(qs))
	matches := 0
	start = time.Now()
	for i, q := range qs {
		t := time.Now()
		results[i] = x.Search(q, benchThreshold)
		lat[i] = time.Since(t)
		matches += len(results[i])
	}
	total := time.Since(start)
	mean := total / time.Duration(len(qs))
	slices.Sort(lat)
	fmt.Fprintf(bw, "search:          p50 %v  p99 %v  max %v  mean %v  (%d matches)\n",
		lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1], mean, matches)
	fmt.Fprintf(bw, "throughput:      %.0f queries/s on one goroutine, %.0f on %d\n",
		float64(len(qs))/total.Seconds(), parallelQPS(x, qs), runtime.GOMAXPROCS(0))

	bruteN := min(len(qs), 200)
	start = time.Now()
	for i, q := range qs[:bruteN] {
		if got := x.search(q, benchThreshold, false); !slices.Equal(got, results[i]) {
			return fmt.Errorf("pdqindex: benchmark query %d: index returned %d matches, brute force %d", i, len(results[i]), len(got))
		}
	}
	bruteMean := time.Since(start) / time.Duration(bruteN)
	fmt.Fprintf(bw, "brute force:     %v per query (%d queries, results identical)\n", bruteMean, bruteN)
	fmt.Fprintf(bw, "speed-up:        %.0fx (mean), %.0fx (p99 against brute-force mean)\n",
		float64(bruteMean)/float64(mean), float64(bruteMean)/float64(lat[len(lat)*99/100]))
	// Latencies are wall-clock: other processes on the machine inflate
	// them, so say how busy it was.
	if avg, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Fprintf(bw, "load average:    %s (1, 5, 15 min)\n", strings.Join(strings.Fields(string(avg))[:3], " "))
	}
	return bw.Flush()
}

// flipBits returns h with k distinct random bits flipped.
func flipBits(rng *rand.Rand, h words, k int) words {
	var flipped words
	for k > 0 {
		b := rng.IntN(256)
		if flipped[b>>6]&(1<<(b&63)) == 0 {
			flipped[b>>6] |= 1 << (b & 63)
			k--
		}
	}
	for i := range h {
		h[i] ^= flipped[i]
	}
	return h
}

// parallelQPS runs the queries again on every CPU.
func parallelQPS(x *Index, qs []pdq.Hash) float64 {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	start := time.Now()
	for g := range workers {
		wg.Go(func() {
			for i := g; i < len(qs); i += workers {
				x.Search(qs[i], benchThreshold)
			}
		})
	}
	wg.Wait()
	return float64(len(qs)) / time.Since(start).Seconds()
}

// procStatus reads a field such as "VmRSS" from /proc/self/status (Linux
// only), e.g. "1021 MiB".
func procStatus(field string) string {
	return procField("/proc/self/status", field)
}

// procField reads a "Name:   123 kB" line from a /proc file, as MiB.
func procField(path, field string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "unavailable"
	}
	for line := range bytes.Lines(data) {
		name, value, ok := strings.Cut(string(line), ":")
		if !ok || name != field {
			continue
		}
		var kb int64
		if _, err := fmt.Sscanf(strings.TrimSpace(value), "%d kB", &kb); err != nil {
			return "unavailable"
		}
		return fmt.Sprintf("%d MiB", kb>>10)
	}
	return "unavailable"
}

// perHash divides a "123 MiB" figure by n, in bytes.
func perHash(mib string, n int) string {
	var v int64
	if _, err := fmt.Sscanf(mib, "%d MiB", &v); err != nil {
		return "?"
	}
	return fmt.Sprintf("%d bytes", (v<<20)/int64(n))
}
