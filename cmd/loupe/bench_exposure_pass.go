package main

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/loupe-review/loupe/review"
)

// runExposurePass ingests the workload into a fresh server over the API,
// lets simulated reviewers decide everything over HTTP, each by the ground
// truth of the picture shown, and reads what it cost from the ledger.
func runExposurePass(ctx context.Context, e env, w exposureWorkload, o exposureOptions) (exposureResult, error) {
	var r exposureResult
	_, base, a, stop, err := startBench(ctx, e)
	if err != nil {
		return r, err
	}
	defer stop()
	q, err := setUpExposureQueue(ctx, a, w, o.seeItOnce)
	if err != nil {
		return r, err
	}
	_, token, err := review.NewToken(ctx, a.db, crand.Reader, "bench", "bench", "bench", review.ScopeIngest)
	if err != nil {
		return r, err
	}
	stopProfile, err := startCPUProfile(o.cpuProfile, o.pass)
	if err != nil {
		return r, err
	}
	t0 := time.Now()
	items, failures := ingestWorkload(base, token, w, o.clients)
	stopProfile()
	r.ingestRate, r.failures = float64(len(w.Items))/time.Since(t0).Seconds(), failures
	people, err := benchReviewers(ctx, a, q.ID, o.reviewers)
	if err != nil {
		return r, err
	}
	t0 = time.Now()
	fails, err := reviewAll(e.stderr, base, q.ID, people, items, w, o.look)
	if err != nil {
		return r, err
	}
	r.wall, r.failures = time.Since(t0), r.failures+fails
	if _, err := a.db.SettleDecisions(ctx, time.Now().Add(review.UndoWindow)); err != nil {
		return r, err
	}
	return r, r.tally(ctx, a, items, w)
}

// ingestWorkload posts every item from clients goroutines and returns the
// workload index of each acknowledged item id.
func ingestWorkload(base, token string, w exposureWorkload, clients int) (map[int64]int, int) {
	var mu sync.Mutex
	items := make(map[int64]int, len(w.Items))
	_, failures := postItems(base, token, len(w.Items), clients, func(i int) (string, []byte) {
		return fmt.Sprintf("x-%d", i), w.Items[i].Bytes
	}, func(i int, a ack) {
		mu.Lock()
		items[a.id] = i
		mu.Unlock()
	})
	return items, failures
}

// reviewAll signs the reviewers in and has them claim, look and decide
// until the queue is empty. A reviewer judges the picture the page shows
// first: the claimed item, which is its cluster's representative.
func reviewAll(stderr io.Writer, base string, queueID int64, people []demoAccount, items map[int64]int, w exposureWorkload, look time.Duration) (int, error) {
	verdict := func(itemID int64, _ string) url.Values {
		if w.Items[items[itemID]].Violating {
			return url.Values{"verdict": {"violating"}, "category": {"A1"}}
		}
		return url.Values{"verdict": {"not_violating"}}
	}
	var failures atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, len(people))
	for _, p := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := signInOverHTTP(base, p)
			if err != nil {
				errs <- err
				return
			}
			for misses := 0; misses < 3; {
				_, _, _, err := c.reviewWith(queueID, look, verdict)
				switch {
				case errors.Is(err, errQueueEmpty):
					misses++ // others may still hand items back
					time.Sleep(100 * time.Millisecond)
				case err != nil:
					// A request failed: count it and go on, but a reviewer
					// whose every request fails gives up.
					if n := failures.Add(1); n <= 3 {
						fmt.Fprintln(stderr, "reviewing:", err)
					} else if n > int64(len(items)) {
						errs <- fmt.Errorf("reviewing: %w", err)
						return
					}
					misses++
				default:
					misses = 0
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return int(failures.Load()), <-errs
}

// tally reads the pass's decisions and reveals from the database.
func (r *exposureResult) tally(ctx context.Context, a *app, items map[int64]int, w exposureWorkload) error {
	r.unseen, r.kinds = map[copyKind]int{}, map[copyKind]int{}
	for _, i := range items {
		r.kinds[w.Items[i].Kind]++
	}
	for id, i := range items {
		ds, err := a.db.FindDecisions(ctx, id)
		if err != nil {
			return err
		}
		var final *review.Decision
		for j := range ds {
			if ds[j].Final {
				final = &ds[j]
			}
		}
		if final == nil {
			continue
		}
		r.decided++
		switch final.Source() {
		case "automated":
			r.automated++
		case "cluster":
			r.cluster++
		}
		if (final.Verdict == review.Violating) != w.Items[i].Violating {
			r.disagreements++
		}
		exposures, err := a.db.FindExposures(ctx, id)
		if err != nil {
			return err
		}
		if len(exposures) == 0 {
			r.unseen[w.Items[i].Kind]++
		}
		r.reveals += len(exposures)
		for _, x := range exposures {
			r.exposure += time.Duration(x.Seconds * float64(time.Second))
		}
	}
	return nil
}
