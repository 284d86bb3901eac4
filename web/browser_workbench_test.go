package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/loupe-review/loupe/review"
)

// workbench is a reviewer's browser at 1366x768 on the review screen of
// the setup's queue.
type workbench struct {
	*reviewSetup
	ctx context.Context
}

func newWorkbench(t *testing.T, s *reviewSetup) *workbench {
	t.Helper()
	ctx := browser(t)
	step(t, ctx, "1366x768", chromedp.EmulateViewport(1366, 768))
	browserSignIn(t, ctx, s.h, s.rev1)
	return &workbench{reviewSetup: s, ctx: ctx}
}

// start opens the queue, starts reviewing and returns the held item.
func (w *workbench) start(t *testing.T) review.Item {
	t.Helper()
	step(t, w.ctx, "start reviewing",
		chromedp.Navigate(fmt.Sprintf("%s/queues/%d", w.h.ts.URL, w.queue.ID)),
		chromedp.Click(chromedp.CSS(`[data-testid="start-reviewing"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="review"] img.preview`)),
	)
	waitFor(t, w.ctx, `[...document.querySelectorAll("img.preview")].every((i) => i.complete && i.naturalWidth > 0)`)
	return w.current(t)
}

// current is the item whose review screen is open.
func (w *workbench) current(t *testing.T) review.Item {
	t.Helper()
	var id int64
	fmt.Sscanf(eval[string](t, w.ctx, `location.pathname`), "/review/%d", &id)
	it, err := w.h.db.FindItemByID(context.Background(), id)
	if err != nil {
		t.Fatalf("review screen of %d: %v", id, err)
	}
	return it
}

func (w *workbench) decisions(t *testing.T, itemID int64) []review.Decision {
	t.Helper()
	ds, err := w.h.db.FindDecisions(context.Background(), itemID)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// rect is an element's box in the viewport: left, top, width, height.
func rect(t *testing.T, ctx context.Context, sel string) [4]float64 {
	t.Helper()
	r := eval[[]float64](t, ctx, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`, sel))
	return [4]float64{r[0], r[1], r[2], r[3]}
}

// Enter on a focused control does what the control does: it opens the
// annotations toggle, and "Back to the queue" hands the item back. Neither
// records the verdict already chosen.
func TestBrowserEnterActivatesTheFocusedControl(t *testing.T) {
	w := newWorkbench(t, newReviewSetup(t, 1, 2))
	it := w.start(t)
	step(t, w.ctx, "choose not violating, then Enter on the annotations toggle",
		chromedp.KeyEvent("n"),
		chromedp.Focus(chromedp.CSS(`[data-testid="decide-form"] summary`)),
		chromedp.KeyEvent("\r"),
	)
	time.Sleep(300 * time.Millisecond) // a wrongly sent form would have left by now
	if !eval[bool](t, w.ctx, `document.querySelector('[data-testid="decide-form"] details').open`) {
		t.Error("Enter on the annotations toggle did not open it")
	}
	if ds := w.decisions(t, it.ID); len(ds) != 0 {
		t.Fatalf("Enter on the annotations toggle recorded %+v", ds)
	}
	step(t, w.ctx, "Enter on Back to the queue",
		chromedp.Focus(chromedp.CSS(`[data-testid="release"]`)),
		chromedp.KeyEvent("\r"),
	)
	waitFor(t, w.ctx, `location.pathname.startsWith("/queues/")`)
	if ds := w.decisions(t, it.ID); len(ds) != 0 {
		t.Errorf("Enter on Back to the queue recorded %+v", ds)
	}
	if got, _ := w.h.db.FindItemByID(context.Background(), it.ID); got.HeldBy(w.rev1.ID, w.h.clock.Now()) {
		t.Error("the item is still held after Back to the queue")
	}
}

// Number keys select an image of a two-image item; R reveals the selected
// one, and only it shows the R / C hints.
func TestBrowserKeyboardRevealsTheSecondImage(t *testing.T) {
	s := newReviewSetup(t, 1, 0)
	if res := s.h.ingest(s.token, meta("two", `,"context":{"public":true}`), media(testImage(64, 48, 1)), media(testImage(48, 64, 2))); res.status != http.StatusCreated {
		t.Fatalf("ingest: %d %+v", res.status, res.err)
	}
	w := newWorkbench(t, s)
	it := w.start(t)
	hints := `[...document.querySelectorAll('[data-testid="media"]')].map((f) => [...f.querySelectorAll(".reveal-controls kbd")].filter((k) => k.offsetParent !== null).length)`
	if got := eval[[]int](t, w.ctx, hints); len(got) != 2 || got[0] == 0 || got[1] != 0 {
		t.Errorf("visible hints per image before choosing: %v; want them on the first only", got)
	}
	step(t, w.ctx, "select the second image and reveal it", chromedp.KeyEvent("2"), chromedp.KeyEvent("r"))
	waitFor(t, w.ctx, `document.querySelectorAll('[data-testid="media"]')[1].querySelector("img.preview").src.startsWith("blob:")`)
	if got := eval[[]int](t, w.ctx, hints); got[0] != 0 || got[1] == 0 {
		t.Errorf("visible hints per image after 2: %v; want them on the second only", got)
	}
	if sel := eval[string](t, w.ctx, `document.querySelector('[data-testid="media"][aria-current="true"]').dataset.media`); sel != it.Media[1].ID {
		t.Errorf("selected image %s, want the second %s", sel, it.Media[1].ID)
	}
	exposures, _ := w.h.db.FindExposures(context.Background(), it.ID)
	if len(exposures) != 1 || exposures[0].MediaID != it.Media[1].ID || exposures[0].Rendition != review.StepGrey {
		t.Fatalf("ledger: %+v; want one grey reveal of the second image %s", exposures, it.Media[1].ID)
	}
	step(t, w.ctx, "J goes back to the first", chromedp.KeyEvent("k"))
	if sel := eval[string](t, w.ctx, `document.querySelector('[data-testid="media"][aria-current="true"]').dataset.media`); sel != it.Media[0].ID {
		t.Errorf("after K the selected image is %s, want the first", sel)
	}
}

// S starts a keyboard spotlight on the selected image: arrows move the
// region, Enter reveals it, and the crop is drawn in place over the
// blurred preview.
func TestBrowserKeyboardSpotlight(t *testing.T) {
	w := newWorkbench(t, newReviewSetup(t, 1, 1))
	it := w.start(t)
	step(t, w.ctx, "spotlight mode", chromedp.KeyEvent("s"))
	if pressed := eval[string](t, w.ctx, `document.querySelector('[data-testid="reveal-spotlight"]').getAttribute("aria-pressed")`); pressed != "true" {
		t.Errorf("the spotlight button's aria-pressed is %q in spotlight mode", pressed)
	}
	step(t, w.ctx, "move the region and reveal",
		chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowDown),
		chromedp.KeyEvent(kb.ArrowLeft, chromedp.KeyModifiers(kb.ModifierShift)),
		chromedp.KeyEvent("\r"),
		poll(`!!document.querySelector(".spotlight-crop") && document.querySelector(".spotlight-crop").src.startsWith("blob:")`),
	)
	if ds := w.decisions(t, it.ID); len(ds) != 0 {
		t.Fatalf("Enter in spotlight mode recorded a decision: %+v", ds)
	}
	exposures, _ := w.h.db.FindExposures(context.Background(), it.ID)
	if len(exposures) != 1 || exposures[0].Rendition != review.StepSpotlight || exposures[0].MediaID != it.Media[0].ID ||
		exposures[0].RegionFraction > 0.25 || exposures[0].RegionFraction <= 0 {
		t.Fatalf("ledger: %+v; want one spotlight of at most a quarter of the image", exposures)
	}
	if src := eval[string](t, w.ctx, `document.querySelector("img.preview").src`); !strings.HasSuffix(src, "/preview") {
		t.Errorf("the preview was replaced by %q; the crop belongs on top of it", src)
	}
	// The crop sits where the region is on the displayed image.
	img := rect(t, w.ctx, "img.preview")
	crop := rect(t, w.ctx, ".spotlight-crop")
	r := exposures[0].Region
	scale := math.Min(img[2]/64, img[3]/48)
	left := img[0] + (img[2]-64*scale)/2 + float64(r.Min.X)*scale
	top := img[1] + (img[3]-48*scale)/2 + float64(r.Min.Y)*scale
	if math.Abs(crop[0]-left) > 2 || math.Abs(crop[1]-top) > 2 || math.Abs(crop[2]-float64(r.Dx())*scale) > 2 {
		t.Errorf("crop drawn at %v; region %v puts it at %.0f,%.0f width %.0f", crop, r, left, top, float64(r.Dx())*scale)
	}
	if pressed := eval[string](t, w.ctx, `document.querySelector('[data-testid="reveal-spotlight"]').getAttribute("aria-pressed")`); pressed == "true" {
		t.Error("the spotlight button stays pressed after the reveal")
	}
}

// A skip without a note is refused: the verdict stays chosen, the message
// is by the note, the note has focus, and the address is not /decide.
func TestBrowserRefusedSkipKeepsTheChoices(t *testing.T) {
	w := newWorkbench(t, newReviewSetup(t, 1, 2))
	it := w.start(t)
	step(t, w.ctx, "skip, then Ctrl+Enter from the empty note",
		chromedp.KeyEvent("l"),
		poll(`document.activeElement.name === "note"`),
		// DevTools types a key's character with a separate event that the
		// page's preventDefault cannot stop (a real keyboard's can): the
		// "l" lands in the note it just focused. Empty it again.
		chromedp.Evaluate[chromedp.Void](`document.activeElement.value = ""`),
		chromedp.KeyEvent("\r", chromedp.KeyModifiers(kb.ModifierCtrl)),
		poll(`!!document.querySelector('[data-testid="error-note"]')`),
	)
	if v := eval[string](t, w.ctx, `(document.querySelector('input[name="verdict"]:checked') || {}).value || ""`); v != "skip" {
		t.Errorf("verdict after the refusal: %q, want skip", v)
	}
	if msg := text(t, w.ctx, `[data-testid="error-note"]`); !strings.HasPrefix(msg, "Give a reason") {
		t.Errorf("message by the note: %q", msg)
	}
	if !eval[bool](t, w.ctx, `document.activeElement.name === "note" && document.activeElement.getAttribute("aria-invalid") === "true"`) {
		t.Error("the note does not have focus after the refusal")
	}
	if p := eval[string](t, w.ctx, `location.pathname`); p != fmt.Sprintf("/review/%d", it.ID) {
		t.Errorf("address after the refusal: %s", p)
	}
	step(t, w.ctx, "write a reason and submit with Ctrl+Enter",
		chromedp.SendKeys(chromedp.CSS(`textarea[name="note"]`), "blurry"),
		chromedp.KeyEvent("\r", chromedp.KeyModifiers(kb.ModifierCtrl)),
	)
	// A skipped item goes back to its queue; the next screen offers undo.
	waitFor(t, w.ctx, `!!document.querySelector('[data-testid="undo"]')`)
	if ds := w.decisions(t, it.ID); len(ds) != 1 || ds[0].Verdict != review.Skip || ds[0].Note != "blurry" {
		t.Errorf("decisions: %+v", ds)
	}
}

// At 1366x768 the submit button is on screen, and a reveal does not move
// or resize the frame.
func TestBrowserFrameIsStableAndSubmitVisible(t *testing.T) {
	w := newWorkbench(t, newReviewSetup(t, 1, 1))
	w.start(t)
	inView := `(() => { const r = document.querySelector('[data-testid="submit"]').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()`
	before := rect(t, w.ctx, `[data-testid="media"] .stage`)
	if !eval[bool](t, w.ctx, inView) {
		t.Errorf("submit is below the fold before a reveal: %v", rect(t, w.ctx, `[data-testid="submit"]`))
	}
	step(t, w.ctx, "reveal colour", chromedp.KeyEvent("c"), poll(`document.querySelector("img.preview").src.startsWith("blob:")`))
	waitFor(t, w.ctx, `document.querySelector("img.preview").complete`)
	if after := rect(t, w.ctx, `[data-testid="media"] .stage`); after != before {
		t.Errorf("the frame moved or changed size on reveal: %v, then %v", before, after)
	}
	if !eval[bool](t, w.ctx, inView) {
		t.Errorf("submit is below the fold after a reveal: %v", rect(t, w.ctx, `[data-testid="submit"]`))
	}
}

// B asks first: Esc keeps working, a second B starts the break.
func TestBrowserStepAwayAsksFirst(t *testing.T) {
	w := newWorkbench(t, newReviewSetup(t, 1, 1))
	it := w.start(t)
	step(t, w.ctx, "B then Esc", chromedp.KeyEvent("b"), poll(`!!document.querySelector('[data-testid="step-away-confirm"]:not([hidden])')`), chromedp.KeyEvent("\x1b"))
	time.Sleep(300 * time.Millisecond)
	breaks, _ := w.h.db.FindBreaks(context.Background(), w.rev1.ID, w.h.clock.Now().Add(-time.Hour))
	if len(breaks) != 0 || !strings.HasPrefix(eval[string](t, w.ctx, `location.pathname`), "/review/") {
		t.Fatalf("B then Esc started a break: %+v", breaks)
	}
	if got, _ := w.h.db.FindItemByID(context.Background(), it.ID); !got.HeldBy(w.rev1.ID, w.h.clock.Now()) {
		t.Error("B then Esc gave the item back")
	}
	step(t, w.ctx, "B then B", chromedp.KeyEvent("b"), chromedp.KeyEvent("b"))
	waitFor(t, w.ctx, `location.pathname === "/break"`)
	if breaks, _ := w.h.db.FindBreaks(context.Background(), w.rev1.ID, w.h.clock.Now().Add(-time.Hour)); len(breaks) != 1 {
		t.Errorf("breaks after B B: %+v", breaks)
	}
}

// undoSetup makes the queue's decisions send a callback, open a report
// case and propose hashes to a list.
func undoSetup(t *testing.T) *reviewSetup {
	t.Helper()
	s := newReviewSetup(t, 1, 3)
	ctx := context.Background()
	list, err := s.h.db.CreateHashList(ctx, review.HashList{Name: "known", Kind: "block", Category: "A1", Threshold: 31, Enabled: true}, review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	s.queue.ProposeListID = list.ID
	if err := s.h.db.UpdateQueue(ctx, s.queue, review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	src, _ := s.h.db.FindSourceByName(ctx, "photos")
	if err := s.h.db.SetCallback(ctx, src.ID, "https://platform.example/hook", []byte("sealed"), review.AuditEvent{Action: "test"}); err != nil {
		t.Fatal(err)
	}
	return s
}

// sent counts what a decision on item sends out: callbacks, a case, proposals.
// Decisions due by at are settled first.
func sent(t *testing.T, s *reviewSetup, itemID int64, at time.Time) (callbacks, cases, proposals int) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.h.db.SettleDecisions(ctx, at); err != nil {
		t.Fatal(err)
	}
	out, _ := s.h.db.FindOutbox(ctx, review.KindCallback, 10)
	for _, e := range out {
		if e.ItemID == itemID {
			callbacks++
		}
	}
	if _, err := s.h.db.FindCaseOfItem(ctx, itemID); err == nil {
		cases = 1
	}
	ps, _ := s.h.db.FindProposals(ctx, s.queue.ProposeListID, "pending")
	for _, p := range ps {
		if p.ItemID == itemID {
			proposals++
		}
	}
	return callbacks, cases, proposals
}

// U on the next item's screen takes the decision back within 10 seconds:
// the item is the reviewer's again and nothing was sent. After 10 seconds
// undo is refused and the callback, case and proposals exist.
func TestBrowserUndoWithinTenSeconds(t *testing.T) {
	s := undoSetup(t)
	w := newWorkbench(t, s)
	first := w.start(t)
	step(t, w.ctx, "decide violating A1", chromedp.KeyEvent("1", chromedp.KeyModifiers(kb.ModifierShift)), chromedp.KeyEvent("\r"))
	waitFor(t, w.ctx, `!!document.querySelector('[data-testid="undo"]') && document.readyState === "complete"`)
	if done := text(t, w.ctx, `[data-testid="done"]`); done != "1" {
		t.Errorf("done this session: %q, want 1", done)
	}
	if left := text(t, w.ctx, `[data-testid="left"]`); left != "1" {
		t.Errorf("left in the queue: %q, want 1 (three items, one decided, one open)", left)
	}
	w.h.clock.Advance(review.UndoWindow - 2*time.Second)
	if cb, cs, ps := sent(t, s, first.ID, w.h.clock.Now()); cb+cs+ps != 0 {
		t.Fatalf("inside the window: %d callbacks, %d cases, %d proposals", cb, cs, ps)
	}
	step(t, w.ctx, "undo with U", chromedp.KeyEvent("u"))
	waitFor(t, w.ctx, fmt.Sprintf(`location.pathname === "/review/%d" && !document.querySelector('[data-testid="undo"]') && document.readyState === "complete"`, first.ID))
	if ds := w.decisions(t, first.ID); len(ds) != 0 {
		t.Errorf("decisions after undo: %+v", ds)
	}
	if cb, cs, ps := sent(t, s, first.ID, w.h.clock.Now().Add(time.Hour)); cb+cs+ps != 0 {
		t.Errorf("after an undo: %d callbacks, %d cases, %d proposals; want none", cb, cs, ps)
	}

	step(t, w.ctx, "decide again", chromedp.KeyEvent("1", chromedp.KeyModifiers(kb.ModifierShift)), chromedp.KeyEvent("\r"))
	// U pressed before the page's script has run does nothing: wait for it.
	waitFor(t, w.ctx, `!!document.querySelector('[data-testid="undo"]') && document.readyState === "complete"`)
	w.h.clock.Advance(review.UndoWindow)
	step(t, w.ctx, "U after the window", chromedp.KeyEvent("u"), poll(`!!document.querySelector('[data-testid="error"]')`))
	if msg := text(t, w.ctx, `[data-testid="error"]`); !strings.Contains(msg, "10 seconds") {
		t.Errorf("refused undo says %q", msg)
	}
	if ds := w.decisions(t, first.ID); len(ds) != 1 {
		t.Errorf("decisions after a refused undo: %+v", ds)
	}
	if cb, cs, ps := sent(t, s, first.ID, w.h.clock.Now()); cb != 1 || cs != 1 || ps == 0 {
		t.Errorf("after the window: %d callbacks, %d cases, %d proposals; want all of them", cb, cs, ps)
	}
}
