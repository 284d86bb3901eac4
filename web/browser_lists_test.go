package web

import (
	"context"
	"fmt"
	"github.com/loupe-review/loupe/storage"
	"net/http"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/pdq"
)

// laptop is the 1366x768 screen issue #15's list tests run on.
func laptop(t *testing.T) context.Context {
	t.Helper()
	ctx := browser(t)
	step(t, ctx, "1366x768 viewport", chromedp.EmulateViewport(1366, 768))
	return ctx
}

// fitsWidth fails when the page or any table is wider than its box.
func fitsWidth(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	if !eval[bool](t, ctx, `document.documentElement.scrollWidth <= innerWidth &&
		[...document.querySelectorAll('table')].every(t => t.getBoundingClientRect().right <= t.parentElement.getBoundingClientRect().right + 1)`) {
		t.Errorf("%s: the page or a table is wider than its box at 1366 px", page)
	}
}

// TestBrowserSearchByEachKey: a lead finds one item from the search box by
// each key it has, a PDQ a few bits off included, and sees its blurred
// preview linked to the item page.
func TestBrowserSearchByEachKey(t *testing.T) {
	h := newHarness(t)
	lead := h.addPerson("lead@example.org", true, review.RoleLead)
	token := h.apiToken("scanner", "photos")
	h.ingest(token, meta("decoy-1", `,"uploader":{"account_id":"acct-other","screen_name":"someone_else"}`), media(testImage(40, 40, 9)))
	res := h.ingest(token, meta("ext-4711", `,"uploader":{"account_id":"acct-42","screen_name":"River_Otter"}`), media(pngOf(referencePhoto(t))))
	if res.status != http.StatusCreated {
		t.Fatalf("ingest: %d", res.status)
	}
	h.ingest(token, meta("decoy-2", ``), media(testImage(40, 40, 3)))
	it, err := h.db.FindItemByExternalID(t.Context(), 1, "ext-4711")
	if err != nil {
		t.Fatal(err)
	}
	m := it.Media[0]
	near, err := pdq.ParseHash(m.PDQ)
	if err != nil {
		t.Fatalf("the item has no PDQ: %v", err)
	}
	near[0] ^= 0x0f // four bits off
	ctx := laptop(t)
	browserSignIn(t, ctx, h, lead)
	keys := map[string]string{"item id": fmt.Sprint(it.ID), "external id": "ext-4711", "account id": "acct-42", "screen name": "river_otter",
		"SHA-256": m.SHA256, "MD5": m.MD5, "PDQ": near.String()}
	for what, key := range keys {
		step(t, ctx, "search by "+what,
			chromedp.Navigate(h.ts.URL+"/queues"),
			chromedp.SendKeys(chromedp.CSS(`[data-testid="nav-search"] input`), key+"\r"),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="search-total"]`)),
		)
		sel := fmt.Sprintf(`[data-testid="search-hit"][data-item="%d"]`, it.ID)
		if !eval[bool](t, ctx, fmt.Sprintf(`!!document.querySelector('%s img[src="/media/%s/preview"]')`, sel, m.ID)) {
			t.Errorf("search by %s (%s): the item's blurred preview is not among the results: %s", what, key, text(t, ctx, `main`))
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-testid="search-hit"]').length`); n != 1 {
		t.Errorf("a PDQ 4 bits off found %d items, want 1", n)
	}
	fitsWidth(t, ctx, "search")
	step(t, ctx, "open the hit", chromedp.Click(chromedp.CSS(`[data-testid="search-hit"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="decisions"]`)))
}

// TestBrowserAuditLogPagesPast500: with 600 entries, following "Older"
// reaches the oldest entry; timestamps stay on one line and the table in
// its box.
func TestBrowserAuditLogPagesPast500(t *testing.T) {
	h := newHarness(t)
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	for i := range 600 {
		if err := h.db.Append(t.Context(), review.AuditEvent{Actor: "seed", Action: "test.seeded", Target: fmt.Sprintf("item:%d", i),
			Details: map[string]string{"long": fmt.Sprintf("%0120d", i)}}); err != nil {
			t.Fatal(err)
		}
	}
	ctx := laptop(t)
	browserSignIn(t, ctx, h, admin)
	step(t, ctx, "audit log", chromedp.Navigate(h.ts.URL+"/admin/audit"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="audit"]`)))
	fitsWidth(t, ctx, "audit log")
	if !eval[bool](t, ctx, `[...document.querySelectorAll('[data-testid="audit-time"]')].every(td => { const r = document.createRange(); r.selectNodeContents(td); return r.getClientRects().length === 1 })`) {
		t.Error("a timestamp wraps onto more than one line")
	}
	seen := 0
	last := ""
	for page := 1; ; page++ {
		seen += eval[int](t, ctx, `document.querySelectorAll('[data-testid="audit-row"]').length`)
		last = eval[string](t, ctx, `[...document.querySelectorAll('[data-testid="audit-id"]')].at(-1).textContent`)
		if !eval[bool](t, ctx, `!!document.querySelector('[data-testid="audit-older"]')`) {
			break
		}
		if page > 20 {
			t.Fatal("more than 20 pages")
		}
		top := eval[string](t, ctx, `document.querySelector('[data-testid="audit-id"]').textContent`)
		step(t, ctx, "older", chromedp.Click(chromedp.CSS(`[data-testid="audit-older"]`)))
		waitFor(t, ctx, fmt.Sprintf(`document.readyState === 'complete' && !!document.querySelector('[data-testid="audit-newer"]') && document.querySelector('[data-testid="audit-id"]').textContent !== %q`, top))
	}
	head, _ := h.db.AuditHead(t.Context())
	if last != "1" || int64(seen) != head.ID {
		t.Errorf("walked %d entries ending at #%s, want %d ending at #1", seen, last, head.ID)
	}
	step(t, ctx, "filter by action", chromedp.Navigate(h.ts.URL+"/admin/audit?action=test.seeded&target=item:7"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="audit"]`)))
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-testid="audit-row"]').length`); n != 1 {
		t.Errorf("filter by action and target shows %d rows, want 1", n)
	}
	if href := eval[string](t, ctx, `document.querySelector('[data-testid="audit-target"] a').getAttribute('href')`); href != "/items/7" {
		t.Errorf("target links to %q", href)
	}
}

// TestBrowserQueueTable: a lead sees the waiting total and pages, sorts by
// age, and moves two selected items to another queue.
func TestBrowserQueueTable(t *testing.T) {
	h := newHarness(t)
	lead := h.addPerson("lead@example.org", true, review.RoleLead)
	q := h.addQueue("bulk")
	other := h.addQueue("elsewhere")
	token := h.apiToken("scanner", "photos")
	_ = token // makes the source
	if err := h.db.SeedItems(t.Context(), storage.Seed{QueueID: q, SourceID: 1, Waiting: 120, Prefix: "s"}); err != nil {
		t.Fatal(err)
	}
	ctx := laptop(t)
	browserSignIn(t, ctx, h, lead)
	step(t, ctx, "queue page", chromedp.Navigate(fmt.Sprintf("%s/queues/%d", h.ts.URL, q)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="waiting"]`)))
	if got := text(t, ctx, `[data-testid="waiting-total"]`); got != "120" {
		t.Errorf("total %q, want 120", got)
	}
	if got := text(t, ctx, `[data-testid="page-of"]`); got != "Page 1 of 3" {
		t.Errorf("pager says %q", got)
	}
	fitsWidth(t, ctx, "queue page")
	step(t, ctx, "next page", chromedp.Click(chromedp.CSS(`[data-testid="next"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="prev"]`)))
	if got := text(t, ctx, `[data-testid="page-of"]`); got != "Page 2 of 3" {
		t.Errorf("after next, pager says %q", got)
	}
	step(t, ctx, "sort by age", chromedp.Click(chromedp.CSS(`[data-testid="sort-age"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="sort-age"]`)))
	waitFor(t, ctx, `location.search.includes('sort=age') && document.readyState === 'complete' && !!document.querySelector('[data-testid="pager"]')`)
	first := eval[string](t, ctx, `document.querySelector('[data-testid="waiting-row"]').dataset.item`)
	if first != "1" {
		t.Errorf("sorted by age, the first row is item %s, want the oldest (1)", first)
	}
	step(t, ctx, "sort by priority", chromedp.Click(chromedp.CSS(`[data-testid="sort-priority"]`)))
	waitFor(t, ctx, `location.search.includes('sort=priority') && document.readyState === 'complete' && !!document.querySelector('[data-testid="pager"]')`)
	if p := eval[string](t, ctx, `document.querySelector('[data-testid="waiting-row"] [data-testid="priority"]').textContent`); p != "99" {
		t.Errorf("sorted by priority, the first row has priority %s", p)
	}
	step(t, ctx, "select all, then none", chromedp.Click(chromedp.CSS(`[data-testid="select-all"]`)))
	if n := eval[int](t, ctx, `document.querySelectorAll('input[name="items"]:checked').length`); n != review.WaitingPerPage {
		t.Errorf("select all ticked %d rows, want %d", n, review.WaitingPerPage)
	}
	step(t, ctx, "select none", chromedp.Click(chromedp.CSS(`[data-testid="select-all"]`)))
	picked := eval[[]string](t, ctx, `[...document.querySelectorAll('[data-testid="waiting-row"]')].slice(0, 2).map(r => r.dataset.item)`)
	step(t, ctx, "bulk move two",
		chromedp.Click(chromedp.CSS(`[data-testid="waiting-row"]:nth-child(1) input[name="items"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="waiting-row"]:nth-child(2) input[name="items"]`)),
		chromedp.SetValue(chromedp.CSS(`[data-testid="bulk-action"]`), "move"),
		chromedp.SetValue(chromedp.CSS(`[data-testid="bulk-queue"]`), fmt.Sprint(other)),
		chromedp.Click(chromedp.CSS(`[data-testid="bulk-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="notice"]`)),
	)
	if got := text(t, ctx, `[data-testid="waiting-total"]`); got != "118" {
		t.Errorf("after moving two, total %q, want 118", got)
	}
	for _, id := range picked {
		var n int64
		fmt.Sscan(id, &n)
		if it, _ := h.db.FindItemByID(t.Context(), n); it.QueueID != other {
			t.Errorf("item %s is in queue %d, want %d", id, it.QueueID, other)
		}
	}
}

// TestBrowserItemHistoryMatchesReview: the uploader history the item page
// shows a lead is the one the review screen shows the reviewer.
func TestBrowserItemHistoryMatchesReview(t *testing.T) {
	s := newReviewSetup(t, 1, 2)
	h := s.h
	c, csrf := h.signIn(s.rev1)
	first, _ := s.claim(t, c, csrf)
	res := c.post(fmt.Sprintf("/review/%d/decide", first), url.Values{"csrf": {csrf}, "verdict": {"not_violating"}})
	var second int64
	fmt.Sscanf(res.Header.Get("Location"), "/review/%d", &second)

	ctx := laptop(t)
	browserSignIn(t, ctx, h, s.rev1)
	step(t, ctx, "review screen", chromedp.Navigate(fmt.Sprintf("%s/review/%d", h.ts.URL, second)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="history"]`)))
	onReview := text(t, ctx, `[data-testid="history"]`)
	step(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`[data-testid="signout"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="signin-form"]`)))
	browserSignIn(t, ctx, h, s.lead)
	step(t, ctx, "item page", chromedp.Navigate(fmt.Sprintf("%s/items/%d", h.ts.URL, second)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="history"]`)))
	onItem := text(t, ctx, `[data-testid="history"]`)
	if onReview != "0 violating, 1 not violating" || onItem != onReview {
		t.Errorf("item page says %q, review screen %q", onItem, onReview)
	}
	if href := eval[string](t, ctx, `document.querySelector('[data-testid="earlier-items"] a').getAttribute('href')`); href != fmt.Sprintf("/items/%d", first) {
		t.Errorf("earlier item links to %q", href)
	}
}
