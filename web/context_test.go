package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestLeadSeesEscalationContext: a lead deciding an escalated item sees the
// escalation note, who escalated it and when, the uploader's earlier items
// as links, and a link to the item's page; the escalations queue's table
// shows the note's first line and who escalated.
func TestLeadSeesEscalationContext(t *testing.T) {
	s := newReviewSetup(t, 1, 3)
	h := s.h
	c, csrf := h.signIn(s.rev1)
	first, _ := s.claim(t, c, csrf)
	res := c.post(fmt.Sprintf("/review/%d/decide", first), url.Values{"csrf": {csrf}, "verdict": {"not_violating"}})
	var second int64
	fmt.Sscanf(res.Header.Get("Location"), "/review/%d", &second)
	note := "Looks like a known series\nsecond line of detail"
	res = c.post(fmt.Sprintf("/review/%d/decide", second), url.Values{"csrf": {csrf}, "verdict": {"escalate"}, "note": {note}})
	if res.StatusCode != 303 {
		t.Fatalf("escalate: %d %s", res.StatusCode, res.testid("error"))
	}
	// A reviewer's own screen carries none of it.
	if p := c.get(res.Header.Get("Location")); p.StatusCode != 200 || p.doc.Find(`[data-testid="context"]`).Length() != 0 {
		t.Errorf("a reviewer's screen of a queued item: %d, or it shows escalation context", p.StatusCode)
	}

	esc, err := h.db.FindQueueID(t.Context(), "escalations")
	if err != nil {
		t.Fatal(err)
	}
	lead, lcsrf := h.signIn(s.lead)
	list := lead.get(fmt.Sprintf("/queues/%d", esc))
	row := list.doc.Find(`[data-testid="waiting-row"]`).First()
	if got := strings.TrimSpace(row.Find(`[data-testid="escalation-line"]`).Text()); got != "Looks like a known series · ana@example.org" {
		t.Errorf("escalation tile says %q", got)
	}
	res = lead.post(fmt.Sprintf("/queues/%d/claim", esc), url.Values{"csrf": {lcsrf}})
	if res.Header.Get("Location") != fmt.Sprintf("/review/%d", second) {
		t.Fatalf("lead claim went to %q", res.Header.Get("Location"))
	}
	page := lead.get(res.Header.Get("Location"))
	if got := page.testid("escalation-note"); got != note {
		t.Errorf("escalation note = %q, want %q", got, note)
	}
	if got := page.testid("escalated-by"); got != s.rev1.Email {
		t.Errorf("escalated by %q", got)
	}
	if !strings.Contains(page.testid("earlier-verdicts"), "escalate: Looks like") {
		t.Errorf("earlier verdicts: %q", page.testid("earlier-verdicts"))
	}
	if href, _ := page.doc.Find(`[data-testid="earlier-items"] a`).Attr("href"); href != fmt.Sprintf("/items/%d", first) {
		t.Errorf("earlier item link %q, want /items/%d", href, first)
	}
	if href, _ := page.doc.Find(`[data-testid="item-link"]`).Attr("href"); href != fmt.Sprintf("/items/%d", second) {
		t.Errorf("item link %q", href)
	}

}

// TestItemAndCaseLinkBothWays: the item page links the report case the
// item is in, and the case page links back to the item.
func TestItemAndCaseLinkBothWays(t *testing.T) {
	s := newHoldSetup(t)
	lead, _ := s.h.signIn(s.lead)
	it, _ := s.h.db.FindItemByExternalID(t.Context(), 1, "item-0")
	page := lead.get(fmt.Sprintf("/items/%d", it.ID))
	if href, _ := page.doc.Find(`[data-testid="case-link"]`).Attr("href"); href != fmt.Sprintf("/reports/%d", s.caseID) {
		t.Errorf("item page links the case as %q", href)
	}
	c := lead.get(fmt.Sprintf("/reports/%d", s.caseID))
	if c.doc.Find(fmt.Sprintf(`a[href="/items/%d"]`, it.ID)).Length() == 0 {
		t.Error("the case page does not link the item")
	}
}
