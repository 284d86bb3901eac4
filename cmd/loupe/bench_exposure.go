package main

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// cmdBenchExposure replays the same synthetic workload twice through the
// HTTP API, once one item at a time and once with clusters and the
// automated deciding of known material, and prints what each cost the
// reviewers (see exposure_workload.go and bench_exposure_pass.go).
func cmdBenchExposure(ctx context.Context, e env) error {
	fs := newFlags(e, "bench exposure", "bench exposure [--families 1000] [--items 20000] [--reviewers 8] [--look 20ms]")
	var o exposureOptions
	families := fs.Int("families", 1000, "distinct synthetic pictures")
	items := fs.Int("items", 20000, "items, each a copy of one picture (each picture appears 1 to 100 times)")
	fs.IntVar(&o.reviewers, "reviewers", 8, "simulated reviewers deciding at once")
	fs.IntVar(&o.clients, "clients", 4, "concurrent ingest API clients")
	fs.DurationVar(&o.look, "look", 20*time.Millisecond, "how long a reviewer keeps each reveal open")
	seed := fs.Uint64("seed", 1, "seed of the workload")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of each pass's ingest to this file (.1 for the second pass)")
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	switch {
	case *families < 1 || *items < *families || *items > 100**families:
		return fmt.Errorf("%w: --items must be between --families and 100 times --families", errUsage)
	case o.reviewers < 1 || o.clients < 1 || o.look < 0:
		return fmt.Errorf("%w: --reviewers and --clients must be at least 1, --look not negative", errUsage)
	}
	t0 := time.Now()
	w := buildWorkload(*families, *items, workloadSize, *seed)
	fmt.Fprintf(e.stdout, "workload: %d items from %d synthetic %dx%d pictures (%s), %d pictures on the block list; built in %v\n",
		len(w.Items), w.Families, workloadSize, workloadSize, strings.Join(w.copyMix(), ", "), len(w.Listed), time.Since(t0).Round(time.Second))
	var results [2]exposureResult
	for i, on := range []bool{false, true} {
		o.seeItOnce, o.pass = on, i
		r, err := runExposurePass(ctx, e, w, o)
		if err != nil {
			return fmt.Errorf("%s: %w", passName(on), err)
		}
		r.print(e, passName(on))
		results[i] = r
	}
	off, on := results[0], results[1]
	fmt.Fprintf(e.stdout, "reveals per decided item: %.3f one at a time, %.3f seeing it once: %.1f times fewer\n",
		off.revealsPerItem(), on.revealsPerItem(), off.revealsPerItem()/max(on.revealsPerItem(), 1e-9))
	fmt.Fprintf(e.stdout, "ingest with clustering on: %.0f%% of the throughput with it off\n", 100*on.ingestRate/off.ingestRate)
	if off.failures+on.failures > 0 {
		return fmt.Errorf("%d requests failed", off.failures+on.failures)
	}
	return nil
}

func passName(seeItOnce bool) string {
	if seeItOnce {
		return "clusters and automation on"
	}
	return "one item at a time"
}

// exposureOptions are one pass's settings.
type exposureOptions struct {
	reviewers, clients int
	look               time.Duration
	seeItOnce          bool
	cpuProfile         string
	pass               int
}

// exposureResult is what one pass cost.
type exposureResult struct {
	ingestRate         float64
	wall               time.Duration
	decided, reveals   int
	exposure           time.Duration
	automated, cluster int
	disagreements      int
	failures           int
	// kinds counts the items of each kind of copy; unseen, those decided
	// without a reveal of their own.
	kinds, unseen map[copyKind]int
}

func (r exposureResult) revealsPerItem() float64 {
	return float64(r.reveals) / float64(max(r.decided, 1))
}

func (r exposureResult) print(e env, name string) {
	fmt.Fprintf(e.stdout, "%s:\n", name)
	fmt.Fprintf(e.stdout, "  ingest: %.1f items/s\n", r.ingestRate)
	fmt.Fprintf(e.stdout, "  decided: %d items in %v (%d by a person looking, %d through a cluster, %d automatically)\n",
		r.decided, r.wall.Round(time.Second), r.decided-r.cluster-r.automated, r.cluster, r.automated)
	fmt.Fprintf(e.stdout, "  reveals: %d, %.3f per decided item; exposure %.1f reviewer-seconds (ledger)\n", r.reveals, r.revealsPerItem(), r.exposure.Seconds())
	var by []string
	for _, k := range copyKinds {
		by = append(by, fmt.Sprintf("%s %d%%", k, 100*r.unseen[k]/max(r.kinds[k], 1)))
	}
	fmt.Fprintf(e.stdout, "  decided without a look of their own, by kind of copy: %s\n", strings.Join(by, ", "))
	fmt.Fprintf(e.stdout, "  decisions that disagree with the ground truth: %d\n", r.disagreements)
	fmt.Fprintf(e.stdout, "  failed requests: %d\n", r.failures)
}
