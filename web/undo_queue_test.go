package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// When the last waiting item is decided the reviewer lands on the queue's
// page, which still offers undo for the rest of the window.
func TestQueueThatRanEmptyStillOffersUndo(t *testing.T) {
	s := newReviewSetup(t, 1, 1)
	c, csrf := s.h.signIn(s.rev1)
	id, _ := s.claim(t, c, csrf)
	res := c.post(fmt.Sprintf("/review/%d/decide", id), url.Values{"csrf": {csrf}, "verdict": {"not_violating"}})
	next := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(next, fmt.Sprintf("/queues/%d", s.queue.ID)) {
		t.Fatalf("decision on the last item went to %d %q", res.StatusCode, next)
	}
	page := c.get(next)
	undo := page.doc.Find(`[data-testid="undo"]`)
	if action, _ := undo.Attr("action"); undo.Length() != 1 || !strings.HasSuffix(action, "/undo") {
		t.Fatalf("the queue page offers no undo: %q", page.body)
	}
	action, _ := undo.Attr("action")
	if back := c.post(action, url.Values{"csrf": {csrf}}); back.StatusCode != http.StatusSeeOther || back.Header.Get("Location") != fmt.Sprintf("/review/%d", id) {
		t.Errorf("undo from the queue page: %d %q", back.StatusCode, back.Header.Get("Location"))
	}
}
