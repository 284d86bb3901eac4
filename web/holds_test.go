package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loupe-review/loupe/review"
)

// sqlExec runs statements on the harness's database directly, for rows no
// page makes in these tests (decisions, finished report cases, holds). It
// returns the id a statement ending in RETURNING id returns.
func (h *harness) sqlExec(query string, args ...any) int64 {
	h.t.Helper()
	var id int64
	var err error
	if strings.HasSuffix(query, "RETURNING id") {
		err = h.db.Raw().QueryRow(query, args...).Scan(&id)
	} else {
		_, err = h.db.Raw().Exec(query, args...)
	}
	if err != nil {
		h.t.Fatal(err)
	}
	return id
}

// decideAt records a final decision on an item, made at.
func (h *harness) decideAt(itemID, reviewerID int64, v review.Verdict, at time.Time) {
	h.t.Helper()
	ts := at.UTC().Format(review.TimeFormat)
	h.sqlExec(`INSERT INTO decisions (item_id, reviewer_id, kind, verdict, final, created_at) VALUES (?, ?, 'first', ?, 1, ?)`, itemID, reviewerID, string(v), ts)
	h.sqlExec(`UPDATE items SET status = 'decided', decided_at = ? WHERE id = ?`, ts, itemID)
}

// holdSetup is two decided items of a finished report case, each held
// until end.
type holdSetup struct {
	*reviewSetup
	caseID int64
	holds  []int64
	end    time.Time
}

func newHoldSetup(t *testing.T) *holdSetup {
	s := &holdSetup{reviewSetup: newReviewSetup(t, 1, 2)}
	h := s.h
	now := h.clock.Now()
	ts := now.UTC().Format(review.TimeFormat)
	s.end = now.AddDate(1, 0, 0)
	src, _ := h.db.FindSourceByName(context.Background(), "photos")
	s.caseID = h.sqlExec(`INSERT INTO report_cases (source_id, destination, status, finished_at, created_at, updated_at) VALUES (?, 'bundle', 'finished', ?, ?, ?) RETURNING id`, src.ID, ts, ts, ts)
	for i := range 2 {
		it, err := h.db.FindItemByExternalID(context.Background(), src.ID, fmt.Sprintf("item-%d", i))
		if err != nil {
			t.Fatal(err)
		}
		h.decideAt(it.ID, s.rev1.ID, review.Violating, now)
		h.sqlExec(`INSERT INTO report_items (case_id, item_id) VALUES (?, ?)`, s.caseID, it.ID)
		s.holds = append(s.holds, h.sqlExec(`INSERT INTO legal_holds (item_id, case_id, reason, held_until, created_by, created_at) VALUES (?, ?, 'reported', ?, 'lead@example.org', ?) RETURNING id`,
			it.ID, s.caseID, s.end.UTC().Format(review.TimeFormat), ts))
	}
	return s
}

func TestHoldsRegister(t *testing.T) {
	s := newHoldSetup(t)
	h := s.h
	admin := h.addPerson("admin@example.org", true, review.RoleAdmin)
	for _, p := range []person{s.lead, admin} {
		c, _ := h.signIn(p)
		page := c.get("/holds")
		if page.StatusCode != http.StatusOK || page.doc.Find(`[data-testid="hold-row"]`).Length() != 2 {
			t.Fatalf("%s: holds page %d with %d rows", p.Email, page.StatusCode, page.doc.Find(`[data-testid="hold-row"]`).Length())
		}
		row := page.doc.Find(`[data-testid="hold-row"]`).First()
		if got := row.Find(`[data-testid="hold-case"]`).Text(); got != fmt.Sprintf("case %d", s.caseID) {
			t.Errorf("case column %q", got)
		}
		if got := strings.TrimSpace(row.Find(`[data-testid="hold-item"]`).Text()); got != "item-0" {
			t.Errorf("item column %q", got)
		}
		if got := row.Find(`[data-testid="hold-until"]`).Text(); got != s.end.Format("2006-01-02 15:04:05 UTC") {
			t.Errorf("until column %q", got)
		}
		if strings.Contains(page.body, "/media/") || strings.Contains(page.body, "<img") {
			t.Error("the holds register shows media")
		}
		// Only leads extend: admins see no form.
		if forms := page.doc.Find(`[data-testid="extend-form"]`).Length(); (forms > 0) != (p.Email == s.lead.Email) {
			t.Errorf("%s sees %d extend forms", p.Email, forms)
		}
	}
	rev, _ := h.signIn(s.rev1)
	if res := rev.get("/holds"); res.StatusCode != http.StatusForbidden {
		t.Errorf("reviewer on /holds: %d, want 403", res.StatusCode)
	}
	ac, acsrf := h.signIn(admin)
	res := ac.post(fmt.Sprintf("/holds/%d/extend", s.holds[0]), url.Values{"csrf": {acsrf}, "until": {"2030-01-01"}, "reason": {"x"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("admin extends a hold: %d, want 403", res.StatusCode)
	}
}

func TestExtendHold(t *testing.T) {
	s := newHoldSetup(t)
	h := s.h
	c, csrf := h.signIn(s.lead)
	path := fmt.Sprintf("/holds/%d/extend", s.holds[0])
	later := s.end.AddDate(0, 6, 0).Format(time.DateOnly)
	refused := []struct {
		name  string
		form  url.Values
		error string
	}{
		{"no reason", url.Values{"until": {later}, "reason": {" "}}, "say why the hold is extended"},
		{"earlier date", url.Values{"until": {s.end.AddDate(0, -1, 0).Format(time.DateOnly)}, "reason": {"shorter"}}, "only be extended to a later date"},
		{"same date", url.Values{"until": {s.end.Format(time.DateOnly)}, "reason": {"same"}}, "only be extended to a later date"},
		{"not a date", url.Values{"until": {"next year"}, "reason": {"vague"}}, "dates look like"},
	}
	for _, tc := range refused {
		tc.form.Set("csrf", csrf)
		res := c.post(path, tc.form)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.testid("error"), tc.error) {
			t.Errorf("%s: %d %q, want 400 with %q", tc.name, res.StatusCode, res.testid("error"), tc.error)
		}
	}
	if res := c.post("/holds/999/extend", url.Values{"csrf": {csrf}, "until": {later}, "reason": {"x"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown hold: %d, want 404", res.StatusCode)
	}
	entries, _ := h.db.FindAuditEntries(context.Background(), review.AuditFilter{Action: review.ActionHoldExtended})
	if len(entries) != 0 {
		t.Fatalf("refused extensions audited: %d", len(entries))
	}

	res := c.post(path, url.Values{"csrf": {csrf}, "until": {later}, "reason": {"police request 7"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/holds?done=extended" {
		t.Fatalf("extend: %d %q %q", res.StatusCode, res.Header.Get("Location"), res.testid("error"))
	}
	page := c.get("/holds?done=extended")
	row := page.doc.Find(`[data-testid="hold-row"]`).First()
	if got := row.Find(`[data-testid="hold-until"]`).Text(); got != later+" 00:00:00 UTC" {
		t.Errorf("until after extension %q", got)
	}
	if got := row.Find(`[data-testid="hold-reason"]`).Text(); !strings.Contains(got, "police request 7") || !strings.HasPrefix(got, "reported") {
		t.Errorf("reason after extension %q", got)
	}
	if page.testid("notice") == "" {
		t.Error("no notice after extending")
	}
	entries, _ = h.db.FindAuditEntries(context.Background(), review.AuditFilter{Action: review.ActionHoldExtended})
	if len(entries) != 1 || entries[0].Actor != s.lead.Email || entries[0].Target != fmt.Sprintf("hold:%d", s.holds[0]) ||
		!strings.Contains(entries[0].Details, `"reason":"police request 7"`) {
		t.Errorf("audit: %+v", entries)
	}
}

func TestPurgedMediaIsGone(t *testing.T) {
	s := newReviewSetup(t, 1, 1)
	h := s.h
	ctx := context.Background()
	src, _ := h.db.FindSourceByName(ctx, "photos")
	it, err := h.db.FindItemByExternalID(ctx, src.ID, "item-0")
	if err != nil {
		t.Fatal(err)
	}
	h.decideAt(it.ID, s.rev1.ID, review.NotViolating, h.clock.Now())
	c, _ := h.signIn(s.lead)
	preview := "/media/" + it.Media[0].ID + "/preview"
	if res := c.get(preview); res.StatusCode != http.StatusOK {
		t.Fatalf("preview before the purge: %d", res.StatusCode)
	}
	h.clock.Advance(8 * 24 * time.Hour)
	rep, err := review.Purge(ctx, h.db, h.vault, review.DefaultRetention, h.clock.Now(), false)
	if err != nil || len(rep.Items) != 1 {
		t.Fatalf("purge: %+v, %v", rep, err)
	}
	c, _ = h.signIn(s.lead) // the session idled out over the eight days
	res := c.get(preview)
	if res.StatusCode != http.StatusGone || !strings.Contains(res.body, "deleted under the retention policy") {
		t.Errorf("preview of purged media: %d %q", res.StatusCode, res.testid("error"))
	}
	page := c.get(fmt.Sprintf("/items/%d", it.ID))
	if page.StatusCode != http.StatusOK || page.testid("purged") == "" || strings.Contains(page.body, preview) {
		t.Errorf("item page of a purged item: %d, purged note %q", page.StatusCode, page.testid("purged"))
	}
}
