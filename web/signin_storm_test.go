//go:build linux

package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"runtime/debug"
	rtmetrics "runtime/metrics"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/secret"
)

const (
	// stormSize people sign in at the same moment, in stormChild.
	stormSize = 200
	// stormMaxRSS is the most resident memory the whole process may reach.
	stormMaxRSS = 500 << 20
	stormChild  = "LOUPE_TEST_SIGNIN_STORM"
)

// TestSignInStormKeepsMemoryFlat: 200 people sign in (password and code)
// at the same moment through the real router, all succeed, and the peak
// resident memory of the process stays under 500 MB (unbounded, each
// password check holds 19 MiB: 200 at once took 2.8 GB). The storm runs in
// a child process (this test binary, running only this test), so that the
// peak measured is the storm's alone.
//
// Under the race detector the resident peak also holds the detector's
// shadow of every byte the heap ever used (about three times the heap:
// 560 MB here against 150 MB without it), so there the bound applies to
// the memory the Go runtime itself holds, which the child measures.
func TestSignInStormKeepsMemoryFlat(t *testing.T) {
	if os.Getenv(stormChild) != "" {
		signInStorm(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSignInStormKeepsMemoryFlat$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), stormChild+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the storm failed: %v\n%s", err, out)
	}
	peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // kilobytes on Linux
	t.Logf("%d sign-ins at once: peak resident memory %d MiB (race detector: %v)\n%s", stormSize, peak>>20, raceDetector(), out)
	if peak > stormMaxRSS && !raceDetector() {
		t.Errorf("peak resident memory %d MiB, want under %d MiB", peak>>20, stormMaxRSS>>20)
	}
}

// raceDetector reports whether this binary was built with -race.
func raceDetector() bool {
	info, _ := debug.ReadBuildInfo()
	for _, s := range info.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// goMemory samples the memory the Go runtime holds from the system (not
// returned to it) every few milliseconds until stop is closed, and sends
// the peak.
func goMemory(stop <-chan struct{}, peak chan<- uint64) {
	samples := []rtmetrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	var most uint64
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		rtmetrics.Read(samples)
		most = max(most, samples[0].Value.Uint64()-samples[1].Value.Uint64())
		select {
		case <-stop:
			peak <- most
			return
		case <-tick.C:
		}
	}
}

// signInStorm signs stormSize people in at once and fails unless every one
// reaches the home page.
func signInStorm(t *testing.T) {
	h := newHarness(t)
	// The test is about memory: let everyone wait for their turn, however
	// slow the race detector makes each check.
	h.srv.accounts.Hashing = review.NewSlots(review.DefaultSlots(), 10*time.Minute)
	people := h.addPeople(stormSize)
	transport := &http.Transport{MaxIdleConnsPerHost: stormSize}
	defer transport.CloseIdleConnections()
	start := make(chan struct{})
	errs := make(chan error, len(people))
	var wg sync.WaitGroup
	for _, p := range people {
		wg.Go(func() {
			<-start
			errs <- h.signInOverHTTP(transport, p)
		})
	}
	stop, peak := make(chan struct{}), make(chan uint64)
	go goMemory(stop, peak)
	t0 := time.Now()
	close(start)
	wg.Wait()
	close(stop)
	if held := <-peak; held > stormMaxRSS {
		t.Errorf("the Go runtime held %d MiB at its peak, want under %d MiB", held>>20, stormMaxRSS>>20)
	} else {
		t.Logf("the Go runtime held %d MiB at its peak", held>>20)
	}
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			if failed == 0 {
				t.Errorf("first failure: %v", err)
			}
			failed++
		}
	}
	t.Logf("%d of %d signed in, in %v", len(people)-failed, len(people), time.Since(t0).Round(time.Millisecond))
	if failed > 0 {
		t.Errorf("%d sign-ins failed", failed)
	}
}

// addPeople creates n enrolled reviewers with testPassword, hashing it once.
func (h *harness) addPeople(n int) []person {
	h.t.Helper()
	ctx := context.Background()
	hash, err := secret.HashPassword(testPassword, rand.Reader)
	if err != nil {
		h.t.Fatal(err)
	}
	people := make([]person, n)
	for i := range people {
		email := fmt.Sprintf("storm%d@example.org", i)
		u, err := h.db.CreateUser(ctx, review.User{Email: email, PasswordHash: hash, Roles: review.NewRoles(review.RoleReviewer)}, review.AuditEvent{Action: "test"})
		if err != nil {
			h.t.Fatal(err)
		}
		people[i] = person{User: u}
		people[i].secret, _ = secret.NewTOTPSecret(rand.Reader)
		if err := h.srv.accounts.Enroll(ctx, u.ID, people[i].secret, 0, nil, review.AuditEvent{Action: "test"}); err != nil {
			h.t.Fatal(err)
		}
	}
	return people
}

// signInOverHTTP walks p through both sign-in steps in a browser of its
// own, from any goroutine, and reports what went wrong.
func (h *harness) signInOverHTTP(transport http.RoundTripper, p person) error {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Transport: transport, Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(h.ts.URL+"/signin", url.Values{"email": {p.Email}, "password": {testPassword}})
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signin/2fa" {
		return fmt.Errorf("%s: password step answered %d %s", p.Email, res.StatusCode, res.Header.Get("Location"))
	}
	res, err = c.Get(h.ts.URL + "/signin/2fa")
	if err != nil {
		return err
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	res.Body.Close()
	if err != nil {
		return err
	}
	page := response{Response: res, doc: doc}
	code, err := secret.TOTPCode(p.secret, h.clock.Now())
	if err != nil {
		return err
	}
	res, err = c.PostForm(h.ts.URL+"/signin/2fa", url.Values{"code": {code}, "csrf": {page.csrf()}})
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		return fmt.Errorf("%s: code step answered %d %s", p.Email, res.StatusCode, res.Header.Get("Location"))
	}
	return nil
}
