package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review"
)

// TestBulkActionsAreLeadsOnly: reviewers and wellbeing staff get 403 on a
// bulk action and on search; a lead's bulk move without the CSRF token is
// refused; with it, it moves the items and audits each.
func TestBulkActionsAreLeadsOnly(t *testing.T) {
	s := newReviewSetup(t, 1, 3)
	h := s.h
	other := h.addQueue("other")
	wb := h.addPerson("care@example.org", true, review.RoleWellbeing)
	it, _ := h.db.FindItemByExternalID(t.Context(), 1, "item-0")
	form := url.Values{"action": {"move"}, "items": {fmt.Sprint(it.ID)}, "to_queue": {fmt.Sprint(other)}}
	for _, p := range []person{s.rev1, wb} {
		c, csrf := h.signIn(p)
		form.Set("csrf", csrf)
		if res := c.post(fmt.Sprintf("/queues/%d/items", s.queue.ID), form); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s bulk move: %d, want 403", p.Email, res.StatusCode)
		}
		if res := c.get("/search?q=" + fmt.Sprint(it.ID)); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s search: %d, want 403", p.Email, res.StatusCode)
		}
	}
	lead, csrf := h.signIn(s.lead)
	form.Set("csrf", "wrong")
	if res := lead.post(fmt.Sprintf("/queues/%d/items", s.queue.ID), form); res.StatusCode != http.StatusForbidden {
		t.Errorf("bulk move with a wrong CSRF token: %d, want 403", res.StatusCode)
	}
	form.Set("csrf", csrf)
	res := lead.post(fmt.Sprintf("/queues/%d/items", s.queue.ID), form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("bulk move: %d %s", res.StatusCode, res.testid("error"))
	}
	page := lead.get(res.Header.Get("Location"))
	if page.testid("notice") == "" || page.testid("waiting-total") != "2" {
		t.Errorf("after the move: notice %q, total %q", page.testid("notice"), page.testid("waiting-total"))
	}
	if moved, _ := h.db.FindItemByID(t.Context(), it.ID); moved.QueueID != other {
		t.Errorf("item is in queue %d, want %d", moved.QueueID, other)
	}
	es, _ := h.db.FindAuditEntries(t.Context(), review.AuditFilter{Action: review.ActionItemMoved})
	if len(es) != 1 || es[0].Actor != s.lead.Email || es[0].Target != review.ItemTarget(it.ID) {
		t.Errorf("audit: %+v", es)
	}
	form.Set("action", "priority")
	form.Set("priority", "250")
	if res := lead.post(fmt.Sprintf("/queues/%d/items", s.queue.ID), form); res.StatusCode != http.StatusBadRequest || res.testid("error") == "" {
		t.Errorf("priority 250: %d %q", res.StatusCode, res.testid("error"))
	}
}

// TestMembersArePickedFromReviewers: the member picker lists people with
// the reviewer role who are not members yet, and assigning one works.
func TestMembersArePickedFromReviewers(t *testing.T) {
	s := newReviewSetup(t, 1, 1)
	h := s.h
	newcomer := h.addPerson("cy@example.org", true, review.RoleReviewer)
	lead, csrf := h.signIn(s.lead)
	page := lead.get(fmt.Sprintf("/queues/%d", s.queue.ID))
	opts := page.doc.Find(`[data-testid="member-pick"] option`)
	if opts.Length() != 1 || opts.Text() != newcomer.Email {
		t.Fatalf("picker offers %d: %q", opts.Length(), opts.Text())
	}
	res := lead.post(fmt.Sprintf("/queues/%d/members", s.queue.ID), url.Values{"csrf": {csrf}, "user_id": {fmt.Sprint(newcomer.ID)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign: %d", res.StatusCode)
	}
	if ok, _ := h.db.IsMember(t.Context(), s.queue.ID, newcomer.ID); !ok {
		t.Error("the picked reviewer is not a member")
	}
}

// TestAuditExportIsFilteredAndGuarded: the CSV holds exactly the filtered
// entries, newest first, past one read batch, and a cell that would be a
// formula is written as text.
func TestAuditExportIsFilteredAndGuarded(t *testing.T) {
	h := newHarness(t)
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	for i := range 1100 {
		h.db.Append(t.Context(), review.AuditEvent{Actor: "=cmd|calc", Action: "test.export", Target: fmt.Sprintf("item:%d", i)})
	}
	h.db.Append(t.Context(), review.AuditEvent{Actor: "other", Action: "test.other"})
	c, _ := h.signIn(admin)
	res := c.get("/admin/audit/export.csv?action=test.export")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("export: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	lines := strings.Split(strings.TrimSpace(res.body), "\n")
	if len(lines) != 1101 || !strings.Contains(lines[1], "item:1099") || !strings.Contains(lines[1100], "item:0") {
		t.Fatalf("export has %d lines; first %q last %q", len(lines), lines[1], lines[len(lines)-1])
	}
	if !strings.Contains(lines[1], ",'=cmd|calc,") || strings.Contains(res.body, "test.other") {
		t.Errorf("a row: %q", lines[1])
	}
	rev := h.addPerson("rev@example.org", true, review.RoleReviewer)
	rc, _ := h.signIn(rev)
	if res := rc.get("/admin/audit/export.csv"); res.StatusCode != http.StatusForbidden {
		t.Errorf("reviewer export: %d", res.StatusCode)
	}
}
