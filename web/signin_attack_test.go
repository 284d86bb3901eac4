package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/secret"
)

// The attacks of issue #14 against the sign-in steps: many guesses sent at
// once from one address, over loopback. Each burst is 50 requests.
const burstSize = 50

// burst sends n requests from c at the same moment and counts the answers
// by status code.
func burst(t *testing.T, c *client, n int, req func(i int) *http.Request) map[int]int {
	t.Helper()
	var mu sync.Mutex
	statuses := map[int]int{}
	var errs []error
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r := req(i)
			<-start
			res, err := c.http.Do(r)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			res.Body.Close()
			statuses[res.StatusCode]++
		})
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d requests failed, the first: %v", len(errs), errs[0])
	}
	return statuses
}

// newAttackHarness is a harness that believes X-Forwarded-For from
// loopback, so a test can also sign in from an address other than the
// attacker's (requests without the header count against loopback).
func newAttackHarness(t *testing.T) *harness {
	h := newHarness(t)
	h.srv.cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	return h
}

// formRequest is a POST of form to path, from the address from when it is
// not empty.
func (h *harness) formRequest(path string, form url.Values, from string) *http.Request {
	req, _ := http.NewRequest("POST", h.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if from != "" {
		req.Header.Set("X-Forwarded-For", from)
	}
	return req
}

// checkedSecrets counts the failed sign-in attempts whose secret was
// really checked, by the reason the audit log gives.
func (h *harness) checkedSecrets(reason string) int {
	h.t.Helper()
	n := 0
	for _, action := range []string{review.ActionSignInFailed, review.ActionLockout} {
		entries, err := h.db.FindAuditEntries(context.Background(), review.AuditFilter{Action: action, Limit: 1000})
		if err != nil {
			h.t.Fatal(err)
		}
		for _, e := range entries {
			var d map[string]string
			if err := json.Unmarshal([]byte(e.Details), &d); err != nil {
				h.t.Fatal(err)
			}
			if d["reason"] == reason {
				n++
			}
		}
	}
	return n
}

// locked reports whether p's account is locked now.
func (h *harness) locked(p person) bool {
	h.t.Helper()
	u, err := h.db.FindUserByID(context.Background(), p.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	return u.Locked(h.clock.Now())
}

// wrongCode returns a six-digit code that is not p's at any accepted step.
func (h *harness) wrongCode(p person, i int) string {
	now := h.clock.Now()
	for ; ; i++ {
		code := fmt.Sprintf("%06d", (i*7919)%1_000_000)
		if _, ok := secret.MatchTOTP(p.secret, code, now); !ok {
			return code
		}
	}
}

func TestParallelPasswordGuessesAreCounted(t *testing.T) {
	h := newAttackHarness(t)
	p := h.addPerson("ana@example.org", true, review.RoleReviewer)
	policy := review.DefaultSignInPolicy
	c := h.client()
	statuses := burst(t, c, burstSize, func(i int) *http.Request {
		return h.formRequest("/signin", url.Values{"email": {p.Email}, "password": {fmt.Sprintf("wrong password %d", i)}}, "")
	})
	if n := h.checkedSecrets("wrong password"); n > policy.MaxFailures {
		t.Errorf("%d of %d wrong passwords were checked, want at most %d", n, burstSize, policy.MaxFailures)
	}
	if statuses[http.StatusUnauthorized] > policy.IPMaxFailures || statuses[http.StatusUnauthorized]+statuses[http.StatusTooManyRequests] != burstSize {
		t.Errorf("answers %v: want at most %d refusals and the rest throttled", statuses, policy.IPMaxFailures)
	}
	if !h.locked(p) {
		t.Error("the account is not locked after the burst")
	}
	// The right password, from an address with attempts left, is refused while the lock lasts.
	res := c.do(h.formRequest("/signin", url.Values{"email": {p.Email}, "password": {testPassword}}, "203.0.113.7"))
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("right password after the burst: %d, want 401", res.StatusCode)
	}
}

func TestParallelCodeGuessesAreCounted(t *testing.T) {
	h := newAttackHarness(t)
	p := h.addPerson("bo@example.org", true, review.RoleReviewer)
	policy := review.DefaultSignInPolicy
	c, csrf := h.session(p, review.StagePassword)
	statuses := burst(t, c, burstSize, func(i int) *http.Request {
		return h.formRequest("/signin/2fa", url.Values{"code": {h.wrongCode(p, i)}, "csrf": {csrf}}, "")
	})
	if n := h.checkedSecrets("wrong code"); n > policy.MaxFailures {
		t.Errorf("%d of %d wrong codes were checked, want at most %d", n, burstSize, policy.MaxFailures)
	}
	if statuses[http.StatusUnauthorized] > policy.IPMaxFailures || statuses[http.StatusUnauthorized]+statuses[http.StatusTooManyRequests] != burstSize {
		t.Errorf("answers %v: want at most %d refusals and the rest throttled", statuses, policy.IPMaxFailures)
	}
	if !h.locked(p) {
		t.Error("the account is not locked after the burst")
	}
	res := c.do(h.formRequest("/signin/2fa", url.Values{"code": {h.code(p)}, "csrf": {csrf}}, "203.0.113.7"))
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("right code after the burst: %d, want 401", res.StatusCode)
	}
}

// TestSignInTurnedAwayWhenTheQueueIsFull: with every hashing slot taken
// for longer than a sign-in may wait, the answer is a clear 503 with
// Retry-After on the sign-in form, and the next try gets through.
func TestSignInTurnedAwayWhenTheQueueIsFull(t *testing.T) {
	h := newHarness(t)
	p := h.addPerson("cy@example.org", true, review.RoleReviewer)
	h.srv.accounts.Hashing = review.NewSlots(1, 50*time.Millisecond)
	release, err := h.srv.accounts.Hashing.Take(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c := h.client()
	res := c.post("/signin", url.Values{"email": {p.Email}, "password": {testPassword}})
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" ||
		!strings.Contains(res.testid("error"), "try again in a few seconds") {
		t.Errorf("queue full: %d, Retry-After %q, message %q", res.StatusCode, res.Header.Get("Retry-After"), res.testid("error"))
	}
	release()
	if res := c.post("/signin", url.Values{"email": {p.Email}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after the queue moved on: %d %q", res.StatusCode, res.testid("error"))
	}
}
