package main

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/egress"
)

// cmdBenchSoak runs ingest, reviewers, dashboards, reports and exports
// together against one server, then prints errors, request rates, p99
// latencies, and resident memory and goroutines after warm-up and at the
// end. It fails on any error or on growth of 10% or more.
func cmdBenchSoak(ctx context.Context, e env) error {
	fs := newFlags(e, "bench soak", "bench soak [--minutes 10] [--reviewers 6]")
	minutes := fs.Float64("minutes", 10, "how long the load runs")
	reviewers := fs.Int("reviewers", 6, "simulated reviewers")
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	_, base, a, stop, err := startBench(ctx, e)
	if err != nil {
		return err
	}
	defer stop()
	w, err := setUpSoak(ctx, a, base, *reviewers)
	if err != nil {
		return err
	}
	runFor := time.Duration(*minutes * float64(time.Minute))
	warmup := max(runFor/5, 20*time.Second)
	fmt.Fprintf(e.stdout, "soak: %d reviewers, a lead, wellbeing staff, a platform ingesting, a partner exporting and a metrics scraper, for %v (warm-up %v)\n",
		*reviewers, runFor, warmup)
	ctx, cancel := context.WithTimeout(ctx, runFor)
	defer cancel()
	var wg sync.WaitGroup
	for _, loop := range w.loops() {
		wg.Add(1)
		go func() { defer wg.Done(); loop(ctx) }()
	}
	sender := reportSender(a, ncmecConfig{}, egress.Policy{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	wg.Add(1)
	go func() {
		defer wg.Done()
		runReportSender(ctx, sender, 2*time.Second, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()

	sleep(ctx, warmup)
	start := sample()
	sleep(ctx, runFor-warmup-2*time.Second)
	end := sample()
	cancel()
	wg.Wait()
	return w.stats.report(e.stdout, runFor, start, end)
}

// soakWork is the simulated people and systems.
type soakWork struct {
	base                       string
	queueID                    int64
	ingestToken, listToken     string
	listExport                 string // the list's export path
	metricsToken               string
	reviewers                  []*benchReviewer
	lead, wellbeing            *benchReviewer
	stats                      *soakStats
	images                     [][]byte
	reviewThink, dashboardEach time.Duration
}

// setUpSoak makes the accounts, tokens, a reportable queue, a hash list
// and report settings, with wellbeing limits off so reviewers never rest.
func setUpSoak(ctx context.Context, a *app, base string, n int) (*soakWork, error) {
	w := &soakWork{base: base, stats: newSoakStats(), reviewThink: time.Second, dashboardEach: 3 * time.Second}
	q, err := a.db.FindQueueByName(ctx, review.DefaultQueue)
	if err != nil {
		return nil, err
	}
	q.Reportable, w.queueID = true, q.ID
	ev := review.AuditEvent{Actor: "soak", Action: "soak.setup"}
	if err := a.db.UpdateQueue(ctx, q, ev); err != nil {
		return nil, err
	}
	if err := a.db.SetLimits(ctx, review.ScopeOrg, 0, review.Limits{review.LimitDailyBudget: 0, review.LimitContinuous: 0, review.LimitSeverePerHour: 0, review.LimitRevealPerItem: 0}, ev); err != nil {
		return nil, err
	}
	settings := map[string]string{review.SettingReporterFirst: "Soak", review.SettingReporterLast: "Test", review.SettingReporterEmail: "soak@bench.example",
		review.SettingService: "Soak", review.SettingDestination: review.DestinationBundle}
	if err := a.db.SaveSettings(ctx, settings, ev); err != nil {
		return nil, err
	}
	list, err := a.hashes.Create(ctx, "soak", review.HashList{Name: "soak-list", Kind: "block", Enabled: true})
	if err != nil {
		return nil, err
	}
	w.listExport = fmt.Sprintf("/api/v1/hashlists/%d/export?format=jsonl", list.ID)
	tokens := map[string]*string{review.ScopeIngest: &w.ingestToken, review.ListScope(list): &w.listToken, review.ScopeMetrics: &w.metricsToken}
	for scope, dst := range tokens {
		if _, *dst, err = review.NewToken(ctx, a.db, crand.Reader, "soak", "soak-"+strings.ReplaceAll(scope, ":", "-"), "soak", scope); err != nil {
			return nil, err
		}
	}
	people, err := benchReviewers(ctx, a, q.ID, n)
	if err != nil {
		return nil, err
	}
	lead, err := benchAccount(ctx, a, "lead@bench.example", review.RoleLead)
	if err != nil {
		return nil, err
	}
	care, err := benchAccount(ctx, a, "care@bench.example", review.RoleWellbeing)
	if err != nil {
		return nil, err
	}
	for _, p := range append(people, lead, care) {
		c, err := signInOverHTTP(base, p)
		if err != nil {
			return nil, err
		}
		w.reviewers = append(w.reviewers, c)
	}
	w.reviewers, w.lead, w.wellbeing = w.reviewers[:n], w.reviewers[n], w.reviewers[n+1]
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 8 {
		w.images = append(w.images, encodeJPEG(synthImage(i, 640, 480, rng), 85))
	}
	return w, nil
}

// loops are the workers, each running until ctx ends.
func (w *soakWork) loops() []func(context.Context) {
	var out []func(context.Context)
	for i := range 2 {
		out = append(out, func(ctx context.Context) { w.ingest(ctx, i) })
	}
	for _, r := range w.reviewers {
		out = append(out, func(ctx context.Context) { w.review(ctx, r) })
	}
	return append(out, w.leadLoop, w.wellbeingLoop, w.partnerLoop, w.scrapeLoop)
}

// ingest posts items, a few of them from the same accounts, about 4 a second per client.
func (w *soakWork) ingest(ctx context.Context, client int) {
	hc := &http.Client{Timeout: time.Minute}
	for n := 0; ctx.Err() == nil; n++ {
		extra := fmt.Sprintf(`,"content_url":"https://soak.example/p/%d-%d","uploader":{"account_id":"acct-%d"}`, client, n, n%50)
		t0 := time.Now()
		_, ok := postItem(hc, w.base, w.ingestToken, fmt.Sprintf("soak-%d-%d", client, n), extra, w.images[n%len(w.images)])
		w.stats.add("ingest", time.Since(t0), okErr(ok, "ingest"), ctx)
		sleep(ctx, 250*time.Millisecond)
	}
}

// review claims, looks (grey reveal), and decides, a fifth violating.
func (w *soakWork) review(ctx context.Context, r *benchReviewer) {
	rng := rand.New(rand.NewPCG(uint64(len(r.csrf)), 9))
	for ctx.Err() == nil {
		verdict := url.Values{"verdict": {"not_violating"}}
		if rng.IntN(5) == 0 {
			verdict = url.Values{"verdict": {"violating"}, "category": {"A1"}}
		}
		page, reveal, decide, err := r.reviewOne(w.queueID, w.reviewThink, verdict)
		switch {
		case errors.Is(err, errQueueEmpty):
			sleep(ctx, time.Second) // nothing to review for now
		case err != nil:
			w.stats.add("review", 0, err, ctx)
			sleep(ctx, time.Second)
		default:
			w.stats.add("claim+page", page, nil, ctx)
			w.stats.add("reveal", reveal, nil, ctx)
			w.stats.add("decide", decide, nil, ctx)
		}
	}
}

var caseLink = regexp.MustCompile(`href="/reports/(\d+)"`)

// leadLoop watches the queue and the reports, approves complete cases and
// downloads finished bundles.
func (w *soakWork) leadLoop(ctx context.Context) {
	for ctx.Err() == nil {
		w.timed(ctx, "dashboard", func() error { _, err := w.lead.get(fmt.Sprintf("/queues/%d", w.queueID)); return err })
		var open string
		w.timed(ctx, "dashboard", func() (err error) { open, err = w.lead.get("/reports?status=open"); return err })
		if m := caseLink.FindStringSubmatch(open); m != nil {
			w.timed(ctx, "report", func() error { _, err := w.lead.post("/reports/"+m[1]+"/approve", url.Values{}); return err })
		}
		var done string
		w.timed(ctx, "dashboard", func() (err error) { done, err = w.lead.get("/reports?status=finished"); return err })
		if m := caseLink.FindStringSubmatch(done); m != nil {
			w.timed(ctx, "export", func() error { _, err := w.lead.post("/reports/"+m[1]+"/bundle", url.Values{}); return err })
		}
		sleep(ctx, w.dashboardEach)
	}
}

// wellbeingLoop reads the dashboard and, less often, its CSV export.
func (w *soakWork) wellbeingLoop(ctx context.Context) {
	for n := 0; ctx.Err() == nil; n++ {
		w.timed(ctx, "dashboard", func() error {
			_, err := w.wellbeing.get("/wellbeing?days=" + []string{"1", "7", "30"}[n%3])
			return err
		})
		if n%5 == 0 {
			w.timed(ctx, "export", func() error { _, err := w.wellbeing.get("/wellbeing/export.csv?days=30"); return err })
		}
		sleep(ctx, w.dashboardEach)
	}
}

// partnerLoop exports the hash list as a partner does.
func (w *soakWork) partnerLoop(ctx context.Context) {
	for ctx.Err() == nil {
		w.timed(ctx, "export", func() error { return w.apiGet(w.listExport, w.listToken) })
		sleep(ctx, 5*time.Second)
	}
}

// scrapeLoop scrapes /metrics as Prometheus would.
func (w *soakWork) scrapeLoop(ctx context.Context) {
	for ctx.Err() == nil {
		w.timed(ctx, "metrics", func() error { return w.apiGet("/metrics", w.metricsToken) })
		sleep(ctx, 5*time.Second)
	}
}

func (w *soakWork) apiGet(path, token string) error {
	req, _ := http.NewRequest("GET", w.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	io.Copy(io.Discard, res.Body)
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, res.Status)
	}
	return nil
}

func (w *soakWork) timed(ctx context.Context, class string, f func() error) {
	t0 := time.Now()
	err := f()
	w.stats.add(class, time.Since(t0), err, ctx)
}

func okErr(ok bool, what string) error {
	if ok {
		return nil
	}
	return fmt.Errorf("%s failed", what)
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// soakStats counts requests, latencies and errors per class.
type soakStats struct {
	mu     sync.Mutex
	lat    map[string]latencies
	errors map[string]int
	first  []string
}

func newSoakStats() *soakStats {
	return &soakStats{lat: map[string]latencies{}, errors: map[string]int{}}
}

// add records one request; one cut short by the end of the run is not an error.
func (s *soakStats) add(class string, d time.Duration, err error, ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case err == nil:
		s.lat[class] = append(s.lat[class], d)
	case ctx.Err() == nil:
		s.errors[class]++
		if len(s.first) < 5 {
			s.first = append(s.first, err.Error())
		}
	}
}

// resources is the process's resident memory and goroutines at one moment.
type resources struct {
	rss        uint64
	heap       uint64
	goHeld     uint64 // memory the Go runtime holds from the OS
	goroutines int
}

// sample is the least of five readings a fifth of a second apart, after a
// collection: requests in flight come and go, what stays is the baseline.
func sample() resources {
	var low resources
	for i := range 5 {
		debug.FreeOSMemory() // a collection, and freed pages back to the OS
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		r := resources{rss: residentBytes(), heap: m.HeapInuse, goHeld: m.Sys - m.HeapReleased, goroutines: runtime.NumGoroutine()}
		if i == 0 {
			low = r
		}
		low = resources{rss: min(low.rss, r.rss), heap: min(low.heap, r.heap), goHeld: min(low.goHeld, r.goHeld), goroutines: min(low.goroutines, r.goroutines)}
		time.Sleep(200 * time.Millisecond)
	}
	return low
}

// residentBytes reads VmRSS from /proc (0 where there is none).
func residentBytes() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func growth(from, to float64) float64 {
	if from == 0 {
		return 0
	}
	return 100 * (to - from) / from
}

// report prints the figures and fails on errors or growth.
func (s *soakStats) report(out io.Writer, d time.Duration, start, end resources) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	classes := make([]string, 0, len(s.lat))
	for c := range s.lat {
		classes = append(classes, c)
	}
	slices.Sort(classes)
	errors := 0
	for _, c := range classes {
		fmt.Fprintf(out, "  %-11s %7d requests  %6.1f/s  %s  errors %d\n", c, len(s.lat[c]), float64(len(s.lat[c]))/d.Seconds(), s.lat[c], s.errors[c])
		errors += s.errors[c]
	}
	for c, n := range s.errors {
		if _, ok := s.lat[c]; !ok {
			fmt.Fprintf(out, "  %-11s all %d requests failed\n", c, n)
			errors += n
		}
	}
	rss, heap, gor := growth(float64(start.rss), float64(end.rss)), growth(float64(start.heap), float64(end.heap)), growth(float64(start.goroutines), float64(end.goroutines))
	fmt.Fprintf(out, "  resident memory after warm-up %d MiB, at the end %d MiB (%+.1f%%)\n", start.rss>>20, end.rss>>20, rss)
	fmt.Fprintf(out, "  Go heap in use after warm-up %d MiB, at the end %d MiB (%+.1f%%)\n", start.heap>>20, end.heap>>20, heap)
	fmt.Fprintf(out, "  held by the Go runtime after warm-up %d MiB, at the end %d MiB; the rest of resident memory is SQLite's page caches and C\n", start.goHeld>>20, end.goHeld>>20)
	fmt.Fprintf(out, "  goroutines after warm-up %d, at the end %d (%+.1f%%)\n", start.goroutines, end.goroutines, gor)
	fmt.Fprintf(out, "  errors: %d\n", errors)
	for _, msg := range s.first {
		fmt.Fprintf(out, "    %s\n", msg)
	}
	switch {
	case errors > 0:
		return fmt.Errorf("%d requests failed", errors)
	case rss >= 10 || gor >= 10:
		return fmt.Errorf("resident memory or goroutines grew by 10%% or more after warm-up")
	}
	return nil
}
