package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/loupe-review/loupe/review"
)

// TestBrowserBudgetBreakAndResume: a reviewer spends the day's exposure
// budget, the next reveal is refused and the break page shows; after the
// break (the server's clock is the test's, advanced by the test) work
// resumes.
func TestBrowserBudgetBreakAndResume(t *testing.T) {
	s := newReviewSetup(t, 1, 3)
	h := s.h
	ctx := context.Background()
	// 20 weighted seconds a day, in a zone where the 09:00 UTC start of the
	// test is 23:00, so the next day (and budget) begins an hour later.
	h.setLimits(review.Limits{review.LimitDailyBudget: 20})
	h.db.SaveSettings(ctx, map[string]string{review.SettingTimezone: "Etc/GMT-14"}, review.AuditEvent{Action: "test"})
	b := browser(t)
	browserSignIn(t, b, h, s.rev1)

	step(t, b, "start reviewing",
		chromedp.Navigate(fmt.Sprintf("%s/queues/%d", h.ts.URL, s.queue.ID)),
		chromedp.Click(chromedp.CSS(`[data-testid="start-reviewing"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="review"] img.preview`)),
	)
	step(t, b, "reveal colour with C", chromedp.KeyEvent("c"), poll(`document.querySelector("img.preview").src.startsWith("blob:")`))
	h.clock.Advance(10 * time.Second) // colour counts double: 20 weighted seconds, the whole budget
	step(t, b, "blur again with Esc", chromedp.KeyEvent("\x1b"), poll(`!document.querySelector("img.preview").src.startsWith("blob:")`))
	waitForLedger(t, h, s.rev1.ID)

	step(t, b, "ask for the grey reveal with R", chromedp.KeyEvent("r"))
	waitFor(t, b, `location.pathname === "/break" && document.readyState === "complete"`)
	if reason := text(t, b, `[data-testid="break-reason"]`); !strings.Contains(reason, "today's exposure budget") {
		t.Errorf("break page says %q", reason)
	}
	if until := text(t, b, `[data-testid="break-until"]`); until != "00:00 +14" {
		t.Errorf("break until %q, want local midnight", until)
	}
	// The server, not the page, refuses: claiming from the queue page
	// lands on the break page again.
	step(t, b, "try to claim during the break",
		chromedp.Navigate(fmt.Sprintf("%s/queues/%d", h.ts.URL, s.queue.ID)),
		chromedp.Click(chromedp.CSS(`[data-testid="start-reviewing"]`)),
	)
	waitFor(t, b, `location.pathname === "/break" && document.readyState === "complete"`)

	// An hour passes (the page is reloaded now and then, as its countdown
	// does, so the session stays fresh).
	for range 3 {
		h.clock.Advance(20*time.Minute + 30*time.Second)
		step(t, b, "reload the break page", chromedp.Reload())
	}
	waitFor(t, b, `document.querySelector('[data-testid="break-over"]') !== null`)
	step(t, b, "skip the check-in", chromedp.Click(chromedp.CSS(`[data-testid="skip-checkin"]`)))
	waitFor(t, b, `location.pathname === "/queues" && document.readyState === "complete"`)
	step(t, b, "claim after the break",
		chromedp.Navigate(fmt.Sprintf("%s/queues/%d", h.ts.URL, s.queue.ID)),
		chromedp.Click(chromedp.CSS(`[data-testid="start-reviewing"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="review"] img.preview`)),
	)
	step(t, b, "reveal grey with R", chromedp.KeyEvent("r"), poll(`document.querySelector("img.preview").src.startsWith("blob:")`))

	// Step away with B, confirmed with B: the item goes back and a break starts.
	loc := eval[string](t, b, `location.pathname`)
	var itemID int64
	fmt.Sscanf(loc, "/review/%d", &itemID)
	step(t, b, "step away with B, B", chromedp.KeyEvent("b"), chromedp.KeyEvent("b"))
	waitFor(t, b, `location.pathname === "/break" && document.readyState === "complete"`)
	if reason := text(t, b, `[data-testid="break-reason"]`); !strings.Contains(reason, "stepped away") {
		t.Errorf("after B the break page says %q", reason)
	}
	if it, _ := h.db.FindItemByID(ctx, itemID); it.HeldBy(s.rev1.ID, h.clock.Now()) {
		t.Error("the item is still held after stepping away")
	}
}

// waitForLedger waits until the page's re-blur has closed the reviewer's
// reveal on the server.
func waitForLedger(t *testing.T, h *harness, userID int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		a, _ := h.db.FindActivity(context.Background(), userID, h.clock.Now().Add(-time.Hour))
		if len(a.Exposures) > 0 && !a.Exposures[len(a.Exposures)-1].Open() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the re-blur never reached the server")
}
