package web

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/loupe-review/loupe/review"
)

// laptop is the screen issue #15 was tried on.
const laptopWidth, laptopHeight = 1366, 768

// browserAt starts Chromium with a 1366x768 viewport.
func browserAt(t *testing.T) context.Context {
	t.Helper()
	ctx := browser(t)
	step(t, ctx, "1366x768 viewport", chromedp.EmulateViewport(laptopWidth, laptopHeight))
	return ctx
}

// overflowJS lists what sticks out at the current viewport: the page
// itself, and every table wider than the box it sits in.
const overflowJS = `(() => {
	const out = [];
	const doc = document.documentElement;
	if (doc.scrollWidth > innerWidth) out.push("page " + doc.scrollWidth + " > " + innerWidth);
	document.querySelectorAll("table").forEach((t, i) => {
		const box = t.parentElement;
		const name = t.dataset.testid || ("table " + i);
		if (t.offsetWidth > box.clientWidth + 1) out.push(name + " " + t.offsetWidth + " in " + box.clientWidth);
	});
	document.querySelectorAll(".topbar a, .topbar button").forEach(a => {
		const r = document.createRange();
		r.selectNodeContents(a);
		const lines = new Set([...r.getClientRects()].map(q => Math.round(q.top)));
		if (lines.size > 1) out.push("menu entry wraps: " + a.textContent.trim());
	});
	return out.join("; ");
})()`

// fitSetup is a server with something on every page: queues with items,
// report cases, a hash list, wellbeing figures, and a person of each role.
func fitSetup(t *testing.T) (*reportSetup, map[review.Role]person, []string) {
	s := newReportSetup(t)
	s.decideNext(t, "grey")
	item := s.decideNext(t, "colour")
	h := s.h
	ctx := context.Background()
	l, err := h.db.CreateHashList(ctx, review.HashList{Name: "known-block-list-with-a-long-name", Kind: "block", Threshold: review.DefaultThreshold, Enabled: true}, review.AuditEvent{Action: "test"})
	if err != nil {
		t.Fatal(err)
	}
	people := map[review.Role]person{
		review.RoleReviewer:  s.rev1,
		review.RoleLead:      s.lead,
		review.RoleWellbeing: h.addPerson("wellbeing.staff.member@example.org", true, review.RoleWellbeing),
		review.RoleAdmin:     h.addPerson("administrator.of.everything@example.org", true, review.RoleAdmin),
	}
	c := s.caseOf(t, item.ID)
	extra := []string{
		fmt.Sprintf("/queues/%d", s.queue.ID),
		fmt.Sprintf("/queues/%d/categories", s.queue.ID),
		"/wellbeing?days=30",
		fmt.Sprintf("/reports/%d", c.ID),
		fmt.Sprintf("/hashlists/%d", l.ID),
		fmt.Sprintf("/items/%d", item.ID),
		fmt.Sprintf("/wellbeing/people/%d", s.rev1.ID),
		"/wellbeing/limits",
		fmt.Sprintf("/admin/users/%d", s.rev1.ID),
		"/admin/tokens?done=revoked",
	}
	return s, people, extra
}

// TestBrowserEveryPageFitsALaptop: for every role, every menu page (and
// the detail pages behind them) fits 1366 px: no horizontal scrollbar, no
// table wider than its box, no menu entry broken over two lines.
func TestBrowserEveryPageFitsALaptop(t *testing.T) {
	s, people, extra := fitSetup(t)
	h := s.h
	b := browserAt(t)
	for _, role := range review.AllRoles {
		p := people[role]
		browserSignIn(t, b, h, p)
		links := eval[[]string](t, b, `[...document.querySelectorAll('[data-testid="nav"] a')].map(a => a.getAttribute("href"))`)
		visited := 0
		for _, path := range append(links, extra...) {
			if fetchStatus(t, b, path) != 200 {
				continue // not this role's page
			}
			visited++
			step(t, b, "open "+path, chromedp.Navigate(h.ts.URL+path), poll(`document.readyState === "complete"`))
			if bad := eval[string](t, b, overflowJS); bad != "" {
				t.Errorf("%s, %s: %s", role, path, bad)
			}
		}
		if visited <= len(links) && role != review.RoleReviewer {
			t.Errorf("%s: only %d pages visited", role, visited)
		}
		if role == review.RoleReviewer { // and the screen they spend the day on
			step(t, b, "home", chromedp.Navigate(h.ts.URL+"/"), poll(`document.readyState === "complete"`))
			step(t, b, "start reviewing", chromedp.Click(chromedp.CSS(`[data-testid="home-start"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="review"] img.preview`)))
			if bad := eval[string](t, b, overflowJS); bad != "" {
				t.Errorf("%s, review screen: %s", role, bad)
			}
			step(t, b, "back to the queue", chromedp.Click(chromedp.CSS(`[data-testid="release"]`)), chromedp.WaitNotPresent(chromedp.CSS(`[data-testid="review"]`)))
		}
		step(t, b, "sign out", chromedp.Click(chromedp.CSS(`[data-testid="signout"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="signin-form"]`)))
	}
}

// fetchStatus fetches path in the page and returns the HTTP status.
func fetchStatus(t *testing.T, ctx context.Context, path string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`fetch(%q).then(r => r.status)`, path), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetch %s: %v", path, err)
	}
	return v
}
