package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// A reviewer's home lists their queues with what waits, a way to start
// each, and the exposure budget left today; a queue they are not in is
// not listed.
func TestHomeShowsMyQueuesAndBudget(t *testing.T) {
	s := newReviewSetup(t, 1, 2)
	s.h.addQueue("not-mine")
	c, csrf := s.h.signIn(s.rev1)
	page := c.get("/")
	rows := page.doc.Find(`[data-testid="home-queue"]`)
	if rows.Length() != 1 || !strings.Contains(rows.Text(), "main") || strings.TrimSpace(rows.Find(`[data-testid="home-waiting"]`).Text()) != "2" {
		t.Fatalf("home queues: %d rows %q", rows.Length(), rows.Text())
	}
	action, _ := rows.Find("form").Attr("action")
	if action != fmt.Sprintf("/queues/%d/claim", s.queue.ID) || rows.Find(`[data-testid="home-start"]`).Length() != 1 {
		t.Errorf("start reviewing goes to %q", action)
	}
	if b := page.testid("budget-left"); !strings.HasSuffix(b, "min") {
		t.Errorf("budget left: %q", b)
	}
	if res := c.post(action, url.Values{"csrf": {csrf}}); !strings.HasPrefix(res.Header.Get("Location"), "/review/") {
		t.Errorf("start reviewing from home went to %q", res.Header.Get("Location"))
	}
	if again := c.get("/"); strings.TrimSpace(again.doc.Find(`[data-testid="home-waiting"]`).Text()) != "1" {
		t.Errorf("waiting after a claim: %q, want 1", again.doc.Find(`[data-testid="home-waiting"]`).Text())
	}
}
