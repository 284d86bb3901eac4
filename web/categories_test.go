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

// A lead writes what a queue's category codes mean; the review screen's
// source of definitions (categoryDefs) returns them, defaults filling the
// rest; reviewers cannot change them; the change is audited.
func TestLeadDefinesQueueCategories(t *testing.T) {
	s := newReviewSetup(t, 1, 0)
	h := s.h
	ctx := context.Background()
	path := fmt.Sprintf("/queues/%d/categories", s.queue.ID)
	lc, lcsrf := h.signIn(s.lead)
	page := lc.get(path)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.testid("def-A1"), "Prepubescent") {
		t.Fatalf("categories page: %d, A1 %q", page.StatusCode, page.testid("def-A1"))
	}
	res := lc.post(path, url.Values{"csrf": {lcsrf}, "def_B2": {"Our wording for B2."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.StatusCode, res.testid("error"))
	}
	defs, err := h.srv.categoryDefs(ctx, s.queue)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range defs {
		got[d.Code] = d.Definition
	}
	if got["B2"] != "Our wording for B2." || got["A1"] != review.DefaultCategoryDefs["A1"] || len(defs) != len(s.queue.Taxonomy) {
		t.Errorf("definitions: %v", got)
	}
	if res := lc.post(path, url.Values{"csrf": {lcsrf}, "def_A1": {strings.Repeat("x", 600)}}); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.testid("error"), "A1") {
		t.Errorf("an over-long definition: %d %q", res.StatusCode, res.testid("error"))
	}
	rc, rcsrf := h.signIn(s.rev1)
	if res := rc.post(path, url.Values{"csrf": {rcsrf}, "def_A1": {"mine"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a reviewer changing definitions: %d", res.StatusCode)
	}
	entries, _ := h.db.FindAuditEntries(ctx, review.AuditFilter{Action: review.ActionCategoriesSaved})
	if len(entries) != 1 || entries[0].Actor != s.lead.Email {
		t.Errorf("audited: %+v", entries)
	}
	if lc.get(fmt.Sprintf("/queues/%d", s.queue.ID)).doc.Find(`a[href="`+path+`"]`).Length() != 1 {
		t.Error("the queue page does not link its definitions")
	}
}
