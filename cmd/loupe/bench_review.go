package main

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/secret"
	"github.com/loupe-review/loupe/storage"
)

// cmdBenchReview signs in simulated reviewers over HTTP who claim, load
// the review page, ask for a reveal and decide, against a large backlog;
// with --instances, across several servers on one PostgreSQL database, one
// of which is killed halfway (see bench_review_multi.go).
func cmdBenchReview(ctx context.Context, e env) error {
	fs := newFlags(e, "bench review", "bench review [--reviewers 200] [--backlog 1000000] [--seconds 30] [--warmup 10s] [--runs 1] [--cpuprofile FILE] [--trace FILE [--trace-over 200ms]] [--instances 3 --database postgres://... [--media s3://...]]")
	reviewers := fs.Int("reviewers", 200, "concurrent simulated reviewers")
	backlog := fs.Int("backlog", 1_000_000, "items waiting in the queue")
	seconds := fs.Int("seconds", 30, "how long the reviewers work")
	warmup := fs.Duration("warmup", 10*time.Second, "how long the reviewers work before what they do is measured (connections open, caches fill)")
	think := fs.Duration("think", 3*time.Second, "mean time a reviewer looks at an item before deciding (0: as fast as possible)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the measured stretch (servers and clients) to this file")
	tracePath := fs.String("trace", "", "when a claim + review page takes longer than --trace-over, write the last seconds of the execution trace to this file (once)")
	traceOver := fs.Duration("trace-over", 200*time.Millisecond, "see --trace")
	runs := fs.Int("runs", 1, "measured stretches one after another on the same backlog, the stopped instance started again before each; with more than one, the spread of their p99s is printed last")
	instances := fs.Int("instances", 1, "servers on one database, the reviewers spread across them; with more than one, one is killed halfway and its reviewers go on at the others (needs --database)")
	var loc location
	fs.StringVar(&loc.Database, "database", "", "an empty PostgreSQL database to run on, postgres://...; empty: SQLite in a temporary directory")
	fs.StringVar(&loc.Media, "media", "", "an empty bucket for the media, s3://BUCKET/PREFIX; empty: a temporary directory")
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	switch {
	case *instances < 1 || *reviewers < 1 || *runs < 1:
		return fmt.Errorf("%w: --instances, --reviewers and --runs must be at least 1", errUsage)
	case loc.Database != "" && !storage.IsPostgres(loc.Database):
		return fmt.Errorf("%w: --database takes a postgres:// URL", errUsage)
	case *instances > 1 && loc.Database == "":
		return fmt.Errorf("%w: --instances needs --database postgres://...: several instances share one PostgreSQL database", errUsage)
	}
	dir, err := os.MkdirTemp("", "loupe-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	loc.Data = dir
	servers := make([]*benchInstance, *instances)
	for i := range servers {
		if servers[i], err = startBenchInstance(ctx, e, loc); err != nil {
			return err
		}
	}
	killed := -1 // the server stopped halfway, if any
	defer func() {
		for i, in := range servers {
			if i != killed {
				in.stop()
			}
		}
	}()
	a := servers[0].a
	q, err := a.db.CreateQueue(ctx, review.NewQueue("bench"), review.AuditEvent{Actor: "bench", Action: review.ActionQueueCreated})
	if err != nil {
		return err
	}
	src, err := a.db.EnsureSource(ctx, "bench")
	if err != nil {
		return err
	}
	people, err := benchReviewers(ctx, a, q.ID, *reviewers)
	if err != nil {
		return err
	}
	// A deployment with a backlog has a past: a tenth as many items again,
	// decided a week ago by the same reviewers, with their decisions and
	// reveals.
	past := make([]int64, len(people))
	for i, p := range people {
		past[i] = p.ID
	}
	t0 := time.Now()
	seed := storage.Seed{QueueID: q.ID, SourceID: src.ID, Waiting: *backlog, Decided: *backlog / 10, Reviewers: past, Prefix: "b"}
	if err := a.db.SeedItems(ctx, seed); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backlog: %d items waiting and %d decided before, seeded in %v\n", seed.Waiting, seed.Decided, time.Since(t0).Round(time.Second))
	t0 = time.Now()
	clients := make([]*benchReviewer, len(people))
	var wg sync.WaitGroup
	errs := make(chan error, len(people))
	// Setup, not what is measured: a few sign-ins at a time (bench signin
	// measures a crowd signing in at once).
	turns := make(chan struct{}, 16)
	for i, p := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			turns <- struct{}{}
			defer func() { <-turns }()
			c, err := signInOverHTTP(servers[i%len(servers)].base, p)
			if err != nil {
				errs <- err
				return
			}
			clients[i] = c
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	fmt.Fprintf(e.stdout, "signed in %d reviewers over HTTP in %v, spread over %d instances\n", len(clients), time.Since(t0).Round(time.Millisecond), len(servers))
	if err := a.db.Settle(ctx); err != nil {
		return err
	}
	run := reviewRun{queueID: q.ID, think: *think, servers: servers, clients: clients, duration: time.Duration(*seconds) * time.Second, warmup: *warmup, stderr: e.stderr, victim: -1}
	if len(servers) > 1 {
		run.victim = len(servers) - 1
	}
	stopProfile, err := startCPUProfile(*cpuProfile, 0)
	if err != nil {
		return err
	}
	defer stopProfile()
	// A page is observed once its review is over: after the reveal, the
	// look (up to 1.5 times --think) and the decision. The window keeps
	// what happened during the page until then.
	if run.trace, err = startSlowTrace(*tracePath, *traceOver, 2**think+5*time.Second, e.stderr); err != nil {
		return err
	}
	defer run.trace.stop()
	var results []reviewResult
	for r := range *runs {
		if r > 0 && run.victim >= 0 { // the stopped instance starts again for the next run
			if servers[run.victim], err = startBenchInstance(ctx, e, loc); err != nil {
				return err
			}
		}
		killed = run.victim // measure stops it halfway
		if *runs > 1 {
			fmt.Fprintf(e.stdout, "run %d of %d:\n", r+1, *runs)
		}
		res := run.measure()
		res.print(e.stdout, run, *backlog)
		results = append(results, res)
	}
	if len(results) > 1 {
		printSpread(e.stdout, results, run.victim >= 0)
	}
	return nil
}

// benchReviewers creates enrolled reviewers assigned to the queue.
func benchReviewers(ctx context.Context, a *app, queueID int64, n int) ([]demoAccount, error) {
	out := make([]demoAccount, n)
	for i := range out {
		acct, err := benchAccount(ctx, a, fmt.Sprintf("bench%d@bench.example", i), review.RoleReviewer)
		if err != nil {
			return nil, err
		}
		if err := a.db.SetMember(ctx, queueID, acct.ID, true, review.AuditEvent{Actor: "bench", Action: review.ActionQueueMember}); err != nil {
			return nil, err
		}
		out[i] = acct
	}
	return out, nil
}

// benchAccount creates an enrolled account with roles.
func benchAccount(ctx context.Context, a *app, email string, roles ...review.Role) (demoAccount, error) {
	acct := demoAccount{Email: email, Password: "bench password " + email, Roles: review.NewRoles(roles...)}
	u, _, err := a.accounts.CreateUser(ctx, "bench", acct.Email, acct.Roles, acct.Password)
	if err != nil {
		return acct, err
	}
	acct.ID = u.ID
	if acct.TOTPSecret, err = secret.NewTOTPSecret(crand.Reader); err != nil {
		return acct, err
	}
	return acct, a.accounts.Enroll(ctx, u.ID, acct.TOTPSecret, 0, nil, review.AuditEvent{Actor: "bench", Action: review.ActionTOTPEnrolled})
}

var csrfPattern = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
var mediaPattern = regexp.MustCompile(`data-media="([^"]+)"`)

// benchReviewer is one simulated reviewer's browser.
type benchReviewer struct {
	base   string
	client *http.Client
	csrf   string
}

func signInOverHTTP(base string, p demoAccount) (*benchReviewer, error) {
	jar, _ := cookiejar.New(nil)
	// A transport of its own, as each browser keeps its own connections
	// (with the default one, all the reviewers shared a dozen).
	transport := http.DefaultTransport.(*http.Transport).Clone()
	c := &benchReviewer{base: base, client: &http.Client{Jar: jar, Timeout: time.Minute, Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if _, err := c.post("/signin", url.Values{"email": {p.Email}, "password": {p.Password}}); err != nil {
		return nil, err
	}
	page, err := c.get("/signin/2fa")
	if err != nil {
		return nil, err
	}
	c.csrf = find(csrfPattern, page)
	code, _ := secret.TOTPCode(p.TOTPSecret, time.Now())
	res, err := c.post("/signin/2fa", url.Values{"code": {code}})
	if err != nil || !strings.Contains(res, "/") {
		return nil, fmt.Errorf("second factor for %s: %v", p.Email, err)
	}
	home, err := c.get("/")
	if err != nil {
		return nil, err
	}
	c.csrf = find(csrfPattern, home)
	return c, nil
}

// errQueueEmpty means a claim found nothing to review.
var errQueueEmpty = errors.New("the queue is empty")

// reviewOne claims an item, loads its page, asks for a grey reveal, looks
// for think and decides with verdict.
func (c *benchReviewer) reviewOne(queueID int64, think time.Duration, verdict url.Values) (page, reveal, decide time.Duration, err error) {
	return c.reviewWith(queueID, think, func(int64, string) url.Values { return verdict })
}

// reviewWith is reviewOne with the verdict chosen from the claimed item's
// id and its review page.
func (c *benchReviewer) reviewWith(queueID int64, think time.Duration, choose func(itemID int64, page string) url.Values) (page, reveal, decide time.Duration, err error) {
	t0 := time.Now()
	loc, err := c.post(fmt.Sprintf("/queues/%d/claim", queueID), url.Values{})
	switch {
	case err == nil && strings.Contains(loc, "done=empty"):
		return 0, 0, 0, errQueueEmpty
	case err != nil || !strings.HasPrefix(loc, "/review/"):
		return 0, 0, 0, fmt.Errorf("claim: %q %v", loc, err)
	}
	body, err := c.get(loc)
	if err != nil {
		return 0, 0, 0, err
	}
	page = time.Since(t0)
	t1 := time.Now()
	if _, err := c.post(loc+"/reveal", url.Values{"media": {find(mediaPattern, body)}, "step": {"grey"}}); err != nil {
		return 0, 0, 0, err
	}
	reveal = time.Since(t1)
	time.Sleep(think)
	t2 := time.Now()
	id, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/review/"), 10, 64)
	if _, err := c.post(loc+"/decide", choose(id, body)); err != nil {
		return 0, 0, 0, err
	}
	return page, reveal, time.Since(t2), nil
}

func (c *benchReviewer) get(path string) (string, error) {
	res, err := c.client.Get(c.base + path)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 400 {
		return "", fmt.Errorf("GET %s: %s", path, res.Status)
	}
	return string(b), nil
}

// post sends a form and returns the redirect location (or the body).
func (c *benchReviewer) post(path string, form url.Values) (string, error) {
	form.Set("csrf", c.csrf)
	res, err := c.client.PostForm(c.base+path, form)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 400 {
		return "", fmt.Errorf("POST %s: %s", path, res.Status)
	}
	if loc := res.Header.Get("Location"); loc != "" {
		return loc, nil
	}
	return string(b), nil
}

func find(re *regexp.Regexp, s string) string {
	if m := re.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}
