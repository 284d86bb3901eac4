package main

import (
	"context"
	crand "crypto/rand"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/secret"
)

// cmdBenchSignIn has a crowd sign in at the same moment over HTTP (the
// start of a shift), both steps each, from one address, and prints how
// long it took, how many failed and the process's peak memory.
func cmdBenchSignIn(ctx context.Context, e env) error {
	fs := newFlags(e, "bench signin", "bench signin [--people 1000]")
	people := fs.Int("people", 1000, "people signing in at the same moment")
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	if *people < 1 {
		return fmt.Errorf("%w: --people must be at least 1", errUsage)
	}
	_, base, a, stop, err := startBench(ctx, e)
	if err != nil {
		return err
	}
	defer stop()
	accounts, err := benchCrowd(ctx, a, *people)
	if err != nil {
		return err
	}
	lat := make(latencies, len(accounts))
	errs := make([]error, len(accounts))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, p := range accounts {
		wg.Go(func() {
			<-start
			t0 := time.Now()
			_, errs[i] = signInOverHTTP(base, p)
			lat[i] = time.Since(t0)
		})
	}
	t0, cpu0 := time.Now(), processCPU()
	close(start)
	wg.Wait()
	elapsed, cpu := time.Since(t0), processCPU()-cpu0
	failed := 0
	for _, err := range errs {
		if err != nil {
			if failed == 0 {
				fmt.Fprintf(e.stderr, "first failure: %v\n", err)
			}
			failed++
		}
	}
	fmt.Fprintf(e.stdout, "%d people signed in at once (password and code) in %v on %d CPUs: %d failures\n",
		len(accounts), elapsed.Round(time.Millisecond), runtime.NumCPU(), failed)
	fmt.Fprintf(e.stdout, "  time to sign in: %s\n", lat)
	fmt.Fprintf(e.stdout, "  CPU %v; peak resident memory %d MiB\n", cpu.Round(time.Millisecond), peakRSS()>>20)
	if failed > 0 {
		return fmt.Errorf("%d of %d sign-ins failed", failed, len(accounts))
	}
	return nil
}

// benchCrowd creates n enrolled reviewers sharing one password hash (one
// hash to compute instead of n: the sign-ins are what is measured).
func benchCrowd(ctx context.Context, a *app, n int) ([]demoAccount, error) {
	const password = "bench password of the crowd"
	hash, err := secret.HashPassword(password, crand.Reader)
	if err != nil {
		return nil, err
	}
	out := make([]demoAccount, n)
	for i := range out {
		acct := demoAccount{Email: fmt.Sprintf("crowd%d@bench.example", i), Password: password, Roles: review.NewRoles(review.RoleReviewer)}
		u, err := a.db.CreateUser(ctx, review.User{Email: acct.Email, PasswordHash: hash, Roles: acct.Roles}, review.AuditEvent{Actor: "bench", Action: review.ActionUserCreated})
		if err != nil {
			return nil, err
		}
		if acct.TOTPSecret, err = secret.NewTOTPSecret(crand.Reader); err != nil {
			return nil, err
		}
		if err := a.accounts.Enroll(ctx, u.ID, acct.TOTPSecret, 0, nil, review.AuditEvent{Actor: "bench", Action: review.ActionTOTPEnrolled}); err != nil {
			return nil, err
		}
		out[i] = acct
	}
	return out, nil
}
