package web

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserClusterStripAndSplit: at 1366x768 the review screen shows
// the representative and, on screen, a strip of its four copies, blurred;
// 2 chooses the first copy and T takes it out: the page comes back with
// three copies, and the copy waits on its own.
func TestBrowserClusterStripAndSplit(t *testing.T) {
	s := newClusterSetup(t, 1)
	s.h.clock.Advance(30 * time.Second) // a fresh TOTP step for the browser's sign-in
	w := newWorkbench(t, s.reviewSetup)
	w.start(t)
	if n := eval[int](t, w.ctx, `document.querySelectorAll('[data-testid="member"] img.preview[src$="/preview"]').length`); n != 4 {
		t.Fatalf("the strip shows %d blurred copies, want 4", n)
	}
	if r := rect(t, w.ctx, `[data-testid="cluster"] h2`); r[1] < 0 || r[1]+r[3] > 768 {
		t.Errorf("the strip's heading is off screen at 1366x768: %v", r)
	}
	first := eval[string](t, w.ctx, `document.querySelector('[data-testid="member"]').dataset.item`)
	step(t, w.ctx, "choose the first copy and take it out",
		chromedp.KeyEvent("2"),
		chromedp.KeyEvent("t"),
	)
	waitFor(t, w.ctx, `document.querySelectorAll('[data-testid="member"]').length === 3`)
	var id int64
	fmt.Sscan(first, &id)
	if it, _ := s.h.db.FindItemByID(context.Background(), id); it.Cluster.ID != 0 || it.LeaseUserID != 0 {
		t.Errorf("the copy taken out: cluster %d, held by %d", it.Cluster.ID, it.LeaseUserID)
	}
}
