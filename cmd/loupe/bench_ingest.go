package main

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"fmt"
	"image/jpeg"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/web"
)

// cmdBenchIngest measures ingest of 1-megapixel JPEGs through the real HTTP
// API against the bare JPEG decode rate of the same files.
func cmdBenchIngest(ctx context.Context, e env) error {
	fs := newFlags(e, "bench ingest", "bench ingest [--n 600] [--clients 8] [--warmup 600]")
	n := fs.Int("n", 600, "items to ingest")
	warmup := fs.Int("warmup", 600, "items ingested first, not measured, so the server is in its running state (SQLite and the vault's shard directories warm)")
	clients := fs.Int("clients", 8, "concurrent API clients")
	distinct := fs.Int("images", 24, "distinct 1-megapixel JPEGs to cycle through")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the ingest phase (server and clients) to this file")
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	images := benchImages(*distinct)
	fmt.Fprintf(e.stdout, "machine: %d CPUs, GOMAXPROCS %d; %d distinct 1000x1000 JPEGs, %d KiB on average\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), len(images), avgSize(images)/1024)

	// The machine's speed drifts (other tenants, CPU frequency), so bare
	// decoding is measured before and after the ingest run and averaged.
	before := bareDecodeRate(images, 3*time.Second)
	_, base, a, stop, err := startBench(ctx, e)
	if err != nil {
		return err
	}
	defer stop()
	_, token, err := review.NewToken(ctx, a.db, crand.Reader, "bench", "bench", "bench", review.ScopeIngest)
	if err != nil {
		return err
	}
	// A running server's vault has its shard directories and SQLite its
	// pages; a fresh one pays for creating them with its first items.
	if _, _, failures := ingestLoad(base, token, "warmup", images, *warmup, *clients); failures > 0 {
		return fmt.Errorf("warm-up: %d requests failed", failures)
	}
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	rate, lat, failures := ingestLoad(base, token, "bench", images, *n, *clients)
	stopProfile()
	after := bareDecodeRate(images, 3*time.Second)
	decodeRate := (before + after) / 2
	fmt.Fprintf(e.stdout, "bare JPEG decode (image/jpeg, all cores): %.1f images/s before, %.1f after\n", before, after)
	fmt.Fprintf(e.stdout, "ingest via POST /api/v1/items (%d clients, %d items after %d warm-up items): %.1f items/s, %s, %d failures\n", *clients, *n, *warmup, rate, lat, failures)
	fmt.Fprintf(e.stdout, "ingest rate / mean bare decode rate: %.0f%%\n", 100*rate/decodeRate)
	if failures > 0 {
		return fmt.Errorf("%d requests failed", failures)
	}
	return nil
}

// startCPUProfile profiles the process into path until the returned
// function is called; an empty path profiles nothing.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// benchImages makes 1-megapixel JPEGs with photo-like noise, so decoding
// costs what a real upload costs.
func benchImages(k int) [][]byte {
	rng := rand.New(rand.NewPCG(5, 6))
	out := make([][]byte, k)
	for i := range out {
		img := synthImage(i, 1000, 1000, rng)
		for j := range img.Pix {
			if j%4 != 3 {
				img.Pix[j] = uint8(max(0, min(255, int(img.Pix[j])+rng.IntN(25)-12)))
			}
		}
		out[i] = encodeJPEG(img, 85)
	}
	return out
}

func avgSize(images [][]byte) int {
	total := 0
	for _, b := range images {
		total += len(b)
	}
	return total / len(images)
}

// bareDecodeRate decodes the images on every core for d and returns images/s.
func bareDecodeRate(images [][]byte, d time.Duration) float64 {
	return parallelRate(d, func(i int) { _, _ = jpeg.Decode(bytes.NewReader(images[i%len(images)])) })
}

// startBench runs the real server on loopback over a fresh data directory.
func startBench(ctx context.Context, e env) (dir, base string, a *app, stop func(), err error) {
	if dir, err = os.MkdirTemp("", "loupe-bench-"); err != nil {
		return "", "", nil, nil, err
	}
	if a, err = openApp(ctx, dir, e); err != nil {
		return "", "", nil, nil, err
	}
	keys, err := a.db.ServerSecret(ctx, "cookie-keys", 64, crand.Reader)
	if err != nil {
		return "", "", nil, nil, err
	}
	cfg := web.DefaultConfig()
	cfg.CookieKeys, cfg.MinFreeBytes = [2][]byte{keys[:32], keys[32:]}, 0
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := web.New(cfg, web.Deps{Store: a.db, Vault: a.vault, Sealer: a.vault, Hashes: a.hashes, Log: log, Now: time.Now, Random: crand.Reader, FreeBytes: a.freeBytes})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", "", nil, nil, err
	}
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	return dir, "http://" + ln.Addr().String(), a, func() { hs.Close(); a.Close(); os.RemoveAll(dir) }, nil
}

// ingestLoad posts n items from clients goroutines and returns items/s,
// per-request latencies and the number of failed requests.
func ingestLoad(base, token, prefix string, images [][]byte, n, clients int) (float64, latencies, int) {
	var next, failures atomic.Int64
	lat := make([]latencies, clients)
	start := time.Now()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: time.Minute}
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				t0 := time.Now()
				if _, ok := postItem(client, base, token, fmt.Sprintf("%s-%d", prefix, i), "", images[i%len(images)]); !ok {
					failures.Add(1)
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all latencies
	for _, l := range lat {
		all = append(all, l...)
	}
	return float64(n) / elapsed.Seconds(), all, int(failures.Load())
}
