package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/loupe-review/loupe/review"
)

// qaCheck claims the next quality check of the setup's queue for c and
// returns the sample's id and its page.
func (s *reviewSetup) qaCheck(t *testing.T, c *client, csrf string) (int64, response) {
	t.Helper()
	res := c.post(fmt.Sprintf("/queues/%d/qa/claim", s.queue.ID), url.Values{"csrf": {csrf}})
	var id int64
	if _, err := fmt.Sscanf(res.Header.Get("Location"), "/qa/samples/%d", &id); err != nil {
		t.Fatalf("QA claim went to %q (%d)", res.Header.Get("Location"), res.StatusCode)
	}
	page := c.get(res.Header.Get("Location"))
	if page.StatusCode != http.StatusOK {
		t.Fatalf("QA screen: %d", page.StatusCode)
	}
	return id, page
}

// A reviewer checks a colleague's decision blind: the screen shows the
// item blurred and nothing of the first decision; reveals go through the
// ledger under the QA hold; a disagreement goes to the lead, whose
// different verdict overrides the decision; the figures count both.
func TestBlindQualityCheckFlow(t *testing.T) {
	s := newReviewSetup(t, 1, 2)
	h := s.h
	ctx := context.Background()
	lead, leadCSRF := h.signIn(s.lead)
	for _, bad := range []string{"abc", "101", "-1"} {
		if res := lead.post(fmt.Sprintf("/queues/%d/qa", s.queue.ID), url.Values{"csrf": {leadCSRF}, "qa_percent": {bad}}); res.StatusCode != http.StatusBadRequest {
			t.Errorf("qa_percent %q: %d", bad, res.StatusCode)
		}
	}
	if res := lead.post(fmt.Sprintf("/queues/%d/qa", s.queue.ID), url.Values{"csrf": {leadCSRF}, "qa_percent": {"100"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set qa_percent: %d %s", res.StatusCode, res.body)
	}
	if v, _ := lead.get(fmt.Sprintf("/queues/%d", s.queue.ID)).doc.Find(`[data-testid="qa-percent"]`).Attr("value"); v != "100" {
		t.Errorf("the queue page shows qa_percent %q", v)
	}

	ana, anaCSRF := h.signIn(s.rev1)
	first, _ := s.claim(t, ana, anaCSRF)
	ana.post(fmt.Sprintf("/review/%d/decide", first), url.Values{"csrf": {anaCSRF}, "verdict": {"violating"}, "category": {"A1"}, "note": {"unmistakable swirl"}})
	second, _ := s.claim(t, ana, anaCSRF)
	ana.post(fmt.Sprintf("/review/%d/decide", second), url.Values{"csrf": {anaCSRF}, "verdict": {"not_violating"}})

	bo, boCSRF := h.signIn(s.r2)
	if n := bo.get("/").doc.Find(`[data-testid="qa-entry"]`).Length(); n != 0 {
		t.Error("decisions inside their undo window were offered for QA")
	}
	h.settle()
	if n := bo.get("/").doc.Find(`[data-testid="qa-queue"]`).Length(); n != 1 {
		t.Fatalf("bo's home offers %d QA queues, want 1", n)
	}
	if n := ana.get("/").doc.Find(`[data-testid="qa-entry"]`).Length(); n != 0 {
		t.Error("ana was offered her own decisions to check")
	}

	sample, page := s.qaCheck(t, bo, boCSRF)
	sm, _ := h.db.FindSample(ctx, sample)
	for _, leak := range []string{"unmistakable swirl", "ana@example.org", "/reveal/"} {
		if strings.Contains(page.body, leak) {
			t.Errorf("the QA screen shows %q", leak)
		}
	}
	if n := page.doc.Find(`input[checked]`).Length(); n != 0 {
		t.Errorf("the QA screen comes with %d choices made", n)
	}
	it, _ := h.db.FindItemByID(ctx, sm.ItemID)
	if src, _ := page.doc.Find(`[data-testid="preview"]`).Attr("src"); src != "/media/"+it.Media[0].ID+"/preview" {
		t.Errorf("the QA screen shows %q, want the blurred preview", src)
	}
	if res := bo.get("/media/" + it.Media[0].ID + "/preview"); res.StatusCode != http.StatusOK {
		t.Errorf("preview under a QA hold: %d", res.StatusCode)
	}
	res, grant := s.reveal(bo, boCSRF, it.ID, it.Media[0].ID, "colour")
	if res.StatusCode != http.StatusOK || bo.get(grant.URL).StatusCode != http.StatusOK {
		t.Fatalf("reveal under a QA hold: %d %+v", res.StatusCode, grant)
	}
	if res, _ := s.reveal(ana, anaCSRF, it.ID, it.Media[0].ID, "colour"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a reveal without the QA hold: %d", res.StatusCode)
	}
	if res := bo.post(fmt.Sprintf("/review/%d/lease", it.ID), url.Values{"csrf": {boCSRF}}); res.StatusCode != http.StatusNoContent {
		t.Errorf("renewing the QA hold: %d", res.StatusCode)
	}
	if res := bo.post(fmt.Sprintf("/review/%d/decide", it.ID), url.Values{"csrf": {boCSRF}, "verdict": {"not_violating"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("the QA hold let bo decide the item itself: %d", res.StatusCode)
	}
	exposures, _ := h.db.FindExposures(ctx, it.ID)
	if len(exposures) != 1 || exposures[0].ReviewerID != s.r2.ID {
		t.Fatalf("the QA reveal is not in the ledger: %+v", exposures)
	}

	if res := bo.post(fmt.Sprintf("/qa/samples/%d/decide", sample), url.Values{"csrf": {boCSRF}, "verdict": {"violating"}}); res.StatusCode != http.StatusBadRequest || res.testid("error-category") == "" {
		t.Errorf("a violating check without a category: %d", res.StatusCode)
	}
	res2 := bo.post(fmt.Sprintf("/qa/samples/%d/decide", sample), url.Values{"csrf": {boCSRF}, "verdict": {"not_violating"}, "note": {"looks benign"}})
	next := res2.Header.Get("Location")
	if res2.StatusCode != http.StatusSeeOther || !strings.HasPrefix(next, "/qa/samples/") || next == fmt.Sprintf("/qa/samples/%d", sample) {
		t.Fatalf("after a QA verdict: %d %q", res2.StatusCode, next)
	}
	if ex, _ := h.db.FindExposures(ctx, it.ID); ex[0].Open() {
		t.Error("the QA verdict left the reveal open")
	}

	// The lead sees the disagreement and overrides: not violating.
	qa := lead.get("/qa")
	dispute := qa.doc.Find(fmt.Sprintf(`[data-testid="dispute"][data-sample="%d"]`, sample))
	if dispute.Length() != 1 || !strings.Contains(dispute.Find(`[data-testid="original"]`).Text(), "violating:A1 by ana@example.org") ||
		!strings.Contains(dispute.Find(`[data-testid="second-look"]`).Text(), "not_violating by bo@example.org") {
		t.Fatalf("the lead's QA page: %s", qa.body)
	}
	if res := lead.post(fmt.Sprintf("/qa/samples/%d/resolve", sample), url.Values{"csrf": {leadCSRF}, "verdict": {"not_violating"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("an override without a reason: %d", res.StatusCode)
	}
	if res := lead.post(fmt.Sprintf("/qa/samples/%d/resolve", sample), url.Values{"csrf": {leadCSRF}, "verdict": {"not_violating"}, "note": {"a swirl, nothing more"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resolve: %d %s", res.StatusCode, res.body)
	}
	ds, _ := h.db.FindDecisions(ctx, it.ID)
	if last := ds[len(ds)-1]; last.Kind != review.KindOverride || last.Verdict != review.NotViolating || !last.Final || last.ReviewerID != s.lead.ID {
		t.Errorf("the lead's verdict was not recorded as an override: %+v", ds)
	}

	// Bo agrees with the second decision; nothing else waits for him.
	res4 := bo.post(next+"/decide", url.Values{"csrf": {boCSRF}, "verdict": {"not_violating"}})
	if loc := res4.Header.Get("Location"); res4.StatusCode != http.StatusSeeOther || loc != fmt.Sprintf("/queues/%d?done=qa-empty", s.queue.ID) {
		t.Fatalf("the last check went to %d %q", res4.StatusCode, loc)
	}

	qa = lead.get("/qa")
	human := qa.doc.Find(`[data-testid="by-source"] [data-key="human"]`)
	if human.Find(`[data-testid="count"]`).Text() != "2" || human.Find(`[data-testid="rate"]`).Text() != "50.0%" {
		t.Errorf("by kind: %q", human.Text())
	}
	if qa.doc.Find(`[data-testid="dispute"]`).Length() != 0 {
		t.Error("the settled disagreement is still listed")
	}
	csv := lead.get("/qa/export.csv")
	if lines := strings.Split(strings.TrimSpace(csv.body), "\n"); csv.StatusCode != http.StatusOK || len(lines) != 3 || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") {
		t.Errorf("export: %d %q", csv.StatusCode, csv.body)
	}
	for _, c := range []*client{bo, ana} {
		if res := c.get("/qa"); res.StatusCode != http.StatusForbidden {
			t.Errorf("a reviewer opened the QA page: %d", res.StatusCode)
		}
	}
}

// A CSV cell someone typed cannot become a formula.
func TestQAExportGuardsCells(t *testing.T) {
	s := newReviewSetup(t, 1, 1)
	h := s.h
	lead, leadCSRF := h.signIn(s.lead)
	lead.post(fmt.Sprintf("/queues/%d/qa", s.queue.ID), url.Values{"csrf": {leadCSRF}, "qa_percent": {"100"}})
	ana, anaCSRF := h.signIn(s.rev1)
	id, _ := s.claim(t, ana, anaCSRF)
	ana.post(fmt.Sprintf("/review/%d/decide", id), url.Values{"csrf": {anaCSRF}, "verdict": {"not_violating"}})
	h.settle()
	bo, boCSRF := h.signIn(s.r2)
	sample, _ := s.qaCheck(t, bo, boCSRF)
	bo.post(fmt.Sprintf("/qa/samples/%d/decide", sample), url.Values{"csrf": {boCSRF}, "verdict": {"not_violating"}, "note": {"=HYPERLINK(\"http://x\")"}})
	csv := lead.get("/qa/export.csv")
	if !strings.Contains(csv.body, "'=HYPERLINK") {
		t.Errorf("the note was exported unguarded: %s", csv.body)
	}
}
