package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/loupe-review/loupe/review/pdq"
	"github.com/loupe-review/loupe/review/pdqindex"
)

// cmdBenchMatch measures the PDQ index against a brute-force scan, and PDQ
// hashing of 1-megapixel JPEGs.
func cmdBenchMatch(ctx context.Context, e env) error {
	fs := newFlags(e, "bench match", "bench match [--n 10000000] [--queries 10000]")
	n := fs.Int("n", 10_000_000, "random PDQ hashes in the index (with planted near-duplicates)")
	queries := fs.Int("queries", 10_000, "queries to time")
	seed := fs.Uint64("seed", 1, "random seed")
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	if err := pdqindex.RunBenchmark(e.stdout, *n, *queries, *seed); err != nil {
		return err
	}
	runtime.GC()
	images := benchImages(12)
	decoded := make([]image.Image, len(images))
	for i, b := range images {
		img, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil {
			return err
		}
		decoded[i] = img
	}
	withDecode := parallelRate(2*time.Second, func(i int) {
		img, _ := jpeg.Decode(bytes.NewReader(images[i%len(images)]))
		pdq.FromImage(img)
	})
	without := parallelRate(2*time.Second, func(i int) { pdq.FromImage(decoded[i%len(decoded)]) })
	dihedral := parallelRate(2*time.Second, func(i int) { pdq.DihedralFromImage(decoded[i%len(decoded)]) })
	fmt.Fprintf(e.stdout, "PDQ hashing of 1-megapixel JPEGs on %d cores: %.1f/s with JPEG decoding, %.1f/s of decoded images, %.1f/s for all 8 dihedral variants\n",
		runtime.GOMAXPROCS(0), withDecode, without, dihedral)
	return nil
}

// parallelRate runs fn on every core for d and returns calls per second.
func parallelRate(d time.Duration, fn func(i int)) float64 {
	start := time.Now()
	n := parallelCount(runtime.GOMAXPROCS(0), d, fn)
	return float64(n) / time.Since(start).Seconds()
}

// parallelCount runs fn on workers goroutines for d and returns how many
// calls were made.
func parallelCount(workers int, d time.Duration, fn func(i int)) int {
	var count atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; time.Now().Before(deadline); i += workers {
				fn(i)
				count.Add(1)
			}
		}()
	}
	wg.Wait()
	return int(count.Load())
}
