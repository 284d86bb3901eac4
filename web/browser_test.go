package web

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/loupe-review/loupe/review"
)

// browser starts headless Chromium for one test. CI installs Debian's
// chromium; without it the test is skipped, and CI fails on any skip.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("LOUPE_CHROMIUM")
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		t.Skip("no chromium found: install Debian's chromium package or set LOUPE_CHROMIUM")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // start the browser without a deadline
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// step runs browser actions with a deadline, failing the test on error.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// TestBrowserFirstSignIn: a new person signs in, enrolls an authenticator
// with the secret shown on the page, sees recovery codes, signs out, and
// signs in again with a fresh code.
func TestBrowserFirstSignIn(t *testing.T) {
	h := newHarness(t)
	p := h.addPerson("first@example.org", false, review.RoleReviewer)
	ctx := browser(t)

	signInWithPassword := func() {
		step(t, ctx, "password step",
			chromedp.Navigate(h.ts.URL+"/signin"),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="signin-form"]`)),
			chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), p.Email),
			chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), testPassword),
			chromedp.Click(chromedp.CSS(`[data-testid="signin-form"] button`)),
		)
	}
	signInWithPassword()
	step(t, ctx, "enrollment page", chromedp.WaitVisible(chromedp.CSS(`[data-testid="totp-secret"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="totp-qr"]`)))
	p.secret = text(t, ctx, `[data-testid="totp-secret"]`)
	step(t, ctx, "confirm code",
		chromedp.SendKeys(chromedp.CSS(`[data-testid="enroll-form"] input[name="code"]`), h.code(p)),
		chromedp.Click(chromedp.CSS(`[data-testid="enroll-form"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="recovery-codes"]`)),
	)
	count, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="recovery-codes"] li').length`))
	if err != nil || count != 10 {
		t.Fatalf("%d recovery codes shown (%v), want 10", count, err)
	}
	step(t, ctx, "continue and sign out",
		chromedp.Click(chromedp.CSS(`[data-testid="continue"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="who"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="signout"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="signin-form"]`)),
	)

	h.clock.Advance(30 * time.Second)
	signInWithPassword()
	step(t, ctx, "code step",
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="totp-form"]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="totp-form"] input[name="code"]`), h.code(p)),
		chromedp.Click(chromedp.CSS(`[data-testid="totp-form"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="who"]`)),
	)
	if who := text(t, ctx, `[data-testid="who"]`); who != p.Email {
		t.Errorf("signed in as %q, want %q", who, p.Email)
	}
}
