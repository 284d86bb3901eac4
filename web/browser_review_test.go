package web

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/loupe-review/loupe/review"
)

// browserSignIn signs p in through the pages.
func browserSignIn(t *testing.T, ctx context.Context, h *harness, p person) {
	t.Helper()
	step(t, ctx, "sign in",
		chromedp.Navigate(h.ts.URL+"/signin"),
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), p.Email),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), testPassword),
		chromedp.Click(chromedp.CSS(`[data-testid="signin-form"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="totp-form"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="code"]`), h.code(p)),
		chromedp.Click(chromedp.CSS(`[data-testid="totp-form"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="who"]`)),
	)
	h.clock.Advance(30 * time.Second)
}

// response seen by the browser, with the phase of the test it came in.
type seen struct {
	id    network.RequestID
	url   string
	phase int32
}

// TestBrowserReviewsWithKeyboardOnly reviews an item with keys alone and
// records the network: the original bytes arrive only after the reveal
// key, and are gone from the page after Esc.
func TestBrowserReviewsWithKeyboardOnly(t *testing.T) {
	s := newReviewSetup(t, 1, 2)
	h := s.h
	ctx := browser(t)
	browserSignIn(t, ctx, h, s.rev1)

	var phase atomic.Int32
	var mu sync.Mutex
	var responses []seen
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventLoadingFinished); ok {
			mu.Lock()
			responses = append(responses, seen{id: e.RequestID, phase: phase.Load()})
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	// bodies returns the SHA-256 of every finished response of a phase.
	bodies := func(p int32) map[[32]byte]bool {
		mu.Lock()
		list := append([]seen(nil), responses...)
		mu.Unlock()
		out := map[[32]byte]bool{}
		for _, r := range list {
			if r.phase != p {
				continue
			}
			res, err := chromedp.Call(ctx, network.GetResponseBody, network.GetResponseBodyParams{RequestID: r.id})
			if err == nil {
				out[sha256.Sum256(res.Body)] = true
			}
		}
		return out
	}

	step(t, ctx, "open the queue and start with the keyboard",
		chromedp.Navigate(fmt.Sprintf("%s/queues/%d", h.ts.URL, s.queue.ID)),
		chromedp.Focus(chromedp.CSS(`[data-testid="start-reviewing"]`)),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="review"] img.preview`)),
	)
	loc := eval[string](t, ctx, `location.pathname`)
	var itemID int64
	fmt.Sscanf(loc[strings.Index(loc, "/review/"):], "/review/%d", &itemID)
	it, _ := h.db.FindItemByID(context.Background(), itemID)
	original := sha256.Sum256(h.object(it.Media[0].ID, review.KindOriginal))
	time.Sleep(200 * time.Millisecond) // let the page's requests finish before they are read
	if bodies(0)[original] {
		t.Fatal("the original bytes reached the browser before any reveal")
	}

	phase.Store(1)
	step(t, ctx, "reveal colour with C",
		chromedp.KeyEvent("c"),
		poll(`document.querySelector("img.preview").src.startsWith("blob:")`),
	)
	blobURL := eval[string](t, ctx, `document.querySelector("img.preview").src`)
	if !bodies(1)[original] {
		t.Error("after the reveal key the original bytes were not fetched")
	}
	if countdown := text(t, ctx, `[data-testid="countdown"]`); !strings.Contains(countdown, "Blurs again in") {
		t.Errorf("countdown %q", countdown)
	}

	phase.Store(2)
	step(t, ctx, "blur again with Esc",
		chromedp.KeyEvent("\x1b"),
		poll(`!document.querySelector("img.preview").src.startsWith("blob:")`),
	)
	gone, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`fetch(%q).then(() => false, () => true)`, blobURL), chromedp.EvalAsValue, chromedp.EvalAwaitPromise))
	if err != nil || !gone {
		t.Errorf("the revealed image is still reachable after re-blur (%v)", err)
	}
	html := eval[string](t, ctx, `document.documentElement.outerHTML`)
	if strings.Contains(html, "blob:") || strings.Contains(html, "/reveal/") {
		t.Error("the page still refers to revealed bytes after re-blur")
	}

	step(t, ctx, "decide with Shift+2 and Enter", chromedp.KeyEvent("2", chromedp.KeyModifiers(kb.ModifierShift)), chromedp.KeyEvent("\r"))
	waitFor(t, ctx, fmt.Sprintf(`location.pathname.startsWith("/review/") && location.pathname !== "/review/%d" && document.readyState === "complete"`, itemID))
	nextSrc := eval[string](t, ctx, `document.querySelector("img.preview").src`)
	if !strings.HasSuffix(nextSrc, "/preview") {
		t.Errorf("the next item shows %q, want its blurred preview", nextSrc)
	}
	ds, _ := h.db.FindDecisions(context.Background(), itemID)
	if len(ds) != 1 || ds[0].Verdict != review.Violating || ds[0].Category != "A2" || strings.Join(ds[0].Reveals, ",") != "colour" {
		t.Errorf("decision %+v", ds)
	}
	exposures, _ := h.db.FindExposures(context.Background(), itemID)
	if len(exposures) != 1 || exposures[0].Open() || exposures[0].Rendition != "colour" {
		t.Errorf("exposures %+v", exposures)
	}
}

// poll waits until a JavaScript expression is true.
func poll(expr string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Poll[bool](expr)(ctx, t)
		return chromedp.Void{}, err
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("eval %s: %v", expr, err)
	}
	return v
}

// waitFor polls an expression across page loads (a navigation destroys the
// context a single poll runs in).
func waitFor(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		c, cancel := context.WithTimeout(ctx, time.Second)
		ok, err := chromedp.Run(c, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", expr)
}

// Leaving the page while an image is revealed closes the exposure as
// "hidden": the page's beacon is a urlencoded form, which the server's
// body limits accept (multipart is refused on routes that take no files).
func TestBrowserHiddenPageClosesExposure(t *testing.T) {
	s := newReviewSetup(t, 1, 1)
	h := s.h
	ctx := browser(t)
	browserSignIn(t, ctx, h, s.rev1)
	step(t, ctx, "open the queue and reveal",
		chromedp.Navigate(fmt.Sprintf("%s/queues/%d", h.ts.URL, s.queue.ID)),
		chromedp.Click(chromedp.CSS(`[data-testid="start-reviewing"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="review"] img.preview`)),
		chromedp.KeyEvent("c"),
		poll(`document.querySelector("img.preview").src.startsWith("blob:")`),
	)
	loc := eval[string](t, ctx, `location.pathname`)
	var itemID int64
	fmt.Sscanf(loc[strings.Index(loc, "/review/"):], "/review/%d", &itemID)
	step(t, ctx, "leave the page", chromedp.Navigate(h.ts.URL+"/me"))
	deadline := time.Now().Add(5 * time.Second)
	for {
		exposures, _ := h.db.FindExposures(context.Background(), itemID)
		if len(exposures) == 1 && !exposures[0].Open() {
			if exposures[0].ClosedBy != "hidden" {
				t.Errorf("closed by %q, want hidden", exposures[0].ClosedBy)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the exposure was not closed when the page was left: %+v", exposures)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
