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
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/web"
)

// cmdBenchIngest measures ingest of 1-megapixel JPEGs through the real HTTP
// API against the bare JPEG decode rate of the same files.
//
// The machine's speed drifts by 10-20% within a minute (other tenants, CPU
// frequency), so the run alternates: each round decodes bare for two
// seconds, then ingests its share of the items. The ratio compares each
// round's ingest with the decoding just before it.
func cmdBenchIngest(ctx context.Context, e env) error {
	fs := newFlags(e, "bench ingest", "bench ingest [--n 600] [--rounds 5] [--clients 8] [--warmup 600]")
	n := fs.Int("n", 600, "items to ingest, measured")
	rounds := fs.Int("rounds", 5, "rounds of bare decoding followed by ingest")
	warmup := fs.Int("warmup", 600, "items ingested first, not measured, so the server is in its running state (SQLite and the vault's shard directories warm)")
	clients := fs.Int("clients", 8, "concurrent API clients")
	distinct := fs.Int("images", 24, "distinct 1-megapixel JPEGs to cycle through")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the ingest rounds (server and clients) to this file")
	clusters := fs.Int("cluster-threshold", review.DefaultClusterThreshold, "the default queue's cluster threshold (0: clusters off), to compare ingest with clustering on and off")
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	if *rounds < 1 || *n < *rounds {
		return fmt.Errorf("%w: --rounds must be at least 1 and at most --n", errUsage)
	}
	images := benchImages(*distinct)
	_, base, a, stop, err := startBench(ctx, e)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Fprintf(e.stdout, "machine: %d CPUs, %d decoding workers, GOMAXPROCS %d; %d distinct 1000x1000 JPEGs, %d KiB on average\n",
		runtime.NumCPU(), spareProcessor(), runtime.GOMAXPROCS(0), len(images), avgSize(images)/1024)
	_, token, err := review.NewToken(ctx, a.db, crand.Reader, "bench", "bench", "bench", review.ScopeIngest)
	if err != nil {
		return err
	}
	q, err := a.db.FindQueueByName(ctx, review.DefaultQueue)
	if err != nil {
		return err
	}
	q.ClusterThreshold = *clusters
	if err := a.db.UpdateQueue(ctx, q, review.AuditEvent{Actor: "bench", Action: review.ActionQueueUpdated}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "cluster threshold: %d\n", q.ClusterThreshold)
	// A running server's vault has its shard directories and SQLite its
	// pages; a fresh one pays for creating them with its first items.
	if _, failures := ingestLoad(base, token, "warmup", images, *warmup, *clients); failures > 0 {
		return fmt.Errorf("warm-up: %d requests failed", failures)
	}
	var decode, ingest phase
	var lat latencies
	failures := 0
	for r := range *rounds {
		d := measure(func() int { return bareDecode(images, 2*time.Second) })
		stopProfile, err := startCPUProfile(*cpuProfile, r)
		if err != nil {
			return err
		}
		items := *n / *rounds
		if r == *rounds-1 {
			items = *n - r*(*n / *rounds)
		}
		var l latencies
		var f int
		in := measure(func() int {
			l, f = ingestLoad(base, token, fmt.Sprintf("bench%d", r), images, items, *clients)
			return items
		})
		stopProfile()
		fmt.Fprintf(e.stdout, "round %d: bare decode %.1f images/s, %s; ingest %.1f items/s, %s: %.0f%%\n",
			r+1, d.rate(), d.cpuPer(), in.rate(), in.cpuPer(), 100*in.rate()/d.rate())
		decode, ingest, lat, failures = decode.add(d), ingest.add(in), append(lat, l...), failures+f
	}
	fmt.Fprintf(e.stdout, "bare JPEG decode (image/jpeg, all cores): %.1f images/s, %s\n", decode.rate(), decode.cpuPer())
	fmt.Fprintf(e.stdout, "ingest via POST /api/v1/items (%d clients, %d items after %d warm-up items): %.1f items/s, %s, %s, %d failures\n",
		*clients, *n, *warmup, ingest.rate(), ingest.cpuPer(), lat, failures)
	fmt.Fprintf(e.stdout, "ingest rate / bare decode rate: %.0f%%\n", 100*ingest.rate()/decode.rate())
	if failures > 0 {
		return fmt.Errorf("%d requests failed", failures)
	}
	return nil
}

// phase is work done over some wall-clock and CPU time.
type phase struct {
	count     int
	wall, cpu time.Duration
}

// measure runs fn, which returns how much it did, and times it.
func measure(fn func() int) phase {
	cpu0, t0 := processCPU(), time.Now()
	count := fn()
	return phase{count: count, wall: time.Since(t0), cpu: processCPU() - cpu0}
}

func (p phase) add(q phase) phase {
	return phase{count: p.count + q.count, wall: p.wall + q.wall, cpu: p.cpu + q.cpu}
}

func (p phase) rate() float64 { return float64(p.count) / p.wall.Seconds() }

// cpuPer says what each unit cost in CPU time and how busy the cores were.
func (p phase) cpuPer() string {
	if p.cpu == 0 { // no CPU clock on this system
		return "CPU time unknown"
	}
	busy := p.cpu.Seconds() / (p.wall.Seconds() * float64(runtime.NumCPU()))
	return fmt.Sprintf("%.1f ms CPU each, cores %.0f%% busy", p.cpu.Seconds()*1000/float64(p.count), 100*busy)
}

// startCPUProfile profiles the process into path until the returned
// function is called; an empty path profiles nothing. Round r > 0 goes to
// path.r, so each round's profile is kept (go tool pprof merges them).
func startCPUProfile(path string, r int) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	if r > 0 {
		path += "." + strconv.Itoa(r)
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

// bareDecode decodes the images on every CPU ingest uses for d and returns
// how many it decoded.
func bareDecode(images [][]byte, d time.Duration) int {
	return parallelCount(spareProcessor(), d, func(i int) { _, _ = jpeg.Decode(bytes.NewReader(images[i%len(images)])) })
}

// startBench runs the real server on loopback over a fresh data directory.
func startBench(ctx context.Context, e env) (dir, base string, a *app, stop func(), err error) {
	if dir, err = os.MkdirTemp("", "loupe-bench-"); err != nil {
		return "", "", nil, nil, err
	}
	in, err := startBenchInstance(ctx, e, location{Data: dir})
	if err != nil {
		os.RemoveAll(dir)
		return "", "", nil, nil, err
	}
	return dir, in.base, in.a, func() { in.stop(); os.RemoveAll(dir) }, nil
}

// benchInstance is one in-process Loupe server, as serve runs it (without
// the background work), on a loopback port.
type benchInstance struct {
	base string
	a    *app
	hs   *http.Server
	done context.CancelFunc // ends the background work
}

func startBenchInstance(ctx context.Context, e env, loc location) (*benchInstance, error) {
	a, err := openApp(ctx, loc, e)
	if err != nil {
		return nil, err
	}
	keys, err := a.db.ServerSecret(ctx, "cookie-keys", 64, crand.Reader)
	if err != nil {
		a.Close()
		return nil, err
	}
	cfg := web.DefaultConfig()
	cfg.CookieKeys, cfg.MinFreeBytes = [2][]byte{keys[:32], keys[32:]}, 0
	cfg.Limits.Workers = spareProcessor()                      // as serve does
	cfg.SignInSlots = min(cfg.Limits.Workers, review.MaxSlots) // one per CPU, not per spare processor
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := web.New(cfg, web.Deps{Store: a.db, Vault: a.vault, Sealer: a.vault, Hashes: a.hashes, Log: log, Now: time.Now, Random: crand.Reader, FreeBytes: a.freeBytes})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.Close()
		return nil, err
	}
	hs := web.NewHTTPServer(srv, cfg.Timeouts, log) // as serve does
	go hs.Serve(ln)
	bg, done := context.WithCancel(ctx)
	go chainAudit(bg, a, log) // as serve does: without it, audit entries would only pile up
	return &benchInstance{base: "http://" + ln.Addr().String(), a: a, hs: hs, done: done}, nil
}

// stop closes the listener and every connection at once, as a crash would
// for the clients, then the database.
func (in *benchInstance) stop() {
	in.done()
	in.hs.Close()
	in.a.Close()
}

// ingestLoad posts n items from clients goroutines and returns per-request
// latencies and the number of failed requests.
func ingestLoad(base, token, prefix string, images [][]byte, n, clients int) (latencies, int) {
	return postItems(base, token, n, clients, func(i int) (string, []byte) {
		return fmt.Sprintf("%s-%d", prefix, i), images[i%len(images)]
	}, nil)
}

// postItems posts items 0..n-1, each the external id and image item
// gives, from clients goroutines; acked, when not nil, hears of every
// acknowledged item. It returns per-request latencies and the number of
// failed requests.
func postItems(base, token string, n, clients int, item func(i int) (string, []byte), acked func(i int, a ack)) (latencies, int) {
	var next, failures atomic.Int64
	lat := make([]latencies, clients)
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
				id, img := item(i)
				a, ok := postItem(client, base, token, id, "", img)
				lat[c] = append(lat[c], time.Since(t0))
				switch {
				case !ok:
					failures.Add(1)
				case acked != nil:
					acked(i, a)
				}
			}
		}()
	}
	wg.Wait()
	var all latencies
	for _, l := range lat {
		all = append(all, l...)
	}
	return all, int(failures.Load())
}
