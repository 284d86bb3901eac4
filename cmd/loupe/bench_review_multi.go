package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// reviewRun is one measured stretch of the review benchmark: reviewers
// work at the server they signed in on; when victim is set (>= 0), that
// server stops halfway, and its reviewers carry on at the others, spread
// over them as a load balancer would send them.
type reviewRun struct {
	queueID  int64
	think    time.Duration
	servers  []*benchInstance
	clients  []*benchReviewer
	duration time.Duration
	warmup   time.Duration
	victim   int
	stderr   io.Writer
	trace    *slowTrace
}

// reviewPhase is what was measured before (0) or after (1) the stop.
type reviewPhase struct {
	page, reveal, decide latencies
	took                 time.Duration
}

func (p reviewPhase) print(w io.Writer, label string) {
	fmt.Fprintf(w, "  %sclaim + review page: %s\n", label, p.page)
	fmt.Fprintf(w, "  %sreveal grant:        %s\n", label, p.reveal)
	fmt.Fprintf(w, "  %sdecision:            %s\n", label, p.decide)
	fmt.Fprintf(w, "  %sdecisions per second: %.1f\n", label, float64(len(p.decide))/p.took.Seconds())
}

type reviewResult struct {
	phases            [2]reviewPhase
	elapsed           time.Duration
	killAfter         time.Duration
	retried, failures int64
}

func (res reviewResult) print(w io.Writer, r reviewRun, backlog int) {
	fmt.Fprintf(w, "%d reviewers for %v on a backlog of %d, looking %v on average at each item:\n", len(r.clients), res.elapsed.Round(time.Second), backlog, r.think)
	if r.victim < 0 {
		res.phases[0].print(w, "")
	} else {
		fmt.Fprintf(w, "instance %d of %d stopped (listener and connections closed) after %v\n", r.victim+1, len(r.servers), res.killAfter.Round(time.Millisecond))
		res.phases[0].print(w, "before: ")
		res.phases[1].print(w, "after:  ")
		fmt.Fprintf(w, "  requests in flight to the stopped instance, retried on another: %d\n", res.retried)
	}
	fmt.Fprintf(w, "  failed iterations: %d\n", res.failures)
}

// printSpread prints each run's claim + review page p99, sorted, and
// their median: one run's p99 depends on what else the machine did then.
func printSpread(w io.Writer, results []reviewResult, stopped bool) {
	phases := []string{""}
	if stopped {
		phases = []string{" before the stop", " after the stop"}
	}
	for k, label := range phases {
		var p99 latencies
		for _, res := range results {
			p99 = append(p99, res.phases[k].page.percentile(0.99))
		}
		slices.Sort(p99)
		parts := make([]string, len(p99))
		for i, d := range p99 {
			parts[i] = d.Round(100 * time.Microsecond).String()
		}
		fmt.Fprintf(w, "claim + review page p99 over %d runs%s: %s (median %v)\n", len(results), label, strings.Join(parts, " "), p99.percentile(0.5).Round(100*time.Microsecond))
	}
}

func (r reviewRun) measure() reviewResult {
	var res reviewResult
	var mu sync.Mutex
	var retried, failures atomic.Int64
	var stopped atomic.Bool
	start := time.Now().Add(r.warmup) // what happens before start is not measured
	deadline := start.Add(r.duration)
	var killAt time.Time
	if r.victim >= 0 {
		killAt = start.Add(r.duration / 2)
		timer := time.AfterFunc(r.warmup+r.duration/2, func() {
			stopped.Store(true)
			r.servers[r.victim].stop()
		})
		defer timer.Stop()
	}
	var wg sync.WaitGroup
	for i, c := range r.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine [2]reviewPhase
			home := i % len(r.servers)
			rng := rand.New(rand.NewPCG(uint64(i), uint64(time.Now().UnixNano())))
			time.Sleep(time.Duration(rng.Int64N(int64(r.think) + 1))) // people do not all start at once
			for time.Now().Before(deadline) {
				c.base = r.servers[home].base
				began := time.Now()
				lp, lr, ld, err := c.reviewOne(r.queueID, r.think/2+time.Duration(rng.Int64N(int64(r.think)+1)), url.Values{"verdict": {"not_violating"}})
				if err != nil {
					if home == r.victim && stopped.Load() {
						// The balancer spreads the stopped server's
						// reviewers over the others.
						home = (home + 1 + i%(len(r.servers)-1)) % len(r.servers)
						retried.Add(1)
						continue
					}
					if failures.Add(1) == 1 {
						fmt.Fprintf(r.stderr, "first failure: %v\n", err)
					}
					continue
				}
				if began.Before(start) {
					continue // warming up
				}
				r.trace.observe(lp)
				p := &mine[0]
				if !killAt.IsZero() && began.After(killAt) {
					p = &mine[1]
				}
				p.page, p.reveal, p.decide = append(p.page, lp), append(p.reveal, lr), append(p.decide, ld)
			}
			mu.Lock()
			for k := range mine {
				ph := &res.phases[k]
				ph.page, ph.reveal, ph.decide = append(ph.page, mine[k].page...), append(ph.reveal, mine[k].reveal...), append(ph.decide, mine[k].decide...)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.phases[0].took = res.elapsed
	if !killAt.IsZero() {
		res.killAfter = killAt.Sub(start)
		res.phases[0].took, res.phases[1].took = res.killAfter, res.elapsed-res.killAfter
	}
	res.retried, res.failures = retried.Load(), failures.Load()
	return res
}
