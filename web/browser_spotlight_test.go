package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/loupe-review/loupe/review"
)

// TestBrowserSpotlightStopsAtTheCap drags a spotlight over the whole
// preview: the drawn rectangle stops growing at the queue's quarter, so
// the reveal is granted and shows no more than a quarter of the image.
func TestBrowserSpotlightStopsAtTheCap(t *testing.T) {
	s := newReviewSetup(t, 1, 1)
	h := s.h
	ctx := browser(t)
	browserSignIn(t, ctx, h, s.rev1)
	step(t, ctx, "start reviewing",
		chromedp.Navigate(fmt.Sprintf("%s/queues/%d", h.ts.URL, s.queue.ID)),
		chromedp.Click(chromedp.CSS(`[data-testid="start-reviewing"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="review"] img.preview`)),
	)
	if label := text(t, ctx, `[data-testid="reveal-spotlight"]`); !strings.Contains(label, "25%") {
		t.Errorf("the spotlight button says %q; it should show the queue's 25%% cap", label)
	}
	waitFor(t, ctx, `document.querySelector("img.preview").complete && document.querySelector("img.preview").naturalWidth > 0`)
	box := eval[[]float64](t, ctx, `(() => { const r = document.querySelector("img.preview").getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })()`)
	step(t, ctx, "drag a spotlight over the whole image",
		chromedp.Click(chromedp.CSS(`[data-testid="reveal-spotlight"]`)),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, box[0]+1, box[1]+1, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, (box[0]+box[2])/2, (box[1]+box[3])/2, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, box[2]-1, box[3]-1, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, box[2]-1, box[3]-1, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		poll(`!!document.querySelector(".spotlight-crop") || !!document.querySelector('[data-testid="error"]')`),
	)
	if problem := eval[string](t, ctx, `(document.querySelector('[data-testid="error"]') || {}).textContent || ""`); problem != "" {
		t.Fatalf("the spotlight was refused: %q", problem)
	}
	loc := eval[string](t, ctx, `location.pathname`)
	var itemID int64
	fmt.Sscanf(loc, "/review/%d", &itemID)
	exposures, _ := h.db.FindExposures(context.Background(), itemID)
	if len(exposures) != 1 || exposures[0].Rendition != review.StepSpotlight || exposures[0].RegionFraction > 0.25 || exposures[0].RegionFraction < 0.2 {
		t.Fatalf("ledger after the drag: %+v; want one spotlight of just under a quarter", exposures)
	}
}
