package web

import (
	"fmt"
	"net/url"
	"testing"
)

// TestItemPageHistoryMatchesReviewScreen: the item page's "Earlier on
// this account" says what the review screen says for the same item (it
// used to say "no earlier decisions" whatever the account's history).
func TestItemPageHistoryMatchesReviewScreen(t *testing.T) {
	s := newReviewSetup(t, 1, 2)
	h := s.h
	c, csrf := h.signIn(s.rev1)
	first, _ := s.claim(t, c, csrf)
	res := c.post(fmt.Sprintf("/review/%d/decide", first), url.Values{"csrf": {csrf}, "verdict": {"not_violating"}})
	next := res.Header.Get("Location")
	screen := c.get(next)
	want := screen.testid("history")
	if want != "0 violating, 1 not violating" {
		t.Fatalf("review screen history = %q", want)
	}
	var second int64
	fmt.Sscanf(next, "/review/%d", &second)
	lead, _ := h.signIn(s.lead)
	page := lead.get(fmt.Sprintf("/items/%d", second))
	if got := page.testid("history"); got != want {
		t.Errorf("item page history = %q, review screen says %q", got, want)
	}
}
